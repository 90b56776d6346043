"""Theme files: the packaged four, user themes from the config folder, and a broken
file that is named on screen while the console falls back to a theme that works."""

from __future__ import annotations

from pathlib import Path

import pytest

from pilkades_tui.console.themes import DEFAULT_THEME, load_themes, read_theme
from pilkades_tui.paths import user_themes_dir
from tests.console.conftest import AppFactory, ColourCase
from tests.console.live import until
from tests.console.screen import screen_text

pytestmark = pytest.mark.timeout(60)

PACKAGED = {"operasi-malam", "siang", "kontras-tinggi", "monokrom"}

GOOD_USER_THEME = """
name = "polres-hijau"
dark = true
primary = "#2e7d32"
accent = "#ffb300"
background = "#0d1a0f"
"""


def write_user_theme(name: str, text: str) -> Path:
    folder = user_themes_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.toml"
    path.write_text(text, "utf-8")
    return path


def test_the_packaged_themes_load_cleanly() -> None:
    themes, problems = load_themes()
    assert problems == []
    assert {theme.name for theme in themes} >= PACKAGED
    assert DEFAULT_THEME in PACKAGED
    light = {theme.name for theme in themes if not theme.dark}
    assert "siang" in light


def test_a_user_theme_joins_the_packaged_ones() -> None:
    write_user_theme("polres-hijau", GOOD_USER_THEME)
    themes, problems = load_themes()
    assert problems == []
    assert "polres-hijau" in {theme.name for theme in themes}


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ('name = "x"\nprimary = "#123456', "TOML"),
        ('name = "x"\nprimary = "not-a-colour"', "primary"),
        ('name = "x"\naccent = "#ffffff"', "primary"),
        ('name = "x"\nprimary = "#ffffff"\nbackgroud = "#000000"', "backgroud"),
        ('name = "x"\nprimary = "#ffffff"\ndark = "ya"', "dark"),
    ],
)
def test_a_broken_theme_file_is_named_with_its_fault(tmp_path: Path, text: str, said: str) -> None:
    path = tmp_path / "rusak.toml"
    path.write_text(text, "utf-8")
    with pytest.raises(ValueError, match=said):
        read_theme(path)
    write_user_theme("rusak", text)
    themes, problems = load_themes()
    assert {theme.name for theme in themes} >= PACKAGED
    assert [problem.path.name for problem in problems] == ["rusak.toml"]
    assert said in problems[0].error


async def test_console_reports_a_broken_theme_and_falls_back(app_factory: AppFactory) -> None:
    write_user_theme("rusak", 'name = "rusak"\nprimary = "merah-putih"')
    app = app_factory(theme="rusak")
    async with app.run_test(size=(140, 30), notifications=True) as pilot:
        await until(pilot, lambda: "rusak.toml" in screen_text(app))
        assert app.theme == DEFAULT_THEME
        assert app.query_one("#incidents").region.height > 5  # still a working console


async def test_theme_option_picks_a_user_theme(app_factory: AppFactory) -> None:
    write_user_theme("polres-hijau", GOOD_USER_THEME)
    app = app_factory(theme="polres-hijau")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.theme == "polres-hijau"


async def test_unknown_theme_option_falls_back_with_a_message(app_factory: AppFactory) -> None:
    app = app_factory(theme="pelangi")
    async with app.run_test(size=(140, 30), notifications=True) as pilot:
        await until(pilot, lambda: "pelangi" in screen_text(app))
        assert app.theme == DEFAULT_THEME


BAD_VARIABLE_THEME = GOOD_USER_THEME.replace("polres-hijau", "polres-rusak") + (
    '\n[variables]\ntext-warning = "bukan-warna"\n'
)


@pytest.mark.parametrize("how", ["--theme", ":theme"])
async def test_a_theme_with_a_bad_variable_is_refused_not_fatal(
    app_factory: AppFactory, how: str
) -> None:
    """The file reads (TOML, colours), but a variable would break the stylesheet: Textual
    would stop the app on it. The console says so and keeps the theme it has."""
    write_user_theme("polres-rusak", BAD_VARIABLE_THEME)
    app = app_factory(theme="polres-rusak" if how == "--theme" else None)
    async with app.run_test(size=(140, 30), notifications=True) as pilot:
        if how == ":theme":
            await pilot.press("colon", *"theme polres-rusak", "enter")
        await until(pilot, lambda: "polres-rusak" in screen_text(app))
        assert app.is_running
        assert app.theme == DEFAULT_THEME
        text = screen_text(app)
        assert "polres-rusak" in text
        assert DEFAULT_THEME in text  # the theme it stays with, named
        assert app.query_one("#incidents").region.height > 5
        await pilot.press("colon", *"theme siang", "enter")
        await until(pilot, lambda: app.theme == "siang")


async def test_without_colours_warnings_and_alarms_still_stand_out(
    colour_case: ColourCase,
) -> None:
    app, marked = colour_case.app, colour_case.marked
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        pane = app.query_one("#incidents")
        warn = pane.get_component_rich_style("vtable--warn")
        alarm = pane.get_component_rich_style("vtable--alarm")
        normal = pane.get_component_rich_style("vtable--normal")
        assert (bool(warn.underline), bool(alarm.reverse)) == (marked, marked)
        assert not normal.underline and not normal.reverse
