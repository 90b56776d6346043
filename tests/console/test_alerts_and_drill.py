"""The election rules on screen: the alerts pane and acting on an alert; drill mode."""

from __future__ import annotations

from pathlib import Path

from pilkades_tui.console.widgets.alerts_pane import AlertsPane
from pilkades_tui.console.widgets.header import DrillBanner
from pilkades_tui.console.widgets.incident_pane import IncidentPane
from pilkades_tui.domain.clock import wib_now
from pilkades_tui.domain.rules import AlertKind, Severity
from pilkades_tui.hub.runner import HubServer
from pilkades_tui.logbook import Logbook
from pilkades_tui.paths import logbook_file
from tests.console.conftest import AppFactory
from tests.console.live import until


async def test_alerts_pane_lists_the_rules_alerts_and_acts_on_them(
    app_factory: AppFactory,
) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("5")
        await pilot.pause()
        pane = app.query_one(AlertsPane)
        alerts = app.alerts
        # The fixed morning has a P1 clash unacknowledged for 6 minutes: an alarm.
        timer = next(a for a in alerts if a.key == "timer:unacknowledged:INC-0001")
        assert timer.severity == Severity.ALARM
        assert any(a.kind == AlertKind.UNDERSTAFFED for a in alerts)
        assert [pane.source_rows.keys[i] for i in range(len(alerts))] == [a.key for a in alerts]
        assert app.facts.alarms >= 1
        row = pane.build_row(timer.key)
        assert "INC-0001" in row.cells[2] and "belum diterima" in row.cells[2]
        # An alarm proposes the next escalation level, in one key.
        assert row.cells[3] == "e: eskalasi → Polres"
        # enter goes to the incident in the queue.
        assert pane.select_key(timer.key)
        await pilot.press("enter")
        await pilot.pause()
        assert app.active_pane() == "incidents"
        assert app.query_one(IncidentPane).selected_key == "INC-0001"


async def test_acting_from_the_alerts_pane_reaches_the_logbook(
    app_factory: AppFactory, tmp_path: Path
) -> None:
    data = tmp_path / "console"
    app = app_factory(data_dir=data)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("5")
        await pilot.pause()
        app.query_one(AlertsPane).select_key("timer:unacknowledged:INC-0001")
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("enter")  # the first choice: Polres
        await pilot.pause()
        await pilot.press("y")  # escalation is confirmed, never fired by one key
        await until(pilot, lambda: any(e.outcome is not None for e in app.logbook.entries()))
    with Logbook.open(logbook_file(data), read_only=True) as book:
        decisions = book.entries()
    assert [(e.action, e.subject) for e in decisions] == [("escalate", "INC-0001")]
    # Nothing listens on the test's hub address: the decision waits in the outbox.
    assert decisions[0].outcome is not None and decisions[0].outcome.value == "queued"


async def test_a_drill_hub_puts_a_banner_on_screen_and_marks_the_logbook(
    hub_factory, app_factory: AppFactory, tmp_path: Path
) -> None:
    hub: HubServer = hub_factory(exercise=True)
    data = tmp_path / "drill"
    app = app_factory(
        state=None, hub_url=hub.url, token=hub.tokens["dispatcher"], data_dir=data, clock=wib_now
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: app.current_state() is not None)
        await until(pilot, lambda: app.query_one(DrillBanner).has_class("-drill"))
        await pilot.press("l")
        await pilot.pause()
        await pilot.press("enter")  # category: coordination
        await pilot.press(*"Koordinasi panitia")
        await pilot.press("enter")
        await pilot.pause()
    with Logbook.open(logbook_file(data), read_only=True) as book:
        entries = book.entries()
    assert entries and entries[-1].drill
