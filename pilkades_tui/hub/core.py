"""The hub's core: the state, the command pipeline and the feed registrations.

Everything here runs in the hub's event loop, so commands are decided one at a time
against the current state (no locks). A command's events get their seq, are applied to
the state at once (so the next command sees them) and queue for the writer; the
writer commits everything queued in one durable transaction (group commit) in a
worker thread, then publishes the committed events to the feeds and releases the
answers. An answer, a snapshot and a feed event are therefore never ahead of the disk.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from typing import Any

from pilkades_tui.domain.commands import Decision, RuleViolation
from pilkades_tui.domain.events import (
    OFFICER_UPDATED,
    TPS_UPDATED,
    Event,
)
from pilkades_tui.domain.models import HubMode, Phase, Position, Snapshot
from pilkades_tui.domain.rules.settings import RuleSettings
from pilkades_tui.domain.state import ElectionState
from pilkades_tui.hub.backend import EventBackend, Subscriber
from pilkades_tui.hub.log import (
    EXERCISE,
    INITIAL_PHASE,
    IdempotencyRecord,
    LoggedEvent,
    parse_logged,
)
from pilkades_tui.scenario.pekalongan import Scenario

logger = logging.getLogger("pilkades_tui.hub")

RING_SIZE = 20_000  # recent events kept in memory, so a reconnecting console replays from RAM
CHECKPOINT_EVERY = 5_000  # events between state checkpoints in the log
DEFAULT_FEED_QUEUE = 20_000  # events one console may fall behind before 4408

Decide = Callable[[ElectionState, datetime, int], Decision]


class HubUnavailable(Exception):
    """The log could not be written: the command was not accepted."""


@dataclass(frozen=True, slots=True)
class Answer:
    status: int
    body: str  # JSON


@dataclass(slots=True)
class _Pending:
    events: list[LoggedEvent]
    answer: IdempotencyRecord | None
    done: asyncio.Future[None]


@dataclass(slots=True)
class Registration:
    """A feed connection's start: its queue, and the part of the log to replay from
    disk first (replay_since < seq <= replay_upto) when RAM no longer holds it."""

    subscriber: Subscriber
    head: int
    replay_since: int
    replay_upto: int


def fingerprint(method: str, path: str, body: Any) -> str:
    canonical = json.dumps([method, path, body], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def answer_json(record: dict[str, Any], seq: int) -> str:
    return json.dumps({"record": record, "seq": seq}, ensure_ascii=False, separators=(",", ":"))


class HubCore:
    def __init__(
        self,
        backend: EventBackend,
        *,
        mode: HubMode,
        settings: RuleSettings,
        clock: Callable[[], datetime],
        feed_queue_limit: int = DEFAULT_FEED_QUEUE,
    ) -> None:
        self.backend = backend
        self.mode = mode
        self.settings = settings
        self.clock = clock
        self.feed_queue_limit = feed_queue_limit
        self.state = ElectionState(Phase(since=clock(), updated_at=clock()), mode)
        self.durable = 0
        self._ring: deque[LoggedEvent] = deque(maxlen=RING_SIZE)
        self._pending: list[_Pending] = []
        self._in_flight: dict[tuple[str, str], tuple[str, asyncio.Future[Answer]]] = {}
        self._writer_task: asyncio.Task[None] | None = None
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="hub-log")
        self._last_checkpoint = 0
        self._durable_waiters: list[tuple[int, asyncio.Future[None]]] = []
        self.initial_phase = self.state.phase
        self.failed: str | None = None

    # ---- start -----------------------------------------------------------------

    def start(self, scenario: Scenario | None) -> None:
        """Rebuild the state from the log; seed an empty log from the scenario. The
        phase before the first event is kept in the log's meta, so a restart begins
        from the same place."""
        stored = self.backend.get_meta(INITIAL_PHASE)
        if stored is not None:
            initial = Phase.model_validate_json(stored)
        else:
            if scenario is not None and self.backend.head == 0:
                initial = scenario.phase
            else:
                now = self.clock()
                initial = Phase(since=now, updated_at=now)
            self.backend.set_meta(INITIAL_PHASE, initial.model_dump_json())
        self.initial_phase = initial
        if self.mode == HubMode.EXERCISE:
            # A log once used for a drill stays marked: a report must never pass a
            # rehearsal off as the real day.
            self.backend.set_meta(EXERCISE, "true")
        self.rebuild(initial)
        if self.durable == 0 and scenario is not None:
            self._seed(scenario)

    def rebuild(self, initial_phase: Phase) -> None:
        checkpoint = self.backend.latest_checkpoint()
        if checkpoint is not None:
            snapshot = Snapshot.model_validate_json(checkpoint[1])
            snapshot.mode = self.mode
            state = ElectionState.from_snapshot(snapshot)
            self._last_checkpoint = checkpoint[0]
        else:
            state = ElectionState(initial_phase, self.mode)
        ring = self._ring
        ring.clear()
        for logged in self.backend.iter_since(state.seq):
            event = parse_logged(logged)
            if event is None:
                # A type this version does not know still holds its seq.
                state.seq = logged.seq
            else:
                state.apply(event)
            ring.append(logged)
        self.state = state
        self.durable = state.seq
        if self.durable != self.backend.head:
            raise RuntimeError(f"log rebuilt to {self.durable}, head is {self.backend.head}")

    def _seed(self, scenario: Scenario) -> None:
        now = self.clock()
        records: list[tuple[str, Any]] = [(TPS_UPDATED, tps) for tps in scenario.tps]
        records += [(OFFICER_UPDATED, officer) for officer in scenario.officers]
        events = self._to_events(records, now)
        self.backend.append(events, [])
        self.durable = events[-1].seq if events else self.durable
        self._ring.extend(events)

    def _to_events(self, records: list[tuple[str, Any]], now: datetime) -> list[LoggedEvent]:
        logged: list[LoggedEvent] = []
        ts = now.isoformat()
        for kind, data in records:
            event = Event(seq=self.state.seq + 1, ts=now, type=kind, data=data)
            self.state.apply(event)
            logged.append(LoggedEvent(event.seq, kind, event.to_json(), ts))
        return logged

    # ---- commands --------------------------------------------------------------

    async def submit(
        self,
        token_name: str,
        key: str | None,
        print_: str,
        decide: Decide,
        status: int,
    ) -> Answer:
        """Decide a command, log it durably, answer. A known Idempotency-Key returns
        the first answer (or 422 for another body) and changes nothing."""
        if self.failed is not None:
            raise HubUnavailable(self.failed)
        if key is not None:
            repeat = await self._repeat(token_name, key, print_)
            if repeat is not None:
                return repeat
        now = self.clock()
        decision = decide(self.state, now, self.state.seq + 1)
        events = self._to_events([(e.type, e.data) for e in decision.effects], now)
        record = decision.answer
        if isinstance(record, Position):
            record = self.state.officers[record.id]
        answer = Answer(status, answer_json(record.model_dump(mode="json"), events[-1].seq))
        idempotency = None
        future: asyncio.Future[Answer] | None = None
        if key is not None:
            idempotency = IdempotencyRecord(
                token_name, key, print_, status, answer.body, events[-1].seq
            )
            future = asyncio.get_running_loop().create_future()
            self._in_flight[(token_name, key)] = (print_, future)
        try:
            await self._commit(events, idempotency)
        except BaseException as error:
            if future is not None:
                future.set_exception(HubUnavailable(str(error)))
                future.exception()  # retrieved: a repeat may never come
            raise
        finally:
            if key is not None:
                self._in_flight.pop((token_name, key), None)
        if future is not None:
            future.set_result(answer)
        return answer

    async def _repeat(self, token_name: str, key: str, print_: str) -> Answer | None:
        flying = self._in_flight.get((token_name, key))
        if flying is not None:
            first_print, future = flying
            if first_print != print_:
                raise RuleViolation(
                    "invalid",
                    "this Idempotency-Key was used with another request",
                    {"field": "Idempotency-Key"},
                )
            return await asyncio.shield(future)
        stored = self.backend.idempotency(token_name, key)
        if stored is None:
            return None
        if stored.fingerprint != print_:
            raise RuleViolation(
                "invalid",
                "this Idempotency-Key was used with another request",
                {"field": "Idempotency-Key"},
            )
        return Answer(stored.status, stored.answer)

    async def _commit(self, events: list[LoggedEvent], answer: IdempotencyRecord | None) -> None:
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._pending.append(_Pending(events, answer, done))
        if self._writer_task is None or self._writer_task.done():
            self._writer_task = asyncio.create_task(self._write_pending())
        await asyncio.shield(done)

    async def _write_pending(self) -> None:
        loop = asyncio.get_running_loop()
        while self._pending:
            batch, self._pending = self._pending, []
            events = [event for item in batch for event in item.events]
            answers = [item.answer for item in batch if item.answer is not None]
            try:
                await loop.run_in_executor(self._executor, self.backend.append, events, answers)
            except Exception as error:
                self._fail_writes(batch, error)
                return
            self.durable = events[-1].seq
            self._ring.extend(events)
            self.backend.publish(events)
            self._release_waiters(None)
            for item in batch:
                if not item.done.done():
                    item.done.set_result(None)
            if not self._pending and self.durable - self._last_checkpoint >= CHECKPOINT_EVERY:
                await self._checkpoint()

    def _fail_writes(self, batch: list[_Pending], error: Exception) -> None:
        """The log refused a write: nothing queued was accepted. Undo it in memory by
        rebuilding from the log, and answer 503 to everyone waiting."""
        logger.error("event log write failed: %s", error)
        waiting = batch + self._pending
        self._pending = []
        self._release_waiters(error)
        for item in waiting:
            if not item.done.done():
                item.done.set_exception(
                    HubUnavailable(f"the event log could not be written: {error}")
                )
        try:
            self.rebuild(self.initial_phase)
        except Exception as rebuild_error:
            self.failed = f"the event log is unusable: {rebuild_error}"
            logger.error(self.failed)

    async def _checkpoint(self) -> None:
        seq = self.state.seq
        text = self.state.snapshot().model_dump_json()
        try:
            await asyncio.get_running_loop().run_in_executor(
                self._executor, self.backend.save_checkpoint, seq, text
            )
            self._last_checkpoint = seq
        except Exception as error:
            logger.warning("checkpoint at seq %d failed: %s", seq, error)

    async def drain(self) -> None:
        """Wait for every accepted command to be on disk."""
        while self._writer_task is not None and not self._writer_task.done():
            await asyncio.shield(self._writer_task)

    async def close(self) -> None:
        await self.drain()
        if self.state.seq == self.durable and self.durable > self._last_checkpoint:
            await self._checkpoint()
        self._executor.shutdown(wait=True)
        self.backend.close()

    # ---- reads -----------------------------------------------------------------

    def _release_waiters(self, error: Exception | None) -> None:
        still: list[tuple[int, asyncio.Future[None]]] = []
        for seq, future in self._durable_waiters:
            if future.done():
                continue
            if error is not None:
                future.set_exception(HubUnavailable(f"the event log could not be written: {error}"))
            elif seq <= self.durable:
                future.set_result(None)
            else:
                still.append((seq, future))
        self._durable_waiters = still

    async def wait_durable(self, seq: int) -> None:
        if seq <= self.durable:
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._durable_waiters.append((seq, future))
        await future

    async def snapshot_json(self) -> str:
        """The state after event N exactly, answered once N is durable."""
        snapshot = self.state.snapshot()
        text = snapshot.model_dump_json()
        await self.wait_durable(snapshot.seq)
        return text

    def register(self, since: int) -> Registration | None:
        """Start a feed at `since`; None when since is ahead of the head (reset)."""
        head = self.durable
        if since > head:
            return None
        subscriber = Subscriber(self.feed_queue_limit)
        ring = self._ring
        replay_upto = since
        if head > since:
            if ring and ring[0].seq <= since + 1 and head - since <= self.feed_queue_limit:
                start = since + 1 - ring[0].seq
                subscriber.queue.extend(islice(ring, start, None))
                subscriber.wake.set()
            else:
                replay_upto = head
        self.backend.subscribe(subscriber)
        return Registration(subscriber, head, since, replay_upto)

    def unregister(self, subscriber: Subscriber) -> None:
        self.backend.unsubscribe(subscriber)

    def read_log(self, since: int, upto: int, limit: int) -> list[LoggedEvent]:
        return self.backend.read(since, upto, limit)

    def latest_of_type(self, kind: str, limit: int) -> list[LoggedEvent]:
        """The newest durable events of one type (newest first), from the events held in
        memory (the newest RING_SIZE): notices are moments, not state, so this is where
        a late reader finds the recent ones."""
        found: list[LoggedEvent] = []
        for logged in reversed(self._ring):
            if len(found) >= limit:
                break
            if logged.type == kind:  # the ring holds only durable events
                found.append(logged)
        return found
