"""The feed client, commands and outbox against the real hub on loopback."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
import pytest

from pilkades_tui.domain.models import Snapshot
from pilkades_tui.domain.state import Changes
from pilkades_tui.feed.client import ConnectionState, FeedClient
from pilkades_tui.feed.commands import HubCommands, Outcome
from pilkades_tui.feed.outbox import Outbox, QueuedCommand
from pilkades_tui.hub.runner import HubProcess, HubServer
from pilkades_tui.paths import outbox_file
from tests.conftest import HubFactory
from tests.waiting import until

pytestmark = pytest.mark.timeout(60)


async def fresh_snapshot(url: str, token: str) -> Snapshot:
    async with httpx.AsyncClient(headers={"Authorization": f"Bearer {token}"}) as http:
        response = await http.get(f"{url}/v1/snapshot")
        response.raise_for_status()
        return Snapshot.model_validate_json(response.content)


def dumped(snapshot: Snapshot) -> dict[str, Any]:
    data = snapshot.model_dump(mode="json")
    for name in ("tps", "incidents", "officers"):
        data[name] = sorted(data[name], key=lambda record: record["id"])
    return data


class Following:
    """A feed client following a hub in the background."""

    def __init__(self, url: str, token: str) -> None:
        self.client = FeedClient(url, token, backoff_initial=0.05, backoff_max=0.3)
        self.task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> FeedClient:
        self.task = asyncio.create_task(self.client.run())
        await self.client.wait_live(15)
        return self.client

    async def __aexit__(self, *exc: object) -> None:
        await self.client.close()
        assert self.task is not None
        await asyncio.wait_for(self.task, 5)


async def start_hub(factory: HubFactory, data_dir: Path, **options: Any) -> HubServer:
    # In a thread: the hub's own thread and our running feed client both need this loop
    # to keep turning while uvicorn starts or shuts down.
    return await asyncio.to_thread(factory, data_dir, **options)


def available_officers(snapshot: Snapshot) -> list[str]:
    return [o.id for o in snapshot.officers if o.status == "available"]


async def report(commands: HubCommands, snapshot: Snapshot, text: str) -> dict[str, Any]:
    result = await commands.new_incident(
        category="crowd", description=text, reported_by="Bhabin Kajen", tps_id=snapshot.tps[0].id
    )
    assert result.outcome is Outcome.ACCEPTED, result
    assert result.record is not None and result.status_code == 201
    assert isinstance(result.seq, int)
    return result.record


async def test_state_after_a_hub_restart_equals_a_fresh_snapshot(
    hub_factory: HubFactory, tmp_path: Path
) -> None:
    data = tmp_path / "hub"
    first = await start_hub(hub_factory, data)
    viewer = first.tokens["viewer"]
    async with (
        Following(first.url, viewer) as client,
        HubCommands(first.url, first.tokens["dispatcher"]) as commands,
    ):
        base = await fresh_snapshot(first.url, viewer)
        for n in range(3):
            await report(commands, base, f"kerumunan {n}")
        await until(lambda: client.status.seq == base.seq + 3)
        await asyncio.to_thread(first.stop)
        await until(lambda: client.status.state is ConnectionState.RECONNECTING)
        second = await start_hub(hub_factory, data, port=first.port, tokens=first.tokens)
        await client.wait_live(15)
        incident = await report(commands, base, "massa berkumpul")
        ack = await commands.incident_action(
            incident["id"], "acknowledge", expected_version=incident["version"]
        )
        assert ack.outcome is Outcome.ACCEPTED
        fresh = await fresh_snapshot(second.url, viewer)
        await until(lambda: client.status.seq == fresh.seq)
        assert client.state is not None
        assert dumped(client.state.snapshot()) == dumped(fresh)
        assert client.status.resyncs == 0 and client.status.resumes == 1
        assert client.status.bad_frames == 0


async def test_accepted_conflict_and_idempotent_retry(hub: HubServer) -> None:
    snapshot = await fresh_snapshot(hub.url, hub.tokens["viewer"])
    async with HubCommands(hub.url, hub.tokens["dispatcher"]) as commands:
        incident = await report(commands, snapshot, "intimidasi pemilih")
        version = incident["version"]
        ack = await commands.incident_action(
            incident["id"], "acknowledge", expected_version=version, key="ack-1"
        )
        assert ack.outcome is Outcome.ACCEPTED and ack.record is not None
        assert ack.record["status"] == "acknowledged" and ack.record["version"] == version + 1
        again = await commands.incident_action(
            incident["id"], "acknowledge", expected_version=version, key="ack-1"
        )
        assert again.outcome is Outcome.ACCEPTED
        assert (again.seq, again.record) == (ack.seq, ack.record)  # first answer, no change
        other_body = await commands.incident_action(
            incident["id"], "note", note="lain", key="ack-1"
        )
        assert other_body.outcome is Outcome.REJECTED and other_body.status_code == 422
        stale = await commands.incident_action(
            incident["id"], "escalate", to="polres", expected_version=version
        )
        assert stale.outcome is Outcome.CONFLICT and stale.status_code == 409
        assert stale.error == "conflict" and "someone changed it first" in (stale.message or "")
        assert stale.record is not None and stale.record["version"] == version + 1
    head = (await fresh_snapshot(hub.url, hub.tokens["viewer"])).seq
    assert head == ack.seq  # the repeat and the refusals made no event
    async with HubCommands(hub.url, hub.tokens["viewer"]) as viewer:
        refused = await viewer.notice("info", "uji")
    assert refused.outcome is Outcome.REJECTED and refused.status_code == 403


async def test_outbox_holds_commands_while_the_hub_is_down_then_applies_each_once(
    hub_factory: HubFactory, tmp_path: Path
) -> None:
    data = tmp_path / "hub"
    first = await start_hub(hub_factory, data)
    dispatcher = first.tokens["dispatcher"]
    snapshot = await fresh_snapshot(first.url, first.tokens["viewer"])
    unit = available_officers(snapshot)[0]
    async with HubCommands(first.url, dispatcher) as direct:
        incident = await report(direct, snapshot, "bentrok pendukung")
    await asyncio.to_thread(first.stop)

    box_path = outbox_file(tmp_path / "console")
    outbox = Outbox.open(box_path)
    async with HubCommands(first.url, dispatcher, outbox, timeout=2.0) as commands:
        version = incident["version"]
        decided = [
            await commands.incident_action(incident["id"], "acknowledge", expected_version=version),
            await commands.incident_action(incident["id"], "note", note="koordinasi PPKD"),
            await commands.incident_action(
                incident["id"], "assign", officer_ids=[unit], expected_version=version
            ),
        ]
        assert [r.outcome for r in decided] == [Outcome.QUEUED] * 3
        # The console restarts too: the queue comes back from disk.
        outbox = Outbox.open(box_path)
        commands.outbox = outbox
        assert [c.key for c in outbox.items()] == [r.idempotency_key for r in decided]

        second = await start_hub(hub_factory, data, port=first.port, tokens=first.tokens)
        results: dict[str, Any] = {}
        runner = asyncio.create_task(
            commands.run_outbox(lambda key, r: results.update({key: r}), backoff_initial=0.05)
        )
        try:
            await until(lambda: len(results) == 3)
            assert {r.outcome for r in results.values()} == {Outcome.ACCEPTED}
            assert len(Outbox.open(box_path)) == 0
            # An answer lost on the way: the same command again, same key and body.
            note = decided[1]
            replayed = await commands.replay(
                QueuedCommand(
                    key=note.idempotency_key,
                    method="POST",
                    path=f"/v1/incidents/{incident['id']}/actions",
                    body={"action": "note", "note": "koordinasi PPKD"},
                    created_at="2022-02-23T09:00:00+07:00",
                )
            )
            assert replayed.outcome is Outcome.ACCEPTED
            assert replayed.seq == results[note.idempotency_key].seq
        finally:
            runner.cancel()
            await asyncio.gather(runner, return_exceptions=True)

    after = await fresh_snapshot(second.url, second.tokens["viewer"])
    final = next(i for i in after.incidents if i.id == incident["id"])
    actions = [entry.action for entry in final.timeline]
    assert actions.count("acknowledge") == 1 and actions.count("assign") == 1
    assert [e.note for e in final.timeline].count("koordinasi PPKD") == 1
    assert final.status == "dispatched" and final.officer_ids == [unit]


async def test_hub_killed_mid_feed_resumes_with_no_gap_or_duplicate(tmp_path: Path) -> None:
    data = tmp_path / "hub"
    first = await asyncio.to_thread(HubProcess(data).start)
    try:
        viewer = first.tokens["viewer"]
        calls: list[Changes] = []
        following = Following(first.url, viewer)
        following.client.on_changes = calls.append
        async with (
            following as client,
            HubCommands(first.url, first.tokens["reporter"], timeout=1.0) as commands,
        ):
            base = await fresh_snapshot(first.url, viewer)
            units = base.officers[:5]
            moving = True

            async def patrol() -> None:
                step = 0
                while moving:  # keeps reporting through the kill and the restart
                    unit = units[step % len(units)]
                    await commands.officer_position(unit.id, unit.lat + step * 1e-5, unit.lon)
                    step += 1

            patrolling = asyncio.create_task(patrol())
            await until(lambda: client.status.seq >= base.seq + 30)
            await asyncio.to_thread(first.kill)
            await until(lambda: client.status.state is ConnectionState.RECONNECTING)
            second = HubProcess(data, port=first.port, tokens=first.tokens)
            await asyncio.to_thread(second.start)
            try:
                await client.wait_live(20)
                seen = client.status.seq
                await until(lambda: client.status.seq >= seen + 30)
                moving = False
                await patrolling
                fresh = await fresh_snapshot(second.url, viewer)
                await until(lambda: client.status.seq == fresh.seq)
                assert client.state is not None
                assert dumped(client.state.snapshot()) == dumped(fresh)
                assert sum(c.applied + c.ignored for c in calls[1:]) == fresh.seq - base.seq
                assert sum(c.ignored for c in calls) == 0
                assert client.status.resyncs == 0 and client.status.resumes >= 1
            finally:
                await asyncio.to_thread(second.kill)
    finally:
        await asyncio.to_thread(first.kill)
