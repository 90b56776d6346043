"""The data folder's troubles, on real small file systems: a full disk refuses reports
with its cause and the hub recovers when space returns; a hub started on a full or
read-only data folder ends with one sentence naming the folder and the cause (exit 2).

The small file systems are tmpfs mounts, which need root (CI runs as root); a run
without them still checks the words through SQLite's own page limit."""

from __future__ import annotations

import errno
import logging
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from pilkades_tui.files import FolderUnwritable
from pilkades_tui.hub.log import LoggedEvent, SqliteLog
from pilkades_tui.hub.runner import HubServer
from pilkades_tui.paths import hub_log_file

pytestmark = pytest.mark.timeout(90)

EXIT_DATA_FOLDER = 2


def mount_tmpfs(folder: Path, options: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        pytest.skip(f"a tmpfs mount is needed (root): {mounted.stderr.strip()}")
    return folder


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """An 8 MiB file system of its own: room for a seeded hub log, soon full."""
    folder = mount_tmpfs(tmp_path / "disk", "size=8m,mode=0700")
    yield folder
    subprocess.run(["umount", "-l", str(folder)], check=False)


@pytest.fixture
def read_only_disk(tmp_path: Path) -> Iterator[Path]:
    folder = mount_tmpfs(tmp_path / "ro", "size=1m,mode=0755,ro")
    yield folder
    subprocess.run(["umount", "-l", str(folder)], check=False)


def fill(disk: Path) -> Path:
    """Take every free byte of `disk`; deleting the returned file gives them back."""
    filler = disk / "filler"
    with open(filler, "wb") as file:
        try:
            while True:
                file.write(b"\0" * 65536)
                file.flush()
        except OSError as error:
            assert error.errno == errno.ENOSPC
    return filler


def start_hub_process(data: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "pilkades_tui", "hub", "--port", "0", "--data", str(data)]
    return subprocess.run(command, capture_output=True, text=True, timeout=60)


def one_sentence_naming(result: subprocess.CompletedProcess[str], folder: Path, cause: str) -> str:
    assert result.returncode == EXIT_DATA_FOLDER, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    assert "listening on" not in result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert cause in lines[0] and str(folder) in lines[0], lines[0]
    return lines[0]


class Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def test_a_full_disk_refuses_with_its_cause_and_the_hub_recovers(small_disk: Path) -> None:
    data = small_disk / "hub"
    records = Records()
    hub_logger = logging.getLogger("pilkades_tui.hub")
    with HubServer(data, report_rate=0) as hub:
        hub_logger.addHandler(records)  # the hub's own log file is on the full disk too
        try:
            reporter = httpx.Client(
                base_url=hub.url,
                headers={"Authorization": f"Bearer {hub.tokens['reporter']}"},
                timeout=10.0,
            )
            officer = sorted(hub.core.state.officers)[0]
            path = f"/v1/officers/{officer}/position"
            head = httpx.get(f"{hub.url}/v1/health").json()["head"]
            filler = fill(small_disk)
            # The WAL may still have room from earlier commits: post until it has none.
            for attempt in range(5000):
                answer = reporter.post(path, json={"lat": -7.0 - attempt / 1e5, "lon": 109.6})
                if answer.status_code != 200:
                    break
            assert answer.status_code == 503, answer.text
            message = answer.json()["message"]
            assert "disk full" in message and str(data) in message, message
            assert "rollback" not in message, message
            assert any("disk full" in line and str(data) in line for line in records.messages)
            assert not any("rollback" in line for line in records.messages), records.messages
            refused_head = httpx.get(f"{hub.url}/v1/health").json()["head"]

            filler.unlink()  # space returns: so does the hub
            again = reporter.post(path, json={"lat": -7.05, "lon": 109.65})
            assert again.status_code == 200, again.text
            assert again.json()["seq"] == refused_head + 1 > head
            reporter.close()
        finally:
            hub_logger.removeHandler(records)
    log = SqliteLog(hub_log_file(data))
    count, first, last = log.integrity()
    log.close()
    assert (count, first) == (last, 1)  # nothing refused was written, no gap


def test_a_hub_started_on_a_full_disk_names_the_folder_and_exits_2(small_disk: Path) -> None:
    fill(small_disk)
    data = small_disk / "hub"
    one_sentence_naming(start_hub_process(data), data, "disk full")


def test_a_hub_started_on_a_read_only_folder_names_it_and_exits_2(read_only_disk: Path) -> None:
    one_sentence_naming(start_hub_process(read_only_disk), read_only_disk, "read-only")
    inside = read_only_disk / "hub"  # the folder cannot even be made
    one_sentence_naming(start_hub_process(inside), inside, "read-only")


def test_a_log_whose_disk_turned_read_only_names_the_folder_and_exits_2(
    small_disk: Path,
) -> None:
    data = small_disk / "hub"
    with HubServer(data):
        pass
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    one_sentence_naming(start_hub_process(data), data, "read-only")


def test_sqlite_full_is_disk_full_in_the_folder_and_changes_nothing(tmp_path: Path) -> None:
    """Without a mount: SQLite's page limit answers SQLITE_FULL as a full disk would."""
    log = SqliteLog(tmp_path / "hub.sqlite3")
    try:
        pages = log._writer.execute("PRAGMA page_count").fetchone()[0]
        log._writer.execute(f"PRAGMA max_page_count = {pages}")
        big = LoggedEvent(1, "notice.posted", '{"text": "' + "x" * 100_000 + '"}', "ts")
        with pytest.raises(FolderUnwritable) as refused:
            log.append([big], [])
        assert str(refused.value) == f"disk full: no space left in the data folder {tmp_path}"
        assert log.head == 0 and log.integrity() == (0, 0, 0)
        log._writer.execute(f"PRAGMA max_page_count = {pages * 100}")
        log.append([big], [])
        assert log.head == 1
    finally:
        log.close()


def test_an_unwritable_folder_is_named_with_its_cause(tmp_path: Path) -> None:
    """Without a mount and whoever runs it: a folder where a file stands."""
    blocker = tmp_path / "taken"
    blocker.write_text("not a folder", "utf-8")
    data = blocker / f"hub-{uuid.uuid4().hex[:6]}"
    result = start_hub_process(data)
    line = one_sentence_naming(result, data, "cannot be written")
    assert os.strerror(errno.ENOTDIR) in line
