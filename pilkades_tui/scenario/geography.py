"""Geography of an election: village, kecamatan and kabupaten outlines with their codes.

`Geography.from_geojson` reads any boundaries file shaped like the packaged one (a
GeoJSON FeatureCollection of (Multi)Polygons in `[lon, lat]`, `properties.level` one of
village, district, regency, with `properties.code` and `properties.name`); one file may
hold several kabupaten. `packaged()` is Kabupaten Pekalongan (see data/PROVENANCE.md),
the demo's default. Pure: parsing and geometry only, no files or network here apart
from reading the packaged data.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property, lru_cache
from importlib import resources
from math import cos, radians, sqrt
from typing import Any

Ring = list[tuple[float, float]]  # (lon, lat) points, as GeoJSON has them


@dataclass(frozen=True, slots=True)
class Village:
    code: str
    name: str
    kind: str  # desa or kelurahan: only a desa elects a village head
    district_code: str
    district: str
    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class District:
    code: str
    name: str
    lat: float
    lon: float
    villages: int


@dataclass(frozen=True, slots=True)
class Outline:
    code: str
    name: str
    level: str  # village, district or regency
    polygons: tuple[tuple[Ring, ...], ...]  # each polygon: outer ring, then holes


def _data_text(name: str) -> str:
    return resources.files("pilkades_tui.scenario").joinpath("data", name).read_text("utf-8")


@cache
def villages() -> tuple[Village, ...]:
    rows = csv.DictReader(_data_text("pekalongan_villages.csv").splitlines())
    return tuple(
        Village(
            code=row["code"],
            name=row["village"],
            kind=row["kind"],
            district_code=row["district_code"],
            district=row["district"],
            lat=float(row["lat"]),
            lon=float(row["lon"]),
        )
        for row in rows
    )


@cache
def districts() -> tuple[District, ...]:
    rows = csv.DictReader(_data_text("pekalongan_districts.csv").splitlines())
    return tuple(
        District(
            code=row["code"],
            name=row["district"],
            lat=float(row["lat"]),
            lon=float(row["lon"]),
            villages=int(row["villages"]),
        )
        for row in rows
    )


@cache
def outlines() -> tuple[Outline, ...]:
    """The packaged outlines (villages, kecamatan and the kabupaten)."""
    return packaged().outlines


LEVELS = ("village", "district", "regency")
CODE_PARTS = {"regency": 2, "district": 3, "village": 4}
CODE_DIGITS = (2, 2, 2, 4)  # province, kabupaten, kecamatan, desa/kelurahan
KM_PER_DEGREE = 111.32


class GeographyError(ValueError):
    """A boundaries file that cannot be used: `problems` says each reason, with the
    feature's index where one is at fault (key and parameters for a catalogue)."""

    def __init__(self, problems: list[GeographyProblem]) -> None:
        super().__init__("; ".join(problem.key for problem in problems))
        self.problems = problems


@dataclass(frozen=True, slots=True)
class GeographyProblem:
    key: str  # e.g. geo.not_geojson; the words live in scenario/i18n.py
    feature: int | None = None  # index in `features`, from 0
    params: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Regency:
    code: str
    name: str


@lru_cache(maxsize=1 << 16)  # a village's code repeats on each of its TPS rows
def normalise_code(raw: str) -> str | None:
    """A Kemendagri region code in its dotted form (`3326012001` → `33.26.01.2001`), or
    None if it is not one. Dots, spaces and a missing dot are forgiven."""
    text = raw.strip()
    if re.fullmatch(r"\d+(\.\d+)*", text.replace(" ", "")) is None:
        return None
    text = text.replace(" ", "")
    if "." in text:
        parts = text.split(".")
        if len(parts) > 4 or any(
            len(part) != digits for part, digits in zip(parts, CODE_DIGITS, strict=False)
        ):
            return None
        return ".".join(parts)
    parts = []
    rest = text
    for digits in CODE_DIGITS:
        if not rest:
            break
        if len(rest) < digits:
            return None
        parts.append(rest[:digits])
        rest = rest[digits:]
    if rest or len(parts) < 2:
        return None
    return ".".join(parts)


def village_kind(code: str) -> str:
    """desa or kelurahan, from the code's last part (2xxx desa, 1xxx kelurahan)."""
    return "kelurahan" if code.rsplit(".", 1)[-1].startswith("1") else "desa"


def _ring_area_centroid(ring: Ring) -> tuple[float, float, float]:
    """Signed area and centroid of a ring (shoelace), in degrees."""
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if area == 0.0:
        xs = [x for x, _ in ring]
        ys = [y for _, y in ring]
        return 0.0, sum(xs) / len(xs), sum(ys) / len(ys)
    return area / 2, cx / (3 * area), cy / (3 * area)


def centroid(polygons: Sequence[Sequence[Ring]]) -> tuple[float, float]:
    """(lat, lon) of the area-weighted centre of the outer rings."""
    total = sx = sy = 0.0
    fallback: tuple[float, float] | None = None
    for polygon in polygons:
        if not polygon or not polygon[0]:
            continue
        area, x, y = _ring_area_centroid(polygon[0])
        fallback = fallback or (y, x)
        total += abs(area)
        sx += x * abs(area)
        sy += y * abs(area)
    if total == 0.0:
        return fallback or (0.0, 0.0)
    return round(sy / total, 6), round(sx / total, 6)


def _in_ring(lon: float, lat: float, ring: Ring) -> bool:
    inside = False
    for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False):
        if (y0 > lat) != (y1 > lat) and lon < x0 + (lat - y0) * (x1 - x0) / (y1 - y0):
            inside = not inside
    return inside


def contains(outline: Outline, lat: float, lon: float) -> bool:
    """Whether the point lies inside the outline (outer ring, outside its holes)."""
    for polygon in outline.polygons:
        if (
            polygon
            and _in_ring(lon, lat, polygon[0])
            and not any(_in_ring(lon, lat, hole) for hole in polygon[1:])
        ):
            return True
    return False


def distance_km(outline: Outline, lat: float, lon: float) -> float:
    """How far the point lies from the outline's edge, 0 inside (flat, local plane)."""
    if contains(outline, lat, lon):
        return 0.0
    x_scale = KM_PER_DEGREE * cos(radians(lat))
    px, py = lon * x_scale, lat * KM_PER_DEGREE
    best = float("inf")
    for polygon in outline.polygons:
        for ring in polygon:
            for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False):
                ax, ay = x0 * x_scale, y0 * KM_PER_DEGREE
                dx, dy = x1 * x_scale - ax, y1 * KM_PER_DEGREE - ay
                length_sq = dx * dx + dy * dy
                t = 0.0
                if length_sq > 0:
                    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length_sq))
                ex, ey = ax + t * dx - px, ay + t * dy - py
                best = min(best, sqrt(ex * ex + ey * ey))
    return best


def _parse_feature(index: int, feature: object, problems: list[GeographyProblem]) -> Outline | None:
    if not isinstance(feature, dict) or not isinstance(feature.get("properties"), dict):
        problems.append(GeographyProblem("geo.feature_shape", index))
        return None
    props: dict[str, Any] = feature["properties"]
    level = props.get("level")
    if level not in LEVELS:
        problems.append(GeographyProblem("geo.level", index, {"value": level}))
        return None
    code = normalise_code(str(props.get("code", "")))
    if code is None or code.count(".") + 1 != CODE_PARTS[level]:
        problems.append(GeographyProblem("geo.code", index, {"value": props.get("code")}))
        return None
    name = str(props.get("name") or "").strip()
    if not name:
        problems.append(GeographyProblem("geo.name", index, {"code": code}))
        return None
    geometry = feature.get("geometry")
    kind = geometry.get("type") if isinstance(geometry, dict) else None
    try:
        if kind not in ("Polygon", "MultiPolygon"):
            raise TypeError(kind)
        coordinates = geometry["coordinates"]  # type: ignore[index]
        raw_polygons = [coordinates] if kind == "Polygon" else coordinates
        polygons = tuple(
            tuple([(float(x), float(y)) for x, y, *_ in ring] for ring in polygon)
            for polygon in raw_polygons
        )
        if not polygons or any(len(polygon[0]) < 4 for polygon in polygons if polygon):
            raise ValueError("empty")
    except (TypeError, ValueError, KeyError, IndexError):
        problems.append(GeographyProblem("geo.geometry", index, {"code": code, "name": name}))
        return None
    return Outline(code=code, name=name, level=level, polygons=polygons)


@dataclass(frozen=True, eq=False)
class Geography:
    """The places of one election. `text` is the GeoJSON as the hub serves it and
    `etag` its fingerprint."""

    outlines: tuple[Outline, ...]
    villages: tuple[Village, ...]
    districts: tuple[District, ...]
    regencies: tuple[Regency, ...]
    text: str

    @property
    def etag(self) -> str:
        return self.digest[:32]

    @cached_property
    def digest(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    @cached_property
    def village_by_code(self) -> dict[str, Village]:
        return {village.code: village for village in self.villages}

    @cached_property
    def district_by_code(self) -> dict[str, District]:
        return {district.code: district for district in self.districts}

    @cached_property
    def outline_by_code(self) -> dict[str, Outline]:
        return {outline.code: outline for outline in self.outlines if outline.level == "village"}

    @cached_property
    def village_codes(self) -> dict[tuple[str, str], str]:
        """(kecamatan, village name) -> village code, for incidents placed by name."""
        return {(village.district, village.name): village.code for village in self.villages}

    def regency_of(self, code: str) -> Regency | None:
        """The kabupaten a village or kecamatan code belongs to."""
        prefix = ".".join(code.split(".")[:2])
        return next((regency for regency in self.regencies if regency.code == prefix), None)

    def regency_named(self, name: str) -> Regency | None:
        """A kabupaten by its name or code, forgiving case and `Kabupaten`/`Kab.`."""
        wanted = _plain_regency(name)
        for regency in self.regencies:
            if wanted in (_plain_regency(regency.name), regency.code):
                return regency
        return None

    def only(self, regency_code: str) -> Geography:
        """The part of this geography inside one kabupaten (for a narrowed console)."""
        prefix = regency_code + "."

        def inside(code: str) -> bool:
            return code == regency_code or code.startswith(prefix)

        return Geography(
            outlines=tuple(o for o in self.outlines if inside(o.code)),
            villages=tuple(v for v in self.villages if inside(v.code)),
            districts=tuple(d for d in self.districts if inside(d.code)),
            regencies=tuple(r for r in self.regencies if r.code == regency_code),
            text=self.text,
        )

    @classmethod
    def from_geojson(
        cls,
        text: str,
        centres: Iterable[Village] = (),
        district_centres: Iterable[District] = (),
    ) -> Geography:
        """Parse a boundaries file; GeographyError lists everything wrong with it.
        `centres` may give villages' centres measured on finer outlines (the packaged
        data's); otherwise a village stands at its outline's centroid."""
        try:
            collection = json.loads(text)
        except ValueError as error:
            raise GeographyError(
                [GeographyProblem("geo.not_json", None, {"error": str(error)})]
            ) from None
        if (
            not isinstance(collection, dict)
            or collection.get("type") != "FeatureCollection"
            or not isinstance(collection.get("features"), list)
        ):
            raise GeographyError([GeographyProblem("geo.not_geojson")])
        problems: list[GeographyProblem] = []
        shapes: list[Outline] = []
        seen: dict[tuple[str, str], int] = {}
        for index, feature in enumerate(collection["features"]):
            outline = _parse_feature(index, feature, problems)
            if outline is None:
                continue
            first = seen.setdefault((outline.level, outline.code), index)
            if first != index:
                problems.append(
                    GeographyProblem("geo.duplicate", index, {"code": outline.code, "first": first})
                )
                continue
            shapes.append(outline)
        village_shapes = [o for o in shapes if o.level == "village"]
        if not village_shapes and not problems:
            problems.append(GeographyProblem("geo.no_villages"))
        district_names = {o.code: o for o in shapes if o.level == "district"}
        regency_names = {o.code: o for o in shapes if o.level == "regency"}
        given = {village.code: village for village in centres}
        given_districts = {district.code: district for district in district_centres}
        villages: list[Village] = []
        counts: dict[str, int] = {}
        for outline in village_shapes:
            district_code = outline.code.rsplit(".", 1)[0]
            district = district_names.get(district_code)
            if district is None:
                index = seen[("village", outline.code)]
                problems.append(
                    GeographyProblem(
                        "geo.no_district",
                        index,
                        {"code": outline.code, "name": outline.name, "district": district_code},
                    )
                )
                continue
            counts[district_code] = counts.get(district_code, 0) + 1
            known = given.get(outline.code)
            lat, lon = (known.lat, known.lon) if known else centroid(outline.polygons)
            villages.append(
                Village(
                    code=outline.code,
                    name=outline.name,
                    kind=village_kind(outline.code),
                    district_code=district_code,
                    district=district.name,
                    lat=lat,
                    lon=lon,
                )
            )
        for code in sorted({o.code.rsplit(".", 1)[0].rsplit(".", 1)[0] for o in shapes}):
            if code not in regency_names and code.count(".") == 1:
                # A kabupaten without its own outline is named by its code.
                regency_names[code] = Outline(code, f"Kabupaten {code}", "regency", ())
        if problems:
            raise GeographyError(problems)
        districts = []
        for code, outline in district_names.items():
            known_district = given_districts.get(code)
            lat, lon = (
                (known_district.lat, known_district.lon)
                if known_district
                else centroid(outline.polygons)
            )
            districts.append(District(code, outline.name, lat, lon, counts.get(code, 0)))
        return cls(
            outlines=tuple(shapes),
            villages=tuple(villages),
            districts=tuple(districts),
            regencies=tuple(Regency(code, o.name) for code, o in sorted(regency_names.items())),
            text=text,
        )


def _plain_regency(name: str) -> str:
    text = " ".join(name.lower().split())
    for prefix in ("kabupaten ", "kab. ", "kab ", "kota "):
        if text.startswith(prefix):
            return text[len(prefix) :]
    return text


def packaged_text() -> str:
    return _data_text("pekalongan_boundaries.geojson")


@cache
def packaged() -> Geography:
    """Kabupaten Pekalongan, with the villages' centres from the packaged table (measured
    on the unsimplified outlines), so the packaged scenario keeps its places."""
    return Geography.from_geojson(packaged_text(), villages(), districts())


def in_regency(code: str, regency_code: str) -> bool:
    """Whether a village or kecamatan code (a TPS's `village_code`) lies in a kabupaten:
    what a pane narrowed to one kabupaten (`:kabupaten NAME`) keeps."""
    return code == regency_code or code.startswith(regency_code + ".")


def regency_at(geography: Geography, lat: float, lon: float) -> Regency | None:
    """The kabupaten a point (an incident, a unit) lies in: by the village outline that
    holds it, else None (outside every village of this geography)."""
    for outline in geography.outlines:
        if outline.level == "village" and contains(outline, lat, lon):
            return geography.regency_of(outline.code)
    return None
