"""The garbage collector and a province-sized state.

A province is millions of objects (50k TPS, 55k units, their indexes) that live all day.
CPython's full collection walks every tracked object, and it runs more often the more
objects are created: while a snapshot is parsed it fires again and again, and later,
under a live feed, it stops the console for half a second at a time. These two helpers
keep the collector off that heap without switching it off.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def building_long_lived() -> Iterator[None]:
    """No collection while a large structure is built (nothing in it is garbage yet),
    then `settle`: else the first collection after it walks all it built."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
        settle()
    finally:
        if was_enabled:
            gc.enable()


def settle() -> None:
    """After a large load, move what is in memory now out of the collector's sight.

    What becomes garbage later is still freed: by its reference count, as nearly all of
    it is (a replaced record), or by the collector when it is newer than this call.
    """
    gc.freeze()
