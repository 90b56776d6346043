"""Assemble a hub (log, core, app) and serve it with uvicorn on a socket we bind.

Binding the socket ourselves lets port 0 pick a free port whose number is known
before the server starts, for tests, the demo and the subprocess runner alike.
"""

from __future__ import annotations

import logging
import socket
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import uvicorn
from fastapi import FastAPI

from pilkades_tui.domain.clock import wib_now
from pilkades_tui.domain.models import HubMode
from pilkades_tui.domain.rules.settings import DEFAULT_SETTINGS, RuleSettings
from pilkades_tui.hub.app import create_app
from pilkades_tui.hub.backend import SqliteBackend
from pilkades_tui.hub.core import DEFAULT_FEED_QUEUE, HubCore
from pilkades_tui.hub.ratelimit import RateLimit
from pilkades_tui.hub.tokens import TokenStore
from pilkades_tui.scenario import load_scenario

# Ping every 10 s and wait 10 s for the pong: a silent peer is gone within 20 s (PROTOCOL.md).
KEEPALIVE_SECONDS = 10.0
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "::1", "localhost"})


@dataclass(frozen=True, slots=True)
class HubOptions:
    data_dir: Path
    scenario: str = "pekalongan"
    seed: int = 2022
    exercise: bool = False
    settings: RuleSettings = DEFAULT_SETTINGS
    rate_limit: RateLimit = RateLimit()
    feed_queue_limit: int = DEFAULT_FEED_QUEUE
    # The hub's clock stamps every record; the demo passes the simulated day's clock so
    # hub, simulator and console agree on what time it is.
    clock: Callable[[], datetime] = wib_now


def build_hub(options: HubOptions) -> tuple[FastAPI, HubCore]:
    """Open the log, rebuild the state (seeding an empty log), and make the app.
    Raises ScenarioError / LogError before anything listens."""
    options.data_dir.mkdir(parents=True, exist_ok=True)
    mode = HubMode.EXERCISE if options.exercise else HubMode.LIVE
    backend = SqliteBackend(options.data_dir)
    try:
        core = HubCore(
            backend,
            mode=mode,
            settings=options.settings,
            clock=options.clock,
            feed_queue_limit=options.feed_queue_limit,
        )
        scenario = None
        if backend.head == 0:
            scenario = load_scenario(options.scenario, options.clock(), options.seed)
        core.start(scenario)
    except BaseException:
        backend.close()
        raise
    app = create_app(core, TokenStore(options.data_dir), rate_limit=options.rate_limit)
    return app, core


def bind_socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP explicitly: asyncio only sets TCP_NODELAY on sockets whose proto says TCP,
    # and without it every response waits ~40 ms (Nagle against delayed ACK).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def uvicorn_config(
    app: FastAPI,
    *,
    quiet: bool,
    tls_cert: Path | None = None,
    tls_key: Path | None = None,
    access_log: bool = True,
) -> uvicorn.Config:
    extra: dict[str, Any] = {}
    if tls_cert is not None and tls_key is not None:
        extra = {"ssl_certfile": str(tls_cert), "ssl_keyfile": str(tls_key)}
    return uvicorn.Config(
        app,
        ws="websockets-sansio",
        # Compression would be paid per console per frame; the feed is small JSON on a LAN.
        ws_per_message_deflate=False,
        ws_ping_interval=KEEPALIVE_SECONDS,
        ws_ping_timeout=KEEPALIVE_SECONDS,
        ws_max_size=MAX_CLIENT_FRAME,
        lifespan="on",
        log_config=None if quiet else uvicorn.config.LOGGING_CONFIG,
        access_log=access_log,
        timeout_graceful_shutdown=5,
        server_header=False,
        **extra,
    )


# Clients send nothing on the feed; anything bigger than this is not worth reading.
MAX_CLIENT_FRAME = 64 * 1024


def is_loopback(host: str) -> bool:
    return host in LOOPBACK_HOSTS or host.startswith("127.")


def quiet_logging(log_file: Path) -> logging.Handler:
    """Send uvicorn's and the hub's logs to a file (a TUI may own the terminal)."""
    handler = logging.FileHandler(log_file, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    for name in ("uvicorn", "pilkades_tui.hub"):
        target = logging.getLogger(name)
        target.addHandler(handler)
        target.propagate = False
        if target.level == logging.NOTSET:
            target.setLevel(logging.INFO)
    return handler


def unhook_logging(handler: logging.Handler) -> None:
    for name in ("uvicorn", "pilkades_tui.hub"):
        logging.getLogger(name).removeHandler(handler)
    handler.close()


def warn(message: str) -> None:
    print(f"pilkades-tui hub: {message}", file=sys.stderr, flush=True)
