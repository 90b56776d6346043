"""The hub's HTTP routes (protocol v1, docs/protocol.md): health, snapshot, commands.

Every command goes the same way: the role's dependency (`auth`) lets the token in,
the body model checks the shape, a `decide` closure applies the domain rule, and
`HubCore.submit` logs the events and answers (idempotency keys included)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, Request
from fastapi.responses import Response
from pydantic import BaseModel
from starlette.requests import HTTPConnection

from pilkades_tui import __version__
from pilkades_tui.domain import commands
from pilkades_tui.domain.commands import Decision
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
from pilkades_tui.hub.auth import REPORTER, Admin, Dispatcher, Reporter, Viewer
from pilkades_tui.hub.core import Answer, HubCore, fingerprint
from pilkades_tui.hub.operator import Operator, recorded_by
from pilkades_tui.hub.tokens import TokenEntry

# Declared once, for the routes and for the positions shortcut (`hub/shortcut.py`).
KEY_LENGTH = (1, 200)
RECORD_ID_LENGTH = (1, 128)
IdempotencyKey = Annotated[
    str | None,
    Header(alias="Idempotency-Key", min_length=KEY_LENGTH[0], max_length=KEY_LENGTH[1]),
]
RecordId = Annotated[str, Path(min_length=RECORD_ID_LENGTH[0], max_length=RECORD_ID_LENGTH[1])]

router = APIRouter()


def core_of(connection: HTTPConnection) -> HubCore:
    """The app's core (set by `create_app`), for a request or a WebSocket."""
    core: HubCore = connection.app.state.core
    return core


async def submit(
    core: HubCore,
    method: str,
    path: str,
    token: TokenEntry,
    key: str | None,
    body: BaseModel | None,
    decide: Callable[[ElectionState, datetime, int], Decision],
    status: int = 200,
    *,
    position: bool = False,
) -> Response:
    dumped = body.model_dump(mode="json", exclude_unset=True) if body is not None else None
    print_ = fingerprint(method, path, dumped)
    answer: Answer = await core.submit(token.name, key, print_, decide, status, position=position)
    return Response(answer.body, status_code=answer.status, media_type="application/json")


async def run(
    request: Request,
    token: TokenEntry,
    key: str | None,
    body: BaseModel | None,
    decide: Callable[[ElectionState, datetime, int], Decision],
    status: int = 200,
) -> Response:
    path: str = request.scope["path"]
    return await submit(core_of(request), request.method, path, token, key, body, decide, status)


# ---- reads -----------------------------------------------------------------------


@router.get("/v1/health")
async def health(request: Request) -> dict[str, Any]:
    core = core_of(request)
    trouble = core.trouble
    answer: dict[str, Any] = {
        "status": "ok" if trouble is None else "failed",
        "protocol": PROTOCOL_VERSION,
        "head": core.durable,
        "mode": core.mode.value,
        "version": __version__,
    }
    if trouble is not None:
        answer["reason"] = trouble
    return answer


@router.get("/v1/snapshot")
async def snapshot(request: Request, token: Viewer) -> Response:
    text = await core_of(request).snapshot_json()
    return Response(text, media_type="application/json")


# ---- commands --------------------------------------------------------------------


@router.post("/v1/incidents", status_code=201)
async def new_incident(
    body: NewIncident,
    request: Request,
    token: Reporter,
    operator: Operator,
    key: IdempotencyKey = None,
) -> Response:
    core = core_of(request)
    by = recorded_by(token.name, operator)

    def decide(state: ElectionState, now: datetime, seq: int) -> Decision:
        return commands.new_incident(state, body, by, now, core.settings.priority)

    return await run(request, token, key, body, decide, 201)


@router.post("/v1/incidents/{incident_id}/actions")
async def incident_action(
    incident_id: RecordId,
    body: IncidentActionBody,
    request: Request,
    token: Dispatcher,
    operator: Operator,
    key: IdempotencyKey = None,
) -> Response:
    by = recorded_by(token.name, operator)

    def decide(state: ElectionState, now: datetime, seq: int) -> Decision:
        return commands.incident_action(state, incident_id, body, by, now)

    return await run(request, token, key, body, decide)


@router.put("/v1/tps/{tps_id}/status")
async def tps_status(
    tps_id: RecordId,
    body: TpsStatusBody,
    request: Request,
    token: Reporter,
    operator: Operator,
    key: IdempotencyKey = None,
) -> Response:
    by = recorded_by(token.name, operator)

    def decide(state: ElectionState, now: datetime, seq: int) -> Decision:
        return commands.tps_status(state, tps_id, body, by, now)

    return await run(request, token, key, body, decide)


@router.put("/v1/officers/{officer_id}/status")
async def officer_status(
    officer_id: RecordId,
    body: OfficerStatusBody,
    request: Request,
    token: Reporter,
    operator: Operator,
    key: IdempotencyKey = None,
) -> Response:
    by = recorded_by(token.name, operator)

    def decide(state: ElectionState, now: datetime, seq: int) -> Decision:
        return commands.officer_status(state, officer_id, body, by, now)

    return await run(request, token, key, body, decide)


POSITION_PATH = "/v1/officers/{officer_id}/position"
POSITION_ROLE = REPORTER  # what `Reporter` below checks


async def report_position(
    core: HubCore,
    path: str,
    token: TokenEntry,
    officer_id: str,
    key: str | None,
    body: PositionBody,
) -> Response:
    """The position rules, for the route and its shortcut alike."""

    def decide(state: ElectionState, now: datetime, seq: int) -> Decision:
        return commands.officer_position(state, officer_id, body, now)

    return await submit(core, "POST", path, token, key, body, decide, position=True)


@router.post(POSITION_PATH)
async def officer_position(
    officer_id: RecordId,
    body: PositionBody,
    request: Request,
    token: Reporter,
    key: IdempotencyKey = None,
) -> Response:
    path: str = request.scope["path"]
    return await report_position(core_of(request), path, token, officer_id, key, body)


@router.put("/v1/phase")
async def set_phase(
    body: PhaseBody, request: Request, token: Admin, key: IdempotencyKey = None
) -> Response:
    def decide(state: ElectionState, now: datetime, seq: int) -> Decision:
        return commands.set_phase(state, body, now)

    return await run(request, token, key, body, decide)


@router.post("/v1/notices", status_code=201)
async def notice(
    body: NoticeBody,
    request: Request,
    token: Admin,
    operator: Operator,
    key: IdempotencyKey = None,
) -> Response:
    by = recorded_by(token.name, operator)

    def decide(state: ElectionState, now: datetime, seq: int) -> Decision:
        return commands.notice(body, by, commands.notice_id_for(seq))

    return await run(request, token, key, body, decide, 201)
