"""Call-taking in the console, keyed the way a duty officer keys it: `i` for a call
(type-ahead, the proposed priority and why, the possible duplicate, missing fields,
`esc`), sent to a real hub, or queued while the hub is down and delivered once when it
is back; `t` for a TPS status by phone and `s` for a unit's radio call."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Select

from pilkades_tui.console.app import PilkadesApp
from pilkades_tui.console.screens.dialogs import ChoiceDialog, ConfirmDialog
from pilkades_tui.console.screens.intake import NewIncidentForm, TpsStatusForm, UnitReportForm
from pilkades_tui.console.widgets.officer_pane import OfficerPane
from pilkades_tui.console.widgets.tps_pane import TpsPane
from pilkades_tui.feed.client import ConnectionState
from pilkades_tui.hub.runner import HubServer
from pilkades_tui.i18n import Catalogue
from pilkades_tui.logbook import Outcome
from tests.conftest import HubFactory
from tests.console.conftest import AppFactory
from tests.console.live import free_port, live_console, until
from tests.console.screen import screen_text

pytestmark = pytest.mark.timeout(90)

ID = Catalogue("id")
SIZE = (130, 50)


async def choose(pilot: Pilot[object], select_id: str, label: str) -> None:
    """Open a drop-down with space, type the start of an option, take it with enter."""
    app = pilot.app
    select = app.screen.query_one(f"#{select_id}", Select)
    select.focus()
    await pilot.press("space")
    await until(pilot, lambda: select.expanded)
    await pilot.press(*label)
    await pilot.press("enter")
    await until(pilot, lambda: not select.expanded)


async def type_into(pilot: Pilot[object], field_id: str, text: str) -> None:
    field = pilot.app.screen.query_one(f"#{field_id}", Input)
    field.focus()
    await pilot.press(*text)


async def open_form(pilot: Pilot[object]) -> NewIncidentForm:
    await pilot.press("i")
    await until(pilot, lambda: isinstance(pilot.app.screen, NewIncidentForm))
    return pilot.app.screen  # type: ignore[return-value]


async def test_type_ahead_priority_proposal_and_missing_fields(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_form(pilot)
        # Nothing yet: the form says what is missing and stays open.
        await pilot.press("enter")
        missing = ID.text(
            "intake.missing",
            fields="; ".join(
                ID.text(key)
                for key in ("intake.place", "intake.category", "intake.priority", "intake.reporter")
            ),
        )
        await until(pilot, lambda: missing in screen_text(app))
        assert isinstance(app.screen, NewIncidentForm)
        await pilot.press(*"kajen 3")
        await until(pilot, lambda: "TPS 03 Gandarum · Kajen" in screen_text(app))
        await pilot.press("down")
        second = app.screen.query_one("#picker").chosen
        assert second is not None and second.tps_number == 3 and second.district == "Kajen"
        # A high-risk TPS raises intimidation (P2) to P1, and the form says so.
        field = app.screen.query_one("#place", Input)
        field.clear()
        high = next(t for t in app.current_state().tps.values() if t.risk == "high")
        await pilot.press(*f"{high.village} {int(high.name.split()[1])}")
        await choose(pilot, "category", "intim")
        why = ID.text(
            "intake.why", priority=1, category=ID.enum("category", "intimidation"), base=2
        )
        await until(pilot, lambda: why in screen_text(app))
        assert ID.text("intake.why_raised", place=high.name).strip(", ") in screen_text(app)
        assert app.screen.query_one("#priority", Select).value == 1
        # Without a reporter it still does not send.
        await pilot.press("enter")
        only_reporter = ID.text("intake.missing", fields=ID.text("intake.reporter"))
        await until(pilot, lambda: only_reporter in screen_text(app))
        # Too long a description is refused with the protocol's limit named.
        app.screen.query_one("#description", Input).value = "x" * 2001
        await type_into(pilot, "reporter", "Kades")
        await pilot.press("enter")
        too_long = ID.text("intake.too_long", length=2001, limit=2000)
        await until(pilot, lambda: too_long in screen_text(app))
        # esc asks before the typed text is thrown away; "no" keeps the form.
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        assert ID.text("intake.discard") in screen_text(app)
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, NewIncidentForm))
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("y")
        await until(pilot, lambda: len(app.screen_stack) == 1)
        # An empty form closes at once.
        await open_form(pilot)
        await pilot.press("escape")
        await until(pilot, lambda: len(app.screen_stack) == 1)
    assert app.logbook.entries() == []


async def test_officer_may_change_the_proposed_priority(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_form(pilot)
        await pilot.press(*"klesem 1")
        await choose(pilot, "category", "hoaks")
        priority = app.screen.query_one("#priority", Select)
        await until(pilot, lambda: priority.value == 3)
        await choose(pilot, "priority", "P2")
        assert priority.value == 2
        await choose(pilot, "category", "logist")  # also P3: the officer's P2 stays
        await until(pilot, lambda: ID.enum("category", "logistics") + " P3" in screen_text(app))
        assert priority.value == 2


async def reporter_incident(hub: HubServer, tps_id: str, category: str) -> str:
    async with httpx.AsyncClient(
        headers={"Authorization": f"Bearer {hub.tokens['reporter']}"}
    ) as client:
        response = await client.post(
            f"{hub.url}/v1/incidents",
            json={
                "category": category,
                "tps_id": tps_id,
                "description": "massa berkumpul",
                "reported_by": "Bhabinkamtibmas",
            },  # fmt: skip
        )
    assert response.status_code == 201, response.text
    return response.json()["record"]["id"]


async def hub_incidents(hub: HubServer) -> list[dict]:
    async with httpx.AsyncClient(
        headers={"Authorization": f"Bearer {hub.tokens['viewer']}"}
    ) as client:
        response = await client.get(f"{hub.url}/v1/snapshot")
    return response.json()["incidents"]


async def fill_call(pilot: Pilot[object], place: str, category: str, text: str) -> None:
    await pilot.press(*place)
    await choose(pilot, "category", category)
    await type_into(pilot, "description", text)
    await type_into(pilot, "reporter", "Kades Klesem")
    await choose(pilot, "channel", "HT")


async def test_a_call_repeating_an_open_incident_goes_on_it_as_a_note(
    hub: HubServer, app_factory: AppFactory
) -> None:
    app = live_console(app_factory, hub.url, hub.tokens["dispatcher"])
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await until(pilot, lambda: app.feed.status.state == ConnectionState.LIVE)
        tps = sorted(app.current_state().tps.values(), key=lambda t: t.id)[0]
        earlier = await reporter_incident(hub, tps.id, "crowd")
        await until(pilot, lambda: earlier in app.current_state().incidents)
        await open_form(pilot)
        await fill_call(pilot, f"{tps.village} {int(tps.name.split()[1])}", "kerumunan", "ramai")
        await until(pilot, lambda: f"{earlier} {ID.enum('category', 'crowd')}" in screen_text(app))
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ChoiceDialog))
        assert ID.text("intake.as_note", id=earlier) in screen_text(app)
        await pilot.press("enter")  # the first choice: add it as a note
        note = ID.text("intake.note_text", channel="HT", by="Kades Klesem", text="ramai")

        def noted() -> bool:
            incident = app.current_state().incidents[earlier]
            return any(entry.note == note for entry in incident.timeline)

        await until(pilot, noted)
    assert len(await hub_incidents(hub)) == 1
    decision = app.logbook.entries()[0]
    assert (decision.action, decision.subject) == ("note", earlier)


async def test_a_call_taken_while_the_hub_is_down_is_delivered_once(
    hub_factory: HubFactory, app_factory: AppFactory, tmp_path: Path
) -> None:
    port = free_port()
    first = hub_factory(tmp_path / "hub", port=port)
    tokens = first.tokens
    app = live_console(app_factory, first.url, tokens["dispatcher"])
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await until(pilot, lambda: app.feed.status.state == ConnectionState.LIVE)
        tps = sorted(app.current_state().tps.values(), key=lambda t: t.id)[1]
        first.stop()
        await until(pilot, lambda: app.feed.status.state != ConnectionState.LIVE)
        await open_form(pilot)
        place = f"{tps.village} {int(tps.name.split()[1])}"
        await fill_call(pilot, place, "bentrok", "dua kubu saling dorong")
        await until(pilot, lambda: app.screen.query_one("#priority", Select).value == 1)
        await pilot.press("enter")
        await until(pilot, lambda: len(app.screen_stack) == 1)
        await until(pilot, lambda: len(app.outbox) == 1)
        assert app.logbook.entries()[0].outcome is Outcome.QUEUED
        second = hub_factory(tmp_path / "hub", port=port, tokens=tokens)
        await until(pilot, lambda: len(app.outbox) == 0, timeout=20)

        def arrived() -> list:
            return [
                i
                for i in app.current_state().incidents.values()
                if i.description == "dua kubu saling dorong"
            ]

        await until(pilot, lambda: len(arrived()) == 1, timeout=15)
        incident = arrived()[0]
        assert (incident.tps_id, incident.category, incident.priority) == (tps.id, "clash", 1)
        assert (incident.channel, incident.reported_by) == ("radio", "Kades Klesem")
        await until(pilot, lambda: app.logbook.entries()[0].outcome is Outcome.ACCEPTED)
    incidents = await hub_incidents(second)
    assert [i["description"] for i in incidents] == ["dua kubu saling dorong"]


async def test_t_records_a_tps_status_reported_by_phone(
    hub: HubServer, app_factory: AppFactory
) -> None:
    app = live_console(app_factory, hub.url, hub.tokens["dispatcher"])
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await until(pilot, lambda: app.feed.status.state == ConnectionState.LIVE)
        await pilot.press("1")
        pane = app.query_one(TpsPane)
        await until(pilot, lambda: len(pane.source_rows) > 1000)
        # The first line sums up a kecamatan: `t` asks for a TPS.
        await pilot.press("t")
        await until(pilot, lambda: ID.text("notify.select_tps") in screen_text(app))
        await pilot.press("down")
        await until(pilot, lambda: pane.selected_key in app.current_state().tps)
        tps = app.current_state().tps[pane.selected_key]
        await pilot.press("t")
        await until(pilot, lambda: isinstance(app.screen, TpsStatusForm))
        await pilot.press("enter")
        await until(pilot, lambda: ID.text("intake.nothing") in screen_text(app))
        await type_into(pilot, "ballots", str(tps.voters + 1))
        await pilot.press("enter")
        bad = ID.text("intake.bad_ballots", voters=tps.voters)
        await until(pilot, lambda: bad in screen_text(app))
        app.screen.query_one("#ballots", Input).value = ""
        await type_into(pilot, "ballots", "12")
        await choose(pilot, "phase", "memilih")
        await choose(pilot, "health", "teguran")
        await type_into(pilot, "note", "antre panjang")
        await pilot.press("enter")
        await until(pilot, lambda: len(app.screen_stack) == 1)

        def reported() -> bool:
            now = app.current_state().tps[tps.id]
            return (now.ballots_cast, now.phase, now.health_protocol) == (12, "voting", "warning")

        await until(pilot, reported)
        await until(pilot, lambda: app.logbook.entries()[0].outcome is Outcome.ACCEPTED)
    entry = app.logbook.entries()[0]
    assert (entry.action, entry.subject, entry.note) == ("tps_status", tps.id, "antre panjang")


async def test_s_records_a_units_status_and_position_by_radio(
    hub: HubServer, app_factory: AppFactory
) -> None:
    app = live_console(app_factory, hub.url, hub.tokens["dispatcher"])
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await until(pilot, lambda: app.feed.status.state == ConnectionState.LIVE)
        await pilot.press("3")
        pane = app.query_one(OfficerPane)
        await until(pilot, lambda: pane.selected_key in app.current_state().officers)
        officer_id = pane.selected_key
        await pilot.press("s")
        await until(pilot, lambda: isinstance(app.screen, UnitReportForm))
        await pilot.press("enter")
        await until(pilot, lambda: ID.text("intake.nothing") in screen_text(app))
        await choose(pilot, "status", "pengawalan")
        tps = sorted(app.current_state().tps.values(), key=lambda t: t.id)[-1]
        await type_into(pilot, "place", f"{tps.village} {int(tps.name.split()[1])}")
        await until(pilot, lambda: f"{tps.name} · {tps.district}" in screen_text(app))
        await pilot.press("enter")
        await until(pilot, lambda: len(app.screen_stack) == 1)

        def moved() -> bool:
            officer = app.current_state().officers[officer_id]
            return officer.status == "escorting" and (officer.lat, officer.lon) == (
                tps.lat,
                tps.lon,
            )

        await until(pilot, moved)
        await until(
            pilot, lambda: [e.outcome for e in app.logbook.entries()] == [Outcome.ACCEPTED] * 2
        )
    assert [e.action for e in app.logbook.entries()] == ["officer_status", "position"]


def test_help_lists_the_call_taking_keys() -> None:
    from pilkades_tui.console.screens.help import help_sections

    section = dict(help_sections())["help.intake"]
    assert {binding.key for binding in section} >= {"t", "s", "enter", "escape"}
    assert any(binding.key == "i" for binding in PilkadesApp.BINDINGS)
