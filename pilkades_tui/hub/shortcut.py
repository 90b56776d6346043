"""Positions past FastAPI's per-request machinery.

Positions are most of the traffic, and FastAPI's routing and dependency solving cost
more than the rest of a position's way (measured with `bench/hub_fanout.py`). This
middleware reads a position request by hand and hands it to the route's own rules
(`routes.report_position`: role, body model, domain rule, log); the limits it reads
by (path, key and id lengths) are the routes' own constants. Whatever it is not
sure of it leaves untouched for the route, which answers refusals in the usual way:
nothing here has a side effect before it is sure.
"""

from __future__ import annotations

import re

from pydantic import ValidationError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pilkades_tui.domain.commands import RuleViolation
from pilkades_tui.domain.models import PositionBody
from pilkades_tui.hub.auth import Guard
from pilkades_tui.hub.core import HubCore, HubUnavailable
from pilkades_tui.hub.errors import ApiError, rule_response, unavailable_response
from pilkades_tui.hub.routes import (
    KEY_LENGTH,
    POSITION_PATH,
    POSITION_ROLE,
    RECORD_ID_LENGTH,
    report_position,
)


def _path_pattern(template: str) -> re.Pattern[str]:
    low, high = RECORD_ID_LENGTH
    head, _, tail = template.partition("{officer_id}")
    return re.compile(re.escape(head) + f"([^/]{{{low},{high}}})" + re.escape(tail))


class PositionShortcut:
    """Answers a well-formed, authorised position report; passes anything else on
    (with its body, already read whole by `BodyLimit` outside this middleware)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.path = _path_pattern(POSITION_PATH)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        matched = self.path.fullmatch(scope["path"])
        if matched is None:
            await self.app(scope, receive, send)
            return
        message = await receive()
        body: bytes = message.get("body", b"")
        answered = await self._answer(scope, matched.group(1), body)
        if answered is not None:
            await answered(scope, receive, send)
            return
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if not delivered:
                delivered = True
                return message
            return await receive()

        await self.app(scope, replay, send)

    async def _answer(self, scope: Scope, officer_id: str, body: bytes) -> ASGIApp | None:
        headers = dict(scope["headers"])
        key_bytes = headers.get(b"idempotency-key")
        key = key_bytes.decode("latin-1") if key_bytes is not None else None
        if key is not None and not KEY_LENGTH[0] <= len(key) <= KEY_LENGTH[1]:
            return None
        try:
            position = PositionBody.model_validate_json(body)
        except (ValidationError, ValueError):
            return None
        state = scope["app"].state
        guard: Guard = state.guard
        core: HubCore = state.core
        authorization = headers.get(b"authorization")
        try:
            token = POSITION_ROLE.admit(
                guard, authorization.decode("latin-1") if authorization else None
            )
        except ApiError:
            return None  # refusals leave no trace (no bucket token taken): the route answers
        try:
            return await report_position(core, scope["path"], token, officer_id, key, position)
        except RuleViolation as error:
            return rule_response(error)
        except HubUnavailable as error:
            return unavailable_response(error)
