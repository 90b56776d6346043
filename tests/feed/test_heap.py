"""The collector stays off a province's heap, and nothing dead is kept."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from pilkades_tui.heap import building_long_lived


class Node:
    def __init__(self) -> None:
        self.me = self  # a cycle: only the collector can free it


@pytest.fixture(autouse=True)
def collector_restored() -> Iterator[None]:
    was_enabled = gc.isenabled()
    yield
    gc.unfreeze()
    if was_enabled:
        gc.enable()


def test_what_is_built_is_frozen_and_the_collector_is_back_on() -> None:
    gc.enable()
    dead = Node()
    dead_ref = weakref.ref(dead)
    del dead
    before = gc.get_freeze_count()
    with building_long_lived():
        assert not gc.isenabled()
        kept = [[n] for n in range(1000)]  # lists: always tracked by the collector
    assert gc.isenabled()
    assert gc.get_freeze_count() >= before + len(kept)
    # Garbage from before was collected, not frozen for good.
    assert dead_ref() is None


def test_a_collector_switched_off_by_someone_else_stays_off() -> None:
    gc.disable()
    with building_long_lived():
        pass
    assert not gc.isenabled()


def test_a_failed_build_freezes_nothing() -> None:
    gc.enable()
    gc.unfreeze()
    with pytest.raises(ValueError), building_long_lived():
        raise ValueError("bad snapshot")
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0
