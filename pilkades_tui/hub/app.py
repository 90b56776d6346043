"""The hub's HTTP and WebSocket routes (protocol v1, docs/protocol.md).

Every error leaves in the contract's shape `{"error", "message", "details"}`, FastAPI's
own 404/405/422 and malformed JSON (400) included. The token never enters a log line
or an error body: errors name the token's *name* at most.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import math
import re
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, Path, Request, WebSocket
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from starlette.websockets import WebSocketDisconnect

from pilkades_tui import __version__
from pilkades_tui.domain import commands
from pilkades_tui.domain.commands import Decision, RuleViolation
from pilkades_tui.domain.models import (
    PROTOCOL_VERSION,
    IncidentActionBody,
    NewIncident,
    NoticeBody,
    OfficerStatusBody,
    PhaseBody,
    PositionBody,
    TpsStatusBody,
)
from pilkades_tui.domain.state import ElectionState
from pilkades_tui.hub.core import Answer, HubCore, HubUnavailable, fingerprint
from pilkades_tui.hub.log import LoggedEvent
from pilkades_tui.hub.tokens import TokenEntry, TokenStore

logger = logging.getLogger("pilkades_tui.hub")

MAX_BODY_BYTES = 64 * 1024
FRAME_MAX_EVENTS = 500  # events batched into one feed frame at most
FRAME_MAX_BYTES = 512 * 1024
REPLAY_BATCH = 500
CLOSE_UNSUPPORTED = 1003
CLOSE_TOO_SLOW = 4408
CLOSE_RESET = 4409
CLOSE_GOING_AWAY = 1001


@dataclass(frozen=True, slots=True)
class RateLimit:
    """Token bucket per token on the reporter endpoints; rate 0 switches it off."""

    per_second: float = 100.0
    burst: float = 300.0


class ApiError(Exception):
    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        details: Any = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        self.headers = headers


def error_response(
    status: int, code: str, message: str, details: Any = None, headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse(
        {"error": code, "message": message, "details": details}, status_code=status, headers=headers
    )


RULE_STATUS = {"not_found": 404, "conflict": 409, "invalid": 422}
HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "invalid",
    429: "rate_limited",
}


FastPath = Callable[[Scope, bytes], Awaitable[Response | None]]
POSITION_PATH = re.compile(r"/v1/officers/([^/]{1,128})/position")


class BodyLimit:
    """Refuse request bodies over the limit with 413, chunked ones included: the body
    is read (up to the limit) before the app sees it, then handed over whole."""

    def __init__(
        self, app: ASGIApp, limit: int = MAX_BODY_BYTES, fast_path: FastPath | None = None
    ) -> None:
        self.app = app
        self.limit = limit
        self.fast_path = fast_path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = 0
                if declared > self.limit:
                    await self._too_large(scope, receive, send)
                    return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.limit:
                await self._too_large(scope, receive, send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        if self.fast_path is not None:
            answered = await self.fast_path(scope, body)
            if answered is not None:
                await answered(scope, receive, send)
                return
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = error_response(
            413,
            "payload_too_large",
            f"request body over the limit of {self.limit} bytes",
            {"limit": self.limit},
            headers={"Connection": "close"},
        )
        await response(scope, receive, send)


class TokenBuckets:
    def __init__(self, limit: RateLimit, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}

    def take(self, name: str) -> float:
        """0 when allowed, else the seconds until a request would be."""
        rate = self.limit.per_second
        if rate <= 0:
            return 0.0
        now = self.clock()
        tokens, last = self._buckets.get(name, (self.limit.burst, now))
        tokens = min(self.limit.burst, tokens + (now - last) * rate)
        if tokens >= 1.0:
            self._buckets[name] = (tokens - 1.0, now)
            return 0.0
        self._buckets[name] = (tokens, now)
        return (1.0 - tokens) / rate


def _not_json(body: bytes) -> bool:
    if not body.strip():
        return False
    try:
        json.loads(body)
    except ValueError:
        return True
    return False


def _bearer(authorization: str | None) -> str | None:
    if not authorization:
        return None
    scheme, _, value = authorization.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


class Guard:
    """Who may do what: token lookup, role check, report rate."""

    def __init__(self, tokens: TokenStore, buckets: TokenBuckets) -> None:
        self.tokens = tokens
        self.buckets = buckets

    def authenticate(self, authorization: str | None) -> TokenEntry:
        token = _bearer(authorization)
        entry = self.tokens.lookup(token) if token is not None else None
        if entry is None:
            raise ApiError(
                401,
                "unauthorized",
                "missing or unknown token" if token is None else "unknown token",
                headers={"WWW-Authenticate": "Bearer"},
            )
        return entry

    def check(self, authorization: str | None, needed: str, limited: bool) -> TokenEntry:
        entry = self.authenticate(authorization)
        if not entry.may(needed):
            raise ApiError(
                403,
                "forbidden",
                f"token {entry.name!r} has role {entry.role}; this needs {needed}",
                {"role": entry.role, "needs": needed},
            )
        if limited:
            wait = self.buckets.take(entry.name)
            if wait > 0:
                raise ApiError(
                    429,
                    "rate_limited",
                    f"token {entry.name!r} is over its report rate; retry shortly",
                    {"retry_after": round(wait, 3)},
                    headers={"Retry-After": str(max(1, math.ceil(wait)))},
                )
        return entry


def _role(needed: str, limited: bool = False) -> Callable[..., Awaitable[TokenEntry]]:
    # async: FastAPI runs a plain `def` dependency in a worker thread, two thread hops
    # per request for a dictionary lookup.
    async def check(
        request: Request,
        authorization: Annotated[str | None, Header(include_in_schema=False)] = None,
    ) -> TokenEntry:
        guard: Guard = request.app.state.guard
        return guard.check(authorization, needed, limited)

    return check


# Module level: FastAPI resolves these annotations in this module's namespace.
Viewer = Annotated[TokenEntry, Depends(_role("viewer"))]
Reporter = Annotated[TokenEntry, Depends(_role("reporter", limited=True))]
Dispatcher = Annotated[TokenEntry, Depends(_role("dispatcher"))]
Admin = Annotated[TokenEntry, Depends(_role("admin"))]
IdempotencyKey = Annotated[
    str | None, Header(alias="Idempotency-Key", min_length=1, max_length=200)
]
RecordId = Annotated[str, Path(min_length=1, max_length=128)]


def create_app(
    core: HubCore,
    tokens: TokenStore,
    *,
    rate_limit: RateLimit | None = None,
) -> FastAPI:
    guard = Guard(tokens, TokenBuckets(rate_limit or RateLimit()))
    authenticate = guard.authenticate

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        # uvicorn has closed every connection by now (consoles got their close frame).
        await core.close()

    app = FastAPI(
        lifespan=lifespan,
        title="pilkades-tui hub",
        version=__version__,
        description="Feed and command protocol v1 (docs/protocol.md).",
        openapi_url="/v1/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    app.state.guard = guard

    async def fast_position(scope: Scope, body: bytes) -> Response | None:
        """Positions are most of the traffic: a valid, authorised one is decided here,
        past FastAPI's per-request machinery, by the same guard, body model, rule and
        core as the route. Anything else (None) goes through the route, which answers
        errors in the usual way; nothing here has a side effect before it is sure."""
        if scope["method"] != "POST":
            return None
        matched = POSITION_PATH.fullmatch(scope["path"])
        if matched is None:
            return None
        headers = {name: value for name, value in scope["headers"]}
        key_bytes = headers.get(b"idempotency-key")
        key = key_bytes.decode("latin-1") if key_bytes is not None else None
        if key is not None and not 1 <= len(key) <= 200:
            return None
        try:
            position = PositionBody.model_validate_json(body)
        except ValueError:
            return None
        authorization = headers.get(b"authorization")
        try:
            token = guard.check(
                authorization.decode("latin-1") if authorization else None, "reporter", True
            )
        except ApiError:
            return None  # refusals leave no trace (no bucket token taken): the route answers
        officer_id = matched.group(1)

        def decide(state: ElectionState, now: datetime, seq: int) -> Decision:
            return commands.officer_position(state, officer_id, position, now)

        print_ = fingerprint(
            "POST", scope["path"], position.model_dump(mode="json", exclude_unset=True)
        )
        try:
            answer = await core.submit(token.name, key, print_, decide, 200)
        except RuleViolation as error:
            return error_response(RULE_STATUS[error.kind], error.kind, error.message, error.details)
        except HubUnavailable as error:
            return error_response(503, "unavailable", str(error), None, {"Retry-After": "1"})
        return Response(answer.body, status_code=answer.status, media_type="application/json")

    app.add_middleware(BodyLimit, fast_path=fast_position)

    # ---- errors ------------------------------------------------------------------

    @app.exception_handler(ApiError)
    async def on_api_error(request: Request, error: ApiError) -> JSONResponse:
        return error_response(error.status, error.code, error.message, error.details, error.headers)

    @app.exception_handler(RuleViolation)
    async def on_rule(request: Request, error: RuleViolation) -> JSONResponse:
        return error_response(RULE_STATUS[error.kind], error.kind, error.message, error.details)

    @app.exception_handler(HubUnavailable)
    async def on_unavailable(request: Request, error: HubUnavailable) -> JSONResponse:
        return error_response(503, "unavailable", str(error), None, {"Retry-After": "1"})

    @app.exception_handler(StarletteHTTPException)
    async def on_http(request: Request, error: StarletteHTTPException) -> JSONResponse:
        code = HTTP_CODES.get(error.status_code, f"http_{error.status_code}")
        message = {
            404: f"no such endpoint: {request.method} {request.url.path}",
            405: f"{request.method} is not allowed on {request.url.path}",
        }.get(error.status_code, str(error.detail))
        return error_response(error.status_code, code, message, None, error.headers)

    @app.exception_handler(RequestValidationError)
    async def on_invalid(request: Request, error: RequestValidationError) -> JSONResponse:
        problems = error.errors()
        if any(problem.get("type") == "json_invalid" for problem in problems) or _not_json(
            await request.body()
        ):
            # The body is parsed before the route's auth runs: a stranger learns nothing.
            try:
                authenticate(request.headers.get("authorization"))
            except ApiError as refused:
                return await on_api_error(request, refused)
            return error_response(400, "bad_request", "the body is not valid JSON", None)
        details = [
            {
                "field": ".".join(str(part) for part in problem.get("loc", ())),
                "message": str(problem.get("msg", "")),
                "type": str(problem.get("type", "")),
            }
            for problem in problems
        ]
        first = details[0] if details else {"field": "", "message": "invalid request"}
        return error_response(422, "invalid", f"{first['field']}: {first['message']}", details)

    @app.exception_handler(Exception)
    async def on_crash(request: Request, error: Exception) -> JSONResponse:
        logger.exception("unexpected error on %s %s", request.method, request.url.path)
        return error_response(500, "internal", "the hub failed on this request", None)

    # ---- command plumbing --------------------------------------------------------

    async def run(
        request: Request,
        token: TokenEntry,
        key: str | None,
        body: BaseModel | None,
        decide: Callable[[ElectionState, datetime, int], Decision],
        status: int = 200,
    ) -> Response:
        dumped = body.model_dump(mode="json", exclude_unset=True) if body is not None else None
        print_ = fingerprint(request.method, request.url.path, dumped)
        answer: Answer = await core.submit(token.name, key, print_, decide, status)
        return Response(answer.body, status_code=answer.status, media_type="application/json")

    # ---- reads -------------------------------------------------------------------

    @app.get("/v1/health")
    async def health() -> dict[str, Any]:
        return {
            "status": "ok" if core.failed is None else "failed",
            "protocol": PROTOCOL_VERSION,
            "head": core.durable,
            "mode": core.mode.value,
            "version": __version__,
        }

    @app.get("/v1/snapshot")
    async def snapshot(token: Viewer) -> Response:
        text = await core.snapshot_json()
        return Response(text, media_type="application/json")

    # ---- commands ----------------------------------------------------------------

    @app.post("/v1/incidents", status_code=201)
    async def new_incident(
        body: NewIncident, request: Request, token: Reporter, key: IdempotencyKey = None
    ) -> Response:
        def decide(state: ElectionState, now: datetime, seq: int) -> Decision:
            return commands.new_incident(state, body, token.name, now, core.settings.priority)

        return await run(request, token, key, body, decide, 201)

    @app.post("/v1/incidents/{incident_id}/actions")
    async def incident_action(
        incident_id: RecordId,
        body: IncidentActionBody,
        request: Request,
        token: Dispatcher,
        key: IdempotencyKey = None,
    ) -> Response:
        def decide(state: ElectionState, now: datetime, seq: int) -> Decision:
            return commands.incident_action(state, incident_id, body, token.name, now)

        return await run(request, token, key, body, decide)

    @app.put("/v1/tps/{tps_id}/status")
    async def tps_status(
        tps_id: RecordId,
        body: TpsStatusBody,
        request: Request,
        token: Reporter,
        key: IdempotencyKey = None,
    ) -> Response:
        def decide(state: ElectionState, now: datetime, seq: int) -> Decision:
            return commands.tps_status(state, tps_id, body, token.name, now)

        return await run(request, token, key, body, decide)

    @app.put("/v1/officers/{officer_id}/status")
    async def officer_status(
        officer_id: RecordId,
        body: OfficerStatusBody,
        request: Request,
        token: Reporter,
        key: IdempotencyKey = None,
    ) -> Response:
        def decide(state: ElectionState, now: datetime, seq: int) -> Decision:
            return commands.officer_status(state, officer_id, body, token.name, now)

        return await run(request, token, key, body, decide)

    @app.post("/v1/officers/{officer_id}/position")
    async def officer_position(
        officer_id: RecordId,
        body: PositionBody,
        request: Request,
        token: Reporter,
        key: IdempotencyKey = None,
    ) -> Response:
        def decide(state: ElectionState, now: datetime, seq: int) -> Decision:
            return commands.officer_position(state, officer_id, body, now)

        return await run(request, token, key, body, decide)

    @app.put("/v1/phase")
    async def set_phase(
        body: PhaseBody, request: Request, token: Admin, key: IdempotencyKey = None
    ) -> Response:
        def decide(state: ElectionState, now: datetime, seq: int) -> Decision:
            return commands.set_phase(state, body, now)

        return await run(request, token, key, body, decide)

    @app.post("/v1/notices", status_code=201)
    async def notice(
        body: NoticeBody, request: Request, token: Admin, key: IdempotencyKey = None
    ) -> Response:
        def decide(state: ElectionState, now: datetime, seq: int) -> Decision:
            return commands.notice(body, token.name, commands.notice_id_for(seq))

        return await run(request, token, key, body, decide, 201)

    # ---- feed --------------------------------------------------------------------

    @app.websocket("/v1/feed")
    async def feed(websocket: WebSocket) -> None:
        # `since` is read by hand: FastAPI would refuse a bad one with a bare 403, which
        # a console takes for a refused token.
        try:
            guard.authenticate(websocket.headers.get("authorization"))
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
        await FeedConnection(websocket, core, since).run()

    from pilkades_tui.hub.field import field_router  # here: hub.field imports this module

    app.include_router(field_router(core))
    return app


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
