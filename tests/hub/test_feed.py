"""Conformance: the WebSocket feed of a real hub (hello, replay, live, batching,
reset, slow consoles, client frames, auth, shutdown)."""

from __future__ import annotations

import base64
import json
import os
import socket
import struct
import threading
import time

import httpx
import pytest
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import connect

from pilkades_tui.hub.runner import HubServer
from tests.conftest import HubFactory
from tests.hub.client import Feed, Hub, feed
from tests.waiting import wait_until

pytestmark = pytest.mark.timeout(60)


def close_code(client: Feed, timeout: float = 10.0) -> int | None:
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            client.socket.recv(timeout=timeout)
    except ConnectionClosed as closed:
        return closed.rcvd.code if closed.rcvd is not None else None
    except TimeoutError:
        pass
    raise AssertionError("the hub did not close the feed")


def post_notices(admin: Hub, count: int, text: str = "n") -> int:
    seq = 0
    for index in range(count):
        seq = admin.ok("POST", "/v1/notices", {"level": "info", "text": f"{text} {index}"})["seq"]
    return seq


def test_hello_then_replay_then_live_in_order(hub: HubServer) -> None:
    admin = Hub(hub)
    head = admin.head()
    since = head - 50
    with feed(hub, since) as client:
        hello = client.frame()
        assert hello == {"type": "hello", "protocol": 1, "head": head, "mode": "live"}
        replayed = client.events_until(head)
        assert [event["seq"] for event in replayed] == list(range(since + 1, head + 1))
        incident = admin.new_incident()
        live = client.events_until(head + 1)
        assert live == [
            {
                "seq": head + 1,
                "ts": live[0]["ts"],
                "type": "incident.updated",
                "data": incident,
            }
        ]
    admin.close()


def test_replay_from_zero_matches_the_snapshot(hub: HubServer) -> None:
    admin = Hub(hub)
    snapshot = admin.snapshot()
    with feed(hub, 0) as client:
        assert client.frame()["head"] == snapshot["seq"]
        events = client.events_until(snapshot["seq"])
    assert [event["seq"] for event in events] == list(range(1, snapshot["seq"] + 1))
    officers = {e["data"]["id"]: e["data"] for e in events if e["type"] == "officer.updated"}
    assert officers == {officer["id"]: officer for officer in snapshot["officers"]}
    assert client.array_frames > 0  # a long replay travels in batches
    admin.close()


def test_events_batch_under_load_and_are_never_reordered(hub_factory: HubFactory) -> None:
    server = hub_factory(report_rate=0)
    admin = Hub(server)
    head = admin.head()
    (officer_id,) = admin.available_officers(1)
    with feed(server, head) as client:
        client.frame()
        errors: list[BaseException] = []

        def hammer() -> None:
            reporter = Hub(server, "reporter")
            try:
                for index in range(150):
                    reporter.ok(
                        "POST",
                        f"/v1/officers/{officer_id}/position",
                        {"lat": -7.0 + index / 10_000, "lon": 109.6},
                    )
            except BaseException as error:  # surfaced below
                errors.append(error)
            finally:
                reporter.close()

        threads = [threading.Thread(target=hammer) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert not errors
        events = client.events_until(head + 600)
    assert [event["seq"] for event in events] == list(range(head + 1, head + 601))
    assert client.array_frames >= 1  # group commit publishes several events at once
    admin.close()


def test_since_ahead_of_head_gets_reset_and_4409(hub: HubServer) -> None:
    head = Hub(hub).head()
    with feed(hub, head + 10) as client:
        assert client.frame()["type"] == "hello"
        assert client.frame() == {"type": "reset", "head": head}
        assert close_code(client) == 4409


def test_a_client_frame_closes_with_1003(hub: HubServer) -> None:
    with feed(hub, Hub(hub).head()) as client:
        client.frame()
        client.socket.send('{"type": "subscribe"}')
        assert close_code(client) == 1003


def test_bad_token_is_refused_before_upgrade(hub: HubServer) -> None:
    for headers in ({}, {"Authorization": "Bearer wrong"}):
        with pytest.raises(InvalidStatus) as refused:
            connect(f"{hub.ws_url}?since=0", additional_headers=headers, open_timeout=5)
        assert refused.value.response.status_code == 401


def test_a_bad_since_is_refused_422_before_upgrade(hub: HubServer) -> None:
    headers = {"Authorization": f"Bearer {hub.tokens['viewer']}"}
    for since in ("-1", "abc", "1.5"):
        with pytest.raises(InvalidStatus) as refused:
            connect(f"{hub.ws_url}?since={since}", additional_headers=headers, open_timeout=5)
        assert refused.value.response.status_code == 422
        assert json.loads(refused.value.response.body)["error"] == "invalid"


def test_the_hub_answers_pings(hub: HubServer) -> None:
    with feed(hub, Hub(hub).head()) as client:
        client.frame()
        assert client.socket.ping().wait(5)


def flood(server: HubServer, threads: int, each: int) -> None:
    """Big reports (~4 KiB events: the description is also the first timeline note)
    from several connections at once."""
    body = {"category": "other", "description": "x" * 2000, "reported_by": "uji"}

    def report() -> None:
        reporter = Hub(server, "reporter")
        for _ in range(each):
            reporter.ok("POST", "/v1/incidents", {**body, "lat": -7.0, "lon": 109.6})
        reporter.close()

    workers = [threading.Thread(target=report) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()


def raw_feed(server: HubServer, since: int) -> socket.socket:
    """A feed connection that never reads, with a tiny receive window: the kernel on
    both sides absorbs a few MB, then the hub's queue for it fills."""
    raw = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    raw.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    raw.connect(("127.0.0.1", server.port))
    key = base64.b64encode(os.urandom(16)).decode()
    raw.sendall(
        (
            f"GET /v1/feed?since={since} HTTP/1.1\r\nHost: hub\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
            f"Authorization: Bearer {server.tokens['viewer']}\r\n\r\n"
        ).encode()
    )
    answer = b""
    while b"\r\n\r\n" not in answer:
        answer += raw.recv(1)
    assert answer.startswith(b"HTTP/1.1 101")
    return raw


def close_code_of_stream(raw: socket.socket) -> int | None:
    """Read server frames (unmasked) until the close frame; its code."""
    raw.settimeout(20)
    data = bytearray()
    offset = 0
    while chunk := raw.recv(1 << 20):
        data += chunk
        while offset + 2 <= len(data):
            opcode = data[offset] & 0x0F
            length = data[offset + 1] & 0x7F
            start = offset + 2
            if length == 126:
                length = struct.unpack_from("!H", data, start)[0] if start + 2 <= len(data) else -1
                start += 2
            elif length == 127:
                length = struct.unpack_from("!Q", data, start)[0] if start + 8 <= len(data) else -1
                start += 8
            if length < 0 or start + length > len(data):
                break  # the rest of this frame is still on its way
            if opcode == 0x8:
                return int(struct.unpack_from("!H", data, start)[0])
            offset = start + length
    return None


def test_a_console_that_cannot_keep_up_is_closed_4408_without_slowing_others(
    hub_factory: HubFactory,
) -> None:
    server = hub_factory(scenario="none", report_rate=0, feed_queue_limit=100)
    admin = Hub(server)
    head = admin.head()
    stuck = raw_feed(server, head)
    try:
        # The healthy console reads all the time (unbounded client buffer).
        with feed(server, head, max_queue=None) as healthy:
            healthy.frame()
            flood(server, threads=4, each=300)
            last = head + 4 * 300
            events = healthy.events_until(last, timeout=30)
            assert [e["seq"] for e in events] == list(range(head + 1, last + 1))
        # Once it reads again, the stuck console finds what was in flight, then 4408.
        assert close_code_of_stream(stuck) == 4408
    finally:
        stuck.close()
    admin.close()


def test_a_console_that_goes_silent_is_dropped_after_two_keepalive_periods(
    hub_factory: HubFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A peer that stops answering pings (a laptop lid closed, a dead NAT) is let go, so
    it holds no queue for ever: after the ping interval plus the pong timeout (20 s in
    service; 0.4 s here)."""
    import pilkades_tui.hub.server as hub_server

    monkeypatch.setattr(hub_server, "KEEPALIVE_SECONDS", 0.2)
    server = hub_factory(scenario="none", report_rate=0)
    backend = server.core.backend

    def wait_for_subscribers(count: int) -> None:
        wait_until(
            lambda: backend.subscriber_count == count,
            5,
            what=f"{count} feed subscriber(s)",
            seen=lambda: f"{backend.subscriber_count} subscriber(s)",
            interval=0.02,
        )

    head = Hub(server).head()
    # A quiet console that answers pings stays: the sync client pongs in its own thread.
    with feed(server, head) as quiet:
        quiet.frame()
        silent = raw_feed(server, head)  # reads nothing, answers no ping
        try:
            wait_for_subscribers(2)
            wait_for_subscribers(1)
            time.sleep(1.0)  # five keepalive periods
            assert backend.subscriber_count == 1
        finally:
            silent.close()


def test_exercise_mode_is_in_hello_and_snapshot(hub_factory: HubFactory) -> None:
    server = hub_factory(exercise=True, scenario="none")
    viewer = Hub(server, "viewer")
    assert viewer.snapshot()["mode"] == "exercise"
    with feed(server, 0) as client:
        assert client.frame()["mode"] == "exercise"
    assert httpx.get(f"{server.url}/v1/health").json()["mode"] == "exercise"
    viewer.close()


def test_stopping_the_hub_sends_consoles_a_close_frame(hub_factory: HubFactory) -> None:
    server = hub_factory(scenario="none")
    with feed(server, 0) as client:
        client.frame()
        server.stop()
        assert close_code(client) == 1012
