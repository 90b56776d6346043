"""Read the rule settings file (TOML) into a validated `RuleSettings`.

The file names only what it changes; everything else keeps its default (see
docs/settings.md). Any problem — unreadable file, bad TOML, an unknown key, a value out
of range, checkpoints out of order — is one `SettingsError` naming the file and the
key, raised at start, so a running console never meets a bad setting later.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from pilkades_tui.domain.rules.settings import (
    DEFAULT_SETTINGS,
    RuleSettings,
    settings_from_overrides,
)
from pilkades_tui.paths import config_dir

SETTINGS_NAME = "settings.toml"


class SettingsError(ValueError):
    def __init__(self, path: Path, key: str, message: str) -> None:
        where = f"{path}: {key}" if key else str(path)
        super().__init__(f"{where}: {message}")
        self.path = path
        self.key = key
        self.message = message


def default_settings_file() -> Path:
    return config_dir() / SETTINGS_NAME


def load_settings(path: Path | None = None) -> RuleSettings:
    """The settings in `path`; with no path, the user's settings file if there is one,
    else the defaults. A path given but missing is an error: a typo in --settings must
    not quietly run the defaults."""
    if path is None:
        path = default_settings_file()
        if not path.exists():
            return DEFAULT_SETTINGS
    try:
        text = path.read_text("utf-8")
    except OSError as error:
        raise SettingsError(path, "", f"cannot read: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise SettingsError(path, "", "not UTF-8 text") from None
    return parse_settings(text, path)


def parse_settings(text: str, path: Path) -> RuleSettings:
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise SettingsError(path, "", f"not valid TOML ({error})") from None
    try:
        return settings_from_overrides(raw)
    except ValidationError as error:
        errors = error.errors(include_url=False)
        key = _key_path(errors[0]["loc"])
        # A union (a timer's stages or "off") fails once per branch: say every way out.
        messages = dict.fromkeys(_message(e) for e in errors if _key_path(e["loc"]) == key)
        raise SettingsError(path, key, " or ".join(messages)) from None


def _key_path(location: tuple[int | str, ...]) -> str:
    """`timers.p1.not_moving` or `staffing.alert_risks[0]`, without pydantic's union
    branch names in it."""
    path = ""
    for part in location:
        if isinstance(part, int):
            path += f"[{part}]"
            continue
        if "[" in part or "(" in part:
            break
        path += f".{part}" if path else part
    return path


# Pydantic names its own classes in these ("instance of SpreadSettings"): say it in TOML.
TABLE_ERRORS = {"model_type", "model_attributes_type", "dict_type"}


def _message(error: ErrorDetails) -> str:
    if error["type"] == "extra_forbidden":
        return "unknown setting (see docs/settings.md for the known ones)"
    if error["type"] in TABLE_ERRORS:
        return "Input should be a table ([section] or { key = value })"
    return error["msg"].removeprefix("Value error, ")
