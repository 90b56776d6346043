"""The garbage collector and a province-sized state.

A province is millions of objects (50k TPS, 55k units, their indexes) that live all day.
CPython's full collection walks every tracked object, and it runs more often the more
objects are created: while a snapshot is parsed it fires again and again, and later,
under a live feed, it stops the console for half a second at a time.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def building_long_lived() -> Iterator[None]:
    """Build a large structure that will live all day, then keep it out of the
    collector's sight (`gc.freeze`).

    What is garbage before is collected first (quick: what an earlier freeze put away is
    not walked), so the freeze keeps nothing dead. Nothing is collected while building:
    nothing in it is garbage yet. What becomes garbage later is still freed, by its
    reference count (as a replaced record is) or by the collector when it is newer.
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
