"""Where the console finds its token, hub and operator; and the errors it gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from pilkades_tui import cli
from pilkades_tui.console.config import ConfigError, resolve


def test_command_line_beats_environment_beats_config_file(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[console]\ntoken = "from-file"\nhub = "http://10.0.0.5:8765"\n'
                      'operator = "Ipda Sari"\nlang = "en"\n')  # fmt: skip
    common = {"hub": None, "operator": None, "data": None, "theme": None, "lang": None}
    from_file = resolve(token=None, config_path=config, environ={}, **common)
    assert (from_file.token, from_file.hub, from_file.operator, from_file.lang) == (
        "from-file", "http://10.0.0.5:8765", "Ipda Sari", "en"
    )  # fmt: skip
    from_env = resolve(token=None, config_path=config, environ={"PILKADES_TOKEN": "env"}, **common)
    assert from_env.token == "env"
    given = resolve(token="flag", config_path=config, environ={"PILKADES_TOKEN": "env"}, **common)
    assert given.token == "flag"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[console]\ncolour = "red"\n', "unknown key 'colour'"),
        ("[console\n", "cannot read"),
        ('[console]\ntoken = "t"\nlang = "fr"\n', "lang must be id or en"),
        ("", "no token"),
    ],
)
def test_bad_config_is_a_clear_error(tmp_path: Path, text: str, message: str) -> None:
    config = tmp_path / "config.toml"
    config.write_text(text)
    with pytest.raises(ConfigError, match=message):
        resolve(hub=None, token=None, operator=None, data=None, theme=None, lang=None,
                config_path=config, environ={})  # fmt: skip


def test_console_and_demo_refuse_a_bad_settings_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = tmp_path / "settings.toml"
    settings.write_text("[spread]\nradius_km = -1\n")
    assert cli.main(["console", "--token", "t", "--settings", str(settings)]) == 2
    assert "spread.radius_km" in capsys.readouterr().err
    assert cli.main(["demo", "--settings", str(settings), "--data", str(tmp_path)]) == 2
    assert "spread.radius_km" in capsys.readouterr().err
