"""A small made-up kabupaten, written the way offices write their files.

Kabupaten Sukamaju (35.99): two kecamatan, each a row of three square villages about
1.1 km wide, near Malang's latitude. `write_folder` writes its boundaries and the
tps / personil / desa tables as CSV (any of Excel's dialects) or one .xlsx workbook.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from pathlib import Path

REGENCY = ("35.99", "Kabupaten Sukamaju")
DISTRICTS = {"35.99.01": "Sukamaju Kidul", "35.99.02": "Sukamaju Lor"}
# code, name; each kecamatan's villages side by side, west to east
VILLAGES = (
    ("35.99.01.2001", "Mekarsari"),
    ("35.99.01.2002", "Sidomulyo"),
    ("35.99.01.1003", "Kauman"),  # a kelurahan: no Pilkades
    ("35.99.02.2001", "Tegalrejo"),
    ("35.99.02.2002", "Karanganyar"),
    ("35.99.02.2003", "Sumberejo"),
)
WEST, NORTH, SIZE = 112.0, -8.0, 0.01


def _square(west: float, north: float, width: float, height: float) -> list:
    ring = [
        [west, north],
        [west + width, north],
        [west + width, north - height],
        [west, north - height],
        [west, north],
    ]
    return [[ring]]


def village_box(code: str) -> tuple[float, float]:
    """(west, north) of a village's square."""
    district_index = list(DISTRICTS).index(code.rsplit(".", 1)[0])
    index = [c for c, _ in VILLAGES if c.startswith(code.rsplit(".", 1)[0])].index(code)
    return WEST + index * SIZE, NORTH - district_index * SIZE


def centre_of(code: str) -> tuple[float, float]:
    """(lat, lon) in the middle of a village."""
    west, north = village_box(code)
    return north - SIZE / 2, west + SIZE / 2


def geojson() -> str:
    features = []
    for code, name in VILLAGES:
        west, north = village_box(code)
        features.append(_feature(code, name, "village", _square(west, north, SIZE, SIZE)))
    for index, (code, name) in enumerate(DISTRICTS.items()):
        features.append(
            _feature(code, name, "district", _square(WEST, NORTH - index * SIZE, 3 * SIZE, SIZE))
        )
    features.append(
        _feature(REGENCY[0], REGENCY[1], "regency", _square(WEST, NORTH, 3 * SIZE, 2 * SIZE))
    )
    return json.dumps({"type": "FeatureCollection", "features": features})


def _feature(code: str, name: str, level: str, coordinates: list) -> dict:
    return {
        "type": "Feature",
        "properties": {"code": code, "name": name, "level": level},
        "geometry": {"type": "MultiPolygon", "coordinates": coordinates},
    }


TPS_HEADER = [
    "kode_desa",
    "desa",
    "kecamatan",
    "nomor_tps",
    "dpt",
    "kerawanan",
    "lat",
    "lon",
    "alamat",
]
PERSONIL_HEADER = [
    "nrp",
    "nama",
    "pangkat",
    "satuan",
    "jenis",
    "sandi",
    "kecamatan",
    "pos_tps",
    "telepon",
]
DESA_HEADER = ["kode_desa", "desa", "kecamatan", "kerawanan", "pilkades", "catatan"]


def tps_rows() -> list[list[object]]:
    """Two TPS per desa; the first with its coordinates, the second without."""
    rows: list[list[object]] = []
    for code, name in VILLAGES:
        if code.rsplit(".", 1)[1].startswith("1"):
            continue
        district = DISTRICTS[code.rsplit(".", 1)[0]]
        lat, lon = centre_of(code)
        risk = "sangat rawan" if name == "Tegalrejo" else "aman"
        rows.append([code, name, district, "01", 420, risk, lat + 0.001, lon, f"Balai Desa {name}"])
        rows.append([code, name, district, "02", 380, risk, "", "", ""])
    return rows


def personil_rows() -> list[list[object]]:
    return [
        [
            "85010001",
            "Agus Santoso",
            "Bripka",
            "Polsek Sukamaju Kidul",
            "personel",
            "SMK-B01",
            "Sukamaju Kidul",
            "35.99.01.2001/01",
            "081200000001",
        ],
        [
            "85010002",
            "Joko Susanto",
            "Brigpol",
            "Polsek Sukamaju Lor",
            "personel",
            "SML-001",
            "Sukamaju Lor",
            "Tegalrejo/01, Tegalrejo/02",
            "",
        ],
        [
            "",
            "Patroli 1 Polsek Sukamaju Lor",
            "Brigpol",
            "Polsek Sukamaju Lor",
            "kendaraan",
            "SML-P1",
            "Sukamaju Lor",
            "",
            "",
        ],
        [
            "",
            "Regu Dalmas 1",
            "Ipda",
            "Polres Sukamaju",
            "tim",
            "DALMAS-1",
            "Sukamaju Kidul",
            "",
            "",
        ],
    ]


def desa_rows() -> list[list[object]]:
    rows: list[list[object]] = []
    for code, name in VILLAGES:
        elects = not code.rsplit(".", 1)[1].startswith("1")
        district = DISTRICTS[code.rsplit(".", 1)[0]]
        rows.append([code, name, district, "", "ya" if elects else "tidak", ""])
    return rows


def csv_bytes(
    header: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    delimiter: str = ";",
    encoding: str = "utf-8-sig",
    decimal_comma: bool = True,
    blank_rows: bool = False,
    trailing_spaces: bool = False,
    dotless_codes: bool = False,
) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        cells = []
        for column, cell in zip(header, row, strict=False):
            text = repr(cell) if isinstance(cell, float) else str(cell)
            if isinstance(cell, float) and decimal_comma:
                text = text.replace(".", ",")
            if dotless_codes and column in ("kode_desa", "pos_tps"):
                text = text.replace(".", "")
            if trailing_spaces and text:
                text += "  "
            cells.append(text)
        writer.writerow(cells)
        if blank_rows:
            writer.writerow([""] * len(header))
    return out.getvalue().encode(encoding)


def write_folder(
    folder: Path,
    *,
    tps: Sequence[Sequence[object]] | None = None,
    personil: Sequence[Sequence[object]] | None = None,
    desa: Sequence[Sequence[object]] | None = None,
    boundaries: str | None = None,
    **dialect: object,
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "boundaries.geojson").write_text(boundaries or geojson(), "utf-8")
    tables = {
        "tps": (TPS_HEADER, tps if tps is not None else tps_rows()),
        "personil": (PERSONIL_HEADER, personil if personil is not None else personil_rows()),
        "desa": (DESA_HEADER, desa if desa is not None else desa_rows()),
    }
    for name, (header, rows) in tables.items():
        (folder / f"{name}.csv").write_bytes(csv_bytes(header, rows, **dialect))  # type: ignore[arg-type]
    return folder


def write_workbook(folder: Path, sheets: Sequence[str] = ("tps", "personil", "desa")) -> Path:
    """The same tables as sheets of one workbook, numbers as numbers (as Excel keeps them)."""
    from openpyxl import Workbook

    folder.mkdir(parents=True, exist_ok=True)
    (folder / "boundaries.geojson").write_text(geojson(), "utf-8")
    workbook = Workbook()
    workbook.remove(workbook.active)
    tables = {
        "tps": (TPS_HEADER, tps_rows()),
        "personil": (PERSONIL_HEADER, personil_rows()),
        "desa": (DESA_HEADER, desa_rows()),
    }
    for name in sheets:
        header, rows = tables[name]
        sheet = workbook.create_sheet(name.upper() if name == "tps" else name)
        sheet.append(header)
        for row in rows:
            sheet.append(
                [
                    int(cell)
                    if isinstance(cell, str) and cell.isdigit() and len(cell) < 4
                    else cell
                    for cell in row
                ]
            )
    workbook.save(folder / "Data Pengamanan.xlsx")
    return folder
