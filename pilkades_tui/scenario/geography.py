"""The packaged geography of Kabupaten Pekalongan (see data/PROVENANCE.md)."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

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
    collection = json.loads(_data_text("pekalongan_boundaries.geojson"))
    result = []
    for feature in collection["features"]:
        props = feature["properties"]
        geometry = feature["geometry"]
        polygons = geometry["coordinates"]
        if geometry["type"] == "Polygon":
            polygons = [polygons]
        result.append(
            Outline(
                code=props["code"],
                name=props["name"],
                level=props["level"],
                polygons=tuple(
                    tuple([(float(x), float(y)) for x, y in ring] for ring in polygon)
                    for polygon in polygons
                ),
            )
        )
    return tuple(result)
