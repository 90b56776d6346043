"""The officer at the console behind a command: the optional `X-Pilkades-Operator`
header (docs/protocol.md).

A token names a desk (`piket-1`), not the person at it; shifts change while the token
stays. The header carries the officer's name, UTF-8, so the timeline can say who
decided: `by` becomes `piket-1 / Iptu Budi`. `by` stays one string, so a client that
knows nothing of the header still reads every timeline.
"""

from __future__ import annotations

import unicodedata
from typing import Annotated

from fastapi import Depends, Request

from pilkades_tui.hub.errors import ApiError

OPERATOR_HEADER = "X-Pilkades-Operator"
OPERATOR_MAX_CHARS = 80
# What joins the token's name and the officer's in `by`.
BY_SEPARATOR = " / "
_HEADER_BYTES = OPERATOR_HEADER.lower().encode("ascii")


def _refused(reason: str) -> ApiError:
    return ApiError(
        422,
        "invalid",
        f"{OPERATOR_HEADER}: {reason}",
        [{"field": f"header.{OPERATOR_HEADER}", "message": reason, "type": "operator"}],
    )


def parse_operator(raw: bytes) -> str:
    """The officer's name from the header's raw bytes, or ApiError 422 saying why not:
    UTF-8, 1 to OPERATOR_MAX_CHARS characters once trimmed, no control or format
    characters (they would forge lines or hide text in a timeline)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise _refused("is not UTF-8") from None
    name = " ".join(text.split())
    if not name:
        raise _refused("is empty; leave the header out when no officer is named")
    if len(name) > OPERATOR_MAX_CHARS:
        raise _refused(f"is {len(name)} characters; at most {OPERATOR_MAX_CHARS}")
    if any(unicodedata.category(char).startswith("C") for char in name):
        raise _refused("holds control or format characters")
    return name


async def operator_of(request: Request) -> str | None:
    """The header as sent (Starlette's own headers are decoded as Latin-1, which would
    garble a UTF-8 name), or None when absent. Sent twice, the first one counts."""
    for name, value in request.scope["headers"]:
        if name == _HEADER_BYTES:
            return parse_operator(value)
    return None


def recorded_by(token_name: str, operator: str | None) -> str:
    """The timeline's `by`: the token's name, and the officer's when one is named."""
    return f"{token_name}{BY_SEPARATOR}{operator}" if operator else token_name


# Module level: FastAPI resolves these annotations in this module's namespace.
Operator = Annotated[str | None, Depends(operator_of)]
