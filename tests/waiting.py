"""Waiting in tests: poll a condition until it holds, or fail at a deadline.

The one helper every test waits with. A failure says what was awaited (`what`, or else
where the condition was written) and, given `seen`, what was there at the end, so a
slow or stuck test explains itself instead of hanging until pytest-timeout.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def _failure(
    condition: Callable[[], object],
    timeout: float,
    what: str | None,
    seen: Callable[[], str] | None,
    error: type[AssertionError],
) -> AssertionError:
    if what is None:
        code = getattr(condition, "__code__", None)
        where = f"{Path(code.co_filename).name}:{code.co_firstlineno}" if code else ""
        what = f"the condition at {where}" if where else repr(condition)
    text = f"{what}: not so within {timeout:g} s"
    if seen is not None:
        text += f"; last seen:\n{seen()}"
    return error(text)


async def until(
    condition: Callable[[], T],
    timeout: float = 10.0,
    *,
    what: str | None = None,
    seen: Callable[[], str] | None = None,
    interval: float = 0.02,
    sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
) -> T:
    """Await until `condition()` is truthy and return its value. `sleep` may be a
    Textual pilot's `pause`, so the app handles its messages while the test waits."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not (result := condition()):
        if loop.time() > deadline:
            raise _failure(condition, timeout, what, seen, AssertionError)
        await sleep(interval)
    return result


def wait_until(
    condition: Callable[[], T],
    timeout: float = 10.0,
    *,
    what: str | None = None,
    seen: Callable[[], str] | None = None,
    interval: float = 0.05,
    error: type[AssertionError] = AssertionError,
) -> T:
    """`until` for code that is not async: block, polling, until `condition()` holds."""
    deadline = time.monotonic() + timeout
    while not (result := condition()):
        if time.monotonic() > deadline:
            raise _failure(condition, timeout, what, seen, error)
        time.sleep(interval)
    return result
