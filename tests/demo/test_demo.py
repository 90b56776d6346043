"""`pilkades-tui demo` in a real terminal (tmux): it comes up live, quits cleanly,
and keeps the hub log and the logbook where --data says."""

from __future__ import annotations

import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from tests.waiting import wait_until

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux")


def capture(session: str) -> str:
    return subprocess.run(
        ["tmux", "capture-pane", "-t", session, "-p"], capture_output=True, text=True, check=True
    ).stdout


def wait_for_screen(session: str, needle: str, timeout: float) -> str:
    def showing() -> str:
        screen = capture(session)
        return screen if needle in screen else ""

    what = f"{needle!r} on the screen"
    return wait_until(showing, timeout, what=what, seen=lambda: capture(session), interval=0.3)


@pytest.mark.timeout(120)
def test_demo_comes_up_live_and_quits_cleanly(tmp_path: Path) -> None:
    session = f"demo-{uuid.uuid4().hex[:8]}"
    data = tmp_path / "demo"
    done = tmp_path / "exit-code"
    command = (
        f"TERM=xterm-256color {sys.executable} -m pilkades_tui demo --data {data} --speed 120 "
        f"--lang en; echo $? > {done}"
    )
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", session, "-x", "100", "-y", "30", command],
        check=True,
        cwd=Path(__file__).parents[2],
    )
    try:
        screen = wait_for_screen(session, "● live", 60)
        assert "Incidents" in screen and "Duty: Perwira" in screen
        # An incident arrives from the simulated field within a minute of demo time.
        wait_for_screen(session, " new ", 60)
        subprocess.run(["tmux", "send-keys", "-t", session, "q"], check=True)
        wait_until(done.exists, 30, what="the demo's exit status", interval=0.2)
        assert done.read_text().strip() == "0"
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
    assert (data / "hub" / "hub.sqlite3").exists()
    assert (data / "logbook.json").exists()


@pytest.mark.timeout(120)
def test_without_data_the_demo_says_where_it_left_its_files(tmp_path: Path) -> None:
    session = f"demo-{uuid.uuid4().hex[:8]}"
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    done = tmp_path / "exit-code"
    command = (
        f"TMPDIR={scratch} TERM=xterm-256color {sys.executable} -m pilkades_tui demo "
        f"--speed 120 --lang en; echo $? > {done}; sleep 60"  # the pane stays to be read
    )
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", session, "-x", "200", "-y", "30", command],
        check=True,
        cwd=Path(__file__).parents[2],
    )
    try:
        wait_for_screen(session, "● live", 60)
        subprocess.run(["tmux", "send-keys", "-t", session, "q"], check=True)
        screen = wait_for_screen(session, "hub log and logbook left in", 30)
        wait_until(done.exists, 30, what="the demo's exit status", interval=0.2)
        assert done.read_text().strip() == "0"
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
    (folder,) = scratch.glob("pilkades-demo-*")
    assert str(folder) in screen.replace("\n", "")
    assert (folder / "hub" / "hub.sqlite3").exists()
    assert (folder / "logbook.json").exists()
