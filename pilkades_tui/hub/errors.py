"""The contract's error shape `{"error", "message", "details"}` (docs/protocol.md).

The token never enters a log line or an error body: errors name the token's *name*
at most."""

from __future__ import annotations

from typing import Any

from fastapi.responses import JSONResponse

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


def response_for(error: ApiError) -> JSONResponse:
    return error_response(error.status, error.code, error.message, error.details, error.headers)
