"""The hub's ASGI app (protocol v1, docs/protocol.md), assembled from its parts:

- `auth`: tokens and roles (`Viewer`, `Reporter`, `Dispatcher`, `Admin`);
- `ratelimit`: the report rate per token;
- `bodylimit`: 413 for bodies over the limit;
- `errors` and `handlers`: the contract's error shape for every refusal;
- `routes`: health, snapshot and the commands; `feed`: the WebSocket feed;
- `geography`: the election's boundaries (`GET /v1/geography`).
- `shortcut`: position reports (most of the traffic) by the route's own rules, past
  FastAPI's routing and dependency solving.
- `field`: the field page `/lapor` for officers' phones and the reads it needs.

A new group of routes is an `APIRouter` in a module of its own, included below.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from pilkades_tui import __version__
from pilkades_tui.hub import feed, field, geography, routes
from pilkades_tui.hub.auth import Guard
from pilkades_tui.hub.bodylimit import BodyLimit
from pilkades_tui.hub.core import HubCore
from pilkades_tui.hub.handlers import install_error_handlers
from pilkades_tui.hub.ratelimit import RateLimit, TokenBuckets
from pilkades_tui.hub.shortcut import PositionShortcut
from pilkades_tui.hub.tokens import TokenBook


def create_app(
    core: HubCore,
    tokens: TokenBook,
    *,
    rate_limit: RateLimit | None = None,
) -> FastAPI:
    guard = Guard(tokens, TokenBuckets(rate_limit or RateLimit()))

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
    app.state.core = core
    # Outermost last: BodyLimit reads the body whole before the shortcut looks at it.
    app.add_middleware(PositionShortcut)
    app.add_middleware(BodyLimit)
    install_error_handlers(app)

    app.include_router(routes.router)
    app.include_router(feed.router)
    app.include_router(geography.router)
    app.include_router(field.router)
    return app
