"""The figures of a hand-built morning against values worked out by hand."""

from __future__ import annotations

from datetime import timedelta

import pytest

from pilkades_tui.domain.rules import DEFAULT_SETTINGS, settings_from_overrides
from pilkades_tui.report.figures import (
    Breach,
    DayFigures,
    ReportError,
    TimeSpec,
    nearest_rank,
)
from tests.report.report_day import INITIAL, at, morning


def minutes(value: float) -> timedelta:
    return timedelta(minutes=value)


def test_silent_tps_are_listed_by_the_rules_stale_threshold() -> None:
    """The report lists a TPS silent past tps_stale_minutes, the number the console's TPS
    pane colours by (30 minutes by default): T1 and T2 have been quiet for 55 and 60."""
    data = DayFigures(INITIAL).feed_all(morning().events).result()
    assert data.tps_stale_after == minutes(DEFAULT_SETTINGS.reporting.tps_stale_minutes)
    silent = {t.id: t.silent_at_end for t in data.tps_flagged}
    assert silent["T1"] == minutes(55) and silent["T2"] == minutes(60)


def test_counts_phases_and_hours() -> None:
    data = DayFigures(INITIAL).feed_all(morning().events).result()
    assert data.total_incidents == 3
    assert sorted(data.by_category) == [("clash", 1), ("crowd", 1), ("hoax", 1)]
    assert data.by_priority == [(1, 1), (2, 1), (3, 1)]
    assert data.by_district == [("Bojong", 1), ("Doro", 1), ("Kajen", 1)]
    assert [(p.phase, p.start, p.end, p.incidents) for p in data.phases] == [
        ("preparation", at("06:00"), at("07:00"), 0),
        ("voting", at("07:00"), at("09:00"), 3),
    ]
    assert [(h.hour, n) for h, n in data.per_hour] == [(6, 0), (7, 2), (8, 1), (9, 0)]
    assert [row.id for row in data.still_open] == ["B"]
    assert data.still_open[0].status == "acknowledged"


def test_response_times_by_priority_and_district() -> None:
    data = DayFigures(INITIAL).feed_all(morning().events).result()
    by_priority = {(r.group, r.stage): (r.count, r.p50, r.max) for r in data.response_by_priority}
    assert by_priority == {
        ("P1", "acknowledged"): (1, minutes(3), minutes(3)),
        ("P1", "dispatched"): (1, minutes(5), minutes(5)),
        ("P1", "on_scene"): (1, minutes(21), minutes(21)),
        ("P1", "resolved"): (1, minutes(51), minutes(51)),
        ("P2", "acknowledged"): (1, minutes(20), minutes(20)),
    }
    kajen = [r for r in data.response_by_district if r.group == "Kajen"]
    assert [(r.stage, r.p90) for r in kajen] == [("acknowledged", minutes(20))]


def test_sla_breaches_use_the_rules_targets() -> None:
    data = DayFigures(INITIAL).feed_all(morning().events).result()
    assert data.breaches == [
        Breach("A", 1, "Doro", "on_scene", minutes(20), minutes(21), False),
        Breach("B", 2, "Kajen", "on_scene", minutes(60), minutes(100), True),
        Breach("B", 2, "Kajen", "unacknowledged", minutes(10), minutes(20), False),
    ]


def test_risk_classes_tps_and_units() -> None:
    hourly = settings_from_overrides({"reporting": {"tps_stale_minutes": 60}})
    data = DayFigures(INITIAL, settings=hourly).feed_all(morning().events).result()
    risk = {r.risk: (r.tps, r.incidents, r.per_100_tps) for r in data.by_risk}
    # C has no TPS: its village (Bojong, medium) stands in.
    assert risk == {"high": (1, 1, 100.0), "medium": (1, 1, 100.0), "low": (2, 1, 50.0)}
    flagged = {t.id: (t.violations, t.longest_gap, t.silent_at_end) for t in data.tps_flagged}
    assert flagged == {
        "T2": (1, minutes(60), None),  # 60 min gaps (07-08, 08-09 at the end): not over
        "T1": (0, minutes(65), None),
        "T3": (0, minutes(120), None),
    }
    assert data.tps_stale_after == minutes(60)
    units = {u.id: (u.assignments, u.on_scene) for u in data.units}
    assert units == {"U1": (1, minutes(30)), "U2": (0, timedelta(0))}
    assert data.units_out == []


def test_a_period_counts_only_incidents_reported_inside_it() -> None:
    figures = DayFigures(INITIAL, start=TimeSpec.parse("08:00", "--from"))
    data = figures.feed_all(morning().events).result()
    assert data.start == at("08:00") and data.end == at("09:00")
    assert data.total_incidents == 1 and data.by_category == [("hoax", 1)]
    assert [(p.phase, p.start) for p in data.phases] == [("voting", at("08:00"))]
    # U1 was on scene 07:31-08:01: one minute of it falls in the period.
    assert {u.id: u.on_scene for u in data.units}["U1"] == minutes(1)
    # T2's violation came at 08:00 sharp: inside.
    assert {t.id: t.violations for t in data.tps_flagged}.get("T2") == 1


def test_the_end_of_the_period_freezes_the_day() -> None:
    end = TimeSpec.parse("2026-11-29T07:35:00+07:00", "--to")
    data = DayFigures(INITIAL, end=end).feed_all(morning().events).result()
    assert data.end == at("07:35")
    assert sorted(row.id for row in data.still_open) == ["A", "B"]
    assert [u.id for u in data.units_out] == ["U1"]
    units = {u.id: u.on_scene for u in data.units}
    assert units["U1"] == minutes(4)  # on scene since 07:31
    unacknowledged = [b for b in data.breaches if b.kind == "unacknowledged"]
    assert unacknowledged == [
        Breach("B", 2, "Kajen", "unacknowledged", minutes(10), minutes(15), True)
    ]


def test_bad_periods_are_refused() -> None:
    with pytest.raises(ReportError, match="wrong way round"):
        DayFigures(
            INITIAL, start=TimeSpec.parse("09:00", "--from"), end=TimeSpec.parse("08:00", "--to")
        ).feed_all(morning().events)
    empty = DayFigures(
        INITIAL, start=TimeSpec.parse("04:00", "--from"), end=TimeSpec.parse("05:00", "--to")
    )
    with pytest.raises(ReportError, match="empty"):
        empty.feed_all(morning().events).result()
    with pytest.raises(ReportError, match="no events yet"):
        DayFigures(INITIAL).result()
    for text in ("25:00", "yesterday", "2026-11-29T07:00:00"):
        with pytest.raises(ReportError):
            TimeSpec.parse(text, "--from")


def test_nearest_rank_percentiles() -> None:
    values = [minutes(n) for n in range(1, 11)]
    assert nearest_rank(values, 0.5) == minutes(5)
    assert nearest_rank(values, 0.9) == minutes(9)
    assert nearest_rank(values[:1], 0.9) == minutes(1)
    assert nearest_rank(values[:3], 0.5) == minutes(2)
