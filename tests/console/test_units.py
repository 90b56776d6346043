"""The unit board: who, what and for how long, where in words, counts in the title; a
unit's detail and history on `enter`; `x` recalls a unit from its incident, asked first,
through the logbook, to a real hub on loopback."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from textual.widgets import Input

from pilkades_tui.console.app import PilkadesApp
from pilkades_tui.console.screens.dialogs import ConfirmDialog
from pilkades_tui.console.screens.unit_detail import UnitDetailScreen
from pilkades_tui.console.widgets.officer_pane import OfficerPane
from pilkades_tui.console.widgets.pane import age_text
from pilkades_tui.domain.events import OFFICER_UPDATED, Event
from pilkades_tui.domain.geo import haversine_km
from pilkades_tui.domain.models import OfficerStatus
from pilkades_tui.domain.rules import settings_from_overrides
from pilkades_tui.feed.client import ConnectionState
from pilkades_tui.feed.commands import HubCommands
from pilkades_tui.hub.runner import HubServer
from pilkades_tui.i18n import Catalogue
from pilkades_tui.logbook import Kind, Outcome
from tests.console.conftest import AppFactory
from tests.console.live import live_console, until
from tests.console.screen import notifications, screen_text
from tests.console.test_workflows import last_decision, report
from tests.console.world import AT, fixed_state

pytestmark = pytest.mark.timeout(60)

ID = Catalogue("id")
EN = Catalogue("en")
SIZE = (200, 40)


def cells_of(pane: OfficerPane, officer_id: str) -> list[str]:
    index = pane.source_rows.index_of(officer_id)
    assert index is not None, officer_id
    return list(pane.source_rows.row(index).cells)


def header(pane: OfficerPane) -> list[str]:
    return list(pane.header_text)


async def test_board_columns_and_title_counts_at_a_fixed_clock(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3")
        pane = app.query_one(OfficerPane)
        state = app.current_state()
        assert pane.border_title == "Unit — 1251 siaga · 1 ditugaskan"
        assert header(pane)[:8] == [
            "Sandi", "Nama", "Status", "Lamanya", "Lokasi", "Insiden", "Jarak", "Umur fix"
        ]  # fmt: skip
        busy = state.officers[state.incidents["INC-0004"].officer_ids[0]]
        incident = state.incidents["INC-0004"]
        tps, _ = state.nearest_tps(busy.lat, busy.lon)
        km = haversine_km(busy.lat, busy.lon, incident.lat, incident.lon)
        assert cells_of(pane, busy.id) == [
            busy.id,
            f"{busy.rank} {busy.name}",
            "ditugaskan",
            "19 mnt",  # the world dispatched it at 08:41
            f"{tps.village}, {tps.district}",
            "INC-0004",
            f"{km:.1f} km",
            "2 j",  # its last fix is from 07:00
            busy.unit,
            "personel",
        ]
        idle = next(o for o in sorted(state.officers.values(), key=lambda o: o.id)
                    if o.status == OfficerStatus.AVAILABLE)  # fmt: skip
        idle_cells = cells_of(pane, idle.id)
        assert idle_cells[2:4] == ["siaga", "2 j"]
        assert idle_cells[5:7] == ["-", "-"]  # no incident, no distance
        # What the officer reads: the title and the row on screen, nothing cut at 200 columns.
        text = screen_text(app)
        assert "Unit — 1251 siaga · 1 ditugaskan" in text
        assert f"{tps.village}, {tps.district}" in text
        app.set_language("en")
        await pilot.pause()
        assert pane.border_title == "Units — 1251 available · 1 dispatched"
        assert cells_of(pane, busy.id)[2:4] == ["dispatched", "19 min"]


async def test_title_counts_follow_a_filter_and_status_changes(app_factory: AppFactory) -> None:
    state = fixed_state()
    app = app_factory(state=state)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3", "colon")
        field = app.focused
        assert isinstance(field, Input)
        field.value = "kecamatan Bojong"
        await pilot.press("enter")
        pane = app.query_one(OfficerPane)
        await until(pilot, lambda: pane.filters.district == "Bojong")
        listed = [state.officers[key] for key in pane.source_rows.keys]
        assert listed and {state.officer_district(o) for o in listed} == {"Bojong"}
        available = sum(o.status == OfficerStatus.AVAILABLE for o in listed)
        assert pane.border_title == f"Unit — {available} siaga · 1 ditugaskan"
        # A unit turns up on scene: the feed's change moves the counts.
        moved = next(o for o in listed if o.status == OfficerStatus.AVAILABLE)
        record = moved.model_copy(
            update={"version": moved.version + 1, "status": OfficerStatus.ON_SCENE,
                    "status_since": AT, "updated_at": AT}
        )  # fmt: skip
        app._on_changes(state.apply(Event(seq=state.seq + 1, ts=AT, type=OFFICER_UPDATED,
                                          data=record)))  # fmt: skip
        want = f"Unit — {available - 1} siaga · 1 ditugaskan · 1 di lokasi"
        await until(pilot, lambda: pane.border_title == want)
        # `/` finds units by their status in words, and the title counts what it leaves.
        await pilot.press("slash")
        field = app.focused
        assert isinstance(field, Input)
        field.value = "di lokasi"
        await pilot.press("enter")
        await until(pilot, lambda: pane.source_rows.keys == [moved.id])
        assert pane.border_title == "Unit — 1 di lokasi"


async def test_time_in_status_reads_in_minutes_and_hours(app_factory: AppFactory) -> None:
    """`51 mnt`, `1 j 12 mnt`: never `51m` (metres?). A record without the hub's
    `status_since` counts from when the console applied the change."""
    assert age_text(ID, 51) == "51 mnt" and age_text(ID, 72) == "1 j 12 mnt"
    assert age_text(EN, 51) == "51 min" and age_text(EN, 72) == "1 h 12 min"
    state = fixed_state()
    ids = sorted(state.officers)
    stamped = state.officers[ids[1]].model_copy(
        update={"version": 5, "status": OfficerStatus.ON_SCENE,
                "status_since": AT - timedelta(minutes=72), "updated_at": AT}
    )  # fmt: skip
    unstamped = state.officers[ids[2]].model_copy(
        update={"version": 5, "status": OfficerStatus.EN_ROUTE, "status_since": None,
                "updated_at": AT - timedelta(minutes=51)}
    )  # fmt: skip
    for record in (stamped, unstamped):
        state.apply(Event(seq=state.seq + 1, ts=AT, type=OFFICER_UPDATED, data=record))
    app = app_factory(state=state)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3")
        pane = app.query_one(OfficerPane)
        assert cells_of(pane, ids[1])[2:4] == ["di lokasi", "1 j 12 mnt"]
        assert cells_of(pane, ids[2])[2:4] == ["menuju lokasi", "51 mnt"]


async def test_stale_fix_threshold_is_the_rule_settings(app_factory: AppFactory) -> None:
    """Every fix in the world is two hours old: stale by the default 15 minutes, fresh
    when the settings allow three hours."""
    state = fixed_state()
    idle = next(o.id for o in state.officers.values() if o.status == OfficerStatus.AVAILABLE)
    for minutes, tone in ((15, "warn"), (180, "good")):
        settings = settings_from_overrides({"reporting": {"unit_fix_stale_minutes": minutes}})
        app = app_factory(state=state, settings=settings)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("3")
            pane = app.query_one(OfficerPane)
            index = pane.source_rows.index_of(idle)
            assert index is not None
            assert pane.source_rows.row(index).tone == tone


# ---- on a real hub --------------------------------------------------------------------


async def assigned_unit(hub: HubServer) -> tuple[str, str]:
    """An incident reported and a unit sent to it and on its way, through the hub's
    public API; returns (incident id, officer id)."""
    incident_id = await report(hub)
    async with HubCommands(hub.url, hub.tokens["dispatcher"]) as dispatcher:
        async with httpx.AsyncClient() as client:
            answer = await client.get(
                f"{hub.url}/v1/snapshot",
                headers={"Authorization": f"Bearer {hub.tokens['viewer']}"},
            )
        free = sorted(o["id"] for o in answer.json()["officers"] if o["status"] == "available")
        officer_id = free[0]
        sent = await dispatcher.incident_action(incident_id, "assign", officer_ids=[officer_id])
        assert sent.outcome == "accepted", sent
        moving = await dispatcher.officer_status(officer_id, "en_route")
        assert moving.outcome == "accepted", moving
    return incident_id, officer_id


async def hub_officer(hub: HubServer, officer_id: str) -> dict:
    async with httpx.AsyncClient() as client:
        answer = await client.get(
            f"{hub.url}/v1/snapshot", headers={"Authorization": f"Bearer {hub.tokens['viewer']}"}
        )
    return next(o for o in answer.json()["officers"] if o["id"] == officer_id)


async def on_the_board(app: PilkadesApp, pilot, officer_id: str) -> OfficerPane:  # noqa: ANN001
    await until(pilot, lambda: app.feed.status.state == ConnectionState.LIVE)
    await pilot.press("3")
    pane = app.query_one(OfficerPane)
    await until(pilot, lambda: officer_id in pane.source_rows.positions)
    await until(pilot, lambda: app.current_state().officers[officer_id].status == "en_route")
    assert pane.select_key(officer_id)
    await pilot.pause()
    return pane


async def test_enter_shows_the_unit_with_its_incident_and_history(
    hub: HubServer, app_factory: AppFactory
) -> None:
    incident_id, officer_id = await assigned_unit(hub)
    app = live_console(app_factory, hub.url, hub.tokens["dispatcher"])
    async with app.run_test(size=(120, 40)) as pilot:
        await on_the_board(app, pilot, officer_id)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, UnitDetailScreen))
        state = app.current_state()
        officer = state.officers[officer_id]
        incident = state.incidents[incident_id]
        text = screen_text(app)
        assert f"Unit {officer_id}" in text and officer.name in text
        assert "menuju lokasi sejak" in text
        assert f"Tugas: {incident_id} — P{incident.priority} " in text
        assert incident.village in text
        # The history: the hub's timeline entries that name the unit.
        assert "Riwayat unit" in text
        assert f"runner-dispatcher  {ID.enum('action', 'assign')}  {officer_id}" in text
        # While the screen is open the unit reports on scene (the incident's timeline
        # says so), then, by mistake, en route again (no timeline entry: the console's
        # own record of the change tells it).
        async with HubCommands(hub.url, hub.tokens["dispatcher"]) as dispatcher:
            assert (await dispatcher.officer_status(officer_id, "on_scene")).outcome == "accepted"
            await until(pilot, lambda: "di lokasi sejak" in screen_text(app))
            assert (await dispatcher.officer_status(officer_id, "en_route")).outcome == "accepted"
        seen = ID.text("unit_detail.became", status="menuju lokasi")
        await until(pilot, lambda: seen in screen_text(app))
        history = screen_text(app)
        history = history[history.index("Riwayat unit") :]
        rows = [line.split() for line in history.splitlines()]
        sent = f"runner-dispatcher {ID.enum('action', 'assign')} {officer_id}"
        reported = f"runner-dispatcher {ID.enum('action', 'officer')}: di lokasi"
        told = [" ".join(row[2:]) for row in rows if len(row) > 2]
        assert told[1:4] == [sent, reported, f"{ID.text('unit_detail.seen')} {seen}"], told
        # The on-scene change is the timeline's entry, told once, not again as seen.
        assert ID.text("unit_detail.became", status="di lokasi") not in history
        assert ID.text("unit_detail.seen") in history
        # `x` works from the detail too; the recall joins the history.
        await pilot.press("x")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, UnitDetailScreen))
        # By the token and the officer at this desk (the console names its operator).
        recalled = f"runner-dispatcher / Iptu Budi {ID.enum('action', 'release')} {officer_id}"
        await until(pilot, lambda: "siaga sejak" in screen_text(app))
        await until(pilot, lambda: recalled in " ".join(screen_text(app).split()))
        assert ID.text("unit_detail.no_incident") in screen_text(app)
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, UnitDetailScreen))
        assert app.active_pane() == "officers"


async def test_release_asks_naming_unit_and_incident_then_frees_it_on_the_hub(
    hub: HubServer, app_factory: AppFactory
) -> None:
    incident_id, officer_id = await assigned_unit(hub)
    app = live_console(app_factory, hub.url, hub.tokens["dispatcher"])
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        pane = await on_the_board(app, pilot, officer_id)
        incident = app.current_state().incidents[incident_id]
        await pilot.press("x")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        question = screen_text(app)
        for named in (officer_id, incident_id, ID.enum("category", incident.category)):
            assert named in question
        await pilot.press("escape")  # a slip: nothing is sent, nothing logged
        await pilot.pause(0.3)
        assert (await hub_officer(hub, officer_id))["status"] == "en_route"
        assert not [e for e in app.logbook.entries() if e.kind is Kind.DECISION]
        await pilot.press("x")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("enter")
        await until(pilot, lambda: app.current_state().officers[officer_id].status == "available")
        await until(pilot, lambda: last_decision(app).outcome is Outcome.ACCEPTED)
        entry = last_decision(app)
        assert (entry.action, entry.subject, list(entry.officer_ids)) == (
            "release", incident_id, [officer_id]
        )  # fmt: skip
        assert entry.outcome is Outcome.ACCEPTED and app.logbook.verify().ok
        on_hub = await hub_officer(hub, officer_id)
        assert (on_hub["status"], on_hub["incident_id"]) == ("available", None)
        timeline = app.current_state().incidents[incident_id].timeline
        assert [step.action for step in timeline].count("release") == 1
        assert officer_id not in app.current_state().incidents[incident_id].officer_ids
        # Now free: another `x` says there is nothing to recall instead of asking.
        await until(pilot, lambda: cells_of(pane, officer_id)[2] == "siaga")
        await pilot.press("x")
        await pilot.pause(0.2)
        assert not isinstance(app.screen, ConfirmDialog)
        assert ID.text("notify.unit_free", unit=officer_id) in notifications(app)
