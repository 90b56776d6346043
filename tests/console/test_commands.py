"""The `:` command table: arguments in the officer's words, aliases, usage on a mistake,
the help built from the table, and the command palette (ctrl+p) offering the same."""

from __future__ import annotations

import pytest
from textual.command import CommandPalette
from textual.widgets import Input

from pilkades_tui.console.commands import COMMANDS
from pilkades_tui.console.screens.help import HelpScreen
from pilkades_tui.console.widgets.tps_pane import TpsPane
from pilkades_tui.i18n import Catalogue
from tests.console.conftest import AppFactory
from tests.console.live import until
from tests.console.screen import notifications, screen_text
from tests.console.test_keys import type_line

pytestmark = pytest.mark.timeout(60)

ID = Catalogue("id")
EN = Catalogue("en")


@pytest.mark.parametrize(
    ("line", "risk"),
    [
        ("risk sangat rawan", "high"),
        ("risk Sangat_Rawan", "high"),
        ("risk high", "high"),
        ("rawan aman", "low"),
        ("kerawanan rawan", "medium"),
    ],
)
async def test_risk_is_taken_in_the_officers_words(
    app_factory: AppFactory, line: str, risk: str
) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("1", "colon")
        await type_line(pilot, line)
        assert app.query_one(TpsPane).filters.risk == risk


async def test_a_mistake_says_the_usage_from_the_table(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=(160, 30)) as pilot:
        await pilot.press("colon")
        await type_line(pilot, "risk gawat")
        bad = ID.text("cmd.bad_value", value="gawat")
        await until(pilot, lambda: bad in notifications(app))
        await pilot.press("colon")
        await type_line(pilot, "handover")
        usage = ID.text("cmd.usage", usage=ID.text("usage.handover"))
        await until(pilot, lambda: usage in notifications(app))
        await pilot.press("colon")
        await type_line(pilot, "terbang")
        unknown = ID.text("cmd.unknown", command="terbang")
        await until(pilot, lambda: unknown in notifications(app))


async def test_help_lists_every_command_of_the_table(app_factory: AppFactory) -> None:
    app = app_factory(lang="en")
    async with app.run_test(size=(140, 200)) as pilot:
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        text = screen_text(app)
        for command in COMMANDS.commands:
            assert EN.text(command.usage_key) in text, command.name
            assert EN.text(command.help_key) in text, command.name


async def test_the_palette_offers_the_table_and_runs_a_choice(app_factory: AppFactory) -> None:
    """A mouse-less officer types `sangat` in ctrl+p and finds the risk filter."""
    app = app_factory()
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("1", "ctrl+p")
        await until(pilot, lambda: isinstance(app.screen, CommandPalette))
        await pilot.press(*"sangat")
        await until(pilot, lambda: ":risk sangat rawan" in screen_text(app))
        await pilot.press("enter")
        await until(pilot, lambda: not isinstance(app.screen, CommandPalette))
        await until(pilot, lambda: app.query_one(TpsPane).filters.risk == "high")


async def test_the_palette_types_a_command_that_needs_a_name(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("ctrl+p")
        await until(pilot, lambda: isinstance(app.screen, CommandPalette))
        await pilot.press(*"handover")
        await until(pilot, lambda: ID.text("usage.handover") in screen_text(app))
        await pilot.press("enter")
        prompt = app.query_one("#prompt", Input)
        await until(pilot, lambda: prompt.display and prompt.value == "handover ")
        assert app.focused is prompt
