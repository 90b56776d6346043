"""What each pane shows on the fixed morning (09:00 WIB, polls open since 07:00): the SLA
tones of the queue, stale TPS reports, the per-kecamatan summary line, the officers."""

from __future__ import annotations

from datetime import timedelta

import pytest

from pilkades_tui.console.widgets.incident_pane import IncidentPane
from pilkades_tui.console.widgets.officer_pane import OfficerPane
from pilkades_tui.console.widgets.pane import Pane
from pilkades_tui.console.widgets.tps_pane import TpsPane
from pilkades_tui.console.widgets.virtual_table import Row
from pilkades_tui.i18n import Catalogue
from tests.console.conftest import AppFactory
from tests.console.screen import screen_text
from tests.console.world import fixed_clock, fixed_state

pytestmark = pytest.mark.timeout(60)

ID = Catalogue("id")


def rows(pane: Pane) -> dict[str, Row]:
    source = pane.source_rows
    built = (source.row(index) for index in range(len(source)))
    return {row.key: row for row in built if row.key}


async def test_queue_orders_by_priority_and_times_the_acknowledgement(
    app_factory: AppFactory,
) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("2")
        queue = rows(app.query_one(IncidentPane))
        # Priority first, then the oldest report: the P3 of 20 minutes before the P3 of one.
        assert list(queue) == ["INC-0001", "INC-0002", "INC-0004", "INC-0003"]
        # Unacknowledged for 6, 3 and 1 minutes: the P1 alarms past 5 minutes; the P2 and
        # P3 are inside their priority's warning (5 and 15 minutes in the rule settings).
        assert queue["INC-0001"].tone == "alarm"
        assert queue["INC-0002"].tone not in ("warn", "alarm")
        assert queue["INC-0003"].tone not in ("warn", "alarm")
        assert queue["INC-0004"].tone not in ("warn", "alarm")  # dispatched: no ack clock
        text = screen_text(app)
        assert ID.enum("category", "clash") in text
        assert ID.enum("status", "dispatched") in text
        assert app.current_state().incidents["INC-0004"].officer_ids[0] in text


async def test_queue_colours_follow_the_rules_timers_of_each_priority(
    app_factory: AppFactory,
) -> None:
    """A P4 left new for 6 minutes is not red while the rules stay silent (P4: 30/60), a
    P2 at 7 minutes warns (5/10); and settings that change the stages change the queue."""
    from pilkades_tui.domain.rules import settings_from_overrides

    state = fixed_state()
    new_at = fixed_clock() - timedelta(minutes=6)
    p4 = state.incidents["INC-0003"].model_copy(update={"priority": 4, "reported_at": new_at})
    p2 = state.incidents["INC-0002"].model_copy(
        update={"reported_at": fixed_clock() - timedelta(minutes=7)}
    )
    state.incidents["INC-0003"], state.incidents["INC-0002"] = p4, p2
    app = app_factory(state=state)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("2")
        queue = rows(app.query_one(IncidentPane))
        assert queue["INC-0003"].tone == "normal"
        assert queue["INC-0002"].tone == "warn"
    strict = settings_from_overrides(
        {"timers": {"p4": {"unacknowledged": {"warning": 2, "alarm": 4}}}}
    )
    app = app_factory(state=state, settings=strict)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("2")
        assert rows(app.query_one(IncidentPane))["INC-0003"].tone == "alarm"


async def test_tps_pane_stale_threshold_is_the_rule_settings(app_factory: AppFactory) -> None:
    """The TPS pane calls a report stale after the rules' tps_stale_minutes, the number
    the Anev report lists silent TPS by."""
    from pilkades_tui.domain.rules import settings_from_overrides

    state = fixed_state()
    quiet = [
        tps
        for tps in state.tps.values()
        if tps.phase == "voting" and tps.last_report_at is not None
        and 20 * 60 <= (fixed_clock() - tps.last_report_at).total_seconds() < 30 * 60
        and tps.health_protocol == "ok" and tps.risk != "high"
    ]  # fmt: skip
    assert quiet
    for minutes, tone in ((30, "normal"), (15, "warn")):
        settings = settings_from_overrides({"reporting": {"tps_stale_minutes": minutes}})
        app = app_factory(state=state, settings=settings)
        async with app.run_test(size=(120, 30)) as pilot:
            await pilot.press("1")
            listed = rows(app.query_one(TpsPane))
            assert {listed[tps.id].tone for tps in quiet} == {tone}


async def test_tps_pane_marks_stale_reports_and_sums_each_kecamatan(
    app_factory: AppFactory,
) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("1")
        pane = app.query_one(TpsPane)
        state = app.current_state()
        listed = rows(pane)
        assert len(listed) == len(state.tps)
        silent = [
            tps
            for tps in state.tps.values()
            if tps.phase == "voting" and tps.last_report_at is not None
            and (app.clock() - tps.last_report_at).total_seconds() >= 45 * 60
            and tps.health_protocol == "ok" and tps.risk != "high"
        ]  # fmt: skip
        assert silent
        assert {listed[tps.id].tone for tps in silent} == {"warn"}
        first = state.districts()[0]
        counts = state.district_counts()[first]
        summary = ID.text(
            "summary.district",
            district=first,
            tps=counts.tps,
            turnout=counts.turnout,
            high=counts.high_risk_tps,
            incidents=counts.open_incidents,
        )
        assert summary in screen_text(app)


async def test_officers_pane_names_unit_kind_status_and_incident(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=(140, 30)) as pilot:
        await pilot.press("3")
        state = app.current_state()
        listed = rows(app.query_one(OfficerPane))
        assert len(listed) == len(state.officers)
        busy_id = state.incidents["INC-0004"].officer_ids[0]
        cells = " ".join(listed[busy_id].cells)
        officer = state.officers[busy_id]
        assert officer.unit in cells
        assert ID.enum("ostatus", "dispatched") in cells
        assert ID.enum("kind", officer.kind) in cells
        assert "INC-0004" in cells
