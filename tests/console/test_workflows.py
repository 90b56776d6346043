"""Every decision of the incident workflow, keyed as an officer keys it, against a real
hub: it reaches the hub once, and the logbook holds it (written before it was sent)
with its outcome."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from pilkades_tui.console.app import PilkadesApp
from pilkades_tui.console.screens.dialogs import (
    AssignDialog,
    ChoiceDialog,
    ConfirmDialog,
    LogDialog,
    ReasonDialog,
    TextDialog,
)
from pilkades_tui.console.widgets.incident_pane import IncidentPane
from pilkades_tui.domain.models import Incident
from pilkades_tui.feed.client import ConnectionState
from pilkades_tui.feed.commands import HubCommands
from pilkades_tui.hub.runner import HubServer
from pilkades_tui.i18n import Catalogue
from pilkades_tui.logbook import Entry, Kind, Outcome
from tests.conftest import HubFactory
from tests.console.conftest import AppFactory
from tests.console.live import free_port, live_console, until
from tests.console.screen import screen_text

pytestmark = pytest.mark.timeout(60)

ID = Catalogue("id")


async def report(hub: HubServer, tps_index: int = 0, category: str = "crowd") -> str:
    """A field report through the hub's public API; returns the new incident's id."""
    reporter = HubCommands(hub.url, hub.tokens["reporter"])
    try:
        snapshot_tps = await first_tps_ids(hub)
        result = await reporter.new_incident(
            category=category,
            priority=2,
            tps_id=snapshot_tps[tps_index],
            description="massa berkumpul di depan TPS",
            reported_by="Bhabinkamtibmas",
        )
    finally:
        await reporter.aclose()
    assert result.outcome == "accepted", result
    assert result.record is not None
    return str(result.record["id"])


async def first_tps_ids(hub: HubServer) -> list[str]:
    import httpx

    async with httpx.AsyncClient() as client:
        answer = await client.get(
            f"{hub.url}/v1/snapshot", headers={"Authorization": f"Bearer {hub.tokens['viewer']}"}
        )
    return sorted(record["id"] for record in answer.json()["tps"])


@asynccontextmanager
async def console_on(
    app: PilkadesApp, incident_id: str, size: tuple[int, int] = (140, 40)
) -> AsyncIterator[Pilot[None]]:
    """The console running, live, on the incident queue with `incident_id` selected."""
    async with app.run_test(size=size, notifications=True) as pilot:
        await until(pilot, lambda: app.feed.status.state == ConnectionState.LIVE)
        await pilot.press("2")
        pane = app.query_one(IncidentPane)
        await until(pilot, lambda: incident_id in pane.source_rows.positions)
        pane.select_key(incident_id)
        await pilot.pause()
        assert pane.selected_key == incident_id
        yield pilot


def incident(app: PilkadesApp, incident_id: str) -> Incident:
    return app.current_state().incidents[incident_id]


def last_decision(app: PilkadesApp) -> Entry:
    decisions = [entry for entry in app.logbook.entries() if entry.kind is Kind.DECISION]
    return decisions[-1]


async def typed(pilot: Pilot[None], text: str) -> None:
    for character in text:
        await pilot.press("space" if character == " " else character)


def assert_logged_then_sent(
    app: PilkadesApp, incident_id: str, action: str, timeline_action: str | None = None
) -> Entry:
    entry = last_decision(app)
    assert (entry.action, entry.subject, entry.outcome) == (action, incident_id, Outcome.ACCEPTED)
    assert entry.hub_seq is not None
    wanted = timeline_action or action
    hub_entries = [item for item in incident(app, incident_id).timeline if item.action == wanted]
    assert len(hub_entries) == 1, "a decision reaches the hub once"
    # Written before it was sent: the logbook's time is not after the hub's.
    assert entry.at <= hub_entries[0].at
    assert app.logbook.verify().ok
    return entry


async def test_acknowledge_asks_then_acts(hub: HubServer, app_factory: AppFactory) -> None:
    incident_id = await report(hub)
    app = live_console(app_factory, hub.url, hub.tokens["dispatcher"])
    async with console_on(app, incident_id) as pilot:
        await pilot.press("k")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("escape")  # a slip: nothing is sent
        await pilot.pause(0.2)
        assert incident(app, incident_id).status == "new"
        assert not [e for e in app.logbook.entries() if e.kind is Kind.DECISION]
        await pilot.press("k")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("enter")
        await until(pilot, lambda: incident(app, incident_id).status == "acknowledged")
        await until(pilot, lambda: last_decision(app).outcome is Outcome.ACCEPTED)
        assert_logged_then_sent(app, incident_id, "acknowledge")


async def test_assign_offers_the_nearest_unit_first_and_space_adds_more(
    hub: HubServer, app_factory: AppFactory
) -> None:
    incident_id = await report(hub)
    app = live_console(app_factory, hub.url, hub.tokens["dispatcher"])
    async with console_on(app, incident_id) as pilot:
        expected = app.current_state().recommend(incident(app, incident_id))
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, AssignDialog))
        text = screen_text(app)
        assert "km" in text and expected[0].officer.id in text
        rows = [line for line in text.splitlines() if expected[0].officer.id in line]
        first_row = text.index(expected[0].officer.id)
        assert all(first_row <= text.index(rec.officer.id) for rec in expected[1:4])
        assert rows and "■" in rows[0]  # preselected
        await pilot.press("down", "space", "enter")
        chosen = [expected[0].officer.id, expected[1].officer.id]
        await until(pilot, lambda: incident(app, incident_id).status == "dispatched")
        await until(pilot, lambda: last_decision(app).outcome is Outcome.ACCEPTED)
        assert sorted(incident(app, incident_id).officer_ids) == sorted(chosen)
        state = app.current_state()
        assert {state.officers[officer_id].status for officer_id in chosen} == {"dispatched"}
        entry = assert_logged_then_sent(app, incident_id, "assign")
        assert sorted(entry.officer_ids) == sorted(chosen)


async def test_escalate_to_polda(hub: HubServer, app_factory: AppFactory) -> None:
    incident_id = await report(hub)
    app = live_console(app_factory, hub.url, hub.tokens["dispatcher"])
    async with console_on(app, incident_id) as pilot:
        await pilot.press("e")
        await until(pilot, lambda: ID.enum("escalation", "polda") in screen_text(app))
        await pilot.press("down", "enter")
        # Escalation is asked once more: the choice alone sends nothing.
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        assert incident(app, incident_id).escalation == "none"
        assert "Polda" in screen_text(app) and incident_id in screen_text(app)
        await pilot.press("enter")
        await until(pilot, lambda: incident(app, incident_id).escalation == "polda")
        await until(pilot, lambda: last_decision(app).outcome is Outcome.ACCEPTED)
        assert_logged_then_sent(app, incident_id, "escalate", "escalate:polda")


async def test_resolve_and_cancel_take_a_reason_and_the_number_and_note_takes_text(
    hub: HubServer, app_factory: AppFactory
) -> None:
    cases = [("r", "resolve", "resolved"), ("c", "cancel", "cancelled")]
    incident_ids = [await report(hub, tps_index=index) for index in range(len(cases) + 1)]
    app = live_console(app_factory, hub.url, hub.tokens["dispatcher"])
    async with console_on(app, incident_ids[0]) as pilot:
        for incident_id, (key, action, status) in zip(incident_ids, cases, strict=False):
            reason = f"{action}: massa bubar dengan tertib"
            app.query_one(IncidentPane).select_key(incident_id)
            await pilot.pause()
            await pilot.press(key)
            await until(pilot, lambda: isinstance(app.screen, ReasonDialog))
            await pilot.press("enter")  # an empty reason is not accepted
            await until(pilot, lambda: ID.text("dialog.reason_required") in screen_text(app))
            await typed(pilot, reason)
            await pilot.press("enter")  # a P2: its number is asked for too
            await typed(pilot, "99")
            await pilot.press("enter")
            mismatch = ID.text("dialog.number_mismatch", id=incident_id)
            await until(pilot, lambda m=mismatch: m in screen_text(app))
            assert incident(app, incident_id).status == "new"
            number = app.screen.query_one("#number", Input)
            number.value = str(int(incident_id.rpartition("-")[2]))
            await pilot.press("enter")
            await until(
                pilot,
                lambda i=incident_id, a=action: a in {t.action for t in incident(app, i).timeline},
            )
            await until(pilot, lambda: last_decision(app).outcome is Outcome.ACCEPTED)
            assert incident(app, incident_id).status == status
            entry = assert_logged_then_sent(app, incident_id, action)
            assert entry.note == reason
            notes = [t.note for t in incident(app, incident_id).timeline if t.action == action]
            assert notes == [reason]
        note_id = incident_ids[-1]
        app.query_one(IncidentPane).select_key(note_id)
        await pilot.pause()
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, TextDialog))
        await pilot.press("enter")
        await until(pilot, lambda: ID.text("dialog.required") in screen_text(app))
        await typed(pilot, "warga berkumpul lagi")
        await pilot.press("enter")
        await until(pilot, lambda: last_decision(app).action == "note")
        await until(pilot, lambda: last_decision(app).outcome is Outcome.ACCEPTED)
        assert incident(app, note_id).status == "new"
        assert_logged_then_sent(app, note_id, "note")


async def test_l_logs_a_free_decision_and_the_logbook_screen_lists_the_shift(
    hub: HubServer, app_factory: AppFactory
) -> None:
    incident_id = await report(hub)
    app = live_console(app_factory, hub.url, hub.tokens["dispatcher"])
    async with console_on(app, incident_id) as pilot:
        await pilot.press("1", "l")  # anywhere, not only in the queue
        await until(pilot, lambda: isinstance(app.screen, LogDialog))
        await pilot.press("down", "enter")  # the second category: reinforcement
        await typed(pilot, "minta BKO Dalmas ke Kajen")
        await pilot.press("enter")
        await until(pilot, lambda: any(e.kind is Kind.LOG for e in app.logbook.entries()))
        entry = [e for e in app.logbook.entries() if e.kind is Kind.LOG][-1]
        assert (entry.category, entry.note) == ("reinforcement", "minta BKO Dalmas ke Kajen")
        await pilot.press("L")
        await until(pilot, lambda: ID.text("logbook.title") in screen_text(app))
        text = screen_text(app)
        assert ID.text("logbook.title") in text
        assert ID.text("logcat.reinforcement") in text
        assert "minta BKO Dalmas ke Kajen" in text


async def test_a_stale_view_gets_a_conflict_and_the_officer_decides_again(
    hub: HubServer, app_factory: AppFactory
) -> None:
    incident_id = await report(hub)
    app = live_console(app_factory, hub.url, hub.tokens["dispatcher"])
    other = HubCommands(hub.url, hub.tokens["dispatcher"])
    async with console_on(app, incident_id) as pilot:
        # This console stops hearing the hub; another dispatcher acts meanwhile.
        await app.feed.close()
        seen = incident(app, incident_id)
        result = await other.incident_action(
            incident_id, "acknowledge", expected_version=seen.version
        )
        assert result.outcome == "accepted"
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, ChoiceDialog))
        await pilot.press("enter")  # Polres
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("y")
        await until(pilot, lambda: last_decision(app).outcome is Outcome.REJECTED)
        entry = last_decision(app)
        assert entry.why and "conflict" in entry.why
        await until(pilot, lambda: ID.text("action.escalate") in screen_text(app))
    await other.aclose()


async def test_two_consoles_assign_the_same_unit_exactly_one_wins(
    hub: HubServer, app_factory: AppFactory
) -> None:
    # Two reports at the same TPS: both consoles see the same nearest free unit.
    first_id = await report(hub, tps_index=5)
    second_id = await report(hub, tps_index=5, category="intimidation")
    one = live_console(app_factory, hub.url, hub.tokens["dispatcher"], operator="Iptu Budi")
    two = live_console(app_factory, hub.url, hub.tokens["dispatcher"], operator="Ipda Sari")
    async with console_on(one, first_id) as pilot_one, console_on(two, second_id) as pilot_two:
        for app, pilot in ((one, pilot_one), (two, pilot_two)):
            await pilot.press("a")
            await until(pilot, lambda app=app: isinstance(app.screen, AssignDialog))
        unit_one = one.screen.recommendations[0].officer.id
        unit_two = two.screen.recommendations[0].officer.id
        assert unit_one == unit_two
        await pilot_one.press("enter")
        await pilot_two.press("enter")
        for app, pilot in ((one, pilot_one), (two, pilot_two)):
            await until(pilot, lambda app=app: last_decision(app).outcome is not Outcome.QUEUED)
            await until(pilot, lambda app=app: last_decision(app).outcome is not None)
        outcomes = sorted(last_decision(app).outcome for app in (one, two))
        assert outcomes == [Outcome.ACCEPTED, Outcome.REJECTED]
        loser = one if last_decision(one).outcome is Outcome.REJECTED else two
        assert unit_one in (last_decision(loser).why or "")
        # The officer who lost is told on screen, with the unit named.
        await until(
            pilot_one if loser is one else pilot_two, lambda: unit_one in screen_text(loser)
        )
        state = one.current_state()
        holders = [i for i in (first_id, second_id) if unit_one in state.incidents[i].officer_ids]
        assert len(holders) == 1


async def test_hub_unreachable_queues_the_decision_and_it_lands_once(
    hub_factory: HubFactory, app_factory: AppFactory, tmp_path: Path
) -> None:
    port = free_port()
    first = hub_factory(tmp_path / "hub", port=port)
    tokens = first.tokens
    incident_id = await report(first)
    kept_id = await report(first, tps_index=1)
    app = live_console(app_factory, first.url, tokens["dispatcher"])
    async with console_on(app, incident_id) as pilot:
        first.stop()
        await until(pilot, lambda: app.feed.status.state != ConnectionState.LIVE)
        await pilot.press("k", "enter")
        await until(pilot, lambda: last_decision(app).outcome is Outcome.QUEUED)
        app.query_one(IncidentPane).select_key(kept_id)
        await pilot.pause()
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, TextDialog))
        await typed(pilot, "dibatalkan")
        await pilot.press("enter")
        await until(pilot, lambda: len(app.outbox) == 2)
        await until(pilot, lambda: f"{ID.text('header.outbox')} 2" in screen_text(app))
        # The officer sees both queued commands and drops the note.
        await pilot.press("o")
        await until(pilot, lambda: ID.text("outbox.title") in screen_text(app))
        await pilot.press("down", "d")
        await until(pilot, lambda: len(app.outbox) == 1)
        await pilot.press("escape")
        second = hub_factory(tmp_path / "hub", port=port, tokens=tokens)
        assert second.url == first.url
        await until(pilot, lambda: len(app.outbox) == 0, timeout=40)
        await until(pilot, lambda: incident(app, incident_id).status == "acknowledged", timeout=15)
        await until(
            pilot, lambda: any(e.outcome is Outcome.ACCEPTED for e in app.logbook.entries())
        )
        acknowledged = [t for t in incident(app, incident_id).timeline if t.action == "acknowledge"]
        assert len(acknowledged) == 1
        assert [t for t in incident(app, kept_id).timeline if t.action == "note"] == []
