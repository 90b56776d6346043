"""Geography of any kabupaten from its boundaries file, and narrowing to one kabupaten."""

from __future__ import annotations

import json

import pytest

from pilkades_tui.scenario.geography import (
    Geography,
    GeographyError,
    in_regency,
    normalise_code,
    regency_at,
)
from tests.scenario.made_up import centre_of, geojson


def two_kabupaten() -> Geography:
    """Sukamaju and a copy of it 0.1° east, renumbered 35.98."""
    first = json.loads(geojson())
    second = json.loads(geojson().replace('"35.99', '"35.98').replace("Sukamaju", "Wonoasri"))
    for feature in second["features"]:
        for polygon in feature["geometry"]["coordinates"]:
            for ring in polygon:
                for point in ring:
                    point[0] += 0.1
    first["features"] += second["features"]
    return Geography.from_geojson(json.dumps(first))


def test_codes_with_or_without_dots() -> None:
    assert normalise_code("3326012001") == "33.26.01.2001"
    assert normalise_code(" 33.26.01.2001 ") == "33.26.01.2001"
    assert normalise_code("332601") == "33.26.01"
    assert normalise_code("33.26.1.2001") is None
    assert normalise_code("Kajen") is None


def test_villages_kecamatan_and_kabupaten_come_from_the_file() -> None:
    geography = Geography.from_geojson(geojson())
    assert [r.name for r in geography.regencies] == ["Kabupaten Sukamaju"]
    kauman = geography.village_by_code["35.99.01.1003"]
    assert (kauman.kind, kauman.district) == ("kelurahan", "Sukamaju Kidul")
    lat, lon = centre_of("35.99.01.2001")
    mekarsari = geography.village_by_code["35.99.01.2001"]
    assert (mekarsari.lat, mekarsari.lon) == (pytest.approx(lat), pytest.approx(lon))
    assert geography.district_by_code["35.99.02"].villages == 3


def test_a_bad_feature_is_named_by_its_index() -> None:
    collection = json.loads(geojson())
    collection["features"][1]["properties"]["level"] = "desa"
    collection["features"][2]["geometry"] = {"type": "Point", "coordinates": [112, -8]}
    with pytest.raises(GeographyError) as caught:
        Geography.from_geojson(json.dumps(collection))
    assert [(p.key, p.feature) for p in caught.value.problems] == [
        ("geo.level", 1),
        ("geo.geometry", 2),
    ]


def test_narrowing_to_one_kabupaten() -> None:
    geography = two_kabupaten()
    assert [r.code for r in geography.regencies] == ["35.98", "35.99"]
    wonoasri = geography.regency_named("wonoasri")
    assert wonoasri is not None and wonoasri.code == "35.98"
    assert geography.regency_named("Kab. Sukamaju") == geography.regency_of("35.99.01.2001")
    only = geography.only("35.98")
    assert {v.code[:5] for v in only.villages} == {"35.98"} and len(only.villages) == 6
    assert all(in_regency(o.code, "35.98") for o in only.outlines)
    assert not in_regency("35.99.01.2001", "35.9")
    lat, lon = centre_of("35.99.02.2002")
    assert regency_at(geography, lat, lon) == geography.regency_of("35.99")
    assert regency_at(geography, lat, lon + 0.1) == wonoasri
    assert regency_at(geography, lat + 1, lon) is None
