"""`:handover` shows what is handed over before recording it; `:clear` clears every
pane; escalation offers only the levels above the incident's own."""

from __future__ import annotations

from pathlib import Path

from pilkades_tui.console.screens.dialogs import ChoiceDialog
from pilkades_tui.console.screens.handover_screen import HandoverScreen
from pilkades_tui.console.widgets.pane import Pane
from pilkades_tui.domain.events import INCIDENT_UPDATED, Event
from pilkades_tui.logbook import Kind, Logbook
from pilkades_tui.paths import logbook_file
from tests.console.conftest import AppFactory
from tests.console.live import until
from tests.console.screen import notice_lines, screen_text
from tests.console.world import AT


async def run_command(pilot, line: str) -> None:
    await pilot.press("colon")
    await pilot.press(*line)
    await pilot.press("enter")
    await pilot.pause()


async def test_handover_shows_the_summary_then_records_it(
    app_factory: AppFactory, tmp_path: Path
) -> None:
    data = tmp_path / "console"
    app = app_factory(data_dir=data, lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await run_command(pilot, "handover Ipda Sari")
        await until(pilot, lambda: isinstance(app.screen, HandoverScreen))
        summary = app.screen.summary_markdown
        assert "INC-0001" in summary and "Shift handover" in summary
        await pilot.press("y")
        await pilot.pause()
        await run_command(pilot, "handover Ipda Rina")
        await until(pilot, lambda: isinstance(app.screen, HandoverScreen))
        await pilot.press("escape")  # looked, did not hand over
        await pilot.pause()
    with Logbook.open(logbook_file(data), read_only=True) as book:
        handovers = [e for e in book.entries() if e.kind is Kind.HANDOVER]
    assert [e.to_operator for e in handovers] == ["Ipda Sari"]


async def test_clear_lifts_every_panes_filter(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await run_command(pilot, "kecamatan Kajen")
        assert all(pane.filters.district == "Kajen" for pane in app.query(Pane))
        await pilot.press("3")
        await run_command(pilot, "clear")
        assert all(not pane.filters.describe() for pane in app.query(Pane))
        # Only the notices (the filter set, then cleared) still name it.
        shown = screen_text(app)
        for line in notice_lines(app):
            shown = shown.replace(line, "")
        assert "Kajen" not in shown


async def test_escalation_offers_only_levels_above_the_current_one(
    app_factory: AppFactory,
) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        state = app.current_state()
        assert state is not None
        held = state.incidents["INC-0001"]
        state.apply(
            Event(
                seq=state.seq + 1,
                ts=AT,
                type=INCIDENT_UPDATED,
                data=held.model_copy(update={"version": held.version + 1, "escalation": "polres"}),
            )
        )
        await pilot.press("2")
        app.query_one("#incidents", Pane).select_key("INC-0001")
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceDialog)
        assert [value for value, _label in app.screen.options] == ["polda"]


async def test_staffing_and_checkpoints_are_on_screen(app_factory: AppFactory) -> None:
    from pilkades_tui.console.screens.checkpoints_screen import CheckpointsScreen
    from pilkades_tui.console.widgets.tps_pane import TpsPane
    from pilkades_tui.domain.rules import StageState

    app = app_factory(lang="en")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.press("1")
        await until(pilot, lambda: app.engine_ready)  # the rules are built on the first tick
        pane = app.query_one(TpsPane)
        state = app.current_state()
        assert state is not None
        short = [
            tps_id for tps_id in state.tps
            if (s := app.engine.tps_staffing(tps_id)) is not None and s.short
        ]  # fmt: skip
        assert short, "the scenario leaves a few high-risk TPS short"
        row = pane.build_row(short[0])
        assert row.tone == "alarm" and "/2" in row.cells[-1]
        summary = pane.build_row(pane.source_rows.keys[0])
        assert "officers" in summary.cells[0] and "TPS short" in summary.cells[0]
        await run_command(pilot, "checkpoints")
        await until(pilot, lambda: isinstance(app.screen, CheckpointsScreen))
        stages = {summary.stage.value: summary for summary in app.screen.stages}
        # At 09:00 on the fixed morning voting should be open everywhere, and is not.
        assert stages["voting_open"].state == StageState.MISSED
        assert stages["voting_closed"].state == StageState.UPCOMING
        assert "MISSED" in screen_text(app)


async def test_a_spreading_cluster_is_pinned_listed_and_drawn(app_factory: AppFactory) -> None:
    from datetime import timedelta

    from pilkades_tui.console.widgets.incident_pane import IncidentPane
    from pilkades_tui.console.widgets.map_pane import CLUSTER_GLYPH, MapPane
    from pilkades_tui.domain.models import Incident

    app = app_factory(lang="en")
    async with app.run_test(size=(140, 40)) as pilot:
        state = app.current_state()
        assert state is not None
        tps = state.tps[sorted(state.tps)[500]]
        for number in range(3):
            reported = AT - timedelta(minutes=10 - number)
            incident = Incident(
                id=f"INC-90{number}",
                category="crowd",
                priority=2,
                tps_id=tps.id,
                village=tps.village,
                district=tps.district,
                lat=tps.lat + number * 0.001,
                lon=tps.lon,
                description="massa berkumpul",
                reported_by="warga",
                reported_at=reported,
                updated_at=reported,
            )
            event = Event(seq=state.seq + 1, ts=reported, type=INCIDENT_UPDATED, data=incident)
            app._on_changes(state.apply(event))
        # The rules judge once a second.
        await until(pilot, lambda: any(a.kind.value == "spread" for a in app.alerts))
        spread = [a for a in app.alerts if a.kind.value == "spread"]
        assert len(spread) == 1 and set(spread[0].subject_ids) >= {"INC-900", "INC-901", "INC-902"}
        queue = app.query_one(IncidentPane)
        assert "SPREADING" in queue.build_row(queue.source_rows.keys[0]).cells[0]
        await pilot.press("4")

        def glyphs() -> set[str]:
            overlay = app.query_one(MapPane)._overlay
            return {glyph for row in overlay.values() for glyph, _tone in row.values()}

        await until(pilot, lambda: CLUSTER_GLYPH["braille"] in glyphs())
