"""The outbox on its own: durable file, order, retries with the same key."""

from __future__ import annotations

import asyncio
import json
import os
import socket
from pathlib import Path

import pytest

from pilkades_tui.feed.commands import HubCommands
from pilkades_tui.feed.outbox import Outbox, OutboxError, QueuedCommand
from pilkades_tui.feed.results import CommandResult, Outcome
from pilkades_tui.paths import outbox_file
from tests.waiting import until

pytestmark = pytest.mark.timeout(20)


def command(key: str, note: str = "") -> QueuedCommand:
    return QueuedCommand(
        key=key,
        method="POST",
        path="/v1/incidents/INC-1/actions",
        body={"action": "note", "note": note},
        created_at="2022-02-23T09:00:00+07:00",
        description=f"note {key}",
    )


def result(outcome: Outcome, key: str) -> CommandResult:
    return CommandResult(
        outcome=outcome,
        status_code=None if outcome is Outcome.QUEUED else 200,
        record=None,
        seq=None,
        error=None,
        message="hub down" if outcome is Outcome.QUEUED else None,
        details=None,
        idempotency_key=key,
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_queued_commands_survive_a_restart_in_order(tmp_path: Path) -> None:
    path = outbox_file(tmp_path)
    sizes: list[int] = []
    outbox = Outbox.open(path, on_change=lambda box: sizes.append(len(box)))
    assert len(outbox) == 0 and not path.exists()
    for key in ("a", "b", "c"):
        outbox.add(command(key, note=f"catatan {key}"))
    assert outbox.drop("b") and not outbox.drop("b")
    assert sizes == [1, 2, 3, 2]
    again = Outbox.open(path)
    assert [c.key for c in again.items()] == ["a", "c"]
    assert again.get("c") == command("c", note="catatan c")
    assert "a" in again and "b" not in again
    with pytest.raises(ValueError, match="already queued"):
        again.add(command("a"))


@pytest.mark.parametrize(
    "content, message",
    [
        (b'{"format": "pilkades-tui outbox", "version": 1, "comm', "not valid JSON"),
        (b"[]", "not a pilkades-tui outbox"),
        (b'{"format": "pilkades-tui outbox", "version": 9, "commands": []}', "version 9"),
        (
            b'{"format": "pilkades-tui outbox", "version": 1, "commands": [{"key": 1}]}',
            "commands[0].key",
        ),
    ],
)
def test_an_unreadable_outbox_stops_with_a_sentence_and_is_left_alone(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = outbox_file(tmp_path)
    path.write_bytes(content)
    with pytest.raises(OutboxError, match=message.replace("[", r"\[").replace("]", r"\]")):
        Outbox.open(path)
    assert path.read_bytes() == content


def test_a_write_that_fails_midway_leaves_the_previous_list(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = outbox_file(tmp_path)
    outbox = Outbox.open(path)
    outbox.add(command("kept"))
    before = path.read_bytes()

    def power_cut(source: str, target: str) -> None:
        raise OSError("power cut")

    monkeypatch.setattr(os, "replace", power_cut)
    with pytest.raises(OSError, match="power cut"):
        outbox.add(command("lost"))
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temporary left
    # A temporary left by a crash (kill -9 before the rename) is cleaned at open.
    (tmp_path / f".{path.name}.x1y2.tmp").write_text("{half")
    assert [c.key for c in Outbox.open(path).items()] == ["kept"]
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


async def test_run_retries_the_oldest_with_its_key_until_the_hub_answers(tmp_path: Path) -> None:
    path = outbox_file(tmp_path)
    outbox = Outbox.open(path)
    outbox.add(command("first"))
    outbox.add(command("second"))
    sent: list[str] = []
    hub_up = asyncio.Event()
    results: list[tuple[str, Outcome]] = []

    async def send(item: QueuedCommand) -> CommandResult:
        sent.append(item.key)
        if not hub_up.is_set():
            return result(Outcome.QUEUED, item.key)
        return result(Outcome.ACCEPTED, item.key)

    runner = asyncio.create_task(
        outbox.run(send, lambda key, r: results.append((key, r.outcome)), backoff_initial=0.02)
    )
    try:
        await until(lambda: len(sent) >= 3, what="three sends of the first command")
        assert set(sent) == {"first"}  # never the second before the first
        on_disk = Outbox.open(path).get("first")
        assert on_disk is not None and on_disk.attempts >= 2 and on_disk.last_error == "hub down"
        hub_up.set()
        await until(lambda: not len(outbox), what="an empty outbox once the hub is up")
        assert results == [("first", Outcome.ACCEPTED), ("second", Outcome.ACCEPTED)]
        assert len(Outbox.open(path)) == 0
        # A new command wakes the idle runner at once.
        outbox.add(command("third"))
        await until(lambda: not len(outbox), what="the third command sent")
        assert results[-1] == ("third", Outcome.ACCEPTED)
    finally:
        runner.cancel()
        await asyncio.gather(runner, return_exceptions=True)


async def test_a_command_dropped_while_on_the_wire_is_reported_not_requeued(
    tmp_path: Path,
) -> None:
    outbox = Outbox.open(outbox_file(tmp_path))
    outbox.add(command("slow"))
    release = asyncio.Event()
    results: list[str] = []

    async def send(item: QueuedCommand) -> CommandResult:
        await release.wait()
        return result(Outcome.QUEUED, item.key)

    runner = asyncio.create_task(outbox.run(send, lambda key, r: results.append(key)))
    try:
        while outbox.sending != "slow":
            await asyncio.sleep(0.01)
        assert outbox.drop("slow")
        release.set()
        await asyncio.sleep(0.05)
        assert len(outbox) == 0 and len(Outbox.open(outbox.path)) == 0
    finally:
        runner.cancel()
        await asyncio.gather(runner, return_exceptions=True)


async def test_commands_to_an_unreachable_hub_are_queued_durably_in_order(tmp_path: Path) -> None:
    path = outbox_file(tmp_path)
    outbox = Outbox.open(path)
    async with HubCommands(f"http://127.0.0.1:{free_port()}", "tok", outbox) as commands:
        first = await commands.incident_action("INC-1", "acknowledge", expected_version=1)
        assert first.outcome is Outcome.QUEUED and first.status_code is None
        assert "cannot reach the hub" in (first.message or "")
        second = await commands.incident_action(
            "INC-1", "assign", officer_ids=["KJN-001"], key="my-key"
        )
        assert second.outcome is Outcome.QUEUED
        assert second.message == "queued behind earlier commands waiting for the hub"
        invalid = await commands.incident_action("INC-1", "assign")  # no officer_ids
        assert invalid.outcome is Outcome.REJECTED and invalid.error == "invalid"
        assert "officer_ids" in (invalid.message or "")
    stored = json.loads(path.read_text())["commands"]
    assert [item["key"] for item in stored] == [first.idempotency_key, "my-key"]
    assert stored[0]["body"] == {"action": "acknowledge", "note": "", "expected_version": 1}
    assert stored[0]["attempts"] == 1 and stored[1]["attempts"] == 0
    assert stored[1]["description"] == "assign INC-1 (KJN-001)"


async def test_without_an_outbox_an_unreachable_hub_is_a_plain_rejection() -> None:
    async with HubCommands(f"http://127.0.0.1:{free_port()}", "tok-Zq81") as commands:
        outcome = await commands.notice("info", "uji coba")
    assert outcome.outcome is Outcome.REJECTED
    assert outcome.error == "unreachable"
    assert "tok-Zq81" not in (outcome.message or "")


async def test_a_follow_up_decided_offline_expects_the_version_our_own_command_made(
    tmp_path: Path,
) -> None:
    outbox = Outbox.open(outbox_file(tmp_path))
    acknowledge = command("ack")
    acknowledge.body = {"action": "acknowledge", "note": "", "expected_version": 3}
    acknowledge.attempts = 2  # tried while the hub was down
    assign = command("assign")
    assign.body = {"action": "assign", "officer_ids": ["KJN-001"], "expected_version": 3}
    note = command("note")  # no expected version: it still moves the record 4 -> 5
    note.body = {"action": "note", "note": "koordinasi"}
    late = command("late")  # decided after the officer saw version 5 (his own note)
    late.body = {"action": "escalate", "to": "polres", "expected_version": 5}
    stale = command("stale")  # saw version 2; someone else made 3: a real conflict
    stale.body = {"action": "cancel", "note": "hoaks", "expected_version": 2}
    elsewhere = command("other")
    elsewhere.path = "/v1/incidents/INC-2/actions"
    elsewhere.body = {"action": "note", "note": "", "expected_version": 3}
    for item in (acknowledge, note, assign, late, stale, elsewhere):
        outbox.add(item)
    bodies: list[dict[str, object]] = []
    version = 3

    async def send(item: QueuedCommand) -> CommandResult:
        bodies.append(dict(item.body))
        nonlocal version
        accepted = result(Outcome.ACCEPTED, item.key)
        if item.path.startswith("/v1/incidents/INC-1/"):
            version += 1
            accepted.record = {"id": "INC-1", "version": version}
        else:
            accepted.record = {"id": "INC-2", "version": 4}
        return accepted

    runner = asyncio.create_task(outbox.run(send))
    try:
        await until(lambda: not len(outbox), what="every queued command sent")
    finally:
        runner.cancel()
        await asyncio.gather(runner, return_exceptions=True)
    assert [body.get("expected_version") for body in bodies] == [3, None, 5, 6, 2, 3]
