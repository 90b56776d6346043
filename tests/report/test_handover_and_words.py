"""The handover's shift start, and the report's catalogue in both languages."""

from __future__ import annotations

import re
from datetime import timedelta

from pilkades_tui.domain.models import Category, ElectionPhase
from pilkades_tui.domain.state import ElectionState
from pilkades_tui.i18n import MESSAGES as CATALOGUE
from pilkades_tui.i18n import Catalogue
from pilkades_tui.report.figures import DayFigures
from pilkades_tui.report.handover import handover_summary, shift_start_of
from tests.report.report_day import INITIAL, at, morning


def test_the_shift_starts_at_the_last_scheduled_change_without_a_handover() -> None:
    assert shift_start_of([], at("08:00")) == at("07:00")
    assert shift_start_of([], at("19:30")) == at("19:00")
    assert shift_start_of([], at("06:00")) == at("19:00") - timedelta(days=1)


def test_the_summary_is_built_from_a_state_alone() -> None:
    state = ElectionState(INITIAL)
    state.apply_many(morning().events[:-6])  # up to 08:00: A on scene, B acknowledged
    summary = handover_summary(state, [], [], at("08:00"))
    assert [(i.id, i.status) for i in summary.open_incidents] == [
        ("A", "on_scene"),
        ("B", "acknowledged"),
    ]
    assert [(u.id, u.status, u.since, u.incident_id) for u in summary.units_out] == [
        ("U1", "on_scene", at("07:31"), "A")
    ]
    assert summary.shift_start == at("07:00") and summary.phase == "voting"


def test_both_languages_say_everything_with_the_same_placeholders() -> None:
    for key, (indonesian, english) in CATALOGUE.items():
        assert indonesian and english, key
        names = re.compile(r"\{(\w+)")
        assert set(names.findall(indonesian)) == set(names.findall(english)), key
    for category in Category:
        assert f"category.{category.value}" in CATALOGUE
    assert Catalogue("id").enum("category", "money_politics") == "politik uang"
    assert Catalogue("en").enum("category", "a_newer_one") == "a_newer_one"
    for phase in ElectionPhase:
        assert f"phase.{phase.value}" in CATALOGUE


def test_every_risk_and_stage_the_figures_name_has_words() -> None:
    data = DayFigures(INITIAL).feed_all(morning().events).result()
    for row in data.by_risk:
        assert f"risk.{row.risk}" in CATALOGUE
    for row in data.response_by_priority:
        assert f"stage.{row.stage}" in CATALOGUE
    for breach in data.breaches:
        assert f"breach.{breach.kind}" in CATALOGUE
