"""A real election from its own files: a scenario folder (docs/data.md).

`check_folder(folder, at)` reads `boundaries.geojson` and the tables `tps`, `personil`
and `desa` (CSV files, or the sheets of one `.xlsx` workbook), checks every row and
returns every problem at once, each with its file, sheet, row, column, value, reason
and a suggestion where one exists. With no problem it also returns the Scenario the
hub seeds from; with any, none, so nothing is ever half-seeded.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from math import cos, pi, sin
from pathlib import Path

from pilkades_tui.domain.geo import in_indonesia
from pilkades_tui.domain.models import ElectionPhase, Officer, OfficerKind, Phase, Risk, Tps
from pilkades_tui.scenario.geography import (
    District,
    Geography,
    GeographyError,
    Village,
    distance_km,
    normalise_code,
)
from pilkades_tui.scenario.i18n import Words
from pilkades_tui.scenario.pekalongan import ElectingVillage, Scenario
from pilkades_tui.scenario.sheets import (
    Row,
    SheetError,
    Table,
    decode,
    read_csv,
    read_workbook,
)

BOUNDARIES_FILE = "boundaries.geojson"
TABLES = ("tps", "personil", "desa")
REQUIRED_TABLES = ("tps", "personil")
PHASE_NOTE = "Pilkades serentak"

TPS_COLUMNS = (
    "kode_desa",
    "desa",
    "kecamatan",
    "nomor_tps",
    "dpt",
    "kerawanan",
    "lat",
    "lon",
    "alamat",
)
PERSONIL_COLUMNS = (
    "nrp",
    "nama",
    "pangkat",
    "satuan",
    "jenis",
    "sandi",
    "kecamatan",
    "pos_tps",
    "telepon",
    "lat",
    "lon",
)
DESA_COLUMNS = ("kode_desa", "desa", "kecamatan", "kerawanan", "pilkades", "catatan")
COLUMNS = {"tps": TPS_COLUMNS, "personil": PERSONIL_COLUMNS, "desa": DESA_COLUMNS}
REQUIRED_COLUMNS = {
    "tps": ("nomor_tps", "dpt"),
    "personil": ("nama", "satuan", "jenis", "sandi", "kecamatan"),
    "desa": (),
}
# Other spellings offices use for a heading (after header_name: lower case, `_`).
HEADER_ALIASES = {
    "kode": "kode_desa",
    "kode_wilayah": "kode_desa",
    "kode_kelurahan": "kode_desa",
    "kelurahan": "desa",
    "desa/kelurahan": "desa",
    "nama_desa": "desa",
    "kec": "kecamatan",
    "nama_kecamatan": "kecamatan",
    "no_tps": "nomor_tps",
    "nomor": "nomor_tps",
    "tps": "nomor_tps",
    "jumlah_dpt": "dpt",
    "pemilih": "dpt",
    "latitude": "lat",
    "lintang": "lat",
    "longitude": "lon",
    "lng": "lon",
    "bujur": "lon",
    "tingkat_kerawanan": "kerawanan",
    "callsign": "sandi",
    "kode_panggil": "sandi",
    "no_hp": "telepon",
    "hp": "telepon",
    "telp": "telepon",
    "kesatuan": "satuan",
}
RISK_WORDS = {
    "aman": Risk.LOW,
    "rendah": Risk.LOW,
    "low": Risk.LOW,
    "rawan": Risk.MEDIUM,
    "sedang": Risk.MEDIUM,
    "medium": Risk.MEDIUM,
    "sangatrawan": Risk.HIGH,
    "rawantinggi": Risk.HIGH,
    "tinggi": Risk.HIGH,
    "high": Risk.HIGH,
}
KIND_WORDS = {
    "personel": OfficerKind.PERSON,
    "personil": OfficerKind.PERSON,
    "person": OfficerKind.PERSON,
    "orang": OfficerKind.PERSON,
    "anggota": OfficerKind.PERSON,
    "kendaraan": OfficerKind.VEHICLE,
    "ranmor": OfficerKind.VEHICLE,
    "mobil": OfficerKind.VEHICLE,
    "vehicle": OfficerKind.VEHICLE,
    "tim": OfficerKind.TEAM,
    "regu": OfficerKind.TEAM,
    "team": OfficerKind.TEAM,
}
YES_WORDS = frozenset({"ya", "y", "yes", "1", "true", "benar"})
NO_WORDS = frozenset({"tidak", "t", "tdk", "no", "n", "0", "false"})
RISK_ORDER = {Risk.LOW: 0, Risk.MEDIUM: 1, Risk.HIGH: 2}
# The outlines are simplified (60-100 m): a TPS this close outside its village still counts.
OUTSIDE_TOLERANCE_KM = 0.5
# A TPS without coordinates stands this far (degrees, ~170 m) around its village's centre.
SPREAD_DEG = 0.0015
UNIT_SPREAD_DEG = 0.002
SUGGESTIONS = 3
TEXT_LIMIT = 200


@dataclass(frozen=True, slots=True)
class Problem:
    key: str  # the reason, a key of scenario/i18n.py
    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: str | None = None
    feature: int | None = None
    params: dict[str, object] = field(default_factory=dict)
    suggestions: tuple[str, ...] = ()

    def describe(self, words: Words) -> str:
        where = []
        if self.file:
            where.append(words("at.file", file=self.file))
        if self.sheet:
            where.append(words("at.sheet", sheet=self.sheet))
        if self.row is not None:
            where.append(words("at.row", row=self.row))
        if self.feature is not None:
            where.append(words("at.feature", number=self.feature + 1))
        if self.column:
            where.append(words("at.column", column=self.column))
        if self.value:
            where.append(words("at.value", value=self.value))
        params = {
            # A value that knows how to say itself in a language (a pydantic reason).
            name: value.said(words) if hasattr(value, "said") else value
            for name, value in self.params.items()
        }
        text = words(self.key, **params)
        if self.suggestions:
            text += " " + words("suggest", names=", ".join(self.suggestions))
        return f"{', '.join(where)}: {text}" if where else text


class ScenarioProblems(ValueError):
    """The folder (or file) cannot seed a hub: every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(describe_all(problems, Words("id")))
        self.problems = problems


def describe_all(problems: Iterable[Problem], words: Words) -> str:
    return "\n".join(problem.describe(words) for problem in problems)


def plain(name: str) -> str:
    """A name compared forgiving case, runs of spaces and a `Desa`/`Kec.` in front."""
    text = " ".join(name.lower().replace("_", " ").split())
    for prefix in ("desa ", "kelurahan ", "kel. ", "kecamatan ", "kec. ", "kec "):
        if text.startswith(prefix):
            return text[len(prefix) :]
    return text


def _compact(word: str) -> str:
    return "".join(word.lower().replace("_", " ").replace("-", " ").split())


def parse_risk(text: str) -> Risk | None:
    return RISK_WORDS.get(_compact(text))


def parse_kind(text: str) -> OfficerKind | None:
    return KIND_WORDS.get(_compact(text))


def parse_whole(text: str) -> int | None:
    """`1200`, `1.200`, `1,200`, `1200,0` (what a spreadsheet makes of a whole number)."""
    value = text.replace(" ", "")
    if re.fullmatch(r"\d{1,3}([.,]\d{3})+", value):
        value = value.replace(".", "").replace(",", "")
    value = re.sub(r"[.,]0+$", "", value)
    return int(value) if value.isdigit() else None


def parse_coordinate(text: str) -> float | None:
    """`-7,0512` (decimal comma) or `-7.0512`."""
    value = text.replace(" ", "")
    if value.count(",") == 1 and "." not in value:
        value = value.replace(",", ".")
    try:
        number = float(value)
    except ValueError:
        return None
    return number if number == number and abs(number) != float("inf") else None


def parse_tps_number(text: str) -> int | None:
    matched = re.fullmatch(r"(?:tps\s*)?0*(\d{1,4})(?:[.,]0+)?", text.strip().lower())
    if matched is None:
        return None
    number = int(matched.group(1))
    return number if number >= 1 else None


def tps_id(village_code: str, number: int) -> str:
    return f"{village_code}-T{number:02d}"


def _close(word: str, candidates: Iterable[str]) -> tuple[str, ...]:
    names = sorted(set(candidates))
    by_plain = {plain(name): name for name in names}
    found = difflib.get_close_matches(plain(word), list(by_plain), n=SUGGESTIONS, cutoff=0.6)
    return tuple(by_plain[name] for name in found)


class _Places:
    """Villages and kecamatan of the geography, found by code or by name."""

    def __init__(self, geography: Geography) -> None:
        self.geography = geography
        self.districts_by_name: dict[str, list[District]] = {}
        for district in geography.districts:
            self.districts_by_name.setdefault(plain(district.name), []).append(district)
        self.villages_in: dict[str, dict[str, list[Village]]] = {}
        for village in geography.villages:
            names = self.villages_in.setdefault(village.district_code, {})
            names.setdefault(plain(village.name), []).append(village)


@dataclass(slots=True)
class _TpsRow:
    row: Row
    village: Village
    number: int
    voters: int
    risk: Risk | None
    lat: float | None
    lon: float | None
    address: str


@dataclass(slots=True)
class _UnitRow:
    row: Row
    callsign: str
    name: str
    rank: str
    unit: str
    kind: OfficerKind
    district: District | None
    posts: list[str]
    nrp: str
    phone: str
    lat: float | None
    lon: float | None


class _Reader:
    def __init__(self, geography: Geography | None) -> None:
        self.problems: list[Problem] = []
        self.places = _Places(geography) if geography is not None else None
        # TPS named by a row, accepted or not: a post at a refused one is not a second
        # problem (its row already says what is wrong).
        self.named_tps: set[str] = set()

    def problem(
        self,
        key: str,
        table: Table,
        row: Row | None = None,
        column: str | None = None,
        suggestions: tuple[str, ...] = (),
        **params: object,
    ) -> None:
        value = row.cells.get(column, "") if row is not None and column else None
        self.problems.append(
            Problem(
                key,
                table.file,
                table.sheet,
                row.number if row is not None else None,
                column,
                value or None,
                None,
                params,
                suggestions,
            )
        )

    # ---- headers -------------------------------------------------------------------

    def check_header(self, name: str, table: Table) -> bool:
        """Map aliases to the column names; False if the table cannot be read on."""
        expected = COLUMNS[name]
        shown = ", ".join(expected)
        if not table.header:
            self.problem("sheet.empty", table, expected=shown)
            return False
        seen: set[str] = set()
        good = True
        renamed: dict[str, str] = {}
        for raw, heading in zip(table.raw_header, table.header, strict=True):
            column = HEADER_ALIASES.get(heading, heading)
            if column not in expected:
                self.problems.append(
                    Problem(
                        "header.unknown",
                        table.file,
                        table.sheet,
                        1,
                        raw or "?",
                        None,
                        None,
                        {"expected": shown},
                        tuple(difflib.get_close_matches(heading, expected, n=SUGGESTIONS)),
                    )
                )
                good = False
                continue
            if column in seen:
                self.problems.append(Problem("header.duplicate", table.file, table.sheet, 1, raw))
                good = False
            seen.add(column)
            renamed[heading] = column
        missing = [column for column in REQUIRED_COLUMNS[name] if column not in seen]
        if name in ("tps", "desa") and "kode_desa" not in seen:
            place = [column for column in ("desa", "kecamatan") if column not in seen]
            if len(place) == 2:  # neither way of naming the village
                place.insert(0, "kode_desa")
            missing += place
        if missing:
            self.problems.append(
                Problem(
                    "header.missing",
                    table.file,
                    table.sheet,
                    1,
                    None,
                    None,
                    None,
                    {"missing": ", ".join(missing), "expected": shown},
                )
            )
            good = False
        if good and renamed and any(key != value for key, value in renamed.items()):
            for row in table.rows:
                cells = {renamed.get(key, key): value for key, value in row.cells.items()}
                row.cells.clear()
                row.cells.update(cells)
        return good

    # ---- places --------------------------------------------------------------------

    def district(self, table: Table, row: Row, column: str = "kecamatan") -> District | None:
        assert self.places is not None
        text = row.cells.get(column, "")
        code = normalise_code(text)
        if code is not None and code.count(".") == 2:
            found = self.places.geography.district_by_code.get(code)
            if found is None:
                self.problem("cell.unknown_district", table, row, column)
            return found
        matches = self.places.districts_by_name.get(plain(text), [])
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            codes = ", ".join(district.code for district in matches)
            self.problem("cell.ambiguous_district", table, row, column, codes=codes)
            return None
        names = [district.name for district in self.places.geography.districts]
        self.problem("cell.unknown_district", table, row, column, _close(text, names))
        return None

    def village(self, table: Table, row: Row) -> Village | None:
        assert self.places is not None
        cells = row.cells
        code_text = cells.get("kode_desa", "")
        name_text = cells.get("desa", "")
        if code_text:
            code = normalise_code(code_text)
            if code is None or code.count(".") != 3:
                self.problem("cell.code", table, row, "kode_desa")
                return None
            village = self.places.geography.village_by_code.get(code)
            if village is None:
                suggestions: tuple[str, ...] = ()
                if name_text:
                    suggestions = tuple(
                        f"{v.code} {v.name}"
                        for v in self.places.geography.villages
                        if plain(v.name) == plain(name_text)
                    )[:SUGGESTIONS]
                self.problem("cell.unknown_code", table, row, "kode_desa", suggestions)
                return None
            if name_text and plain(name_text) != plain(village.name):
                self.problem(
                    "cell.code_name",
                    table,
                    row,
                    "desa",
                    code=village.code,
                    village=village.name,
                    district=village.district,
                    given=name_text,
                )
                return None
            return village
        if not name_text or not cells.get("kecamatan", ""):
            self.problem(
                "cell.village_or_code", table, row, "desa" if not name_text else "kecamatan"
            )
            return None
        text = cells["kecamatan"]
        districts = self.places.districts_by_name.get(plain(text), [])
        if not districts:
            names = [district.name for district in self.places.geography.districts]
            self.problem("cell.unknown_district", table, row, "kecamatan", _close(text, names))
            return None
        found = [
            village
            for district in districts
            for village in self.places.villages_in.get(district.code, {}).get(plain(name_text), [])
        ]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            codes = ", ".join(village.code for village in found)
            self.problem(
                "cell.ambiguous_village",
                table,
                row,
                "desa",
                district=districts[0].name,
                codes=codes,
            )
            return None
        names = [
            village.name
            for district in districts
            for group in self.places.villages_in.get(district.code, {}).values()
            for village in group
        ]
        self.problem(
            "cell.unknown_village",
            table,
            row,
            "desa",
            _close(name_text, names),
            district=districts[0].name,
        )
        return None

    # ---- cells ---------------------------------------------------------------------

    def risk(self, table: Table, row: Row) -> tuple[Risk | None, bool]:
        """(risk, ok): None when blank."""
        text = row.cells.get("kerawanan", "")
        if not text:
            return None, True
        risk = parse_risk(text)
        if risk is None:
            words = ("aman", "rawan", "sangat rawan")
            close = tuple(difflib.get_close_matches(text.lower(), words, n=SUGGESTIONS, cutoff=0.5))
            self.problem("cell.risk", table, row, "kerawanan", close)
            return None, False
        return risk, True

    def point(self, table: Table, row: Row) -> tuple[float | None, float | None, bool]:
        lat_text, lon_text = row.cells.get("lat", ""), row.cells.get("lon", "")
        if not lat_text and not lon_text:
            return None, None, True
        if not lat_text or not lon_text:
            self.problem("cell.lat_lon_pair", table, row, "lat" if not lat_text else "lon")
            return None, None, False
        lat, lon = parse_coordinate(lat_text), parse_coordinate(lon_text)
        ok = True
        if lat is None:
            self.problem("cell.coordinate", table, row, "lat")
            ok = False
        if lon is None:
            self.problem("cell.coordinate", table, row, "lon")
            ok = False
        if lat is None or lon is None:
            return None, None, False
        if not in_indonesia(lat, lon):
            self.problem("cell.outside_indonesia", table, row, "lat", lat=lat_text, lon=lon_text)
            return None, None, False
        return lat, lon, ok

    def text(self, table: Table, row: Row, column: str, required: bool = False) -> str | None:
        value = row.cells.get(column, "")
        if required and not value:
            self.problem("cell.required", table, row, column)
            return None
        if len(value) > TEXT_LIMIT:
            self.problem("cell.too_long", table, row, column, limit=TEXT_LIMIT)
            return None
        return value

    # ---- tables --------------------------------------------------------------------

    def read_desa(self, table: Table) -> dict[str, tuple[Risk | None, bool, Row]]:
        """Village code -> (risk, elects, row)."""
        found: dict[str, tuple[Risk | None, bool, Row]] = {}
        for row in table.rows:
            village = self.village(table, row)
            risk, _ = self.risk(table, row)
            elects = True
            text = row.cells.get("pilkades", "")
            if text:
                if text.lower() in YES_WORDS:
                    elects = True
                elif text.lower() in NO_WORDS:
                    elects = False
                else:
                    self.problem("cell.yes_no", table, row, "pilkades")
            self.text(table, row, "catatan")
            if village is None:
                continue
            if village.code in found:
                first = found[village.code][2].number
                self.problem(
                    "dup.village",
                    table,
                    row,
                    "desa" if row.cells.get("desa") else "kode_desa",
                    first=first,
                )
                continue
            found[village.code] = (risk, elects, row)
        return found

    def read_tps(
        self, table: Table, desa: dict[str, tuple[Risk | None, bool, Row]]
    ) -> list[_TpsRow]:
        records: list[_TpsRow] = []
        first_row: dict[str, int] = {}
        for row in table.rows:
            village = self.village(table, row)
            number_text = row.cells.get("nomor_tps", "")
            number = parse_tps_number(number_text) if number_text else None
            if number is None:
                self.problem(
                    "cell.required" if not number_text else "cell.tps_number",
                    table,
                    row,
                    "nomor_tps",
                )
            voters_text = row.cells.get("dpt", "")
            voters = parse_whole(voters_text) if voters_text else None
            if voters is None or voters < 1:
                self.problem(
                    "cell.required" if not voters_text else "cell.whole_number",
                    table,
                    row,
                    "dpt",
                    minimum=1,
                )
            risk, risk_ok = self.risk(table, row)
            lat, lon, point_ok = self.point(table, row)
            address = self.text(table, row, "alamat")
            if village is not None and number is not None:
                self.named_tps.add(tps_id(village.code, number))
            if village is None or number is None or voters is None or voters < 1:
                continue
            if not risk_ok or not point_ok or address is None:
                continue
            listed = desa.get(village.code)
            if listed is not None and not listed[1]:
                self.problem("tps.not_electing", table, row, "nomor_tps", village=village.name)
                continue
            if risk is None:
                risk = listed[0] if listed is not None else None
                if risk is None:
                    self.problem("tps.risk_missing", table, row, "kerawanan")
                    continue
            identifier = tps_id(village.code, number)
            if identifier in first_row:
                self.problem(
                    "dup.tps",
                    table,
                    row,
                    "nomor_tps",
                    number=f"{number:02d}",
                    village=village.name,
                    first=first_row[identifier],
                )
                continue
            first_row[identifier] = row.number
            if lat is not None and lon is not None:
                outline = (
                    self.places.geography.outline_by_code.get(village.code) if self.places else None
                )
                if outline is not None:
                    km = distance_km(outline, lat, lon)
                    if km > OUTSIDE_TOLERANCE_KM:
                        self.problem(
                            "cell.outside_village", table, row, "lat", km=km, village=village.name
                        )
                        continue
            records.append(_TpsRow(row, village, number, voters, risk, lat, lon, address))
        return records

    def read_personil(self, table: Table) -> list[_UnitRow]:
        units: list[_UnitRow] = []
        first_row: dict[str, int] = {}
        for row in table.rows:
            callsign = self.text(table, row, "sandi", required=True)
            if callsign and (
                "/" in callsign or any(c.isspace() for c in callsign) or len(callsign) > 128
            ):
                self.problem("cell.callsign", table, row, "sandi")
                callsign = None
            name = self.text(table, row, "nama", required=True)
            rank = self.text(table, row, "pangkat")
            unit = self.text(table, row, "satuan", required=True)
            kind_text = row.cells.get("jenis", "")
            kind = parse_kind(kind_text) if kind_text else None
            if kind is None:
                close = tuple(
                    difflib.get_close_matches(
                        kind_text.lower(),
                        ("personel", "kendaraan", "tim"),
                        n=SUGGESTIONS,
                        cutoff=0.5,
                    )
                )
                self.problem(
                    "cell.required" if not kind_text else "cell.kind", table, row, "jenis", close
                )
            district = None
            district_ok = True
            if row.cells.get("kecamatan", ""):
                district = self.district(table, row)
                district_ok = district is not None
            elif not row.cells.get("pos_tps", ""):
                self.problem("pos.no_place", table, row, "kecamatan")
                district_ok = False
            posts = [part.strip() for part in re.split(r"[,;+]", row.cells.get("pos_tps", ""))]
            posts = [part for part in posts if part]
            nrp = self.text(table, row, "nrp")
            phone = self.text(table, row, "telepon")
            lat, lon, point_ok = self.point(table, row)
            if callsign and callsign in first_row:
                self.problem("dup.callsign", table, row, "sandi", first=first_row[callsign])
                continue
            if callsign:
                first_row[callsign] = row.number
            if (
                callsign is None
                or name is None
                or rank is None
                or unit is None
                or kind is None
                or nrp is None
                or phone is None
                or not district_ok
                or not point_ok
            ):
                continue
            units.append(
                _UnitRow(
                    row, callsign, name, rank, unit, kind, district, posts, nrp, phone, lat, lon
                )
            )
        return units

    def resolve_post(
        self, table: Table, unit: _UnitRow, text: str, tps_by_id: dict[str, _TpsRow]
    ) -> str | None:
        assert self.places is not None
        place, slash, number_text = text.rpartition("/")
        number = parse_tps_number(number_text) if slash else None
        if not place.strip() or number is None:
            self.problem("pos.form", table, unit.row, "pos_tps")
            return None
        code = normalise_code(place)
        if code is not None and code.count(".") == 3:
            candidates = [code]
        else:
            villages = [
                village
                for village in self.places.geography.villages
                if plain(village.name) == plain(place)
            ]
            if len(villages) > 1 and unit.district is not None:
                villages = [v for v in villages if v.district_code == unit.district.code]
            with_tps = [v for v in villages if tps_id(v.code, number) in tps_by_id]
            if len(with_tps) > 1:
                self.problem("pos.ambiguous", table, unit.row, "pos_tps", village=place.strip())
                return None
            candidates = [v.code for v in (with_tps or villages)]
        for code in candidates:
            identifier = tps_id(code, number)
            if identifier in tps_by_id:
                return identifier
        if any(tps_id(code, number) in self.named_tps for code in candidates):
            return None
        known = sorted(
            f"{record.village.name}/{record.number:02d}"
            for record in tps_by_id.values()
            if record.village.code in candidates
        )
        self.problem(
            "pos.unknown", table, unit.row, "pos_tps", tuple(known[:SUGGESTIONS]), wanted=text
        )
        return None


def _spread(lat: float, lon: float, index: int, count: int, radius: float) -> tuple[float, float]:
    """Spot `index` of `count` on a small circle around a centre, so markers don't overlap."""
    if count <= 1:
        return lat, lon
    angle = 2 * pi * index / count
    return round(lat + radius * sin(angle), 6), round(lon + radius * cos(angle), 6)


@dataclass(slots=True)
class _Sources:
    tables: dict[str, Table]
    geography_text: str | None


def _gather(folder: Path, problems: list[Problem]) -> _Sources:
    if not folder.is_dir():
        problems.append(Problem("folder.missing", params={"folder": str(folder)}))
        return _Sources({}, None)
    files = {path.name.lower(): path for path in folder.iterdir() if path.is_file()}
    workbooks = sorted(
        path for name, path in files.items() if name.endswith(".xlsx") and not name.startswith("~$")
    )
    boundaries = files.get(BOUNDARIES_FILE)
    csvs = {name: files.get(f"{name}.csv") for name in TABLES}
    if boundaries is None and not workbooks and not any(csvs.values()):
        problems.append(Problem("folder.empty", params={"folder": str(folder)}))
        return _Sources({}, None)
    geography_text = None
    if boundaries is None:
        problems.append(Problem("folder.no_boundaries", BOUNDARIES_FILE))
    else:
        try:
            geography_text = decode(boundaries.read_bytes())
        except OSError as error:
            problems.append(
                Problem("sheet.unreadable", boundaries.name, params={"error": error.strerror})
            )
    tables: dict[str, Table] = {}
    if len(workbooks) > 1:
        names = ", ".join(path.name for path in workbooks)
        problems.append(
            Problem("folder.many_workbooks", params={"count": len(workbooks), "files": names})
        )
        return _Sources(tables, geography_text)
    given_csv = [path for path in csvs.values() if path is not None]
    if workbooks and given_csv:
        problems.append(
            Problem("folder.both", params={"csv": given_csv[0].name, "xlsx": workbooks[0].name})
        )
        return _Sources(tables, geography_text)
    try:
        if workbooks:
            tables, titles = read_workbook(workbooks[0], TABLES)
            for name in REQUIRED_TABLES:
                if name not in tables:
                    problems.append(
                        Problem(
                            "folder.no_sheet",
                            workbooks[0].name,
                            params={"name": name, "sheets": ", ".join(titles) or "-"},
                        )
                    )
        else:
            for name in TABLES:
                path = csvs[name]
                if path is not None:
                    tables[name] = read_csv(path)
                elif name in REQUIRED_TABLES:
                    problems.append(Problem("folder.no_table", params={"name": name}))
    except SheetError as error:
        problems.append(Problem(error.key, str(error.params.get("file", "")), params=error.params))
    return _Sources(tables, geography_text)


def _geography(text: str, problems: list[Problem]) -> Geography | None:
    try:
        return Geography.from_geojson(text)
    except GeographyError as error:
        problems.extend(
            Problem(item.key, BOUNDARIES_FILE, feature=item.feature, params=dict(item.params))
            for item in error.problems
        )
        return None


def check_folder(folder: Path, at: datetime) -> tuple[Scenario | None, list[Problem]]:
    """Every problem of the folder, and the Scenario when there is none."""
    problems: list[Problem] = []
    sources = _gather(folder, problems)
    geography = _geography(sources.geography_text, problems) if sources.geography_text else None
    reader = _Reader(geography)
    readable = {
        name: table for name, table in sources.tables.items() if reader.check_header(name, table)
    }
    if geography is None or problems or reader.problems or set(REQUIRED_TABLES) - set(readable):
        return None, problems + reader.problems
    desa = reader.read_desa(readable["desa"]) if "desa" in readable else {}
    tps_rows = reader.read_tps(readable["tps"], desa)
    units = reader.read_personil(readable["personil"])
    tps_by_id = {tps_id(r.village.code, r.number): r for r in tps_rows}
    unit_posts: list[list[str]] = []
    for unit in units:
        resolved = [
            reader.resolve_post(readable["personil"], unit, text, tps_by_id) for text in unit.posts
        ]
        unit_posts.append([post for post in resolved if post is not None])
    tps_table = readable["tps"]
    if not tps_table.rows:
        reader.problem("tps.none", tps_table)
    elif tps_rows:
        with_tps = {r.village.code.rsplit(".", 2)[0] for r in tps_rows}
        for regency in geography.regencies:
            if regency.code not in with_tps:
                reader.problem(
                    "tps.none_in_regency", tps_table, regency=regency.name, code=regency.code
                )
    if "desa" in readable:
        electing_codes = {r.village.code for r in tps_rows}
        refused = _refused_places(reader, tps_table)
        for code, (_, elects, row) in desa.items():
            village = geography.village_by_code[code]
            if elects and code not in electing_codes and not {code, plain(village.name)} & refused:
                column = "desa" if row.cells.get("desa") else "kode_desa"
                reader.problem("desa.no_tps", readable["desa"], row, column)
    if reader.problems:
        return None, _in_file_order(reader.problems)
    return _build(folder.name, at, geography, tps_rows, units, unit_posts, tps_by_id), []


def _in_file_order(problems: list[Problem]) -> list[Problem]:
    """File by file (tps, personil, desa as first met), row by row within each."""
    files: dict[tuple[str | None, str | None], int] = {}
    for problem in problems:
        files.setdefault((problem.file, problem.sheet), len(files))
    return sorted(problems, key=lambda p: (files[(p.file, p.sheet)], p.row or 0))


def _refused_places(reader: _Reader, table: Table) -> set[str]:
    """Village codes and names of the TPS rows refused: their village's "no TPS" is noise."""
    rows = {p.row for p in reader.problems if p.file == table.file and p.sheet == table.sheet}
    places: set[str] = set()
    for row in table.rows:
        if row.number in rows:
            places.add(normalise_code(row.cells.get("kode_desa", "")) or "")
            places.add(plain(row.cells.get("desa", "")))
    return places


def _build(
    name: str,
    at: datetime,
    geography: Geography,
    tps_rows: list[_TpsRow],
    units: list[_UnitRow],
    unit_posts: list[list[str]],
    tps_by_id: dict[str, _TpsRow],
) -> Scenario:
    without_point: dict[str, list[_TpsRow]] = {}
    for record in tps_rows:
        if record.lat is None:
            without_point.setdefault(record.village.code, []).append(record)
    for code, records in without_point.items():
        village = geography.village_by_code[code]
        for index, record in enumerate(records):
            record.lat, record.lon = _spread(
                village.lat, village.lon, index, len(records), SPREAD_DEG
            )
    guards: dict[str, list[str]] = {identifier: [] for identifier in tps_by_id}
    for unit, posts in zip(units, unit_posts, strict=True):
        for post in posts:
            guards[post].append(unit.callsign)
    tps = tuple(
        Tps(
            id=tps_id(record.village.code, record.number),
            name=f"TPS {record.number:02d} {record.village.name}",
            village=record.village.name,
            village_code=record.village.code,
            district=record.village.district,
            lat=record.lat,
            lon=record.lon,
            voters=record.voters,
            risk=record.risk,
            officer_ids=guards[tps_id(record.village.code, record.number)],
            address=record.address,
            updated_at=at,
        )
        for record in tps_rows
    )
    by_id = {record.id: record for record in tps}
    waiting: dict[str, list[int]] = {}
    for index, (unit, posts) in enumerate(zip(units, unit_posts, strict=True)):
        if unit.lat is None and not posts and unit.district is not None:
            waiting.setdefault(unit.district.code, []).append(index)
    spots: dict[int, tuple[float, float]] = {}
    for code, indexes in waiting.items():
        district = geography.district_by_code[code]
        for order, index in enumerate(indexes):
            spots[index] = _spread(district.lat, district.lon, order, len(indexes), UNIT_SPREAD_DEG)
    officers = []
    for index, (unit, posts) in enumerate(zip(units, unit_posts, strict=True)):
        if unit.lat is not None and unit.lon is not None:
            lat, lon = unit.lat, unit.lon
        elif posts:
            lat, lon = by_id[posts[0]].lat, by_id[posts[0]].lon
        else:
            lat, lon = spots[index]
        officers.append(
            Officer(
                id=unit.callsign,
                name=unit.name,
                rank=unit.rank,
                unit=unit.unit,
                kind=unit.kind,
                nrp=unit.nrp,
                phone=unit.phone,
                status_since=at,
                last_contact_at=at,
                lat=lat,
                lon=lon,
                position_at=at,
                post_tps_id=posts[0] if posts else None,
                updated_at=at,
            )
        )
    electing: dict[str, list[Tps]] = {}
    for record in tps:
        electing.setdefault(record.village_code, []).append(record)
    return Scenario(
        name=name,
        seed=0,
        phase=Phase(phase=ElectionPhase.PREPARATION, since=at, note=PHASE_NOTE, updated_at=at),
        tps=tps,
        officers=tuple(officers),
        electing=tuple(
            ElectingVillage(
                geography.village_by_code[code],
                max((r.risk for r in records), key=RISK_ORDER.__getitem__),
                tuple(r.id for r in records),
            )
            for code, records in electing.items()
        ),
        geography=geography,
    )


def read_folder(folder: Path, at: datetime) -> Scenario:
    scenario, problems = check_folder(folder, at)
    if scenario is None:
        raise ScenarioProblems(problems)
    return scenario
