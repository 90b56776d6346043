"""The key bar at 80 columns: every key of the focused pane is on it, or `?` is, and the
help lists what the bar had to leave off; no entry is ever cut mid-word."""

from __future__ import annotations

import pytest
from textual.binding import Binding

from pilkades_tui.console.app import PilkadesApp
from pilkades_tui.console.keys import GLOBAL_BINDINGS, key_entries, plain_display
from pilkades_tui.console.screens.help import HelpScreen
from pilkades_tui.console.screens.incident_detail import IncidentDetailScreen
from pilkades_tui.console.widgets.keybar import KeyBar, pack_keys
from pilkades_tui.i18n import Catalogue
from tests.console.conftest import AppFactory
from tests.console.live import until
from tests.console.screen import screen_text

pytestmark = pytest.mark.timeout(60)

HELP = ("?", "help")


def test_everything_on_one_line_when_it_fits() -> None:
    here = [("k", "ack"), ("a", "assign")]
    everywhere = [HELP, ("q", "quit")]
    assert pack_keys(here, everywhere, HELP, 200) == [[*here, *everywhere]]


def test_pane_keys_run_on_into_the_second_line_before_the_apps() -> None:
    here = [("k", "ack"), ("a", "assign"), ("e", "escalate")]
    everywhere = [HELP, ("q", "quit")]
    # " k  ack " is 8 cells, " a  assign " 11, " e  escalate " 13, " ?  help " 9.
    lines = pack_keys(here, everywhere, HELP, 22)
    assert lines[0] == [("k", "ack"), ("a", "assign")]
    assert lines[1][0] == ("e", "escalate")
    assert lines[1][-1] == HELP  # what is left off is one `?` away


def test_help_is_kept_at_the_end_when_keys_are_left_off() -> None:
    here = [(str(n), f"pane key {n}") for n in range(6)]
    everywhere = [HELP, ("q", "quit"), ("tab", "next pane")]
    lines = pack_keys(here, everywhere, HELP, 40)
    assert len(lines) == 2
    assert lines[-1][-1] == HELP
    for line in lines:
        assert sum(len(f" {k}  {d} ") for k, d in line) <= 40


def test_without_pane_keys_the_apps_keys_take_both_lines() -> None:
    everywhere = [HELP, *((str(n), f"global {n}") for n in range(8))]
    lines = pack_keys([], everywhere, HELP, 30)
    assert len(lines) == 2 and lines[0][0] == HELP


def test_without_a_help_key_the_bar_still_keeps_whole_entries() -> None:
    here = [(str(n), f"pane key {n}") for n in range(6)]
    lines = pack_keys(here, [("q", "quit")], None, 30)
    assert len(lines) == 2
    assert all(sum(len(f" {k}  {d} ") for k, d in line) <= 30 for line in lines)


def bar_lines(app: PilkadesApp) -> list[str]:
    region = app.screen.query_one(KeyBar).region
    return screen_text(app).splitlines()[region.y : region.y + region.height]


def entry_text(keys: str, description: str) -> str:
    return f"{keys}  {description}"


async def help_text(app: PilkadesApp, pilot) -> str:  # noqa: ANN001 - textual Pilot
    """The whole `?` screen at 80 columns, tall enough to show every section."""
    await pilot.press("question_mark")
    await until(pilot, lambda: isinstance(app.screen, HelpScreen))
    await pilot.resize_terminal(80, 220)
    await pilot.pause()
    text = screen_text(app)
    await pilot.press("escape")
    await pilot.resize_terminal(80, 24)
    await pilot.pause()
    return text


def check_bar(app: PilkadesApp, own: list[Binding], words: Catalogue, help_screen: str) -> None:
    lines = bar_lines(app)
    assert 1 <= len(lines) <= 2
    entries = [
        entry_text(keys, words.text(description))
        for keys, description in key_entries(
            [b for b in (*own, *GLOBAL_BINDINGS) if b.show], plain_display
        )
    ]
    for line in lines:
        assert "…" not in line, line
        rest = line
        for entry in sorted(entries, key=len, reverse=True):
            rest = rest.replace(entry, "")
        assert not rest.strip(), f"cut or unknown text {rest.strip()!r} in {line!r}"
    bar = "\n".join(lines)
    help_shown = entry_text("?", words.text("key.help")) in bar
    missing = [entry for entry in entries if entry not in bar]
    assert help_shown or not missing, missing
    for entry in missing:
        keys, description = entry.split("  ", 1)
        assert description in help_screen, entry
    # The focused pane's own keys are never the ones left off.
    for keys, description in key_entries([b for b in own if b.show], plain_display):
        assert entry_text(keys, words.text(description)) in bar, (keys, description)


@pytest.mark.parametrize("lang", ["id", "en"])
async def test_at_80x24_every_key_of_every_pane_is_on_the_bar_or_behind_help(
    app_factory: AppFactory, lang: str
) -> None:
    words = Catalogue(lang)
    app = app_factory(lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        help_screen = await help_text(app, pilot)
        for key in "12345":
            await pilot.press(key)
            await pilot.pause()
            own = Binding.make_bindings(type(app.focused).BINDINGS)
            check_bar(app, own, words, help_screen)
        await pilot.press("2", "enter")
        await until(pilot, lambda: isinstance(app.screen, IncidentDetailScreen))
        await pilot.pause()
        check_bar(app, Binding.make_bindings(IncidentDetailScreen.BINDINGS), words, help_screen)
