"""Exception handlers that give every refusal the contract's error shape, FastAPI's
own 404/405/422 and malformed JSON (400) included."""

from __future__ import annotations

import json
import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from pilkades_tui.domain.commands import RuleViolation
from pilkades_tui.hub.auth import guard_of
from pilkades_tui.hub.core import HubUnavailable
from pilkades_tui.hub.errors import (
    HTTP_CODES,
    RULE_STATUS,
    ApiError,
    error_response,
    response_for,
)

logger = logging.getLogger("pilkades_tui.hub")


def _not_json(body: bytes) -> bool:
    if not body.strip():
        return False
    try:
        json.loads(body)
    except (ValueError, RecursionError):  # RecursionError: nested deeper than Python parses
        return True
    return False


def not_json() -> JSONResponse:
    return error_response(
        400, "bad_request", "the body is not valid JSON (malformed, or nested too deep)", None
    )


# FastAPI's own refusal of a body it could not parse (JSON nested too deep, for one):
# an HTTPException 400 raised before the route's dependencies, so before the token check.
PARSE_REFUSED = 400


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def on_api_error(request: Request, error: ApiError) -> JSONResponse:
        return response_for(error)

    @app.exception_handler(RuleViolation)
    async def on_rule(request: Request, error: RuleViolation) -> JSONResponse:
        return error_response(RULE_STATUS[error.kind], error.kind, error.message, error.details)

    @app.exception_handler(HubUnavailable)
    async def on_unavailable(request: Request, error: HubUnavailable) -> JSONResponse:
        return error_response(503, "unavailable", str(error), None, {"Retry-After": "1"})

    def stranger_refused(request: Request) -> JSONResponse | None:
        """The body is parsed before the route's auth runs: a stranger learns nothing
        about it, only that the token is missing or unknown."""
        try:
            guard_of(request).authenticate(request.headers.get("authorization"))
        except ApiError as refused:
            return response_for(refused)
        return None

    @app.exception_handler(StarletteHTTPException)
    async def on_http(request: Request, error: StarletteHTTPException) -> JSONResponse:
        if error.status_code == PARSE_REFUSED:
            return stranger_refused(request) or not_json()
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
            return stranger_refused(request) or not_json()
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
