"""Run a real hub from Python: in a background thread (`HubServer`, for the demo and
tests) or as a subprocess (`HubProcess`, for tests that kill it).

    with HubServer(data_dir, scenario="pekalongan", seed=2022, exercise=False) as hub:
        hub.url, hub.ws_url, hub.tokens["dispatcher"]

Both listen on loopback, on a free port unless one is given, and issue one token per
role (stored hashed, like `token add`). Pass `tokens=` (a previous hub's `tokens`)
to keep the same tokens across a restart on the same data folder.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from types import TracebackType

import httpx
import uvicorn

from pilkades_tui.domain.clock import wib_now
from pilkades_tui.domain.rules.settings import DEFAULT_SETTINGS, RuleSettings
from pilkades_tui.hub.core import DEFAULT_FEED_QUEUE, HubCore
from pilkades_tui.hub.ratelimit import RateLimit
from pilkades_tui.hub.server import (
    HubOptions,
    bind_socket,
    build_hub,
    quiet_logging,
    unhook_logging,
    uvicorn_config,
)
from pilkades_tui.hub.tokens import ROLES, TokenStore, token_hash

RUNNER_TOKEN_PREFIX = "runner-"
HUB_LOG_NAME = "hub.log"
START_TIMEOUT = 30.0


def ensure_tokens(data_dir: Path, tokens: Mapping[str, str] | None = None) -> dict[str, str]:
    """One token per role, named `runner-<role>`. Given tokens are (re)registered if
    the file lacks them; otherwise fresh ones replace earlier runner tokens."""
    store = TokenStore(data_dir)
    known = {entry.sha256: entry for entry in store.entries()}
    issued: dict[str, str] = {}
    now = wib_now()
    for role in ROLES:
        name = f"{RUNNER_TOKEN_PREFIX}{role}"
        wanted = (tokens or {}).get(role)
        if wanted is not None:
            entry = known.get(token_hash(wanted))
            if entry is None or entry.role != role:
                store.revoke(name)
                store.add(name, role, now, token=wanted)
            issued[role] = wanted
            continue
        store.revoke(name)
        issued[role] = store.add(name, role, now)
    return issued


class HubServer:
    """A hub served by uvicorn in a background thread of this process."""

    def __init__(
        self,
        data_dir: Path,
        scenario: str = "pekalongan",
        seed: int = 2022,
        exercise: bool = False,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        tokens: Mapping[str, str] | None = None,
        settings: RuleSettings = DEFAULT_SETTINGS,
        report_rate: float = 100.0,
        report_burst: float = 300.0,
        feed_queue_limit: int = DEFAULT_FEED_QUEUE,
        access_log: bool = True,
        clock: Callable[[], datetime] = wib_now,
    ) -> None:
        self.data_dir = Path(data_dir)
        self.options = HubOptions(
            data_dir=self.data_dir,
            scenario=scenario,
            seed=seed,
            exercise=exercise,
            settings=settings,
            rate_limit=RateLimit(report_rate, report_burst),
            feed_queue_limit=feed_queue_limit,
            clock=clock,
        )
        self.host = host
        self._requested_port = port
        self._wanted_tokens = tokens
        self._access_log = access_log
        self.port = 0
        self.tokens: dict[str, str] = {}
        self.core: HubCore | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._log_handler = None
        self._error: BaseException | None = None

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def ws_url(self) -> str:
        return "ws" + self.url.removeprefix("http") + "/v1/feed"

    @property
    def log_file(self) -> Path:
        return self.data_dir / HUB_LOG_NAME

    def start(self) -> HubServer:
        if self._thread is not None:
            raise RuntimeError("this HubServer is already started")
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.tokens = ensure_tokens(self.data_dir, self._wanted_tokens)
        app, self.core = build_hub(self.options)
        sock = bind_socket(self.host, self._requested_port)
        self.port = sock.getsockname()[1]
        self._log_handler = quiet_logging(self.log_file)
        config = uvicorn_config(app, quiet=True, access_log=self._access_log)
        server = uvicorn.Server(config)
        self._server = server

        def serve() -> None:
            try:
                server.run(sockets=[sock])
            except BaseException as error:  # reported by start() / stop()
                self._error = error
            finally:
                sock.close()

        self._thread = threading.Thread(target=serve, name=f"hub:{self.port}", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + START_TIMEOUT
        while not server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the hub did not start: {self._error!r}")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        """Close every feed (close frame 1012), finish writing the log, stop."""
        server, thread = self._server, self._thread
        if server is not None:
            server.should_exit = True
        if thread is not None:
            thread.join(timeout=15)
        if self._log_handler is not None:
            unhook_logging(self._log_handler)
            self._log_handler = None
        self._server = None
        self._thread = None

    def __enter__(self) -> HubServer:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()


class HubProcess:
    """`pilkades-tui hub` as a child process, for tests that SIGKILL it."""

    def __init__(
        self,
        data_dir: Path,
        *,
        scenario: str = "pekalongan",
        seed: int = 2022,
        port: int = 0,
        tokens: Mapping[str, str] | None = None,
        extra_args: Sequence[str] = (),
    ) -> None:
        self.data_dir = Path(data_dir)
        self.scenario = scenario
        self.seed = seed
        self.port = port
        self._wanted_tokens = tokens
        self.extra_args = list(extra_args)
        self.tokens: dict[str, str] = {}
        self.process: subprocess.Popen[str] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/v1/feed"

    def start(self, timeout: float = START_TIMEOUT) -> HubProcess:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.tokens = ensure_tokens(self.data_dir, self._wanted_tokens)
        command = [
            sys.executable,
            "-m",
            "pilkades_tui",
            "hub",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--data",
            str(self.data_dir),
            "--scenario",
            self.scenario,
            "--seed",
            str(self.seed),
            *self.extra_args,
        ]
        log = open(self.data_dir / "hub-process.log", "a", encoding="utf-8")  # noqa: SIM115
        self.process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        log.close()
        assert self.process.stdout is not None
        deadline = time.monotonic() + timeout
        # The hub prints "listening on URL" once its socket is bound (port 0 included).
        line = self.process.stdout.readline()
        if "listening on" not in line:
            self.kill()
            raise RuntimeError(f"the hub process did not start (said {line!r})")
        self.port = int(line.strip().rsplit(":", 1)[1])
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/v1/health", timeout=1.0).status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        self.kill()
        raise RuntimeError("the hub process did not answer /v1/health")

    def kill(self) -> None:
        """SIGKILL: no chance to flush anything."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        self._close_pipe()

    def terminate(self, timeout: float = 15.0) -> int:
        """SIGTERM and wait: the clean shutdown path. Returns the exit status."""
        assert self.process is not None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        code = self.process.wait(timeout=timeout)
        self._close_pipe()
        return code

    def _close_pipe(self) -> None:
        if self.process is not None and self.process.stdout is not None:
            self.process.stdout.close()

    def __enter__(self) -> HubProcess:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.kill()
