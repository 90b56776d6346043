"""The collector stays off a province's heap, and nothing dead is kept for good."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from pilkades_tui.heap import (
    TIDY_EVERY_S,
    HeapKeeper,
    building_long_lived,
    deep_clean,
    tidy,
)


class Node:
    def __init__(self) -> None:
        self.me = self  # a cycle: only the collector can free it


def dead_cycle() -> weakref.ref[Node]:
    node = Node()
    return weakref.ref(node)


@pytest.fixture(autouse=True)
def collector_restored() -> Iterator[None]:
    was_enabled = gc.isenabled()
    yield
    gc.unfreeze()
    if was_enabled:
        gc.enable()


def test_what_is_built_is_frozen_and_the_collector_is_back_on() -> None:
    gc.enable()
    dead = dead_cycle()
    before = gc.get_freeze_count()
    with building_long_lived():
        assert not gc.isenabled()
        kept = [[n] for n in range(1000)]  # lists: always tracked by the collector
    assert gc.isenabled()
    assert gc.get_freeze_count() >= before + len(kept)
    # Garbage from before was collected, not frozen for good.
    assert dead() is None


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


def test_tidy_frees_new_garbage_and_freezes_survivors() -> None:
    gc.unfreeze()
    dead = dead_cycle()
    survivors = [Node() for _ in range(10)]
    tidy()
    assert dead() is None
    assert gc.get_freeze_count() >= len(survivors)


def test_a_cycle_that_dies_after_a_freeze_waits_for_the_deep_clean() -> None:
    gc.unfreeze()
    node = Node()
    ref = weakref.ref(node)
    tidy()  # frozen while alive
    del node
    tidy()
    assert ref() is not None  # frozen garbage: the quick tidy does not walk it
    deep_clean()
    assert ref() is None


def test_the_keeper_cleans_deep_only_when_due_and_nobody_types() -> None:
    keeper = HeapKeeper(started=0.0, deep_every_s=900.0, idle_s=30.0)
    node = Node()
    ref = weakref.ref(node)
    keeper.tick(now=1.0, last_input=0.0)
    del node
    keeper.tick(now=950.0, last_input=940.0)  # due, but a key 10 s ago
    assert (keeper.deep_cleans, ref() is not None) == (0, True)
    keeper.tick(now=960.0, last_input=900.0)  # due and idle
    assert (keeper.deep_cleans, ref()) == (1, None)
    keeper.tick(now=1000.0, last_input=0.0)  # idle, but cleaned 40 s ago
    assert keeper.deep_cleans == 1


def test_the_keeper_tidies_at_most_every_half_second() -> None:
    gc.disable()  # only the keeper collects here
    keeper = HeapKeeper(started=0.0)
    keeper.tick(now=1.0, last_input=1.0)
    assert keeper.last_tidy == 1.0
    dead = dead_cycle()
    keeper.tick(now=1.0 + TIDY_EVERY_S / 2, last_input=1.2)  # called again too soon: no work
    assert (keeper.last_tidy, dead() is not None) == (1.0, True)
    keeper.tick(now=1.0 + TIDY_EVERY_S, last_input=1.4)
    assert (keeper.last_tidy, dead()) == (1.0 + TIDY_EVERY_S, None)
