"""The hub's HTTP routes (protocol v1, docs/protocol.md): health, snapshot, commands.

Every command goes the same way: the role's dependency (`auth`) lets the token in,
the body model checks the shape, a `decide` closure applies the domain rule, and
`HubCore.submit` logs the events and answers (idempotency keys included)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, Request
from fastapi.responses import Response
from pydantic import BaseModel
from starlette.requests import HTTPConnection
from starlette.types import Scope

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
from pilkades_tui.hub.auth import Admin, Dispatcher, Guard, Reporter, Viewer
from pilkades_tui.hub.bodylimit import FastPath
from pilkades_tui.hub.core import Answer, HubCore, HubUnavailable, fingerprint
from pilkades_tui.hub.errors import RULE_STATUS, ApiError, error_response
from pilkades_tui.hub.tokens import TokenEntry

IdempotencyKey = Annotated[
    str | None, Header(alias="Idempotency-Key", min_length=1, max_length=200)
]
RecordId = Annotated[str, Path(min_length=1, max_length=128)]

router = APIRouter()


def core_of(connection: HTTPConnection) -> HubCore:
    """The app's core (set by `create_app`), for a request or a WebSocket."""
    core: HubCore = connection.app.state.core
    return core


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
    answer: Answer = await core_of(request).submit(token.name, key, print_, decide, status)
    return Response(answer.body, status_code=answer.status, media_type="application/json")


# ---- reads -----------------------------------------------------------------------


@router.get("/v1/health")
async def health(request: Request) -> dict[str, Any]:
    core = core_of(request)
    return {
        "status": "ok" if core.failed is None else "failed",
        "protocol": PROTOCOL_VERSION,
        "head": core.durable,
        "mode": core.mode.value,
        "version": __version__,
    }


@router.get("/v1/snapshot")
async def snapshot(request: Request, token: Viewer) -> Response:
    text = await core_of(request).snapshot_json()
    return Response(text, media_type="application/json")


# ---- commands --------------------------------------------------------------------


@router.post("/v1/incidents", status_code=201)
async def new_incident(
    body: NewIncident, request: Request, token: Reporter, key: IdempotencyKey = None
) -> Response:
    core = core_of(request)

    def decide(state: ElectionState, now: datetime, seq: int) -> Decision:
        return commands.new_incident(state, body, token.name, now, core.settings.priority)

    return await run(request, token, key, body, decide, 201)


@router.post("/v1/incidents/{incident_id}/actions")
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


@router.put("/v1/tps/{tps_id}/status")
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


@router.put("/v1/officers/{officer_id}/status")
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


@router.post("/v1/officers/{officer_id}/position")
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


@router.put("/v1/phase")
async def set_phase(
    body: PhaseBody, request: Request, token: Admin, key: IdempotencyKey = None
) -> Response:
    def decide(state: ElectionState, now: datetime, seq: int) -> Decision:
        return commands.set_phase(state, body, now)

    return await run(request, token, key, body, decide)


@router.post("/v1/notices", status_code=201)
async def notice(
    body: NoticeBody, request: Request, token: Admin, key: IdempotencyKey = None
) -> Response:
    def decide(state: ElectionState, now: datetime, seq: int) -> Decision:
        return commands.notice(body, token.name, commands.notice_id_for(seq))

    return await run(request, token, key, body, decide, 201)


# ---- the positions fast path -------------------------------------------------------

POSITION_PATH = re.compile(r"/v1/officers/([^/]{1,128})/position")


def position_fast_path(core: HubCore, guard: Guard) -> FastPath:
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

    return fast_position
