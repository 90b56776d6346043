"""Report rate per token: a token bucket on the reporter endpoints."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RateLimit:
    """Token bucket per token on the reporter endpoints; rate 0 switches it off."""

    per_second: float = 100.0
    burst: float = 300.0


class TokenBuckets:
    def __init__(self, limit: RateLimit, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}

    def take(self, name: str) -> float:
        """0 when allowed, else the seconds until a request would be."""
        rate = self.limit.per_second
        if rate <= 0:
            return 0.0
        now = self.clock()
        tokens, last = self._buckets.get(name, (self.limit.burst, now))
        tokens = min(self.limit.burst, tokens + (now - last) * rate)
        if tokens >= 1.0:
            self._buckets[name] = (tokens - 1.0, now)
            return 0.0
        self._buckets[name] = (tokens, now)
        return (1.0 - tokens) / rate
