"""The real `pilkades-tui console` in a real pseudo-terminal, read back through tmux.

There is no sshd on the test machines; what SSH gives the console is a pty with some
TERM, and tmux gives exactly that: its own server (`-L`, so nothing of the user's
tmux is touched), a window of a chosen size, keys typed in, and the screen as the
terminal emulator drew it (`capture-pane`).
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType

import pilkades_tui
from tests.waiting import wait_until

TMUX = shutil.which("tmux")
PACKAGE_ROOT = Path(pilkades_tui.__file__).resolve().parent.parent


class ScreenTimeout(AssertionError):
    pass


class TmuxConsole:
    def __init__(
        self,
        args: list[str],
        *,
        term: str,
        env: Mapping[str, str],
        size: tuple[int, int] = (80, 24),
    ) -> None:
        assert TMUX is not None, "tmux is not installed"
        self.socket = f"pilkades-test-{uuid.uuid4().hex[:8]}"
        self.session = "console"
        # The console runs exactly as an officer starts it, with the terminal's TERM.
        command = [sys.executable, "-m", "pilkades_tui", "console", *args]
        variables = {"TERM": term, "PYTHONPATH": str(PACKAGE_ROOT), **env}
        self.command = "env " + " ".join(
            [*(f"{name}={shlex.quote(value)}" for name, value in variables.items())]
            + [shlex.quote(part) for part in command]
        )
        self.size = size

    def _tmux(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        assert TMUX is not None
        return subprocess.run(
            [TMUX, "-L", self.socket, *args],
            capture_output=True,
            text=True,
            check=check,
            env={**os.environ, "TMUX": ""},
            timeout=10,
        )

    def start(self) -> TmuxConsole:
        width, height = self.size
        self._tmux(
            "-f",
            "/dev/null",
            "new-session",
            "-d",
            "-s",
            self.session,
            "-x",
            str(width),
            "-y",
            str(height),
            self.command,
        )
        # Keep a dead pane on screen so a traceback can be read; no delay after Escape.
        self._tmux("set-option", "-t", self.session, "remain-on-exit", "on")
        self._tmux("set-option", "-s", "escape-time", "0")
        return self

    def screen(self, escapes: bool = False) -> str:
        args = ["capture-pane", "-p", "-t", self.session]
        if escapes:
            args.append("-e")
        return self._tmux(*args).stdout

    def exited(self) -> bool:
        result = self._tmux("display-message", "-p", "-t", self.session, "#{pane_dead}")
        return result.stdout.strip() == "1"

    def press(self, *keys: str) -> None:
        for key in keys:
            self._tmux("send-keys", "-t", self.session, key)
            # A key right after a lone ESC would read as Alt+key: let Textual time it out.
            time.sleep(0.4 if key == "Escape" else 0.1)

    def type(self, text: str) -> None:
        self._tmux("send-keys", "-t", self.session, "-l", text)

    def wait_for(self, *needles: str, timeout: float = 20.0) -> str:
        """The screen once it shows every needle; fails with the last screen otherwise."""

        def showing() -> str:
            screen = self.screen()
            if "Traceback" in screen:
                raise ScreenTimeout(f"screen never showed {needles!r}; last screen:\n{screen}")
            return screen if all(needle in screen for needle in needles) else ""

        what = f"screen showing {needles!r}"
        return wait_until(
            showing, timeout, what=what, seen=self.screen, interval=0.2, error=ScreenTimeout
        )

    def wait_exit(self, timeout: float = 10.0) -> None:
        what = "the console to exit"
        wait_until(
            self.exited, timeout, what=what, seen=self.screen, interval=0.2, error=ScreenTimeout
        )

    def stop(self) -> None:
        self._tmux("kill-server", check=False)
        # tmux leaves its socket file behind; a test run should leave nothing.
        folder = Path(os.environ.get("TMUX_TMPDIR", "/tmp")) / f"tmux-{os.getuid()}"
        (folder / self.socket).unlink(missing_ok=True)

    def __enter__(self) -> TmuxConsole:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()
