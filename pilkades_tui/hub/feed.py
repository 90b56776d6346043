"""The WebSocket feed (`/v1/feed`, docs/protocol.md): hello, replay from `since`,
then live events, one console per `FeedConnection`."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from typing import Any

from fastapi import APIRouter, WebSocket
from starlette.websockets import WebSocketDisconnect

from pilkades_tui.domain.models import PROTOCOL_VERSION
from pilkades_tui.hub.auth import guard_of
from pilkades_tui.hub.core import HubCore
from pilkades_tui.hub.errors import ApiError, error_response
from pilkades_tui.hub.log import LoggedEvent
from pilkades_tui.hub.routes import core_of

logger = logging.getLogger("pilkades_tui.hub")

FRAME_MAX_EVENTS = 500  # events batched into one feed frame at most
FRAME_MAX_BYTES = 512 * 1024
REPLAY_BATCH = 500
CLOSE_UNSUPPORTED = 1003
CLOSE_TOO_SLOW = 4408
CLOSE_RESET = 4409
CLOSE_GOING_AWAY = 1001

router = APIRouter()


@router.websocket("/v1/feed")
async def feed(websocket: WebSocket) -> None:
    # `since` is read by hand: FastAPI would refuse a bad one with a bare 403, which
    # a console takes for a refused token.
    try:
        guard_of(websocket).authenticate(websocket.headers.get("authorization"))
    except ApiError:
        await websocket.send_denial_response(
            error_response(401, "unauthorized", "missing or unknown token")
        )
        return
    raw_since = websocket.query_params.get("since", "0")
    if not raw_since.isdigit() or not raw_since.isascii():
        await websocket.send_denial_response(
            error_response(
                422,
                "invalid",
                "since: a non-negative integer (the last seq the client holds)",
                [{"field": "query.since", "message": "not a non-negative integer"}],
            )
        )
        return
    since = int(raw_since)
    await websocket.accept()
    await FeedConnection(websocket, core_of(websocket), since).run()


class FeedConnection:
    """One console's feed: hello, replay, live. A sender and a watcher run side by
    side; the sender only ever waits on this console's own socket and queue, so a
    slow console never holds up the others."""

    def __init__(self, websocket: WebSocket, core: HubCore, since: int) -> None:
        self.websocket = websocket
        self.core = core
        self.since = since

    async def run(self) -> None:
        websocket = self.websocket
        core = self.core
        registration = core.register(self.since)
        head = registration.head if registration is not None else core.durable
        await websocket.send_text(
            json.dumps(
                {"type": "hello", "protocol": PROTOCOL_VERSION, "head": head, "mode": core.mode}
            )
        )
        if registration is None:
            await websocket.send_text(json.dumps({"type": "reset", "head": head}))
            await websocket.close(CLOSE_RESET, "since is ahead of the hub's head")
            return
        subscriber = registration.subscriber
        sender = asyncio.create_task(self._send(registration))
        watcher = asyncio.create_task(self._watch())
        # The sender may be stuck writing to a console that stopped reading: the overflow
        # must end it from outside (its queue is already dropped, so memory stays bounded).
        overflow = asyncio.create_task(subscriber.overflow.wait())
        tasks = {sender, watcher, overflow}
        try:
            done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        finally:
            core.unregister(subscriber)
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
        close: tuple[int, str] | None = None
        if subscriber.overflowed:
            logger.info("feed closed 4408: a console fell %d events behind", subscriber.limit)
            close = CLOSE_TOO_SLOW, "too far behind the feed; resume from your last seq"
        for task in done & {sender, watcher}:
            if not task.cancelled() and task.exception() is None:
                close = task.result() or close
        if close is not None:
            with contextlib.suppress(RuntimeError, WebSocketDisconnect, OSError):
                await websocket.close(close[0], close[1])

    async def _watch(self) -> tuple[int, str] | None:
        message = await self.websocket.receive()
        if message["type"] == "websocket.disconnect":
            return None
        return CLOSE_UNSUPPORTED, "clients send nothing in protocol v1"

    async def _send(self, registration: Any) -> tuple[int, str] | None:
        websocket = self.websocket
        since = registration.replay_since
        while since < registration.replay_upto:
            batch = self.core.read_log(since, registration.replay_upto, REPLAY_BATCH)
            if not batch:
                break
            await websocket.send_text(_frame(batch))
            since = batch[-1].seq
        subscriber = registration.subscriber
        queue = subscriber.queue
        while True:
            await subscriber.wake.wait()
            subscriber.wake.clear()
            if subscriber.overflowed:
                return CLOSE_TOO_SLOW, "too far behind the feed; resume from your last seq"
            while queue:
                batch: list[LoggedEvent] = []
                size = 0
                while queue and len(batch) < FRAME_MAX_EVENTS and size < FRAME_MAX_BYTES:
                    event = queue.popleft()
                    batch.append(event)
                    size += len(event.json)
                await websocket.send_text(_frame(batch))
                if subscriber.overflowed:
                    return CLOSE_TOO_SLOW, "too far behind the feed; resume from your last seq"


def _frame(batch: list[LoggedEvent]) -> str:
    if len(batch) == 1:
        return batch[0].json
    return "[" + ",".join(event.json for event in batch) + "]"
