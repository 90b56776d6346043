"""The packaged Pekalongan scenario: real geography, seeded and documented rules."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from pilkades_tui.domain.models import Risk, Snapshot
from pilkades_tui.domain.state import ElectionState
from pilkades_tui.scenario import ScenarioError, load_scenario
from pilkades_tui.scenario.geography import districts, outlines, villages
from pilkades_tui.scenario.pekalongan import VOTERS_PER_TPS, district_abbreviation
from tests.domain.factories import T0


def test_packaged_geography_is_complete() -> None:
    assert len(districts()) == 19
    assert len(villages()) == 285
    assert Counter(v.kind for v in villages()) == {"desa": 272, "kelurahan": 13}
    levels = Counter(o.level for o in outlines())
    assert levels == {"village": 285, "district": 19, "regency": 1}


def test_same_seed_same_scenario_other_seed_differs() -> None:
    first = load_scenario("pekalongan", T0, seed=7)
    again = load_scenario("pekalongan", T0, seed=7)
    other = load_scenario("pekalongan", T0, seed=8)
    assert first is not None and again is not None and other is not None
    assert first.tps == again.tps and first.officers == again.officers
    assert first.tps != other.tps


def test_scenario_follows_its_rules() -> None:
    scenario = load_scenario("pekalongan", T0, seed=2022)
    assert scenario is not None
    kinds = {v.code: v.kind for v in villages()}
    assert all(kinds[e.village.code] == "desa" for e in scenario.electing)
    assert all(VOTERS_PER_TPS[0] <= t.voters <= VOTERS_PER_TPS[1] for t in scenario.tps)
    assert {e.risk for e in scenario.electing} == set(Risk)
    officer_ids = {o.id for o in scenario.officers}
    assert len(officer_ids) == len(scenario.officers)
    for record in scenario.tps:
        assert record.officer_ids, record.id
        assert set(record.officer_ids) <= officer_ids
    units = {o.unit for o in scenario.officers}
    assert {f"Polsek {d.name}" for d in districts()} <= units
    assert any(o.kind == "team" for o in scenario.officers)
    state = ElectionState.from_snapshot(
        Snapshot(
            seq=0, phase=scenario.phase, tps=list(scenario.tps), officers=list(scenario.officers)
        )
    )
    assert len(state.districts()) == 19


def test_radio_prefixes_are_unique() -> None:
    taken: set[str] = set()
    prefixes = [district_abbreviation(d.name, taken) for d in districts()]
    assert len(set(prefixes)) == len(prefixes) == 19
    assert district_abbreviation("Kajen", set()) == "KJN"


def test_scenario_file_and_errors(tmp_path) -> None:
    scenario = load_scenario("pekalongan", T0)
    assert scenario is not None
    path = tmp_path / "mini.json"
    path.write_text(
        json.dumps(
            {
                "tps": [scenario.tps[0].model_dump(mode="json")],
                "officers": [scenario.officers[0].model_dump(mode="json")],
            }
        )
    )
    loaded = load_scenario(str(path), T0)
    assert loaded is not None and len(loaded.tps) == 1
    assert load_scenario("none", T0) is None
    with pytest.raises(ScenarioError, match="bukan 'pekalongan'"):
        load_scenario(str(tmp_path / "missing.json"), T0)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"tps": [{"id": "x"}]}))
    with pytest.raises(ScenarioError, match="bad.json"):
        load_scenario(str(bad), T0)
