"""Where pilkades-tui keeps its files (the one module that knows)."""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_config_dir, user_data_dir

APP_NAME = "pilkades-tui"


def default_data_dir() -> Path:
    """Hub event log, tokens and the console's logbook, unless --data says otherwise."""
    return Path(user_data_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    """config.toml and user themes (themes/*.toml)."""
    return Path(user_config_dir(APP_NAME, appauthor=False))


def config_file() -> Path:
    return config_dir() / "config.toml"


def user_themes_dir() -> Path:
    return config_dir() / "themes"


def hub_log_file(data_dir: Path) -> Path:
    return data_dir / "hub.sqlite3"


def tokens_file(data_dir: Path) -> Path:
    return data_dir / "tokens.json"


def logbook_file(data_dir: Path) -> Path:
    return data_dir / "logbook.json"


def outbox_file(data_dir: Path) -> Path:
    return data_dir / "outbox.json"
