"""The log and the fan-out behind one small interface.

`EventBackend` is what the hub core needs: a durable append, reads by seq, the
idempotency records, and delivery of committed events to feed subscribers. The
`SqliteBackend` keeps the log in one SQLite file and fans out in process. A `shared`
backend (`hub/postgres.py`) is one log for several hubs: the core then decides its
commands inside the backend's commit, at the log's head, and follows the other hubs'
commits (HubCore's shared path).
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Protocol

from pilkades_tui.hub.log import DEFAULT_BATCH, IdempotencyRecord, LoggedEvent, SqliteLog

# Rows a shared log's catch-up read returns at most: fewer means it reached the head
# that read saw (`HubCore.catch_up` stops there).
CATCH_UP_ROWS = 5 * DEFAULT_BATCH
# A shared log's listener reads the head this often without a notification (a
# notification lost while reconnecting is never waited for longer than this), and
# drains its notifications at least this often.
POLL_SECONDS = 1.0


class Subscriber:
    """One feed connection's bounded queue of committed events. Publishing never
    waits for the consumer: past `limit` queued events it is marked overflowed, and the
    connection closes it (4408) instead of letting the hub's memory grow."""

    __slots__ = ("limit", "overflow", "queue", "wake")

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.queue: deque[LoggedEvent] = deque()
        self.wake = asyncio.Event()
        self.overflow = asyncio.Event()

    @property
    def overflowed(self) -> bool:
        return self.overflow.is_set()

    def push(self, events: list[LoggedEvent]) -> None:
        if self.overflowed:
            return
        if len(self.queue) + len(events) > self.limit:
            self.overflow.set()
            self.queue.clear()
        else:
            self.queue.extend(events)
        self.wake.set()


class EventBackend(Protocol):
    shared: bool  # several hubs append to this log
    # Why the log's server is out of reach right now (None: it answers). Only a store
    # across the network can be unreachable; a SQLite file fails its writes instead.
    unreachable: str | None

    @property
    def head(self) -> int:
        """The newest durable seq."""
        ...

    def append(self, events: list[LoggedEvent], answers: list[IdempotencyRecord]) -> None:
        """Durably store events and idempotency records together (blocking)."""
        ...

    def read(self, since: int, upto: int, limit: int) -> list[LoggedEvent]: ...

    def iter_since(self, since: int) -> Iterator[LoggedEvent]: ...

    def idempotency(self, token_name: str, key: str) -> IdempotencyRecord | None: ...

    def latest_checkpoint(self) -> tuple[int, str] | None: ...

    def save_checkpoint(self, seq: int, snapshot_json: str) -> None: ...

    def get_meta(self, name: str) -> str | None: ...

    def set_meta(self, name: str, value: str) -> None: ...

    def subscribe(self, subscriber: Subscriber) -> None: ...

    def unsubscribe(self, subscriber: Subscriber) -> None: ...

    def publish(self, events: list[LoggedEvent]) -> None:
        """Deliver committed events to every subscriber (called in the event loop)."""
        ...

    def close(self) -> None: ...


Decider = Callable[
    [list[LoggedEvent], dict[tuple[str, str], IdempotencyRecord]],
    tuple[list[LoggedEvent], list[IdempotencyRecord]],
]


class SharedBackend(EventBackend, Protocol):
    """A log several hubs append to (`shared` is True): what the core's shared path
    calls, in the hub's event loop."""

    async def commit_at_head(
        self, known_head: int, take: Callable[[], list[tuple[str, str]]], decide: Decider
    ) -> list[LoggedEvent]: ...

    async def append_past(
        self,
        base: int,
        events: list[LoggedEvent],
        answers: list[IdempotencyRecord],
        officers: list[str],
    ) -> tuple[int, list[LoggedEvent]] | None: ...

    async def read_after(self, since: int, limit: int = ...) -> list[LoggedEvent]: ...

    async def load_tail(self) -> tuple[tuple[int, str] | None, list[LoggedEvent]]: ...

    async def follow(
        self,
        on_log: Callable[[int | None], Awaitable[None]],
        on_tokens: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        """Call `on_log(head)` when commits were announced (`head`: the newest head
        they announced) and `on_log(None)` when the log may have moved unannounced."""
        ...

    async def aclose(self) -> None: ...


class LocalFanout:
    """Delivery to this process's feed subscribers (every backend fans out locally:
    a hub's feeds are its own connections)."""

    def __init__(self) -> None:
        self._subscribers: set[Subscriber] = set()

    def subscribe(self, subscriber: Subscriber) -> None:
        self._subscribers.add(subscriber)

    def unsubscribe(self, subscriber: Subscriber) -> None:
        self._subscribers.discard(subscriber)

    def publish(self, events: list[LoggedEvent]) -> None:
        for subscriber in self._subscribers:
            subscriber.push(events)

    @property
    def subscriber_count(self) -> int:
        return len(self._subscribers)


class SqliteBackend(LocalFanout):
    """The single-hub backend: SQLite WAL log, in-process fan-out."""

    shared = False
    unreachable: str | None = None

    def __init__(self, data_dir: Path) -> None:
        super().__init__()
        self.log = SqliteLog.in_data_dir(data_dir)

    @property
    def head(self) -> int:
        return self.log.head

    def append(self, events: list[LoggedEvent], answers: list[IdempotencyRecord]) -> None:
        self.log.append(events, answers)

    def read(self, since: int, upto: int, limit: int) -> list[LoggedEvent]:
        return self.log.read(since, upto, limit)

    def iter_since(self, since: int) -> Iterator[LoggedEvent]:
        return self.log.iter_since(since)

    def idempotency(self, token_name: str, key: str) -> IdempotencyRecord | None:
        return self.log.idempotency(token_name, key)

    def latest_checkpoint(self) -> tuple[int, str] | None:
        return self.log.latest_checkpoint()

    def save_checkpoint(self, seq: int, snapshot_json: str) -> None:
        self.log.save_checkpoint(seq, snapshot_json)

    def get_meta(self, name: str) -> str | None:
        return self.log.get_meta(name)

    def set_meta(self, name: str, value: str) -> None:
        self.log.set_meta(name, value)

    def close(self) -> None:
        self.log.close()
