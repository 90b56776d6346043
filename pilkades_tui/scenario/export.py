"""Write scenario folders: the template to fill (`scenario template`) and a packaged
scenario as the files an office would have made (`scenario export`)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

from pilkades_tui.domain.models import OfficerKind, Risk
from pilkades_tui.scenario.folder import (
    BOUNDARIES_FILE,
    DESA_COLUMNS,
    PERSONIL_COLUMNS,
    TPS_COLUMNS,
)
from pilkades_tui.scenario.geography import Geography
from pilkades_tui.scenario.pekalongan import Scenario

RISK_WORD = {Risk.LOW: "aman", Risk.MEDIUM: "rawan", Risk.HIGH: "sangat rawan"}
KIND_WORD = {
    OfficerKind.PERSON: "personel",
    OfficerKind.VEHICLE: "kendaraan",
    OfficerKind.TEAM: "tim",
}
README_FILE = "BACA-SAYA.txt"
HELP_SHEET = "keterangan"
FORMATS = ("csv", "xlsx")
WORKBOOK_FILE = "skenario.xlsx"

# What each column means: (table, column, required?, Bahasa Indonesia, English).
COLUMN_HELP: tuple[tuple[str, str, str, str, str], ...] = (
    (
        "tps",
        "kode_desa",
        "ya*",
        "Kode desa Kemendagri, dengan atau tanpa titik (33.26.05.2001)",
        "Kemendagri village code, with or without dots",
    ),
    (
        "tps",
        "desa",
        "ya*",
        "Nama desa (*isi kode_desa, atau desa + kecamatan)",
        "Village name (*give kode_desa, or desa + kecamatan)",
    ),
    ("tps", "kecamatan", "ya*", "Nama kecamatan desa itu", "The village's kecamatan"),
    (
        "tps",
        "nomor_tps",
        "ya",
        "Nomor TPS di desa itu: 1, 01 atau TPS 01",
        "TPS number within the village",
    ),
    (
        "tps",
        "dpt",
        "ya",
        "Jumlah pemilih terdaftar (DPT), bilangan bulat",
        "Registered voters, a whole number",
    ),
    (
        "tps",
        "kerawanan",
        "ya**",
        "aman · rawan · sangat rawan (**boleh kosong bila lembar desa mengisinya)",
        "low · medium · high risk (**may be blank when the desa table gives it)",
    ),
    (
        "tps",
        "lat",
        "tidak",
        "Lintang, mis. -7,0512 (kosong: di tengah desa)",
        "Latitude, e.g. -7,0512 (blank: at the village centre)",
    ),
    ("tps", "lon", "tidak", "Bujur, mis. 109,6234", "Longitude"),
    ("tps", "alamat", "tidak", "Alamat atau letak TPS", "Address of the TPS"),
    (
        "personil",
        "nrp",
        "tidak",
        "NRP anggota (kosong untuk kendaraan/tim)",
        "Officer's NRP (blank for vehicles and teams)",
    ),
    (
        "personil",
        "nama",
        "ya",
        "Nama anggota, kendaraan atau regu",
        "Name of the officer, vehicle or team",
    ),
    ("personil", "pangkat", "tidak", "Pangkat (Bripda, Aipda, Ipda ...)", "Rank"),
    ("personil", "satuan", "ya", "Satuan: Polsek Kajen, Polres, Brimob ...", "Unit"),
    ("personil", "jenis", "ya", "personel · kendaraan · tim", "person · vehicle · team"),
    (
        "personil",
        "sandi",
        "ya",
        "Sandi panggilan radio, unik (tanpa spasi atau /)",
        "Radio callsign, unique (no spaces or /)",
    ),
    (
        "personil",
        "kecamatan",
        "ya***",
        "Kecamatan tempat satuan bersiaga (***boleh kosong bila pos_tps diisi)",
        "Kecamatan where the unit starts (***may be blank with pos_tps)",
    ),
    (
        "personil",
        "pos_tps",
        "tidak",
        "TPS yang dijaga: kode_desa/nomor_tps atau desa/nomor_tps; beberapa dipisah koma",
        "The TPS it guards; several separated by commas",
    ),
    ("personil", "telepon", "tidak", "Nomor telepon", "Phone number"),
    (
        "personil",
        "lat",
        "tidak",
        "Lintang awal (kosong: di TPS-nya atau di tengah kecamatan)",
        "Starting latitude (blank: at its TPS or the kecamatan centre)",
    ),
    ("personil", "lon", "tidak", "Bujur awal", "Starting longitude"),
    (
        "desa",
        "kode_desa",
        "ya*",
        "Kode desa (*atau desa + kecamatan)",
        "Village code (*or desa + kecamatan)",
    ),
    ("desa", "desa", "ya*", "Nama desa", "Village name"),
    ("desa", "kecamatan", "ya*", "Nama kecamatan", "Kecamatan"),
    (
        "desa",
        "kerawanan",
        "tidak",
        "Kerawanan desa, dipakai TPS yang kerawanannya kosong",
        "The village's risk class, for its TPS left blank",
    ),
    (
        "desa",
        "pilkades",
        "tidak",
        "ya · tidak: apakah desa memilih hari itu (kosong: ya)",
        "yes · no: whether the village elects that day (blank: yes)",
    ),
    (
        "desa",
        "catatan",
        "tidak",
        "Catatan untuk staf (tidak dikirim ke konsol)",
        "A note for the staff (not sent to consoles)",
    ),
)

Rows = list[list[object]]


class ExportError(ValueError):
    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


def _decimal(value: float) -> str:
    """As Excel shows a number on an Indonesian Windows: decimal comma."""
    return repr(value).replace(".", ",")


def template_rows(geography: Geography) -> dict[str, Rows]:
    """One example row per table, on a real village of `geography`."""
    village = next(v for v in geography.villages if v.kind == "desa")
    district = next(d for d in geography.districts if d.code == village.district_code)
    return {
        "tps": [
            [
                village.code,
                village.name,
                village.district,
                "01",
                350,
                "rawan",
                village.lat,
                village.lon,
                "Balai desa",
            ]
        ],
        "personil": [
            [
                "87010123",
                "Budi Santoso",
                "Bripka",
                f"Polsek {district.name}",
                "personel",
                f"{district.name[:3].upper()}-B01",
                district.name,
                f"{village.code}/01",
                "081234567890",
                "",
                "",
            ]
        ],
        "desa": [[village.code, village.name, village.district, "rawan", "ya", "dua calon kuat"]],
    }


def scenario_rows(scenario: Scenario, geography: Geography) -> dict[str, Rows]:
    """The scenario as the three tables (the inverse of scenario/folder.py)."""
    tps_rows: Rows = []
    guarded: dict[str, list[str]] = {}
    for tps in scenario.tps:
        number = tps.id.rsplit("-T", 1)[-1]
        tps_rows.append(
            [
                tps.village_code,
                tps.village,
                tps.district,
                number,
                tps.voters,
                RISK_WORD[tps.risk],
                tps.lat,
                tps.lon,
                tps.address,
            ]
        )
        for officer_id in tps.officer_ids:
            guarded.setdefault(officer_id, []).append(f"{tps.village_code}/{number}")
    by_id = {tps.id: tps for tps in scenario.tps}
    personil: Rows = []
    for officer in scenario.officers:
        posts = guarded.get(officer.id, [])
        if officer.post_tps_id is not None:
            post = by_id[officer.post_tps_id]
            first = f"{post.village_code}/{post.id.rsplit('-T', 1)[-1]}"
            posts = [first, *(p for p in posts if p != first)]
            district = post.district
        else:
            district = min(
                geography.districts,
                key=lambda d: (d.lat - officer.lat) ** 2 + (d.lon - officer.lon) ** 2,
            ).name
        personil.append(
            [
                officer.nrp,
                officer.name,
                officer.rank,
                officer.unit,
                KIND_WORD[officer.kind],
                officer.id,
                district,
                ", ".join(posts),
                officer.phone,
                officer.lat,
                officer.lon,
            ]
        )
    risks = {e.village.code: e.risk for e in scenario.electing}
    desa: Rows = [
        [
            v.code,
            v.name,
            v.district,
            RISK_WORD[risks[v.code]] if v.code in risks else "",
            "ya" if v.code in risks else "tidak",
            "",
        ]
        for v in geography.villages
    ]
    return {"tps": tps_rows, "personil": personil, "desa": desa}


HEADERS = {"tps": TPS_COLUMNS, "personil": PERSONIL_COLUMNS, "desa": DESA_COLUMNS}


def _csv_text(header: Sequence[str], rows: Rows) -> str:
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_decimal(cell) if isinstance(cell, float) else cell for cell in row])
    return out.getvalue()


def _readme() -> str:
    lines = [
        "Skenario pilkades-tui: isi tps, personil dan desa, lalu periksa dengan",
        "`pilkades-tui scenario check FOLDER`. Ganti boundaries.geojson dengan batas",
        "wilayah kabupaten Anda (lihat docs/data.md).",
        "pilkades-tui scenario: fill in tps, personil and desa, then check with",
        "`pilkades-tui scenario check FOLDER`. Replace boundaries.geojson with your",
        "kabupaten's outlines (see docs/data.md).",
        "",
    ]
    for table, column, required, indonesian, english in COLUMN_HELP:
        lines.append(f"{table}.{column} (wajib/required: {required})")
        lines.append(f"    {indonesian}")
        lines.append(f"    {english}")
    return "\r\n".join(lines) + "\r\n"


def planned_files(fmt: str, with_readme: bool) -> list[str]:
    files = [BOUNDARIES_FILE]
    if fmt == "xlsx":
        files.append(WORKBOOK_FILE)
    else:
        files += [f"{name}.csv" for name in HEADERS]
        if with_readme:
            files.append(README_FILE)
    return files


def write_folder(
    out: Path, fmt: str, tables: dict[str, Rows], boundaries: str, with_help: bool
) -> list[Path]:
    """Write the folder; refuses (ExportError) before writing anything if a file exists."""
    targets = [out / name for name in planned_files(fmt, with_help)]
    for target in targets:
        if target.exists():
            raise ExportError("template.exists", path=target)
    if out.exists() and not out.is_dir():
        raise ExportError("template.exists", path=out)
    out.mkdir(parents=True, exist_ok=True)
    (out / BOUNDARIES_FILE).write_text(boundaries, "utf-8")
    if fmt == "xlsx":
        _write_workbook(out / WORKBOOK_FILE, tables, with_help)
    else:
        for name, header in HEADERS.items():
            # With a BOM, as Excel saves "CSV UTF-8", so Excel opens it with the right letters.
            (out / f"{name}.csv").write_bytes(
                b"\xef\xbb\xbf" + _csv_text(header, tables[name]).encode("utf-8")
            )
        if with_help:
            (out / README_FILE).write_text(_readme(), "utf-8")
    return targets


def _write_workbook(path: Path, tables: dict[str, Rows], with_help: bool) -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for name, header in HEADERS.items():
        sheet = workbook.create_sheet(name)
        sheet.append(list(header))
        for row in tables[name]:
            sheet.append(row)
    if with_help:
        sheet = workbook.create_sheet(HELP_SHEET)
        sheet.append(["lembar / sheet", "kolom / column", "wajib / required", "arti", "meaning"])
        for entry in COLUMN_HELP:
            sheet.append(list(entry))
    temporary = path.with_suffix(".xlsx.part")
    workbook.save(temporary)
    temporary.replace(path)
