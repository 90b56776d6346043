"""Exponential backoff with jitter, shared by the feed client and the outbox."""

from __future__ import annotations

import random


class Backoff:
    """Delays that double from `initial` up to `maximum`, each drawn from [d/2, d].

    The jitter keeps a room full of consoles from reconnecting in lockstep when the
    hub comes back; the lower bound keeps a single console from retrying too eagerly.
    """

    def __init__(self, initial: float, maximum: float, *, rng: random.Random | None = None) -> None:
        if initial <= 0 or maximum < initial:
            raise ValueError("backoff needs 0 < initial <= maximum")
        self.initial = initial
        self.maximum = maximum
        self.attempt = 0
        self._rng = rng or random.Random()

    def next_delay(self) -> float:
        ceiling = min(self.maximum, self.initial * 2.0**self.attempt)
        if ceiling < self.maximum:
            self.attempt += 1
        return self._rng.uniform(ceiling / 2.0, ceiling)

    def reset(self) -> None:
        self.attempt = 0
