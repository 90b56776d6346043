"""Checking and seeding a province-sized scenario folder (docs/data.md).

Builds a made-up province: 10 kabupaten of 25 kecamatan of 20 villages (5,000
villages, each a square outline of 9 vertices per side), 10 TPS per village (50,000,
every other one with coordinates given as Excel writes them, with decimal commas), and
20,000 personnel and units (most posted at a TPS, the rest at their kecamatan), as
`;`-separated UTF-8-with-BOM CSV. Then, in a fresh child process (so its memory is
measured alone), a hub is built on an empty data folder from it: the same check
`scenario check` runs, then the seeding of the log.

    python bench/scenario_import.py [--villages-per-district 20] [--keep DIR]

Last line: `scenario_import tps=N seconds=S rss_mb=M` (goal: S <= 20, M <= 1000).
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REGENCIES = 10
DISTRICTS = 25
TPS_PER_VILLAGE = 10
PERSONNEL = 20_000
SIZE = 0.02  # degrees: a village about 2 km wide
SIDE_POINTS = 8  # vertices per side, so the outlines weigh like simplified real ones
RISKS = ("aman", "rawan", "sangat rawan", "Aman ", "RAWAN")


def square(west: float, north: float, size: float) -> list[list[list[list[float]]]]:
    ring: list[list[float]] = []
    corners = [
        (west, north),
        (west + size, north),
        (west + size, north - size),
        (west, north - size),
    ]
    for index, (x0, y0) in enumerate(corners):
        x1, y1 = corners[(index + 1) % 4]
        for step in range(SIDE_POINTS):
            share = step / SIDE_POINTS
            ring.append([round(x0 + (x1 - x0) * share, 5), round(y0 + (y1 - y0) * share, 5)])
    ring.append(ring[0])
    return [[ring]]


def feature(code: str, name: str, level: str, coordinates: object) -> dict[str, object]:
    return {
        "type": "Feature",
        "properties": {"code": code, "name": name, "level": level},
        "geometry": {"type": "MultiPolygon", "coordinates": coordinates},
    }


def decimal(value: float) -> str:
    return repr(round(value, 6)).replace(".", ",")


def build(folder: Path, villages_per_district: int) -> int:
    features = []
    tps_lines = ["kode_desa;desa;kecamatan;nomor_tps;dpt;kerawanan;lat;lon;alamat"]
    posts: list[tuple[str, str]] = []  # (district name, pos_tps)
    district_names: list[str] = []
    for r in range(REGENCIES):
        regency = f"35.{71 + r:02d}"
        regency_west, regency_north = 111.0 + (r % 5) * 0.6, -7.0 - (r // 5) * 0.6
        features.append(
            feature(
                regency,
                f"Kabupaten Contoh {r + 1}",
                "regency",
                square(regency_west, regency_north, 0.5),
            )
        )
        for d in range(DISTRICTS):
            district = f"{regency}.{d + 1:02d}"
            name = f"Kecamatan {r + 1}-{d + 1}"
            district_names.append(name)
            west = regency_west + (d % 5) * 0.1
            north = regency_north - (d // 5) * 0.1
            features.append(feature(district, name, "district", square(west, north, 0.1)))
            for v in range(villages_per_district):
                code = f"{district}.{2001 + v}"
                village = f"Desa {r + 1}-{d + 1}-{v + 1}"
                vwest = west + (v % 5) * SIZE
                vnorth = north - (v // 5) * SIZE
                features.append(feature(code, village, "village", square(vwest, vnorth, SIZE)))
                for n in range(1, TPS_PER_VILLAGE + 1):
                    risk = RISKS[(v + n) % len(RISKS)]
                    if n % 2:
                        lat = decimal(vnorth - SIZE * (0.1 + 0.08 * n))
                        lon = decimal(vwest + SIZE * 0.5)
                    else:
                        lat = lon = ""
                    tps_lines.append(
                        f"{code};{village};{name};{n:02d};{300 + n};{risk};{lat};{lon};"
                    )
                    posts.append((name, f"{code}/{n:02d}"))
    (folder / "boundaries.geojson").write_text(
        json.dumps({"type": "FeatureCollection", "features": features}), "utf-8"
    )
    (folder / "tps.csv").write_bytes(("\r\n".join(tps_lines) + "\r\n").encode("utf-8-sig"))
    people = ["nrp;nama;pangkat;satuan;jenis;sandi;kecamatan;pos_tps;telepon"]
    for index in range(PERSONNEL):
        if index % 10 < 8:
            district, post = posts[(index * 7) % len(posts)]
            people.append(
                f"{80000000 + index};Anggota {index};Bripda;Polsek {district};personel;"
                f"U-{index:05d};{district};{post};"
            )
        else:
            district = district_names[index % len(district_names)]
            people.append(
                f";Patroli {index};Brigpol;Polsek {district};kendaraan;P-{index:05d};{district};;"
            )
    (folder / "personil.csv").write_bytes(("\r\n".join(people) + "\r\n").encode("utf-8-sig"))
    return len(tps_lines) - 1


def seed(folder: Path, data: Path) -> None:
    """In the child: check and seed as `pilkades-tui hub --scenario FOLDER` does."""
    from pilkades_tui.hub.server import HubOptions, build_hub

    started = time.perf_counter()
    _app, core = build_hub(HubOptions(data_dir=data, scenario=str(folder)))
    seconds = time.perf_counter() - started
    core.backend.close()
    print(json.dumps({"seconds": seconds, "tps": len(core.state.tps)}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--villages-per-district", type=int, default=20)
    parser.add_argument("--keep", type=Path, default=None, help="write the folder here and keep it")
    parser.add_argument("--child", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        seed(*args.child)
        return
    work = Path(tempfile.mkdtemp(prefix="scenario-bench-"))
    try:
        folder = args.keep or work / "province"
        folder.mkdir(parents=True, exist_ok=True)
        tps = build(folder, args.villages_per_district)
        print(f"built {folder}: {tps} TPS", file=sys.stderr)
        child = subprocess.run(
            [sys.executable, __file__, "--child", str(folder), str(work / "hub")],
            check=True,
            capture_output=True,
            text=True,
        )
        result = json.loads(child.stdout.strip().splitlines()[-1])
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        rss_mb = usage.ru_maxrss / 1024
        # Wall time grows with whatever else the machine runs; CPU time says how much of
        # it was this import's own work.
        cpu = usage.ru_utime + usage.ru_stime
        print(f"child cpu seconds (with imports): {cpu:.1f}", file=sys.stderr)
        print(
            f"scenario_import tps={result['tps']} seconds={result['seconds']:.1f} "
            f"rss_mb={rss_mb:.0f}"
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
