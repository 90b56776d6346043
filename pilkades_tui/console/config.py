"""Console settings from the command line, the environment and the config file.

Order: a command-line option, then the environment (PILKADES_TOKEN), then
`[console]` in config.toml (paths.config_file()), then the default. The token can
come from anywhere but the command line, so it need not appear in `ps` or history.
"""

from __future__ import annotations

import getpass
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pilkades_tui.paths import config_file, default_data_dir

TOKEN_ENV = "PILKADES_TOKEN"
KNOWN_KEYS = {"hub", "token", "operator", "theme", "lang", "data"}


class ConfigError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class ConsoleConfig:
    hub: str
    token: str
    operator: str
    data_dir: Path
    theme: str | None
    lang: str


def read_config_file(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    try:
        raw = tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"cannot read {path}: {error}") from None
    section = raw.get("console", {})
    if not isinstance(section, dict):
        raise ConfigError(f"{path}: [console] must be a table")
    unknown = sorted(set(section) - KNOWN_KEYS)
    if unknown:
        raise ConfigError(f"{path}: unknown key {unknown[0]!r} in [console]")
    return section


def resolve(
    *,
    hub: str | None,
    token: str | None,
    operator: str | None,
    data: Path | None,
    theme: str | None,
    lang: str | None,
    config_path: Path | None = None,
    environ: dict[str, str] | None = None,
) -> ConsoleConfig:
    environ = dict(os.environ) if environ is None else environ
    path = config_path or config_file()
    stored = read_config_file(path)
    chosen_token = token or environ.get(TOKEN_ENV) or stored.get("token")
    if not chosen_token:
        raise ConfigError(
            f'no token: give --token, set {TOKEN_ENV}, or put token = "..." under '
            f"[console] in {path} (a hub operator issues one with `pilkades-tui token add`)"
        )
    chosen_lang = lang or stored.get("lang") or "id"
    if chosen_lang not in ("id", "en"):
        raise ConfigError(f"{path}: lang must be id or en, not {chosen_lang!r}")
    return ConsoleConfig(
        hub=hub or stored.get("hub") or "http://127.0.0.1:8765",
        token=str(chosen_token),
        operator=operator or stored.get("operator") or getpass.getuser(),
        data_dir=data or (Path(stored["data"]) if "data" in stored else default_data_dir()),
        theme=theme or stored.get("theme"),
        lang=chosen_lang,
    )
