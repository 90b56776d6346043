"""Shared fixtures: a real hub on a loopback port (pilkades_tui.hub.runner)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

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
