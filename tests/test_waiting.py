"""The shared wait helper: it returns what the condition gave, and a wait that runs out
fails saying what was awaited and what was seen."""

from __future__ import annotations

import itertools

import pytest

from tests.waiting import until, wait_until


async def test_until_returns_the_value_once_the_condition_holds() -> None:
    counter = itertools.count()
    assert await until(lambda: next(counter) >= 3 and "ready", 1, interval=0.001) == "ready"


async def test_until_fails_at_the_deadline_with_what_and_seen() -> None:
    with pytest.raises(AssertionError, match=r"(?s)the hub's head: not so within 0.05 s.*seq 7"):
        await until(lambda: False, 0.05, what="the hub's head", seen=lambda: "seq 7")


def test_wait_until_names_the_line_of_an_unnamed_condition() -> None:
    class Stuck(AssertionError):
        pass

    with pytest.raises(Stuck, match=r"the condition at test_waiting\.py:\d+: not so within"):
        wait_until(lambda: 0, 0.05, interval=0.01, error=Stuck)
