"""Console fixtures: every test gets its own config and data folders (XDG_*), so a theme
or config file in the developer's home never leaks into a result; `app_factory` makes
a console on the fixed morning of tests/console/world.py."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.console.world import UNUSED_HUB, fixed_clock, fixed_state

if TYPE_CHECKING:
    from pilkades_tui.console.app import PilkadesApp

AppFactory = Callable[..., "PilkadesApp"]


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    # The console reads these (option, environment, file, default): a developer's shell
    # must not change a test's result.
    for name in ("TOKEN", "HUB", "OPERATOR", "DATA", "THEME", "LANG", "LAYOUT"):
        monkeypatch.delenv(f"PILKADES_{name}", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    return home


@pytest.fixture
def app_factory(tmp_path: Path) -> Iterator[AppFactory]:
    """`app_factory(**overrides)`: a console on the fixed state unless `state=None` and a
    `hub_url`/`token` of a real hub are given."""
    counter = iter(range(1_000))

    def make(**overrides: Any) -> PilkadesApp:
        # Imported here so the tests that need no app (i18n, themes) run on their own.
        from pilkades_tui.console.app import PilkadesApp

        options: dict[str, Any] = {
            "hub_url": UNUSED_HUB,
            "token": "unused-token",
            "operator": "Iptu Budi",
            "data_dir": tmp_path / f"console-{next(counter)}",
            "theme": None,
            "lang": "id",
            "clock": fixed_clock,
        }
        options.update(overrides)
        if "state" not in overrides:
            options["state"] = fixed_state()
        return PilkadesApp(**options)

    yield make


@dataclass(frozen=True)
class ColourCase:
    """A console in one of the ways colours can be there or gone: `marked` says whether
    its rows must stand out by more than colour (bold, underline, reverse, a mark)."""

    app: PilkadesApp
    theme: str
    marked: bool


@pytest.fixture(
    params=[("siang", False, False), ("monokrom", False, True), ("siang", True, True)],
    ids=["siang", "monokrom", "siang-NO_COLOR"],
)
def colour_case(
    request: pytest.FixtureRequest, app_factory: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> ColourCase:
    """A colour theme, the greys-only theme, and a colour theme under NO_COLOR."""
    theme, no_color, marked = request.param
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")  # Textual reads it when the app is made
    return ColourCase(app_factory(theme=theme), theme, marked)
