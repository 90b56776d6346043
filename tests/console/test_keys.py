"""Every key of the console, pressed the way an officer presses it, on a fixed morning."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from pilkades_tui.console.app import PilkadesApp
from pilkades_tui.console.keys import GLOBAL_BINDINGS, QUEUE_BINDINGS
from pilkades_tui.console.screens.help import HelpScreen
from pilkades_tui.console.widgets.pane import Pane
from pilkades_tui.console.widgets.tps_pane import TpsPane
from pilkades_tui.i18n import Catalogue
from tests.console.conftest import AppFactory
from tests.console.live import until
from tests.console.screen import screen_text

pytestmark = pytest.mark.timeout(60)

ID = Catalogue("id")
EN = Catalogue("en")


def visible_pane(app: PilkadesApp) -> str | None:
    return app.active_pane()


def tps_rows(app: PilkadesApp) -> list[str]:
    """Record ids of the TPS rows the pane lists now (summary lines left out)."""
    pane = app.query_one(TpsPane)
    return [key for key in pane.source_rows.keys if key in app.current_state().tps]


async def type_line(pilot, text: str) -> None:  # noqa: ANN001 - textual Pilot is generic
    """Type a whole line into the focused input and submit it. Key by key for the `/`
    filter (tests/console/test_keys.py::test_slash_filters_the_visible_pane); at once for
    commands, which keeps this file's run short."""
    field = pilot.app.focused
    assert isinstance(field, Input), f"no input has the focus but {field!r}"
    field.value = text
    await pilot.press("enter")
    await pilot.pause()


async def test_number_keys_and_tab_switch_panes(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        for key, pane in (
            ("1", "tps"), ("2", "incidents"), ("3", "officers"), ("4", "map"), ("5", "alerts")
        ):  # fmt: skip
            await pilot.press(key)
            assert visible_pane(app) == pane
        await pilot.press("1")
        seen = []
        for _ in range(5):
            await pilot.press("tab")
            seen.append(visible_pane(app))
        assert seen == ["incidents", "officers", "map", "alerts", "tps"]


async def test_one_pane_at_a_time_on_a_small_terminal(app_factory: AppFactory) -> None:
    """At 80x24 panes switch instead of squeezing: the visible one gets the whole body."""
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        shown = [pane for pane in app.query(Pane) if pane.display and pane.region.height]
        assert [pane.id for pane in shown] == ["tps"]
        assert shown[0].region.width == 80
        assert shown[0].region.height >= 18
        text = screen_text(app)
        assert "TPS 01" in text


async def test_slash_filters_the_visible_pane(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("1")
        everything = tps_rows(app)
        await pilot.press("slash", "B", "u", "k", "u", "r", "enter")
        await pilot.pause()
        rows = tps_rows(app)
        assert 0 < len(rows) < len(everything)
        assert {app.current_state().tps[key].village for key in rows} == {"Bukur"}
        # Other panes keep their own filter.
        await pilot.press("3")
        assert app.query_one("#officers", Pane).filters.text == ""


async def test_slash_on_the_map_says_where_filters_work(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=(140, 30), notifications=True) as pilot:
        await pilot.press("4", "slash")
        said = ID.text("filter.not_here").split(":")[0]
        await until(pilot, lambda: said in screen_text(app))
        assert not app.query_one("#prompt", Input).display


async def test_command_line_filters_by_kecamatan_risk_phase_and_clears(
    app_factory: AppFactory,
) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("1")
        state = app.current_state()
        total = len(tps_rows(app))
        # A kecamatan with high-risk TPS, typed in lower case as officers do.
        district = next(
            name for name in state.districts() if state.district_counts()[name].high_risk_tps
        )
        await pilot.press("colon")
        await type_line(pilot, f"kecamatan {district.lower()}")
        assert {state.tps[key].district for key in tps_rows(app)} == {district}
        await pilot.press("colon")
        await type_line(pilot, "risk high")
        rows = tps_rows(app)
        assert rows and {(state.tps[k].district, state.tps[k].risk) for k in rows} == {
            (district, "high")
        }
        await pilot.press("colon")
        await type_line(pilot, "clear")
        assert len(tps_rows(app)) == total
        await pilot.press("colon")
        await type_line(pilot, "phase setup")
        rows = tps_rows(app)
        assert rows and {state.tps[key].phase for key in rows} == {"setup"}
        assert len(rows) < total


async def test_escape_closes_the_prompt_without_acting(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("1", "slash", "x", "y", "z", "escape")
        await pilot.pause()
        assert app.query_one(TpsPane).filters.text == ""
        await pilot.press("2")
        assert visible_pane(app) == "incidents"


async def test_theme_language_and_unknown_commands(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 30), notifications=True) as pilot:
        await pilot.press("colon")
        await type_line(pilot, "terbang")
        await until(pilot, lambda: "terbang" in screen_text(app))
        await pilot.press("colon")
        await type_line(pilot, "kecamatan Atlantis")
        await until(pilot, lambda: "Atlantis" in screen_text(app))
        await pilot.press("colon")
        await type_line(pilot, "theme siang")
        assert app.theme == "siang"
        await pilot.press("colon")
        await type_line(pilot, "theme tidak-ada")
        assert app.theme == "siang"
        await pilot.press("colon")
        await type_line(pilot, "lang en")
        await until(pilot, lambda: EN.text("pane.incidents") in screen_text(app))
        text = screen_text(app)
        assert EN.text("pane.incidents") in text
        assert EN.text("header.outbox") in text
        assert ID.text("header.outbox") not in text


async def test_footer_shows_the_keys(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=(320, 30)) as pilot:
        await pilot.press("2")
        # Beside other panes the key bar keeps its two lines, all keys on one or not.
        footer = " ".join(screen_text(app).splitlines()[-2:])
        for binding in (*QUEUE_BINDINGS, *GLOBAL_BINDINGS):
            if binding.show:
                assert ID.text(binding.description) in footer, binding.key


async def test_question_mark_lists_every_key(app_factory: AppFactory) -> None:
    app = app_factory(lang="en")
    async with app.run_test(size=(120, 50)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        for binding in (*GLOBAL_BINDINGS, *QUEUE_BINDINGS):
            assert EN.text(binding.description) in text, binding.key
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_enter_opens_the_incident_detail(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2", "enter")
        await until(pilot, lambda: ID.text("detail.title", id="INC-0001") in screen_text(app))
        text = screen_text(app)
        # The queue starts on the P1 clash; its detail names nearby units to send.
        assert ID.text("detail.title", id="INC-0001") in text
        assert ID.text("detail.recommended") in text
        first_unit = app.current_state().recommend(app.current_state().incidents["INC-0001"])[0]
        assert first_unit.officer.id in text
        # The header stays on top: the connection, the operator, the open counts.
        assert ID.text("conn.connecting") in text
        assert "Iptu Budi" in text and "P1:1" in text
        await pilot.press("escape")
        await pilot.pause()
        assert visible_pane(app) == "incidents"


async def test_q_quits_at_once_with_an_empty_outbox(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("q")
        await pilot.pause(0.2)
        assert not app.is_running


@pytest.mark.parametrize("quit_key", ["q", "ctrl+q"])
async def test_q_asks_first_when_commands_wait_in_the_outbox(
    app_factory: AppFactory, quit_key: str
) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        # Nothing listens on the hub URL, so the command waits in the outbox.
        result = await app.commands.incident_action("INC-0001", "acknowledge", expected_version=1)
        assert result.outcome == "queued"
        await pilot.pause(0.2)
        await pilot.press(quit_key)  # Textual's own ctrl+q must not slip past the question
        question = ID.text("dialog.quit_outbox", count=1)
        await until(pilot, lambda: question in screen_text(app))
        assert app.is_running
        await pilot.press("escape")
        await pilot.pause(0.2)
        assert app.is_running
        await pilot.press("q")
        await pilot.pause(0.2)
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert not app.is_running


async def test_tiny_terminals_do_not_crash(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=(1, 1)) as pilot:
        for size in ((1, 1), (10, 3), (30, 8), (2, 2), (79, 23)):
            await pilot.resize_terminal(*size)
            for key in ("1", "2", "3", "4", "tab", "question_mark", "escape"):
                await pilot.press(key)
            await pilot.pause()
            assert app.is_running
        await pilot.resize_terminal(80, 24)
        await pilot.press("2")
        await pilot.pause()
        assert "P1:1" in screen_text(app)


@pytest.mark.parametrize("lang", ["id", "en"])
async def test_at_80_columns_header_and_footer_keep_what_matters(
    app_factory: AppFactory, lang: str
) -> None:
    """Open counts and the outbox wrap to a second header line rather than fall off the
    end; help and quit come first among the keys that work everywhere."""
    words = Catalogue(lang)
    app = app_factory(lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "P1:1" in text and "P4:0" in text
        assert f"{words.text('header.outbox')} 0" in text
        assert words.text("key.help") in text and words.text("key.quit") in text
        assert words.text("key.ack") in text  # the queue's own keys, on the line above


def _console_classes_with_bindings() -> list[type]:
    """Every widget, screen and the app under pilkades_tui.console that binds keys."""
    import importlib
    import pkgutil

    from textual.dom import DOMNode

    import pilkades_tui.console as console_package

    for module in pkgutil.walk_packages(console_package.__path__, "pilkades_tui.console."):
        importlib.import_module(module.name)
    found: list[type] = []
    pending = list(DOMNode.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls.__module__.startswith("pilkades_tui.console") and "BINDINGS" in vars(cls):
            found.append(cls)
    return found


def test_every_bound_key_is_described_and_in_the_help() -> None:
    """A key cannot be bound and undocumented: every binding of every console class has
    a catalogue description, and the help lists it under a section."""
    from textual.binding import Binding

    from pilkades_tui.console.screens.help import help_sections

    classes = _console_classes_with_bindings()
    assert len(classes) >= 12, classes
    in_help = {
        (binding.key, binding.action)
        for _, bindings in help_sections()
        for binding in Binding.make_bindings(bindings)
    }
    for cls in classes:
        for binding in Binding.make_bindings(cls.BINDINGS):
            assert binding.description in ID.known_keys(), (cls.__name__, binding)
            assert (binding.key, binding.action) in in_help, (cls.__name__, binding.key)


async def test_help_screen_shows_every_section_and_command(app_factory: AppFactory) -> None:
    from textual.binding import Binding

    from pilkades_tui.console.keys import key_entries, plain_display
    from pilkades_tui.console.screens.help import help_sections

    app = app_factory(lang="en")
    async with app.run_test(size=(120, 200)) as pilot:
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        text = screen_text(app)
        for title, bindings in help_sections():
            assert EN.text(title) in text, title
            for keys, description in key_entries(Binding.make_bindings(bindings), plain_display):
                assert EN.text(description) in text, (keys, description)
