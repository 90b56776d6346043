"""`:closed` lists what is no longer open, filters it, opens its timeline; `k` on an
incident already acknowledged says so instead of sending a command the hub refuses."""

from __future__ import annotations

import pytest

from pilkades_tui.console.screens.closed_screen import ClosedIncidentsScreen
from pilkades_tui.console.screens.incident_detail import IncidentDetailScreen
from pilkades_tui.console.widgets.incident_pane import IncidentPane
from pilkades_tui.domain.events import INCIDENT_UPDATED, Event
from pilkades_tui.domain.models import IncidentStatus, TimelineEntry, Verification
from pilkades_tui.feed.commands import HubCommands
from pilkades_tui.hub.runner import HubServer
from pilkades_tui.i18n import Catalogue
from tests.console.conftest import AppFactory
from tests.console.live import live_console, until
from tests.console.screen import notifications, screen_text
from tests.console.world import AT

pytestmark = pytest.mark.timeout(60)

ID = Catalogue("id")
EN = Catalogue("en")


def close(app, incident_id: str, **changes: object) -> None:  # type: ignore[no-untyped-def]
    """Close an incident in the console's state as a feed event would."""
    state = app.current_state()
    held = state.incidents[incident_id]
    step = TimelineEntry(at=AT, by="piket-1 / Iptu Budi", action="resolve", note="massa bubar")
    closed = held.model_copy(
        update={"version": held.version + 1, "timeline": [*held.timeline, step], **changes}
    )
    state.apply(Event(seq=state.seq + 1, ts=AT, type=INCIDENT_UPDATED, data=closed))


async def test_closed_lists_filters_and_opens_the_timeline(app_factory: AppFactory) -> None:
    app = app_factory(lang="en")
    async with app.run_test(size=(160, 40)) as pilot:
        close(app, "INC-0001", status=IncidentStatus.RESOLVED)
        close(app, "INC-0002", status=IncidentStatus.CANCELLED, verification=Verification.INVALID)
        await pilot.press("colon", *"selesai", "enter")
        await until(pilot, lambda: isinstance(app.screen, ClosedIncidentsScreen))
        screen = app.screen
        assert set(screen.rows) == {"INC-0001", "INC-0002"}
        text = screen_text(app)
        assert EN.enum("status", "resolved") in text and EN.enum("verification", "invalid") in text
        assert "piket-1 / Iptu Budi" in text and "massa bubar" in text
        # The filter field has the focus: typing narrows the list at once.
        await pilot.press(*"invalid")
        await until(pilot, lambda: set(screen.rows) == {"INC-0002"})
        await pilot.press("enter", "enter")
        await until(pilot, lambda: isinstance(app.screen, IncidentDetailScreen))
        assert app.screen.incident_id == "INC-0002"
        assert "piket-1 / Iptu Budi" in screen_text(app)
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen)
        await pilot.press("escape")
        await until(pilot, lambda: len(app.screen_stack) == 1)


async def test_closed_with_a_filter_on_the_command_line(app_factory: AppFactory) -> None:
    app = app_factory(lang="en")
    async with app.run_test(size=(160, 40)) as pilot:
        close(app, "INC-0001", status=IncidentStatus.RESOLVED)
        village = app.current_state().incidents["INC-0001"].village
        await pilot.press("colon", *f"closed {village}", "enter")
        await until(pilot, lambda: isinstance(app.screen, ClosedIncidentsScreen))
        assert list(app.screen.rows) == ["INC-0001"]
        await pilot.press("enter")  # the list has the focus when a filter was given
        await until(pilot, lambda: isinstance(app.screen, IncidentDetailScreen))
        await pilot.press("escape", "escape")
        await pilot.press("colon", *"closed nothing-like-this", "enter")
        await until(pilot, lambda: EN.text("empty.rows") in screen_text(app))


async def test_k_on_an_acknowledged_incident_says_so_without_sending(
    hub: HubServer, app_factory: AppFactory
) -> None:
    app = live_console(app_factory, hub.url, hub.tokens["dispatcher"])
    reporter = HubCommands(hub.url, hub.tokens["reporter"])
    async with reporter, app.run_test(size=(140, 40), notifications=True) as pilot:
        await until(pilot, lambda: ID.text("conn.live") in screen_text(app))
        tps_id = sorted(app.current_state().tps)[0]
        reported = await reporter.new_incident(
            category="crowd", tps_id=tps_id, description="massa", reported_by="Bhabin"
        )
        incident_id = reported.record["id"]
        pane = app.query_one(IncidentPane)
        await until(pilot, lambda: pane.select_key(incident_id))
        await pilot.press("k")
        await until(pilot, lambda: len(app.screen_stack) == 2)
        await pilot.press("y")
        state = app.current_state()
        await until(pilot, lambda: state.incidents[incident_id].status == "acknowledged")
        head = state.seq
        entries = len(app.logbook.entries())
        await pilot.press("k")
        status = ID.enum("status", "acknowledged")
        said = ID.text("notify.already_acknowledged", id=incident_id, status=status)
        await until(pilot, lambda: said in notifications(app))
        assert len(app.screen_stack) == 1  # no dialog, nothing sent, nothing logged
        assert len(app.logbook.entries()) == entries and app.current_state().seq == head


async def test_an_empty_queue_says_what_runs_and_which_key_helps(
    hub: HubServer, app_factory: AppFactory
) -> None:
    app = live_console(app_factory, hub.url, hub.tokens["dispatcher"], lang="en")
    async with app.run_test(size=(120, 30)) as pilot:
        await until(pilot, lambda: EN.text("conn.live") in screen_text(app))
        waiting = EN.text("empty.incidents_waiting")[:40]
        await until(pilot, lambda: waiting in screen_text(app))
        text = screen_text(app)
        assert EN.text("empty.incidents") in text
        keys = EN.text("empty.incidents_keys", tps="1", map="4", alerts="5", help="?")
        assert keys in text
        pane = app.query_one(IncidentPane)
        assert pane.selected_key is None and pane.shown() == 0
        # A closed incident is pointed to, not lost.
        reporter = HubCommands(hub.url, hub.tokens["admin"])
        async with reporter:
            tps_id = sorted(app.current_state().tps)[0]
            reported = await reporter.new_incident(
                category="hoax", tps_id=tps_id, description="pesan berantai", reported_by="warga"
            )
            await until(pilot, lambda: pane.shown() == 1)
            await reporter.incident_action(reported.record["id"], "cancel", note="hoaks")
        closed = EN.text("empty.incidents_closed", count=1, command=":selesai")
        await until(pilot, lambda: closed in screen_text(app))
