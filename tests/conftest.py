"""Shared fixtures: a real hub on a loopback port (pilkades_tui.hub.runner), and a
throwaway PostgreSQL server for the hubs that keep their log there."""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from pilkades_tui.hub.pg_scratch import ScratchPostgres, unavailable_reason
from pilkades_tui.hub.runner import HubServer

HubFactory = Callable[..., HubServer]


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[HubServer]:
    """A running hub seeded with the Pekalongan scenario (seed 2022), one token per
    role in `hub.tokens`."""
    with HubServer(tmp_path / "hub") as running:
        yield running


@pytest.fixture
def hub_factory(tmp_path: Path) -> Iterator[HubFactory]:
    """Start hubs with custom options: `hub_factory(data_dir=None, **HubServer kwargs)`.
    The same data_dir (and `tokens=previous.tokens`) restarts on the same log. Every
    hub still running at the end of the test is stopped."""
    started: list[HubServer] = []

    def start(data_dir: Path | None = None, **options: Any) -> HubServer:
        server = HubServer(data_dir or tmp_path / "hub", **options).start()
        started.append(server)
        return server

    yield start
    for server in reversed(started):
        server.stop()


# ---- PostgreSQL -------------------------------------------------------------------

REQUIRE_PG_ENV = "PILKADES_REQUIRE_PG"  # set by .ci/run: a missing server fails, never skips


@pytest.fixture(scope="session")
def pg_server() -> Iterator[ScratchPostgres]:
    """A throwaway PostgreSQL server for the whole session (Debian's binaries, run as
    the `postgres` user when this is root). Each test takes a database of its own
    with `pg_server.create_database(name)`."""
    reason = unavailable_reason()
    if reason is not None:
        if os.environ.get(REQUIRE_PG_ENV):
            pytest.fail(f"PostgreSQL is required here: {reason}")
        pytest.skip(reason)
    with ScratchPostgres() as server:
        yield server


@pytest.fixture
def pg_dsn(pg_server: ScratchPostgres) -> Iterator[str]:
    """A fresh empty database on the session's server, dropped after the test (the
    server's folder stays small, so its removal at the end is quick)."""
    name = f"t{next(_database_numbers)}"
    yield pg_server.create_database(name)
    pg_server.drop_database(name)


_database_numbers = itertools.count(1)
