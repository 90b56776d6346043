"""A scripted stand-in for the hub: a real websockets server on loopback that serves
`GET /v1/snapshot` (over the same port, answered during the HTTP handshake) and the
`/v1/feed` WebSocket, with hooks to misbehave on purpose (gaps, resets, 4408, bad
frames, abrupt death). The real hub is tested in tests/hub; this one lets the feed
client's tests pin down each fault precisely.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Awaitable, Callable
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qs, urlsplit

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response

from pilkades_tui.domain.events import OFFICER_POSITION, Event, parse_event
from pilkades_tui.domain.models import Snapshot
from pilkades_tui.domain.state import ElectionState
from tests.domain.factories import at, officer, snapshot, tps

TOKEN = "s3cret-token-for-tests"

FeedScript = Callable[["FakeHub", ServerConnection, int], Awaitable[None]]


def position_event(seq: int, officer_id: str = "KJN-001") -> dict[str, Any]:
    """A fix one second after the previous one, a few metres further north."""
    moment = at(seq / 60).isoformat()
    return {
        "seq": seq,
        "ts": moment,
        "type": OFFICER_POSITION,
        "data": {"id": officer_id, "lat": -7.03 + seq * 1e-5, "lon": 109.58, "at": moment},
    }


class FakeHub:
    def __init__(self, base: Snapshot | None = None, *, batch: int = 1) -> None:
        self.base = base or snapshot(
            tps=[tps("T1"), tps("T2", district="Kajen")],
            officers=[officer("KJN-001"), officer("KJN-002")],
        )
        self.state = ElectionState.from_snapshot(self.base)
        self.log: list[dict[str, Any]] = []
        self.batch = batch
        self.mode = "live"
        self.script: FeedScript | None = None
        self.feed_requests: list[int] = []
        self.snapshot_requests = 0
        self.snapshot_status = 200
        self.port = 0
        self._server: Server | None = None
        self._grown = asyncio.Condition()

    # ---- the log ---------------------------------------------------------

    @property
    def head(self) -> int:
        return len(self.log)

    async def append(self, events: list[dict[str, Any]]) -> None:
        for raw in events:
            raw = dict(raw, seq=self.head + 1)
            parsed = parse_event(raw)
            assert isinstance(parsed, Event)
            self.state.apply(parsed)
            self.log.append(raw)
        async with self._grown:
            self._grown.notify_all()

    async def add_positions(self, count: int, officer_id: str = "KJN-001") -> None:
        first = self.head + 1
        await self.append([position_event(first + n, officer_id) for n in range(count)])

    def truncate(self, length: int) -> None:
        """Forget the log past `length`, as a hub restored from an older backup would."""
        kept = self.log[:length]
        self.log = []
        self.state = ElectionState.from_snapshot(self.base)
        for raw in kept:
            parsed = parse_event(raw)
            assert isinstance(parsed, Event)
            self.state.apply(parsed)
            self.log.append(raw)

    async def wait_head(self, head: int) -> None:
        async with self._grown:
            await self._grown.wait_for(lambda: self.head >= head)

    def snapshot_json(self) -> str:
        return self.state.snapshot().model_dump_json()

    # ---- serving ---------------------------------------------------------

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> None:
        self._server = await serve(
            self._feed,
            "127.0.0.1",
            self.port,
            process_request=self._http,
            ping_interval=None,
        )
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        """A clean shutdown: connections get close code 1001."""
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None

    async def kill(self) -> None:
        """Die without a word: sockets torn down, no close frame."""
        server = self._server
        assert server is not None
        server.server.close()
        for connection in list(server.connections):
            transport = connection.transport
            transport.abort()
        await server.server.wait_closed()
        self._server = None

    async def __aenter__(self) -> FakeHub:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    def _http(self, connection: ServerConnection, request: Request) -> Response | None:
        if request.headers.get("Authorization") != f"Bearer {TOKEN}":
            return _json(connection, 401, {"error": "unauthorized", "message": "bad token"})
        path = urlsplit(request.path).path
        if path == "/v1/snapshot":
            self.snapshot_requests += 1
            if self.snapshot_status != 200:
                body = {"error": "unavailable", "message": "hub is starting"}
                return _json(connection, self.snapshot_status, body)
            response = connection.respond(HTTPStatus.OK, self.snapshot_json())
            response.headers["Content-Type"] = "application/json"
            return response
        if path != "/v1/feed":
            return _json(connection, 404, {"error": "not_found", "message": path})
        return None

    async def _feed(self, connection: ServerConnection) -> None:
        query = parse_qs(urlsplit(connection.request.path).query)
        since = int(query.get("since", ["0"])[0])
        self.feed_requests.append(since)
        if self.script is not None:
            await self.script(self, connection, since)
            return
        await self.serve_from(connection, since)

    async def hello(self, connection: ServerConnection) -> None:
        frame = {"type": "hello", "protocol": 1, "head": self.head, "mode": self.mode}
        await connection.send(json.dumps(frame))

    async def serve_from(self, connection: ServerConnection, since: int) -> None:
        """What the real hub does: hello, the backlog after `since`, then live events."""
        if since > self.head:
            await connection.send(json.dumps({"type": "reset", "head": self.head}))
            await connection.close(4409, "reset")
            return
        await self.hello(connection)
        cursor = since
        with contextlib.suppress(ConnectionClosed):
            while True:
                while cursor < self.head:
                    chunk = self.log[cursor : cursor + self.batch]
                    text = json.dumps(chunk if self.batch > 1 else chunk[0])
                    await connection.send(text)
                    cursor += len(chunk)
                if not await self._wait_beyond(connection, cursor):
                    return

    async def _wait_beyond(self, connection: ServerConnection, cursor: int) -> bool:
        """Until the log grows past `cursor` (True) or the client goes (False)."""

        async def grown() -> None:
            async with self._grown:
                await self._grown.wait_for(lambda: self.head > cursor)

        growth = asyncio.ensure_future(grown())
        closed = asyncio.ensure_future(connection.wait_closed())
        done, pending = await asyncio.wait({growth, closed}, return_when=asyncio.FIRST_COMPLETED)
        for task in pending:
            task.cancel()
        return growth in done


def _json(connection: ServerConnection, status: int, body: object) -> Response:
    response = connection.respond(HTTPStatus(status), json.dumps(body))
    response.headers["Content-Type"] = "application/json"
    return response
