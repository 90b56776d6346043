"""Who did what: the console names its officer to the hub, `:handover NAME` gives the
desk to the next one, and the handover counts the decisions of the shift that ends."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from pilkades_tui.console.screens.handover_screen import HandoverScreen
from pilkades_tui.console.screens.incident_detail import IncidentDetailScreen
from pilkades_tui.console.widgets.incident_pane import IncidentPane
from pilkades_tui.feed.commands import HubCommands
from pilkades_tui.hub.runner import HubServer
from pilkades_tui.i18n import Catalogue
from pilkades_tui.logbook import Kind, Logbook
from pilkades_tui.paths import logbook_file
from tests.console.conftest import AppFactory
from tests.console.live import live_console, until
from tests.console.screen import screen_text
from tests.console.world import AT

pytestmark = pytest.mark.timeout(60)

EN = Catalogue("en")


async def run_command(pilot: Pilot[object], line: str) -> None:
    await pilot.press("colon", *line, "enter")


def last_by(app, incident_id: str) -> str:  # type: ignore[no-untyped-def]
    return app.current_state().incidents[incident_id].timeline[-1].by


async def test_the_timeline_names_the_officer_and_a_handover_gives_the_desk_on(
    hub: HubServer, app_factory: AppFactory, tmp_path: Path
) -> None:
    data = tmp_path / "console"
    app = live_console(app_factory, hub.url, hub.tokens["dispatcher"], data_dir=data, lang="en")
    reporter = HubCommands(hub.url, hub.tokens["reporter"])
    async with reporter, app.run_test(size=(140, 40)) as pilot:
        await until(pilot, lambda: EN.text("conn.live") in screen_text(app))
        tps_id = sorted(app.current_state().tps)[0]
        reported = await reporter.new_incident(
            category="intimidation",
            tps_id=tps_id,
            description="saksi diancam",
            reported_by="Bhabinkamtibmas",
        )
        incident_id = reported.record["id"]
        pane = app.query_one(IncidentPane)
        await until(pilot, lambda: pane.select_key(incident_id))
        await pilot.press("k")
        await until(pilot, lambda: "ConfirmDialog" in type(app.screen).__name__)
        await pilot.press("y")
        first = "runner-dispatcher / Iptu Budi"
        await until(pilot, lambda: last_by(app, incident_id) == first)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, IncidentDetailScreen))
        await until(pilot, lambda: first in screen_text(app))
        await pilot.press("escape")

        await run_command(pilot, "handover Ipda Sari")
        await until(pilot, lambda: isinstance(app.screen, HandoverScreen))
        summary = app.screen.summary_markdown
        shift = summary.split(EN.text("section.shift"), 1)[1]
        assert "Iptu Budi" in shift and incident_id in shift
        await pilot.press("y")
        await until(pilot, lambda: f"{EN.text('header.operator')}: Ipda Sari" in screen_text(app))

        await until(pilot, lambda: pane.select_key(incident_id))
        await pilot.press("n")
        await pilot.press(*"diserahkan ke piket berikut", "enter")
        second = "runner-dispatcher / Ipda Sari"
        await until(pilot, lambda: last_by(app, incident_id) == second)
    with Logbook.open(logbook_file(data), read_only=True) as book:
        entries = book.entries()
    assert [(e.kind, e.operator) for e in entries] == [
        (Kind.DECISION, "Iptu Budi"),
        (Kind.HANDOVER, "Iptu Budi"),
        (Kind.DECISION, "Ipda Sari"),
    ]


async def test_the_handover_counts_decisions_on_the_consoles_own_clock(
    app_factory: AppFactory, tmp_path: Path
) -> None:
    """The console's clock is a morning in 2022 (a drill's or a demo's simulated day);
    the logbook must stamp decisions with it, not with the wall clock."""
    data = tmp_path / "console"
    app = app_factory(data_dir=data, lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        pane = app.query_one(IncidentPane)
        for incident_id in ("INC-0001", "INC-0002"):
            assert pane.select_key(incident_id)
            await pilot.press("n")
            await pilot.press(*"cek lokasi", "enter")
            await until(pilot, lambda: len(app.screen_stack) == 1)
        await until(pilot, lambda: len(app.logbook.entries()) == 2)
        await run_command(pilot, "handover Ipda Sari")
        await until(pilot, lambda: isinstance(app.screen, HandoverScreen))
        shift = app.screen.summary_markdown.split(EN.text("section.shift"), 1)[1]
        assert "INC-0001" in shift and "INC-0002" in shift
        assert EN.text("none") not in shift
        await pilot.press("y")
    assert {entry.at for entry in app.logbook.entries()} == {AT}
