"""Where the console finds its token, hub and operator; and the errors it gives."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pilkades_tui import cli
from pilkades_tui.console.cli import config_from_args
from pilkades_tui.console.config import (
    DEFAULT_HUB,
    ENV_PREFIX,
    FIELDS,
    ConfigError,
    ConsoleConfig,
    resolve,
)
from pilkades_tui.paths import config_file

REPO = Path(__file__).parents[2]
NOTHING_GIVEN = {
    key: None for key in ("hub", "token", "operator", "data", "theme", "lang", "layout")
}


@pytest.fixture(autouse=True)
def no_console_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    """A PILKADES_* variable in the developer's shell must not change a result."""
    for name in list(os.environ):
        if name.upper().startswith(ENV_PREFIX):
            monkeypatch.delenv(name)


def test_command_line_beats_environment_beats_config_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[console]\ntoken = "from-file"\nhub = "http://10.0.0.5:8765"\n'
                      'operator = "Ipda Sari"\nlang = "en"\n')  # fmt: skip
    common = {"hub": None, "operator": None, "data": None, "theme": None, "lang": None}
    from_file = resolve(token=None, config_path=config, **common)
    assert (from_file.token, from_file.hub, from_file.operator, from_file.lang) == (
        "from-file", "http://10.0.0.5:8765", "Ipda Sari", "en"
    )  # fmt: skip
    monkeypatch.setenv("PILKADES_TOKEN", "env")
    from_env = resolve(token=None, config_path=config, **common)
    assert from_env.token == "env"
    given = resolve(token="flag", config_path=config, **common)
    assert given.token == "flag"


def console_config(*options: str) -> ConsoleConfig:
    """What `pilkades-tui console OPTIONS` would run with, through the real parser."""
    return config_from_args(cli.build_parser().parse_args(["console", *options]))


FILE_VALUES = {
    "hub": "http://10.0.0.5:8765",
    "token": "from-file",
    "operator": "Ipda Sari",
    "data": "/srv/from-file",
    "theme": "siang",
    "lang": "en",
    "layout": "wall",
}
ENV_VALUES = {
    "hub": "http://10.0.0.6:8765",
    "token": "from-env",
    "operator": "Aipda Wati",
    "data": "/srv/from-env",
    "theme": "monokrom",
    "lang": "id",
    "layout": "desk",
}
# Each option given with the default's own value (or, where there is no fixed
# default, one that differs from the environment's): an option given always wins.
OPTION_VALUES = {
    "hub": DEFAULT_HUB,
    "token": "from-option",
    "operator": "Iptu Budi",
    "data": "/srv/from-option",
    "theme": "operasi-malam",
    "lang": "id",
    "layout": "auto",
}
CONFIG_ATTRIBUTE = {"data": "data_dir"}


def chosen(config: ConsoleConfig, key: str) -> str:
    return str(getattr(config, CONFIG_ATTRIBUTE.get(key, key)))


@pytest.mark.parametrize("key", sorted(FILE_VALUES))
def test_option_then_environment_then_file_then_default_for_every_setting(
    key: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    path = config_file()
    path.parent.mkdir(parents=True)
    path.write_text('[console]\ntoken = "t"\n')
    default = chosen(console_config(), key) if key != "token" else None
    path.write_text(
        "[console]\n" + "".join(f'{name} = "{value}"\n' for name, value in FILE_VALUES.items())
    )
    assert chosen(console_config(), key) == FILE_VALUES[key] != default
    monkeypatch.setenv(f"PILKADES_{key.upper()}", ENV_VALUES[key])
    if key == "lang":  # the file says en; the environment puts back the default's id
        assert chosen(console_config(), key) == "id"
        monkeypatch.setenv("PILKADES_LANG", "en")
        path.write_text(path.read_text().replace('lang = "en"', 'lang = "id"'))
        assert chosen(console_config(), key) == "en"
    else:
        assert chosen(console_config(), key) == ENV_VALUES[key]
    option = f"--{key}"
    assert chosen(console_config(option, OPTION_VALUES[key]), key) == OPTION_VALUES[key]


def test_an_explicit_hub_with_the_default_value_beats_the_config_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    config_file().parent.mkdir(parents=True)
    config_file().write_text('[console]\ntoken = "t"\nhub = "http://10.0.0.5:8765"\n')
    assert console_config().hub == "http://10.0.0.5:8765"
    assert console_config("--hub", "http://127.0.0.1:8765").hub == "http://127.0.0.1:8765"


def test_every_console_option_is_a_config_key_left_none_when_not_given() -> None:
    args = cli.build_parser().parse_args(["console"])
    assert set(vars(args)) - {"command", "run", "settings"} == set(FIELDS)
    assert all(getattr(args, key) is None for key in FIELDS)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[console]\ncolour = "red"\n', "unknown key 'colour'"),
        ("[console\n", "cannot read"),
        ('[console]\ntoken = "t"\nlang = "fr"\n', "lang must be id or en"),
        ("", "no token"),
        ('[console]\ntoken = "t"\nhub = 5\n', r"config.toml \[console\]: hub must be text"),
        ('[console]\ntoken = "t"\ndata = 7\n', r"\[console\]: data must be a folder path"),
        ('[console]\ntoken = "t"\nhub = "10.0.0.5"\n', "hub URL must look like http://host:port"),
        ('[console]\ntoken = "t"\noperator = " "\n', "operator must not be empty"),
        ('console = "x"\n', r"\[console\] must be a table"),
        ("[console]\ntoken = 5\n", r"token must be text \(in quotes in the file\), not \.\.\."),
    ],
)
def test_bad_config_is_a_clear_error(tmp_path: Path, text: str, message: str) -> None:
    config = tmp_path / "config.toml"
    config.write_text(text)
    with pytest.raises(ConfigError, match=message) as caught:
        resolve(config_path=config, **NOTHING_GIVEN)
    if "[console]" in text and "token = " in text:
        assert str(config) in str(caught.value)


def test_a_bad_variable_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PILKADES_TOKEN", "t")
    monkeypatch.setenv("PILKADES_HUB", "hub.polres")
    with pytest.raises(ConfigError, match="^PILKADES_HUB: hub URL must look like"):
        resolve(config_path=tmp_path / "none.toml", **NOTHING_GIVEN)
    monkeypatch.setenv("PILKADES_HUB", "")  # empty: as if unset
    assert resolve(config_path=tmp_path / "none.toml", **NOTHING_GIVEN).hub == DEFAULT_HUB


def test_every_bad_value_is_listed_and_the_token_never_shown(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[console]\ntoken = "se\\u0001cret"\nhub = 5\nlang = "fr"\n')
    with pytest.raises(ConfigError) as caught:
        resolve(config_path=config, **NOTHING_GIVEN)
    lines = str(caught.value).splitlines()
    assert [line.split(": ", 1)[1].split()[0] for line in lines] == ["hub", "the", "lang"]
    assert "secret" not in str(caught.value) and "se\x01cret" not in str(caught.value)


@pytest.mark.parametrize(
    ("text", "key"), [("hub = 5", "hub"), ("data = 7", "data"), ("wrong = 1", "wrong")]
)
def test_a_bad_config_file_stops_the_console_with_status_2(
    tmp_path: Path, text: str, key: str
) -> None:
    config = tmp_path / "config" / "pilkades-tui" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text(f'[console]\ntoken = "t"\n{text}\n')
    result = subprocess.run(
        [sys.executable, "-m", "pilkades_tui", "console"],
        capture_output=True,
        text=True,
        env={
            **{k: v for k, v in os.environ.items() if not k.upper().startswith(ENV_PREFIX)},
            "XDG_CONFIG_HOME": str(tmp_path / "config"),
            "XDG_DATA_HOME": str(tmp_path / "data"),
            "PYTHONPATH": str(REPO),
        },
        timeout=30,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert str(config) in result.stderr and key in result.stderr
    assert not (tmp_path / "data").exists()  # nothing half-made


def test_console_and_demo_refuse_a_bad_settings_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = tmp_path / "settings.toml"
    settings.write_text("[spread]\nradius_km = -1\n")
    assert cli.main(["console", "--token", "t", "--settings", str(settings)]) == 2
    assert "spread.radius_km" in capsys.readouterr().err
    assert cli.main(["demo", "--settings", str(settings), "--data", str(tmp_path / "d")]) == 2
    assert "spread.radius_km" in capsys.readouterr().err
    assert not (tmp_path / "d").exists()  # a refused start makes no folder


def test_a_bad_value_in_the_file_is_named_even_when_an_option_overrides_it(
    tmp_path: Path,
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[console]\ntoken = "t"\ndata = 7\n')
    with pytest.raises(ConfigError, match=r"\[console\]: data must be a folder path"):
        resolve(config_path=config, **(NOTHING_GIVEN | {"data": tmp_path}))


def test_several_hubs_of_one_store_are_one_hub_option_each_url_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv(f"{ENV_PREFIX}TOKEN", "t")
    both = "http://10.0.0.11:8765,http://10.0.0.12:8765"
    assert console_config("--hub", both).hub == both
    with pytest.raises(ConfigError):
        console_config("--hub", "http://10.0.0.11:8765,ftp://10.0.0.12")
