"""The event log across restarts, its read API, and the token commands."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from pilkades_tui.cli import main
from pilkades_tui.domain.events import INCIDENT_UPDATED
from pilkades_tui.hub.log import EventLogReader, LogError, SqliteLog
from pilkades_tui.paths import hub_log_file, tokens_file
from tests.conftest import HubFactory
from tests.hub.client import Hub, feed
from tests.waiting import wait_until

pytestmark = pytest.mark.timeout(60)


def sorted_snapshot(snapshot: dict[str, Any]) -> dict[str, Any]:
    for name in ("tps", "incidents", "officers"):
        snapshot[name] = sorted(snapshot[name], key=lambda record: record["id"])
    return snapshot


def test_a_restart_keeps_every_event_and_continues_the_seq(
    hub_factory: HubFactory, tmp_path: Path
) -> None:
    data = tmp_path / "restart"
    first = hub_factory(data)
    admin = Hub(first)
    incident = admin.new_incident()
    (unit,) = admin.available_officers(1)
    admin.act(incident["id"], action="assign", officer_ids=[unit])
    keyed = admin.send("PUT", "/v1/phase", {"phase": "voting"}, "phase-key")
    before = sorted_snapshot(admin.snapshot())
    admin.close()
    first.stop()

    second = hub_factory(data, tokens=first.tokens)
    admin = Hub(second)
    assert sorted_snapshot(admin.snapshot()) == before  # rebuilt from checkpoint + log
    repeat = admin.send("PUT", "/v1/phase", {"phase": "voting"}, "phase-key")
    assert repeat.json() == keyed.json()  # idempotency records survive too
    assert admin.new_incident()["id"] != incident["id"]
    assert admin.head() == before["seq"] + 1
    with feed(second, before["seq"] - 3) as client:
        client.frame()
        seqs = [event["seq"] for event in client.events_until(before["seq"] + 1)]
    assert seqs == list(range(before["seq"] - 2, before["seq"] + 2))
    admin.close()


def test_an_existing_log_is_never_reseeded(hub_factory: HubFactory, tmp_path: Path) -> None:
    data = tmp_path / "seeded"
    first = hub_factory(data, seed=1)
    head = Hub(first).head()
    first.stop()
    if first.store is None:
        second = hub_factory(data, seed=99, tokens=first.tokens)
        assert Hub(second).head() == head
        return
    # A shared store serves other hubs' day: another scenario is refused, not ignored.
    with pytest.raises(LogError, match="seeded from another scenario"):
        hub_factory(data, seed=99, tokens=first.tokens)
    again = hub_factory(data, seed=1, tokens=first.tokens)
    assert Hub(again).head() == head


@pytest.mark.sqlite_only
def test_reader_streams_events_in_batches_while_the_hub_runs(hub_factory: HubFactory) -> None:
    server = hub_factory()
    admin = Hub(server)
    incident = admin.new_incident()
    head = admin.head()
    with EventLogReader(server.data_dir) as reader:
        assert reader.head() == head
        tail = list(reader.iter_events(since=head - 5, batch=2))
        assert [event.seq for event in tail] == list(range(head - 4, head + 1))
        assert tail[-1].type == INCIDENT_UPDATED and tail[-1].data.id == incident["id"]
        raw = list(reader.iter_raw(since=0, batch=500))
        assert [logged.seq for logged in raw] == list(range(1, head + 1))
        assert json.loads(raw[-1].json)["data"]["id"] == incident["id"]
    log = SqliteLog(hub_log_file(server.data_dir))
    assert log.integrity() == (head, 1, head)
    log.close()
    admin.close()


def test_token_commands_store_only_hashes_and_apply_to_a_running_hub(
    hub_factory: HubFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    server = hub_factory(scenario="none")
    where = ["--data", str(server.data_dir)] if server.store is None else ["--store", server.store]
    assert main(["token", "add", "piket-1", "--role", "dispatcher", *where]) == 0
    token = capsys.readouterr().out.strip().splitlines()[-1]
    if server.store is None:
        stored = tokens_file(server.data_dir).read_text("utf-8")
        assert tokens_file(server.data_dir).stat().st_mode & 0o077 == 0
    else:
        stored = stored_token_rows(server.store)
    assert token not in stored and "piket-1" in stored
    headers = {"Authorization": f"Bearer {token}"}
    wait_status(f"{server.url}/v1/snapshot", headers, 200)

    assert main(["token", "list", *where]) == 0
    listing = capsys.readouterr().out
    assert "piket-1\tdispatcher" in listing and token not in listing
    assert main(["token", "add", "piket-1", "--role", "viewer", *where]) == 1
    capsys.readouterr()

    assert main(["token", "revoke", "piket-1", *where]) == 0
    wait_status(f"{server.url}/v1/snapshot", headers, 401)
    assert main(["token", "revoke", "piket-1", *where]) == 1


def stored_token_rows(dsn: str) -> str:
    import psycopg

    with psycopg.connect(dsn) as connection:
        return repr(connection.execute("SELECT * FROM pilkades_tokens").fetchall())


def wait_status(url: str, headers: dict[str, str], status: int) -> None:
    """A token change reaches a hub on a shared store by notification, soon after."""
    wait_until(
        lambda: httpx.get(url, headers=headers).status_code == status,
        5.0,
        what=f"{url} answering {status}",
    )
