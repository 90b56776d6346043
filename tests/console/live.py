"""Helpers for consoles on a real hub: a feed client that retries quickly, waiting on
what the screen shows, a free loopback port for a hub started later."""

from __future__ import annotations

import socket
from collections.abc import Callable

from textual.pilot import Pilot

from pilkades_tui.console.app import PilkadesApp
from pilkades_tui.domain.clock import wib_now
from pilkades_tui.feed.client import FeedClient
from tests import waiting
from tests.console.conftest import AppFactory
from tests.console.screen import screen_text


def quick_feed(url: str, token: str) -> FeedClient:
    """The console's feed client with short backoff, so a test waits seconds, not minutes."""
    return FeedClient(url, token, backoff_initial=0.05, backoff_max=0.3)


def live_console(app_factory: AppFactory, url: str, token: str, **options: object) -> PilkadesApp:
    return app_factory(
        hub_url=url, token=token, state=None, clock=wib_now, feed=quick_feed(url, token), **options
    )


async def until(pilot: Pilot[object], condition: Callable[[], bool], timeout: float = 10.0) -> None:
    """tests.waiting.until with the pilot's pause (the app runs on) and the screen shown."""

    def screen() -> str:
        return f"screen:\n{screen_text(pilot.app)}"

    await waiting.until(condition, timeout, seen=screen, interval=0.05, sleep=pilot.pause)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
