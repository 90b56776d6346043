"""Alarms that help: notifications in an area of their own, never over a dialog, the
prompt or a pane's counter; one alert per incident; a kecamatan's understaffed TPS at
dawn as one expandable alert; staffing in whole officers."""

from __future__ import annotations

from datetime import datetime

import pytest
from textual.containers import Vertical
from textual.geometry import Region
from textual.widgets import Input

from pilkades_tui.console.screens.dialogs import ConfirmDialog
from pilkades_tui.console.widgets.alerts_pane import AlertsPane
from pilkades_tui.console.widgets.incident_pane import IncidentPane
from pilkades_tui.console.widgets.notice_strip import NoticeStrip
from pilkades_tui.console.widgets.tps_pane import TpsPane
from pilkades_tui.domain.events import INCIDENT_UPDATED, Event
from pilkades_tui.domain.models import IncidentStatus, OfficerStatus, Risk
from pilkades_tui.domain.rules import AlertKind, Severity, TimerKind
from pilkades_tui.domain.state import ElectionState
from tests.console.conftest import AppFactory
from tests.console.live import until
from tests.console.screen import notice_lines, notifications, screen_text
from tests.console.world import AT, fixed_state


def strip_region(app: object) -> Region:
    strip = app.screen.query_one(NoticeStrip)  # type: ignore[attr-defined]
    assert strip.display
    return strip.region


async def test_a_notice_raised_over_a_dialog_is_seen_and_covers_none_of_it(
    app_factory: AppFactory,
) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        question = "Selesaikan INC-0001 — bentrokan, Klesem?"
        app.push_screen(ConfirmDialog(app.catalogue, question))
        await pilot.pause()
        app.notify("Perintah tersimpan di antrean", severity="warning")
        await until(pilot, lambda: any("antrean" in line for line in notice_lines(app)))
        shown = screen_text(app)
        assert question in shown
        assert "! Perintah tersimpan di antrean" in shown
        dialog = app.screen.query_one(Vertical).region
        assert not dialog.overlaps(strip_region(app))
        # Back on the queue the notice moves above the key bar; the counter stays whole.
        app.pop_screen()
        await until(pilot, lambda: "antrean" in "".join(notice_lines(app)))
        queue = app.query_one(IncidentPane)
        assert queue.region.bottom <= strip_region(app).y
        assert "4 dari 4 baris" in screen_text(app)


async def test_a_notice_leaves_the_prompt_line_and_the_counter_whole(
    app_factory: AppFactory,
) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("colon")
        await pilot.pause()
        app.notify("Filter: Kajen")
        await until(pilot, lambda: "· Filter: Kajen" in notice_lines(app))
        prompt = app.query_one("#prompt", Input)
        assert prompt.display and not prompt.region.overlaps(strip_region(app))
        queue = app.query_one(IncidentPane)
        assert not queue.region.overlaps(strip_region(app))
        assert "4 dari 4 baris" in screen_text(app)


async def test_notices_newest_first_and_gone_after_their_timeout(
    app_factory: AppFactory,
) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: bool(notifications(app)))  # the morning's first alarm
        app.clear_notifications()
        app.notify("pertama", timeout=30)
        app.notify("kedua", severity="error", timeout=0.5)
        await until(pilot, lambda: len(notice_lines(app)) == 2)
        # Newest first; an error is marked in characters too (NO_COLOR).
        assert notice_lines(app) == ["!! kedua", "· pertama"]
        await until(pilot, lambda: notice_lines(app) == ["· pertama"])
        app.clear_notifications()
        await until(pilot, lambda: not app.screen.query_one(NoticeStrip).display)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


async def test_an_incident_with_two_timers_firing_is_one_alert_gone_when_resolved(
    app_factory: AppFactory,
) -> None:
    clock = Clock(AT)
    app = app_factory(clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("5")
        await until(pilot, lambda: app.engine_ready)
        plans = app.engine.timer_plans("INC-0001")
        target = next(plan for plan in plans if plan.kind == TimerKind.TARGET)
        # INC-0001 (P1) is not acknowledged (an alarm) and its on-scene target is near
        # (a warning): two timers fire.
        clock.now = target.warning_at
        await until(
            pilot, lambda: "timer:target:INC-0001" in {a.key for a in app.engine.book.ordered()}
        )
        firing = [a.key for a in app.engine.book.ordered() if a.subject_ids == ("INC-0001",)]
        assert sorted(firing) == ["timer:target:INC-0001", "timer:unacknowledged:INC-0001"]
        pane = app.query_one(AlertsPane)
        rows = [key for key in pane.source_rows.keys if "INC-0001" in key]
        assert rows == ["timer:unacknowledged:INC-0001"]
        # Gravest first: every alarm above every warning.
        ranks = [pane.alerts[key].severity == Severity.ALARM for key in pane.source_rows.keys]
        assert ranks == sorted(ranks, reverse=True) and ranks[0]
        # Both timers in alarm: the newer one stands for the incident, announced once.
        clock.now = target.alarm_at
        await until(pilot, lambda: "timer:target:INC-0001" in pane.source_rows.keys)
        assert [key for key in pane.source_rows.keys if "INC-0001" in key] == [
            "timer:target:INC-0001"
        ]
        said = [n for n in notifications(app) if "INC-0001" in n]
        assert len(said) == 1
        state = app.current_state()
        assert state is not None
        held = state.incidents["INC-0001"]
        resolved = held.model_copy(
            update={"version": held.version + 1, "status": IncidentStatus.RESOLVED}
        )
        event = Event(seq=state.seq + 1, ts=clock.now, type=INCIDENT_UPDATED, data=resolved)
        app._on_changes(state.apply(event))
        await until(pilot, lambda: not any("INC-0001" in k for k in pane.source_rows.keys))
        assert not any("INC-0001" in pane.build_row(k).cells[2] for k in pane.source_rows.keys)


def dawn_state() -> ElectionState:
    """The fixed morning before the guards came on duty: every officer off duty."""
    state = fixed_state()
    snapshot = state.snapshot()
    officers = [
        officer.model_copy(update={"status": OfficerStatus.OFF_DUTY, "incident_id": None})
        for officer in snapshot.officers
    ]
    return ElectionState.from_snapshot(snapshot.model_copy(update={"officers": officers}))


async def test_dawn_staffing_warnings_are_one_per_kecamatan_and_expand(
    app_factory: AppFactory,
) -> None:
    state = dawn_state()
    high = [tps for tps in state.tps.values() if tps.risk == Risk.HIGH]
    districts = {tps.district for tps in high}
    app = app_factory(state=state)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("5")
        await until(pilot, lambda: app.engine_ready and bool(app.alerts))
        staffing = [a for a in app.alerts if a.kind == AlertKind.UNDERSTAFFED]
        assert len(high) > 2 * len(districts)  # dozens of TPS ...
        assert len(staffing) == len(districts)  # ... one alert per kecamatan
        pane = app.query_one(AlertsPane)
        group = next(a for a in staffing if len(a.subject_ids) > 1)
        assert group.severity == Severity.ALARM  # nobody on duty anywhere
        before = len(pane.source_rows)
        assert pane.select_key(group.key)
        assert pane.build_row(group.key).cells[3] == "enter: buka"
        await pilot.press("enter")
        await pilot.pause()
        assert app.active_pane() == "alerts"
        assert len(pane.source_rows) == before + len(group.subject_ids)
        index = pane.source_rows.keys.index(group.key)
        members = pane.source_rows.keys[index + 1 : index + 1 + len(group.subject_ids)]
        assert {key.removeprefix("understaffed:") for key in members} == set(group.subject_ids)
        first = pane.build_row(members[0])
        assert first.cells[2].startswith("  └ ") and "0 dari 2 personel" in first.cells[2]
        # enter on a TPS beneath goes to it; on the kecamatan again folds it.
        assert pane.select_key(group.key)
        await pilot.press("enter")
        await pilot.pause()
        assert len(pane.source_rows) == before


async def test_staffing_reads_in_whole_officers_and_the_pattern(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.press("1")
        await until(pilot, lambda: app.engine_ready)
        pane = app.query_one(TpsPane)
        state = app.current_state()
        assert state is not None
        cells = {}
        for risk in (Risk.LOW, Risk.HIGH):
            tps = next(t for t in state.tps.values() if t.risk == risk)
            cells[risk] = pane.build_row(tps.id).cells[-1]
        posted_low = cells[Risk.LOW].split(" ")[0]
        assert cells[Risk.LOW] == f"{posted_low} · 2 per 5"  # the pattern: 2 per 5 TPS
        assert cells[Risk.HIGH].endswith("/2") and "." not in cells[Risk.HIGH]
        assert "0.4" not in screen_text(app)


@pytest.mark.parametrize(
    ("theme", "no_color", "marked"),
    [("siang", False, False), ("monokrom", False, True), ("siang", True, True)],
)
async def test_without_colours_a_notice_still_says_how_grave_it_is(
    app_factory: AppFactory,
    monkeypatch: pytest.MonkeyPatch,
    theme: str,
    no_color: bool,
    marked: bool,
) -> None:
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")
    app = app_factory(theme=theme)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: bool(notice_lines(app)))
        strip = app.screen.query_one(NoticeStrip)
        warning = strip.get_component_rich_style("notice-strip--warning")
        error = strip.get_component_rich_style("notice-strip--error")
        assert (bool(warning.underline), bool(error.reverse)) == (marked, marked)
        assert notice_lines(app)[0].startswith("!! ")  # the morning's alarm, in characters
