"""Console settings from the command line, the environment and the config file.

Order, for every setting: a command-line option, then the environment (`PILKADES_HUB`,
`PILKADES_TOKEN`, `PILKADES_OPERATOR`, `PILKADES_DATA`, `PILKADES_THEME`,
`PILKADES_LANG`, `PILKADES_LAYOUT`), then `[console]` in config.toml (paths.config_file()), then the
default. An option counts as given when it is on the command line at all, even with
the default's value. The token can come from anywhere but the command line, so it need
not appear in `ps` or history.

pydantic-settings reads the environment (`EnvSettingsSource`) and the file
(`TomlConfigSettingsSource`); `resolve` puts the three sources in order itself so that
a bad value is reported with the place it came from: the option, the variable, or the
file and key.

What the officer chooses in the console and expects back next time (`:layout`) is
written into the same `[console]` table by `remember`, leaving the rest of the file as
it was.
"""

from __future__ import annotations

import getpass
import json
import os
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError, ValidationInfo, field_validator
from pydantic_core import ErrorDetails
from pydantic_settings import (
    BaseSettings,
    EnvSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)
from pydantic_settings import TomlConfigSettingsSource as TomlSource

from pilkades_tui.console.layouts import AUTO, CHOICES
from pilkades_tui.feed.wire import HubAddress, hub_addresses
from pilkades_tui.paths import config_file, default_data_dir

ENV_PREFIX = "PILKADES_"
TOKEN_ENV = f"{ENV_PREFIX}TOKEN"
DEFAULT_HUB = "http://127.0.0.1:8765"
LANGUAGES = ("id", "en")
SECTION = "console"


class ConfigError(ValueError):
    pass


class ConsoleSettings(BaseSettings):
    """What a console may be told, each from option, environment or file; None: not told.

    `resolve` gathers the sources; this class checks what they gave.
    """

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_ignore_empty=True,
        extra="forbid",
        case_sensitive=False,
        validate_default=False,  # None means "not told", not a value to check
    )

    hub: str = DEFAULT_HUB
    token: str | None = None
    operator: str | None = None
    data: Path | None = None
    theme: str | None = None
    lang: str = "id"
    layout: str = AUTO

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # resolve() has already read the environment and the file, in order: only the
        # values it hands over are validated, none read a second time behind its back.
        return (init_settings,)

    @field_validator("hub")
    @classmethod
    def _hub_is_a_hub_url(cls, value: str) -> str:
        # The feed's own rules for a hub URL, for each hub of a list ("URL1,URL2").
        hub_addresses(value, token="")
        return value

    @field_validator("token")
    @classmethod
    def _token_fits_a_header(cls, value: str) -> str:
        HubAddress(DEFAULT_HUB, value)
        return value

    @field_validator("operator", "theme")
    @classmethod
    def _not_blank(cls, value: str, info: ValidationInfo) -> str:
        if not value.strip():
            raise ValueError(f"{info.field_name} must not be empty")
        return value

    @field_validator("data", mode="before")
    @classmethod
    def _data_is_a_path(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            raise ValueError("data must name a folder, not be empty")
        return value

    @field_validator("lang")
    @classmethod
    def _lang_is_known(cls, value: str) -> str:
        if value not in LANGUAGES:
            raise ValueError(f"lang must be {' or '.join(LANGUAGES)}, not {value!r}")
        return value

    @field_validator("layout")
    @classmethod
    def _layout_is_known(cls, value: str) -> str:
        if value not in CHOICES:
            raise ValueError(f"layout must be one of {', '.join(CHOICES)}, not {value!r}")
        return value


FIELDS = tuple(ConsoleSettings.model_fields)


@dataclass(frozen=True, slots=True)
class ConsoleConfig:
    hub: str
    token: str
    operator: str
    data_dir: Path
    theme: str | None
    lang: str
    layout: str = AUTO


def read_config_file(path: Path) -> dict[str, Any]:
    """The `[console]` table of the config file; {} if there is no file."""
    if path.is_dir():
        raise ConfigError(f"{path}: the config file is a folder, not a file")
    if not path.exists():
        return {}
    try:
        document = TomlSource(ConsoleSettings, toml_file=path)()
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"cannot read {path}: not valid TOML ({error})") from None
    except UnicodeDecodeError:
        raise ConfigError(f"cannot read {path}: not UTF-8 text") from None
    except OSError as error:
        raise ConfigError(f"cannot read {path}: {error.strerror or error}") from None
    section = document.get(SECTION, {})
    if not isinstance(section, dict):
        raise ConfigError(f"{path}: [{SECTION}] must be a table, not {section!r}")
    unknown = sorted(set(section) - set(FIELDS))
    if unknown:
        raise ConfigError(
            f"{path}: unknown key {unknown[0]!r} in [{SECTION}] "
            f"(the known keys: {', '.join(sorted(FIELDS))})"
        )
    return section


def read_environment() -> dict[str, Any]:
    """The console settings set as PILKADES_* variables (empty ones count as unset)."""
    return EnvSettingsSource(ConsoleSettings)()


def resolve(
    *,
    hub: str | None,
    token: str | None,
    operator: str | None,
    data: Path | None,
    theme: str | None,
    lang: str | None,
    layout: str | None = None,
    config_path: Path | None = None,
) -> ConsoleConfig:
    """The console's settings: each option given (not None) wins over the environment,
    which wins over the config file, which wins over the default."""
    path = config_path or config_file()
    given = {"hub": hub, "token": token, "operator": operator, "data": data}
    given |= {"theme": theme, "lang": lang, "layout": layout}
    options = {key: value for key, value in given.items() if value is not None}
    environment = read_environment()
    stored = read_config_file(path)
    # Each source is checked on its own, so a bad value is named where it was written,
    # even where a source before it overrides it today.
    problems: list[str] = []
    for values, where in (
        (stored, lambda key: f"{path} [{SECTION}]"),
        (environment, lambda key: f"{ENV_PREFIX}{key.upper()}"),
        (options, lambda key: f"--{key}"),
    ):
        try:
            ConsoleSettings(**values)
        except ValidationError as error:
            problems += (_problem(detail, where) for detail in error.errors(include_url=False))
    if problems:
        raise ConfigError("\n".join(dict.fromkeys(problems)))
    settings = ConsoleSettings(**(stored | environment | options))
    if not settings.token:
        raise ConfigError(
            f'no token: give --token, set {TOKEN_ENV}, or put token = "..." under '
            f"[{SECTION}] in {path} (a hub operator issues one with `pilkades-tui token add`)"
        )
    return ConsoleConfig(
        hub=settings.hub,
        token=settings.token,
        operator=settings.operator or getpass.getuser(),
        data_dir=settings.data or default_data_dir(),
        theme=settings.theme,
        lang=settings.lang,
        layout=settings.layout,
    )


def remember(key: str, value: str, path: Path | None = None) -> None:
    """Write `key = "value"` into the file's `[console]` table (made if missing): the
    rest of the file, comments and token included, stays as it was. Checked by the
    same rules as on reading, so the console never writes a file it would refuse."""
    path = path or config_file()
    ConsoleSettings(**{key: value})
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    line = f"{key} = {json.dumps(value)}"  # a JSON string is a TOML basic string
    lines = text.splitlines()
    header = next(
        (n for n, old in enumerate(lines) if re.fullmatch(rf"\s*\[{SECTION}\]\s*(#.*)?", old)),
        None,
    )
    if header is None:
        lines += (["", f"[{SECTION}]"] if lines else [f"[{SECTION}]"]) + [line]
    else:
        end = next(
            (n for n in range(header + 1, len(lines)) if lines[n].lstrip().startswith("[")),
            len(lines),
        )
        existing = next(
            (n for n in range(header + 1, end) if re.match(rf"\s*{key}\s*=", lines[n])), None
        )
        if existing is None:
            lines.insert(header + 1, line)
        else:
            lines[existing] = line
    updated = "\n".join(lines) + "\n"
    tomllib.loads(updated)  # never leave a file behind that the next start cannot read
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".new")
    partial.write_text(updated, encoding="utf-8")
    os.replace(partial, path)


def _problem(detail: ErrorDetails, where: Callable[[str], str]) -> str:
    """One sentence: where the value came from, the key, and what is wrong with it."""
    key = str(detail["loc"][0]) if detail["loc"] else ""
    # A token is never shown back, not even a malformed one: it may be a real one mistyped.
    value = "..." if key == "token" else repr(detail["input"])
    if detail["type"] == "value_error":
        reason = str(detail["ctx"]["error"])  # the validators' sentences name the key
    elif detail["type"] == "string_type":
        reason = f"{key} must be text (in quotes in the file), not {value}"
    elif detail["type"] == "path_type":
        reason = f"{key} must be a folder path (in quotes in the file), not {value}"
    else:
        reason = f"{key}: {detail['msg']} (got {value})"
    return f"{where(key)}: {reason}"
