"""What the project writes is its owner's only: the record of the day (reports, names,
officer positions) must not be readable by every local account of a shared server.
Folders it creates are 0700, the files of the day 0600, whatever the umask."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from pilkades_tui.feed.outbox import Outbox, QueuedCommand
from pilkades_tui.hub.runner import HubProcess, HubServer
from pilkades_tui.logbook import Logbook
from pilkades_tui.paths import hub_log_file, logbook_file, outbox_file, tokens_file

pytestmark = pytest.mark.timeout(60)


@pytest.fixture(autouse=True)
def lenient_umask() -> Iterator[None]:
    """The usual 022: what the project does not restrict itself is world-readable."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_hub_keeps_its_folder_log_and_tokens_private(tmp_path: Path) -> None:
    data = tmp_path / "srv" / "pilkades" / "hub"  # three folders the hub makes
    with HubServer(data) as hub:
        admin = {"Authorization": f"Bearer {hub.tokens['admin']}"}
        answer = httpx.post(
            f"{hub.url}/v1/notices", json={"level": "info", "text": "x"}, headers=admin
        )
        assert answer.status_code == 201, answer.text
        log = hub_log_file(data)
        wal = log.with_name(log.name + "-wal")
        shm = log.with_name(log.name + "-shm")
        assert wal.exists() and shm.exists()  # written while the hub runs
        for file in (log, wal, shm, tokens_file(data), hub.log_file):
            assert mode(file) == 0o600, file
    for folder in (tmp_path / "srv", tmp_path / "srv" / "pilkades", data):
        assert mode(folder) == 0o700, folder


def test_a_log_left_readable_by_an_older_hub_is_made_private(tmp_path: Path) -> None:
    data = tmp_path / "hub"
    with HubServer(data):
        pass
    log = hub_log_file(data)
    companions = [log.with_name(log.name + suffix) for suffix in ("-wal", "-shm")]
    for file in [log, *companions]:
        if file.exists():
            file.chmod(0o644)
    with HubServer(data):
        for file in [log, *companions]:
            if file.exists():
                assert mode(file) == 0o600, file


def test_a_hub_process_log_is_private(tmp_path: Path) -> None:
    data = tmp_path / "hub"
    with HubProcess(data) as hub:
        hub.terminate()
    assert mode(data / "hub-process.log") == 0o600
    assert mode(data) == 0o700


def test_the_outbox_and_its_folder_are_private(tmp_path: Path) -> None:
    path = outbox_file(tmp_path / "console" / "data")
    outbox = Outbox.open(path)
    outbox.add(
        QueuedCommand(
            key="k1",
            method="POST",
            path="/v1/incidents",
            body={"category": "crowd", "description": "massa", "reported_by": "Bripka Sari"},
            created_at="2022-02-23T09:00:00+07:00",
            description="new incident",
        )
    )
    assert mode(path) == 0o600
    assert mode(path.parent) == 0o700 and mode(path.parent.parent) == 0o700


def test_the_logbook_folder_is_private(tmp_path: Path) -> None:
    path = logbook_file(tmp_path / "console")
    with Logbook.open(path) as book:
        book.append_log(operator="Iptu Budi", category="coordination", note="rapat panitia")
    assert mode(path) == 0o600
    assert mode(path.parent) == 0o700


def test_a_folder_that_exists_keeps_its_owners_mode(tmp_path: Path) -> None:
    """An operator's /srv/pilkades made 0750 for a group stays as they made it."""
    data = tmp_path / "shared"
    data.mkdir(mode=0o750)
    data.chmod(0o750)
    with HubServer(data):
        pass
    assert mode(data) == 0o750
    assert mode(hub_log_file(data)) == 0o600
