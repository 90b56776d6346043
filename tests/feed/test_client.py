"""The feed client against a scripted hub on loopback: each fault the protocol names."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from websockets.asyncio.server import ServerConnection

from pilkades_tui.domain.models import HubMode
from pilkades_tui.domain.state import Changes
from pilkades_tui.feed.client import ConnectionState, FeedClient, FeedStatus, FeedStopped
from tests.feed.fakehub import TOKEN, FakeHub, position_event
from tests.waiting import until

pytestmark = pytest.mark.timeout(20)


def same_state(client: FeedClient, hub: FakeHub) -> bool:
    return (
        client.state is not None
        and client.state.snapshot().model_dump() == hub.state.snapshot().model_dump()
    )


@contextlib.asynccontextmanager
async def running(client: FeedClient) -> AsyncIterator[asyncio.Task[None]]:
    task = asyncio.create_task(client.run())
    try:
        yield task
    finally:
        await client.close()
        await asyncio.wait_for(task, 5)


def fast_client(hub: FakeHub, **options: Any) -> FeedClient:
    options.setdefault("backoff_initial", 0.05)
    options.setdefault("backoff_max", 0.2)
    return FeedClient(hub.url, TOKEN, **options)


async def test_snapshot_then_live_events_reach_the_state() -> None:
    async with FakeHub() as hub:
        await hub.add_positions(3)
        statuses: list[FeedStatus] = []
        client = fast_client(hub, on_status=statuses.append)
        async with running(client):
            await client.wait_live(5)
            assert client.state is not None and client.state.seq == 3
            await hub.add_positions(5)
            await until(lambda: client.status.seq == 8)
            assert same_state(client, hub)
            assert client.status.events_total == 5
            assert client.status.head == 8
            assert hub.feed_requests == [3]
            assert client.status.events_per_s() > 0
        assert [s.state for s in statuses][0] is ConnectionState.LIVE
        assert client.status.state is ConnectionState.CLOSED


async def test_an_array_frame_costs_one_callback() -> None:
    async with FakeHub(batch=50) as hub:
        calls: list[Changes] = []
        client = fast_client(hub, on_changes=calls.append)
        async with running(client):
            await client.wait_live(5)
            calls.clear()
            await hub.add_positions(50)
            await until(lambda: client.status.seq == 50)
            assert len(calls) == 1
            assert calls[0].positions == {"KJN-001"}
            assert calls[0].applied == 50
            assert same_state(client, hub)


async def test_a_gap_in_seq_takes_a_fresh_snapshot() -> None:
    async def lose_one(hub: FakeHub, connection: ServerConnection, since: int) -> None:
        hub.script = None  # misbehave on this connection only
        await hub.hello(connection)
        await hub.wait_head(since + 3)
        await connection.send(json.dumps(hub.log[since]))
        await connection.send(json.dumps(hub.log[since + 2]))  # seq since+2 lost on the way
        await connection.wait_closed()

    async with FakeHub() as hub:
        await hub.add_positions(2)
        hub.script = lose_one
        client = fast_client(hub)
        async with running(client):
            await client.wait_live(5)
            await hub.add_positions(3)
            await until(lambda: client.status.resyncs == 1 and client.status.seq == 5)
            await client.wait_live(5)
            assert hub.snapshot_requests == 2
            assert hub.feed_requests == [2, 5]
            await hub.add_positions(2)
            await until(lambda: client.status.seq == 7)
            assert same_state(client, hub)


async def test_reset_4409_takes_a_fresh_snapshot_and_resumes_from_its_seq() -> None:
    async with FakeHub() as hub:
        await hub.add_positions(5)
        client = fast_client(hub)
        async with running(client):
            await client.wait_live(5)
            # The hub restarts on a shorter log (say, a restored backup): our seq is ahead.
            await hub.kill()
            hub.truncate(2)
            await hub.start()
            await until(lambda: client.status.resyncs == 1)
            await client.wait_live(5)
            assert hub.feed_requests == [5, 5, 2]
            assert client.status.seq == 2 and client.status.head == 2
            await hub.append([position_event(0, "KJN-002")])
            await until(lambda: client.status.seq == 3)
            assert same_state(client, hub)


async def test_too_slow_4408_resumes_from_the_last_seq_without_a_snapshot() -> None:
    async def drop_after_two(hub: FakeHub, connection: ServerConnection, since: int) -> None:
        hub.script = None
        await hub.hello(connection)
        await hub.wait_head(since + 2)
        for raw in hub.log[since : since + 2]:
            await connection.send(json.dumps(raw))
        await connection.close(4408, "too slow")

    async with FakeHub() as hub:
        await hub.add_positions(1)
        hub.script = drop_after_two
        client = fast_client(hub)
        async with running(client):
            await client.wait_live(5)
            await hub.add_positions(6)
            await until(lambda: client.status.seq == 7 and len(hub.feed_requests) == 2)
            assert hub.feed_requests == [1, 3]
            assert hub.snapshot_requests == 1
            assert client.status.resyncs == 0
            assert client.status.resumes == 1
            assert same_state(client, hub)


async def test_malformed_and_unknown_frames_are_skipped_and_counted() -> None:
    async def junk_first(hub: FakeHub, connection: ServerConnection, since: int) -> None:
        await hub.hello(connection)
        await connection.send("{not json")
        await connection.send(json.dumps({"seq": since + 1, "type": "drone.sighted", "data": {}}))
        await connection.send(json.dumps([{"type": "weather"}, {"type": "tide", "seq": 1}]))
        await connection.send(json.dumps({"type": "tps.updated", "seq": 1, "data": {"id": 5}}))
        await connection.send(json.dumps(42))
        await hub.serve_from(connection, since)

    async with FakeHub() as hub:
        await hub.add_positions(2)
        hub.script = junk_first
        client = fast_client(hub)
        async with running(client):
            await client.wait_live(5)
            await until(lambda: client.status.bad_frames == 3)
            await hub.add_positions(2)
            await until(lambda: client.status.seq == 4)
            assert client.status.unknown_events == 3
            assert client.status.state is ConnectionState.LIVE
            assert hub.feed_requests == [2]  # junk never cost a reconnection
            assert same_state(client, hub)


async def test_hub_killed_mid_feed_reconnects_and_resumes_without_gap_or_duplicate() -> None:
    async with FakeHub(batch=7) as hub:
        calls: list[Changes] = []
        client = fast_client(hub, on_changes=calls.append)
        async with running(client):
            await client.wait_live(5)
            await hub.add_positions(20)
            await until(lambda: client.status.seq == 20)
            await hub.kill()
            await until(lambda: client.status.state is ConnectionState.RECONNECTING)
            assert "lost the connection" in (client.status.last_error or "")
            await hub.add_positions(10)  # happened while we were away
            await hub.start()
            await client.wait_live(5)
            await hub.add_positions(5)
            await until(lambda: client.status.seq == 35)
            assert hub.feed_requests[-1] == 20
            assert hub.snapshot_requests == 1
            assert client.status.resumes == 1
            assert sum(c.applied for c in calls) == 35  # every event once
            assert sum(c.ignored for c in calls) == 0
            assert same_state(client, hub)


async def test_a_quiet_feed_stays_live_while_pongs_come_back() -> None:
    async with FakeHub() as hub:
        client = fast_client(hub, ping_interval=0.1, ping_timeout=0.3)
        async with running(client):
            await client.wait_live(5)
            await asyncio.sleep(1.0)
            assert client.status.state is ConnectionState.LIVE
            assert hub.feed_requests == [0]


async def test_a_hub_that_stops_answering_pings_is_declared_gone() -> None:
    async def mute(hub: FakeHub, connection: ServerConnection, since: int) -> None:
        hub.script = None
        await hub.hello(connection)
        connection.transport.pause_reading()  # pings go unanswered, socket stays open
        # Deaf, it would not hear the client leave either: hang up once it surely has.
        await asyncio.sleep(1.0)
        connection.transport.abort()

    async with FakeHub() as hub:
        hub.script = mute
        statuses: list[FeedStatus] = []
        client = fast_client(hub, ping_interval=0.1, ping_timeout=0.3, on_status=statuses.append)
        async with running(client):
            await until(lambda: len(hub.feed_requests) == 2, timeout=5)
            await client.wait_live(5)
            assert client.status.resumes == 1
        reasons = [s.last_error for s in statuses if s.state is ConnectionState.RECONNECTING]
        assert any("went silent" in (reason or "") for reason in reasons)


async def test_a_wrong_token_stops_with_a_clear_sentence_and_no_token() -> None:
    async with FakeHub() as hub:
        wrong = "not-the-token-XYZ"
        client = FeedClient(hub.url, wrong)
        await asyncio.wait_for(client.run(), 5)  # returns by itself
        status = client.status
        assert status.state is ConnectionState.UNAUTHORIZED
        assert status.last_error is not None
        assert "refused the token" in status.last_error
        assert wrong not in status.last_error and wrong not in repr(status)
        with pytest.raises(FeedStopped):
            await client.wait_live(1)


async def test_hub_down_at_start_keeps_retrying_and_says_so() -> None:
    hub = FakeHub()
    await hub.start()
    port = hub.port
    await hub.stop()  # a free port nobody listens on
    statuses: list[FeedStatus] = []
    client = FeedClient(
        f"http://127.0.0.1:{port}",
        TOKEN,
        on_status=statuses.append,
        backoff_initial=0.05,
        backoff_max=0.1,
    )
    async with running(client):
        await until(lambda: client.status.attempt >= 3)
        assert client.status.state is ConnectionState.CONNECTING
        assert "cannot reach the hub" in (client.status.last_error or "")
        assert client.status.retry_at is not None
        hub.port = port
        await hub.start()
        try:
            await client.wait_live(5)
            assert client.status.attempt == 0
            assert client.status.last_error is None
        finally:
            await hub.stop()
    assert {s.state for s in statuses} >= {ConnectionState.CONNECTING, ConnectionState.LIVE}


async def test_snapshot_errors_are_retried_and_exercise_mode_is_reported() -> None:
    async with FakeHub() as hub:
        hub.snapshot_status = 503
        hub.mode = "exercise"
        client = fast_client(hub)
        async with running(client):
            await until(lambda: hub.snapshot_requests >= 2)
            assert "HTTP 503" in (client.status.last_error or "")
            assert "hub is starting" in (client.status.last_error or "")
            hub.snapshot_status = 200
            await client.wait_live(5)
            assert client.status.mode is HubMode.EXERCISE
            assert client.state is not None and client.state.mode is HubMode.EXERCISE


async def test_close_interrupts_a_long_backoff_at_once() -> None:
    client = FeedClient("http://127.0.0.1:9", TOKEN, backoff_initial=30, backoff_max=60)
    task = asyncio.create_task(client.run())
    await until(lambda: client.status.retry_at is not None)
    started = asyncio.get_running_loop().time()
    await client.close()
    await asyncio.wait_for(task, 2)
    assert asyncio.get_running_loop().time() - started < 1.5
    assert client.status.state is ConnectionState.CLOSED
    with pytest.raises(TimeoutError):
        await client.wait_live(0.05)


def test_a_hub_url_that_is_not_http_is_refused_early() -> None:
    with pytest.raises(ValueError, match="http://host:port"):
        FeedClient("ftp://hub", TOKEN)
    with pytest.raises(ValueError, match="HTTP header"):
        FeedClient("http://hub", "abc\ndef")


async def test_a_callback_that_fails_stops_the_feed_and_says_so() -> None:
    """A bug in the console's callback ends run() with the error, and the status no
    longer claims the feed is live."""

    def broken(changes: Changes) -> None:
        if changes.positions:
            raise ValueError("callback bug")

    async with FakeHub() as hub:
        statuses: list[FeedStatus] = []
        client = fast_client(hub, on_changes=broken, on_status=statuses.append)
        task = asyncio.create_task(client.run())
        await client.wait_live(5)
        await hub.add_positions(1)
        with pytest.raises(ValueError, match="callback bug"):
            await asyncio.wait_for(task, 5)
        assert client.status.state is ConnectionState.CLOSED
        assert "callback bug" in (client.status.last_error or "")
        assert statuses[-1].state is ConnectionState.CLOSED
        await client.close()
