"""The garbage collector and a province-sized state.

A province is millions of objects (50k TPS, 55k units, their indexes) that live all day.
CPython's full collection walks every tracked object, and it runs more often the more
objects are created: while a snapshot is parsed it fires again and again, and under a
live feed it stops the console for 0.2-0.5 s at a time, more as the day goes on (each
replaced record is a new object the collector walks).

So the console keeps its long-lived objects frozen (`gc.freeze`: not walked, still freed
by their reference count): after a large build, and then every half second, when what
survived since is collected and frozen (a few ms). What dies in a cycle after
being frozen (a closed dialog's widgets) waits for a deep clean, which walks everything
again, at most every quarter of an hour and only while nobody is typing.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

DEEP_CLEAN_EVERY_S = 15 * 60.0
# Under a province's feed a second's survivors took 10-40 ms to walk, in front of any
# key pressed meanwhile; half a second's take half that. Not much more often: whatever
# is frozen and dies later in a cycle waits for the deep clean.
TIDY_EVERY_S = 0.5
IDLE_FOR_DEEP_CLEAN_S = 30.0


@contextmanager
def building_long_lived() -> Iterator[None]:
    """Build a large structure that will live all day, then freeze it.

    What is garbage before is collected first (quick: frozen objects are not walked),
    so the freeze keeps nothing dead. Nothing is collected while building: nothing in it
    is garbage yet, and each collection would walk all that is built so far.
    """
    was_enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        yield
        gc.freeze()
    finally:
        if was_enabled:
            gc.enable()


def tidy() -> None:
    """Collect what died since the last freeze (only that is walked), freeze the rest."""
    gc.collect()
    gc.freeze()


def deep_clean() -> None:
    """Walk everything again, so cycles that died after they were frozen are freed.
    A full collection: on a province ~0.5 s, so only when nobody waits for the screen."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


class HeapKeeper:
    """Every half second, `tidy`; now and then, when the officer is not typing,
    `deep_clean`."""

    def __init__(
        self,
        started: float,
        deep_every_s: float = DEEP_CLEAN_EVERY_S,
        idle_s: float = IDLE_FOR_DEEP_CLEAN_S,
    ) -> None:
        self.deep_every_s = deep_every_s
        self.idle_s = idle_s
        self.last_deep_clean = started
        self.last_tidy = started - TIDY_EVERY_S
        self.deep_cleans = 0

    def tick(self, now: float, last_input: float) -> None:
        """Call as often as convenient (between frames): the work is done at most every
        TIDY_EVERY_S."""
        if now - self.last_deep_clean >= self.deep_every_s and now - last_input >= self.idle_s:
            deep_clean()
            self.last_deep_clean = self.last_tidy = now
            self.deep_cleans += 1
        elif now - self.last_tidy >= TIDY_EVERY_S:
            tidy()
            self.last_tidy = now
