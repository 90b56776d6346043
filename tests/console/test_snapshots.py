"""The main screen, as an officer sees it, at 80x24 (one pane) and 120x40 (the desk) in
every packaged theme, and the wide layouts.

The morning is fixed (tests/console/world.py) and so is the clock, so a change here is
a change of the console's look: check the report, then `pytest tests/console
--snapshot-update` to accept it.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.console.conftest import AppFactory

pytestmark = pytest.mark.timeout(60)

THEMES = ("operasi-malam", "siang", "kontras-tinggi", "monokrom")
SIZES = ((80, 24), (120, 40))


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
@pytest.mark.parametrize("theme", THEMES)
def test_main_screen(
    snap_compare: Callable[..., bool],
    app_factory: AppFactory,
    theme: str,
    size: tuple[int, int],
) -> None:
    assert snap_compare(app_factory(theme=theme), terminal_size=size)


def test_tps_pane_in_english(snap_compare: Callable[..., bool], app_factory: AppFactory) -> None:
    assert snap_compare(app_factory(lang="en"), press=["1"], terminal_size=(120, 40))


def test_unit_board(snap_compare: Callable[..., bool], app_factory: AppFactory) -> None:
    """The unit board at 120x40: counts by status in the title, place in words."""
    assert snap_compare(app_factory(), press=["3"], terminal_size=(120, 40))


def test_unit_detail(snap_compare: Callable[..., bool], app_factory: AppFactory) -> None:
    assert snap_compare(app_factory(), press=["3", "enter"], terminal_size=(120, 40))


@pytest.mark.parametrize(
    ("layout", "size"),
    [("auto", (200, 60)), ("wall", (200, 60)), ("wall", (120, 40))],
    ids=lambda value: value if isinstance(value, str) else f"{value[0]}x{value[1]}",
)
def test_layouts(
    snap_compare: Callable[..., bool],
    app_factory: AppFactory,
    layout: str,
    size: tuple[int, int],
) -> None:
    """The wide desk (queue, brief, alerts, map) and the wall (map, queue, kecamatan
    board); 80x24 (one pane) and 120x40 (the desk) are test_main_screen's."""
    assert snap_compare(app_factory(layout=layout), terminal_size=size)
