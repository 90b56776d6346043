"""Who may do what: bearer token lookup, role check and, on the reporter endpoints,
the report rate. Routes declare their role with one of the annotations below."""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Header, Request
from starlette.requests import HTTPConnection

from pilkades_tui.hub.errors import ApiError
from pilkades_tui.hub.ratelimit import TokenBuckets
from pilkades_tui.hub.tokens import TokenBook, TokenEntry


def _bearer(authorization: str | None) -> str | None:
    if not authorization:
        return None
    scheme, _, value = authorization.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


class Guard:
    """Who may do what: token lookup, role check, report rate."""

    def __init__(self, tokens: TokenBook, buckets: TokenBuckets) -> None:
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


def guard_of(connection: HTTPConnection) -> Guard:
    """The app's guard (set by `create_app`), for a request or a WebSocket."""
    guard: Guard = connection.app.state.guard
    return guard


@dataclass(frozen=True, slots=True)
class Role:
    """What a route needs: a role at least `needed`; `limited` routes (reports) also
    spend from the token's report rate."""

    needed: str
    limited: bool = False

    def admit(self, guard: Guard, authorization: str | None) -> TokenEntry:
        return guard.check(authorization, self.needed, self.limited)


def _dependency(role: Role) -> Callable[..., Awaitable[TokenEntry]]:
    # async: FastAPI runs a plain `def` dependency in a worker thread, two thread hops
    # per request for a dictionary lookup.
    async def check(
        request: Request,
        authorization: Annotated[str | None, Header(include_in_schema=False)] = None,
    ) -> TokenEntry:
        return role.admit(guard_of(request), authorization)

    return check


VIEWER = Role("viewer")
REPORTER = Role("reporter", limited=True)
DISPATCHER = Role("dispatcher")
ADMIN = Role("admin")

# Module level: FastAPI resolves these annotations in this module's namespace.
# A reporter's reads (the field page's places and notices) spend no report rate.
ReporterReads = Annotated[TokenEntry, Depends(_dependency(Role("reporter")))]
Viewer = Annotated[TokenEntry, Depends(_dependency(VIEWER))]
Reporter = Annotated[TokenEntry, Depends(_dependency(REPORTER))]
Dispatcher = Annotated[TokenEntry, Depends(_dependency(DISPATCHER))]
Admin = Annotated[TokenEntry, Depends(_dependency(ADMIN))]
