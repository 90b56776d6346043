"""The console as an officer gets it over SSH: a pty of 80x24 with whatever TERM the
terminal at hand sets, a real hub on loopback, keys typed, the screen read back."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from pilkades_tui.hub.runner import HubServer
from pilkades_tui.i18n import Catalogue
from pilkades_tui.paths import config_file
from tests.console.tmux import PACKAGE_ROOT, TMUX, TmuxConsole

pytestmark = [
    pytest.mark.timeout(90),
    pytest.mark.skipif(TMUX is None, reason="tmux is not installed"),
]

ID = Catalogue("id")
BRAILLE = re.compile("[\u2801-\u28ff]")
SGR = re.compile(r"\x1b\[([0-9;]*)m")


def home_env(home: Path) -> dict[str, str]:
    return {
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
        "LANG": "C.UTF-8",
    }


def console_args(hub: HubServer, data: Path) -> list[str]:
    return ["--hub", hub.url, "--operator", "Iptu Budi", "--data", str(data)]


def _is_grey_256(index: int) -> bool:
    if index in (0, 7, 8, 15) or index >= 232:
        return True
    if 16 <= index <= 231:
        cube = index - 16
        return cube // 36 == cube // 6 % 6 == cube % 6
    return False


def hued_colours(screen: str) -> set[str]:
    """SGR colours on screen that are not black, white or grey."""
    found: set[str] = set()
    for params in SGR.findall(screen):
        parts = [int(part) if part.isdigit() else 0 for part in params.split(";")]
        index = 0
        while index < len(parts):
            code = parts[index]
            if code in (38, 48) and index + 1 < len(parts):
                if parts[index + 1] == 5 and index + 2 < len(parts):
                    if not _is_grey_256(parts[index + 2]):
                        found.add(f"{code};5;{parts[index + 2]}")
                    index += 3
                    continue
                if parts[index + 1] == 2 and index + 4 < len(parts):
                    red, green, blue = parts[index + 2 : index + 5]
                    if not red == green == blue:
                        found.add(f"{code};2;{red};{green};{blue}")
                    index += 5
                    continue
            if 31 <= code <= 36 or 41 <= code <= 46 or 91 <= code <= 96 or 101 <= code <= 106:
                found.add(str(code))
            index += 1
    return found


@pytest.mark.parametrize("term", ["xterm", "xterm-256color", "screen", "linux"])
def test_console_over_a_pty(hub: HubServer, isolated_home: Path, tmp_path: Path, term: str) -> None:
    env = {**home_env(isolated_home), "PILKADES_TOKEN": hub.tokens["dispatcher"]}
    with TmuxConsole(console_args(hub, tmp_path / "data"), term=term, env=env) as console:
        console.wait_for(ID.text("conn.live"), ID.text("pane.incidents"))
        console.press("1")
        screen = console.wait_for("TPS 01")
        assert len(screen.splitlines()) <= 24
        console.press("?")
        console.wait_for(ID.text("help.title"))
        console.press("Escape", "4")
        screen = console.wait_for(ID.text("pane.map"))
        if term == "linux":
            # The Linux console's fonts have no braille: the map draws outlines in
            # box-drawing characters, not a mass of filled blocks.
            assert not BRAILLE.search(screen), screen
            assert set(screen) & set("═║╔╗╚╝╠╣╦╩╬"), screen
            assert not set(screen) & set("█▀▄▌▐▒▓"), screen
        console.press("3")
        console.wait_for(ID.text("col.callsign"))
        console.press("q")
        console.wait_exit()
        assert "Traceback" not in console.screen()


def test_no_color_is_respected(hub: HubServer, isolated_home: Path, tmp_path: Path) -> None:
    env = {**home_env(isolated_home), "PILKADES_TOKEN": hub.tokens["viewer"]}
    args = console_args(hub, tmp_path / "data")
    with TmuxConsole(args, term="xterm-256color", env=env) as coloured:
        screen = coloured.wait_for(ID.text("conn.live"))
        assert hued_colours(coloured.screen(escapes=True)), "the check must see colour when on"
        coloured.press("q")
    with TmuxConsole(args, term="xterm-256color", env={**env, "NO_COLOR": "1"}) as plain:
        screen = plain.wait_for(ID.text("conn.live"), "P1:")
        # Textual's reading of NO_COLOR: monochrome, so only greys remain.
        assert hued_colours(plain.screen(escapes=True)) == set(), screen
        plain.press("q")
        plain.wait_exit()


def test_a_wrong_token_gets_a_message_not_a_traceback(
    hub: HubServer, isolated_home: Path, tmp_path: Path
) -> None:
    env = {**home_env(isolated_home), "PILKADES_TOKEN": "bukan-token-yang-benar"}
    with TmuxConsole(
        console_args(hub, tmp_path / "data"), term="xterm-256color", env=env, size=(120, 30)
    ) as console:
        screen = console.wait_for(ID.text("conn.unauthorized"), "PILKADES_TOKEN")
        assert "bukan-token-yang-benar" not in screen
        console.press("q")
        console.wait_exit()
        assert "Traceback" not in console.screen()


def test_the_token_can_come_from_the_config_file(
    hub: HubServer, isolated_home: Path, tmp_path: Path
) -> None:
    env = home_env(isolated_home)
    os.environ.update(env)  # config_file() of this process must name the same file
    path = config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f'[console]\nhub = "{hub.url}"\ntoken = "{hub.tokens["viewer"]}"\noperator = "Ipda Sari"\n',
        "utf-8",
    )
    args = ["--data", str(tmp_path / "data")]
    with TmuxConsole(args, term="screen", env=env, size=(140, 30)) as console:
        console.wait_for(ID.text("conn.live"), "Ipda Sari")
        console.press("q")
        console.wait_exit()


def test_no_token_anywhere_is_a_clear_error(isolated_home: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pilkades_tui", "console", "--data", str(tmp_path / "data")],
        capture_output=True,
        text=True,
        env={
            **os.environ,
            **home_env(isolated_home),
            "PYTHONPATH": str(PACKAGE_ROOT),
            "PILKADES_TOKEN": "",
        },
        timeout=30,
    )
    assert result.returncode == 2
    assert "PILKADES_TOKEN" in result.stderr
    assert "Traceback" not in result.stderr
