"""The hub's protocol tests run twice: on the SQLite log and on a PostgreSQL store.

`hub` and `hub_factory` here replace the suite-wide ones with versions parametrized
by backend; on PostgreSQL every hub of one test shares one fresh database (as hubs
on one data folder share its log). Tests about the SQLite file itself are marked
`sqlite_only` and are not collected for PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pilkades_tui.hub.runner import HubServer
from tests.conftest import HubFactory

BACKENDS = ("sqlite", "postgresql")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "sqlite_only: about the SQLite log file itself")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    kept: list[pytest.Item] = []
    dropped: list[pytest.Item] = []
    for item in items:
        callspec = getattr(item, "callspec", None)
        on_pg = callspec is not None and callspec.params.get("backend") == "postgresql"
        (dropped if on_pg and item.get_closest_marker("sqlite_only") else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def store(backend: str, request: pytest.FixtureRequest) -> str | None:
    """The DSN of a fresh database on PostgreSQL, None on SQLite."""
    if backend == "sqlite":
        return None
    return str(request.getfixturevalue("pg_dsn"))


@pytest.fixture
def hub(tmp_path: Path, store: str | None) -> Iterator[HubServer]:
    with HubServer(tmp_path / "hub", store=store) as running:
        yield running


@pytest.fixture
def hub_factory(tmp_path: Path, store: str | None) -> Iterator[HubFactory]:
    started: list[HubServer] = []

    def start(data_dir: Path | None = None, **options: Any) -> HubServer:
        options.setdefault("store", store)
        server = HubServer(data_dir or tmp_path / "hub", **options).start()
        started.append(server)
        return server

    yield start
    for server in reversed(started):
        server.stop()
