"""Assemble a hub (log, core, app) and serve it with uvicorn on a socket we bind.

Binding the socket ourselves lets port 0 pick a free port whose number is known
before the server starts, for tests, the demo and the subprocess runner alike.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import socket
import sys
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, cast

import uvicorn
from fastapi import FastAPI

from pilkades_tui.domain.clock import wib_now
from pilkades_tui.domain.models import HubMode
from pilkades_tui.domain.rules.settings import DEFAULT_SETTINGS, RuleSettings
from pilkades_tui.files import folder_unwritable, make_private_file, make_private_folder
from pilkades_tui.hub.app import create_app
from pilkades_tui.hub.backend import EventBackend, SharedBackend, SqliteBackend
from pilkades_tui.hub.core import DEFAULT_FEED_QUEUE, HubCore
from pilkades_tui.hub.geography import ServedGeography, election_geography
from pilkades_tui.hub.log import LogError
from pilkades_tui.hub.ratelimit import RateLimit
from pilkades_tui.hub.store import safe_dsn
from pilkades_tui.hub.tokens import TokenBook, TokenStore
from pilkades_tui.paths import hub_log_file
from pilkades_tui.scenario import load_scenario
from pilkades_tui.scenario.pekalongan import Scenario

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
    # A PostgreSQL DSN: the log and the tokens live there, shared with other hubs.
    store: str | None = None

    @property
    def store_label(self) -> str:
        """Where the log lives, for sentences (never a password)."""
        if self.store is None:
            return str(hub_log_file(self.data_dir))
        return safe_dsn(self.store)


SCENARIO_META = "scenario"  # meta row of a shared log: the digest of the seeding scenario


def scenario_digest(scenario: Scenario | None) -> str:
    """What a scenario seeds, without its timestamps (two hubs started minutes apart
    on the same scenario and seed agree)."""
    if scenario is None:
        return "none"
    records: list[dict[str, Any]] = []
    for record in (*scenario.tps, *scenario.officers):
        dumped = record.model_dump(mode="json")
        records.append(
            {name: value for name, value in dumped.items() if not _is_time(record, name)}
        )
    text = json.dumps(records, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _is_time(record: Any, name: str) -> bool:
    return isinstance(getattr(record, name, None), datetime)


def claim_scenario(backend: EventBackend, scenario: Scenario | None, options: HubOptions) -> None:
    """On a shared log the first hub's scenario is the log's; a hub started with
    another one refuses to start instead of serving (or reseeding) a day it was not
    told about."""
    digest = scenario_digest(scenario)
    if backend.head == 0:
        backend.set_meta(SCENARIO_META, digest)
    stored = backend.get_meta(SCENARIO_META)
    if stored is not None and stored != digest:
        raise LogError(
            f"the store {options.store_label} was seeded from another scenario than "
            f"--scenario {options.scenario} --seed {options.seed}; it is never reseeded. "
            "Start this hub with the same --scenario and --seed as the other hubs."
        )


def open_backend(options: HubOptions) -> EventBackend:
    if options.store is not None:
        from pilkades_tui.hub.postgres import PostgresBackend  # psycopg only when asked

        return PostgresBackend(options.store)
    return SqliteBackend(options.data_dir)


def open_tokens(options: HubOptions) -> TokenBook:
    """The token store: the store's table with --store, else the data folder's file."""
    if options.store is not None:
        from pilkades_tui.hub.postgres import PgTokenStore

        return PgTokenStore(options.store)
    return TokenStore(options.data_dir)


def build_hub(options: HubOptions) -> tuple[FastAPI, HubCore]:
    """Open the log, rebuild the state (seeding an empty log), and make the app.
    Raises ScenarioError / LogError / FolderUnwritable before anything listens."""
    fresh = not hub_log_file(options.data_dir).exists()
    # A new log's scenario is read (and checked) before anything is written: a refused
    # folder leaves no log behind, and nothing is ever half-seeded.
    checked = load_scenario(options.scenario, options.clock(), options.seed) if fresh else None
    try:
        make_private_folder(options.data_dir)
    except OSError as error:
        raise folder_unwritable(options.data_dir, error) from None
    mode = HubMode.EXERCISE if options.exercise else HubMode.LIVE
    backend = open_backend(options)
    try:
        core = HubCore(
            backend,
            mode=mode,
            settings=options.settings,
            clock=options.clock,
            feed_queue_limit=options.feed_queue_limit,
        )
        scenario = None
        if backend.head == 0 or backend.shared:
            scenario = (
                checked
                if checked is not None
                else load_scenario(options.scenario, options.clock(), options.seed)
            )
        if backend.shared:
            claim_scenario(backend, scenario, options)
        geography = election_geography(backend, scenario)
        core.start(scenario)
        tokens = open_tokens(options)
    except BaseException:
        backend.close()
        raise
    app = create_app(core, tokens, rate_limit=options.rate_limit)
    app.state.geography = ServedGeography(geography)
    if backend.shared:
        follow_shared_log(app, core, tokens)
    return app, core


def follow_shared_log(app: FastAPI, core: HubCore, tokens: Any) -> None:  # PgTokenStore
    """While the app runs, listen for the other hubs' commits and token changes."""
    inner = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[Any]:
        async with inner(app) as state:
            shared = cast(SharedBackend, core.backend)
            follower = asyncio.create_task(shared.follow(core.on_notified, tokens.reload_async))
            try:
                yield state
            finally:
                follower.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await follower
                tokens.close()

    app.router.lifespan_context = lifespan


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
    """Send uvicorn's and the hub's logs to a file (a TUI may own the terminal); the
    file is its owner's only, like the log of the day it tells about."""
    make_private_file(log_file)
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
