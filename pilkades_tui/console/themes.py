"""Console themes: TOML files read at start with Textual's Theme API.

Packaged themes come from `themes/` (installed as `pilkades_tui/_themes`), user
themes from the config folder's `themes/`. A file that cannot be read is reported
and skipped; the console falls back to the default theme.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from textual.color import Color, ColorParseError
from textual.theme import Theme

from pilkades_tui.paths import user_themes_dir

DEFAULT_THEME = "operasi-malam"
COLOR_FIELDS = (
    "primary", "secondary", "warning", "error", "success", "accent",
    "foreground", "background", "surface", "panel", "boost",
)  # fmt: skip
ALLOWED_FIELDS = {"name", "dark", "variables", *COLOR_FIELDS}


@dataclass(frozen=True, slots=True)
class ThemeProblem:
    path: Path
    error: str


def packaged_themes_dir() -> Path:
    installed = Path(__file__).resolve().parents[1] / "_themes"
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parents[2] / "themes"


def read_theme(path: Path) -> Theme:
    """One theme file; ValueError with a sentence naming what is wrong."""
    try:
        raw = tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise ValueError(f"cannot read: {error}") from None
    except tomllib.TOMLDecodeError as error:
        raise ValueError(f"not valid TOML: {error}") from None
    unknown = sorted(set(raw) - ALLOWED_FIELDS)
    if unknown:
        raise ValueError(f"unknown key {unknown[0]!r}")
    name = raw.get("name") or path.stem
    if not isinstance(name, str):
        raise ValueError("name must be text")
    if "primary" not in raw:
        raise ValueError("primary colour missing")
    colors: dict[str, str] = {}
    for key in COLOR_FIELDS:
        if key in raw:
            value = raw[key]
            try:
                Color.parse(value)
            except (ColorParseError, TypeError, ValueError):
                raise ValueError(f"{key} = {value!r} is not a colour") from None
            colors[key] = value
    dark = raw.get("dark", True)
    if not isinstance(dark, bool):
        raise ValueError("dark must be true or false")
    variables = raw.get("variables", {})
    if not isinstance(variables, dict):
        raise ValueError("variables must be a table")
    return Theme(name=name, dark=dark, variables=dict(variables), **colors)


def load_themes(extra_dirs: tuple[Path, ...] = ()) -> tuple[list[Theme], list[ThemeProblem]]:
    themes: list[Theme] = []
    problems: list[ThemeProblem] = []
    for folder in (packaged_themes_dir(), user_themes_dir(), *extra_dirs):
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.toml")):
            try:
                themes.append(read_theme(path))
            except ValueError as error:
                problems.append(ThemeProblem(path, str(error)))
    return themes, problems
