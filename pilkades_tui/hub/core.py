"""The hub's core: the state, the command pipeline and the feed registrations.

Everything here runs in the hub's event loop, so commands are decided one at a time
against the current state (no locks). A command's events get their seq, are applied to
the state at once (so the next command sees them) and queue for the writer; the
writer commits everything queued in one durable transaction (group commit) in a
worker thread, then publishes the committed events to the feeds and releases the
answers. An answer, a snapshot and a feed event are therefore never ahead of the disk.

On a shared backend (several hubs on one log, `hub/postgres.py`) the decision moves
into the commit: the writer hands the queued commands to the backend's transaction,
which holds the log's head, catches this hub up to it and lets the core decide there
(`_commit_shared`). The other hubs' events arrive through `catch_up`. If the store is
lost after a decision, the state may hold events that were never written: it is
marked stale, commands answer 503, and it is rebuilt from the store once it returns.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from typing import Any, cast

from pilkades_tui.domain.commands import Decision, RuleViolation
from pilkades_tui.domain.events import (
    OFFICER_POSITION,
    OFFICER_UPDATED,
    TPS_UPDATED,
    Event,
)
from pilkades_tui.domain.models import HubMode, Phase, Position, Snapshot
from pilkades_tui.domain.rules.settings import RuleSettings
from pilkades_tui.domain.state import ElectionState
from pilkades_tui.hub.backend import (
    CATCH_UP_ROWS,
    POLL_SECONDS,
    EventBackend,
    SharedBackend,
    Subscriber,
)
from pilkades_tui.hub.log import (
    EXERCISE,
    INITIAL_PHASE,
    HeadMoved,
    IdempotencyRecord,
    LogError,
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
class _Command:
    """A command waiting for a shared commit: decided only there, at the log's head."""

    token_name: str
    key: str | None
    print_: str
    decide: Decide
    status: int
    done: asyncio.Future[Answer]
    position: bool  # a position report: tried before the head is locked (_commit_positions)


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


# The texts of an event (`Event.to_json`: seq first) and of an answer (`answer_json`:
# seq last) with their seq moved up by `shift`: a position trial appended past other
# hubs' rows. postgres.APPEND_PAST rewrites the stored texts the same way.
EVENT_SEQ = '{"seq":'


def shifted_json(event: LoggedEvent, shift: int) -> LoggedEvent:
    seq = event.seq + shift
    head = f"{EVENT_SEQ}{event.seq}"
    if not event.json.startswith(head + ","):
        raise LogError(f"event {event.seq} does not begin with its seq")
    return LoggedEvent(seq, event.type, f"{EVENT_SEQ}{seq}{event.json[len(head) :]}", event.ts)


def shifted_answer(body: str, shift: int) -> str:
    head, _, seq = body.rpartition(',"seq":')
    return f'{head},"seq":{int(seq[:-1]) + shift}}}'


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
        self.shared = bool(getattr(backend, "shared", False))
        self._commands: list[_Command] = []
        # Held while the state is changed for the shared log (a commit or a catch-up).
        self._state_lock = asyncio.Lock()
        self._stale: str | None = None  # why the state may hold events never written

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
            # Another hub on a shared log may have set it first; its value wins.
            stored = self.backend.get_meta(INITIAL_PHASE)
            if stored is not None:
                initial = Phase.model_validate_json(stored)
        self.initial_phase = initial
        if self.mode == HubMode.EXERCISE:
            # A log once used for a drill stays marked: a report must never pass a
            # rehearsal off as the real day.
            self.backend.set_meta(EXERCISE, "true")
        self.rebuild(initial)
        if self.durable == 0 and scenario is not None:
            self._seed(scenario)

    def rebuild(self, initial_phase: Phase) -> None:
        self._rebuild_from(self.backend.latest_checkpoint(), self.backend.iter_since, initial_phase)
        head = self.backend.head
        # A shared log may have grown since it was read; one hub's log may not.
        if self.durable > head or (self.durable != head and not self.shared):
            raise RuntimeError(f"log rebuilt to {self.durable}, head is {head}")

    def _rebuild_from(
        self,
        checkpoint: tuple[int, str] | None,
        events_after: Callable[[int], Iterable[LoggedEvent]],
        initial_phase: Phase,
    ) -> None:
        if checkpoint is not None:
            snapshot = Snapshot.model_validate_json(checkpoint[1])
            snapshot.mode = self.mode
            state = ElectionState.from_snapshot(snapshot)
            self._last_checkpoint = checkpoint[0]
        else:
            state = ElectionState(initial_phase, self.mode)
        ring = self._ring
        ring.clear()
        for logged in events_after(state.seq):
            event = parse_logged(logged)
            if event is None:
                # A type this version does not know still holds its seq.
                state.seq = logged.seq
            else:
                state.apply(event)
            ring.append(logged)
        self.state = state
        self.durable = state.seq

    def _seed(self, scenario: Scenario) -> None:
        now = self.clock()
        records: list[tuple[str, Any]] = [(TPS_UPDATED, tps) for tps in scenario.tps]
        records += [(OFFICER_UPDATED, officer) for officer in scenario.officers]
        events = self._to_events(records, now)
        try:
            self.backend.append(events, [])
        except HeadMoved:
            # Another hub on the shared log seeded it first: take its events instead.
            self.rebuild(self.initial_phase)
            return
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

    @property
    def trouble(self) -> str | None:
        """Why this hub cannot accept commands now (health says it), None when it can."""
        return self.failed or self.backend.unreachable

    # ---- commands --------------------------------------------------------------

    async def submit(
        self,
        token_name: str,
        key: str | None,
        print_: str,
        decide: Decide,
        status: int,
        *,
        position: bool = False,
    ) -> Answer:
        """Decide a command, log it durably, answer. A known Idempotency-Key returns
        the first answer (or 422 for another body) and changes nothing. `position`:
        the command is a position report (`commands.officer_position`)."""
        if self.failed is not None:
            raise HubUnavailable(self.failed)
        if self.shared:
            return await self._submit_shared(token_name, key, print_, decide, status, position)
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
        flying = self._flying(token_name, key, print_)
        if flying is not None:
            return await asyncio.shield(flying)
        stored = self.backend.idempotency(token_name, key)
        if stored is None:
            return None
        return _stored_answer(stored, print_)

    def _flying(self, token_name: str, key: str, print_: str) -> asyncio.Future[Answer] | None:
        """The answer-to-be of the same key still being written, if any."""
        flying = self._in_flight.get((token_name, key))
        if flying is None:
            return None
        first_print, future = flying
        if first_print != print_:
            raise _key_reused()
        return future

    # ---- commands on a shared log -------------------------------------------------

    @property
    def _shared_log(self) -> SharedBackend:
        return cast(SharedBackend, self.backend)

    async def _submit_shared(
        self,
        token_name: str,
        key: str | None,
        print_: str,
        decide: Decide,
        status: int,
        position: bool,
    ) -> Answer:
        if key is not None:
            flying = self._flying(token_name, key, print_)
            if flying is not None:
                return await asyncio.shield(flying)
        future: asyncio.Future[Answer] = asyncio.get_running_loop().create_future()
        if key is not None:
            self._in_flight[(token_name, key)] = (print_, future)
        self._commands.append(_Command(token_name, key, print_, decide, status, future, position))
        if self._writer_task is None or self._writer_task.done():
            self._writer_task = asyncio.create_task(self._write_shared())
        try:
            return await asyncio.shield(future)
        finally:
            if key is not None:
                self._in_flight.pop((token_name, key), None)

    async def _write_shared(self) -> None:
        # Commands queued while committing are still this task's: it has not finished.
        while self._commands:
            async with self._state_lock:
                await self._commit_shared()
            if not self._commands and self.durable - self._last_checkpoint >= CHECKPOINT_EVERY:
                await self._checkpoint()

    async def on_notified(self, head: int | None = None) -> None:
        """The listener's wake-up: a hub committed up to `head` (None: unknown).

        While this hub is writing, each of its commits brings in what other hubs
        appended before it (the rows a trial moved past, or the locked way's
        catch-up), so the listener waits for the writer (at most POLL_SECONDS, so
        the store's queue of notifications is drained) instead of waking for every
        commit of every hub: those notifications queue on its connection meanwhile
        and come as one batch. Then what the state holds needs no read: a hub hears
        its own commits too."""
        writer = self._writer_task
        if writer is not None and not writer.done():
            await asyncio.wait([writer], timeout=POLL_SECONDS)
        if head is not None and head <= self.durable and self._stale is None:
            return
        await self.catch_up()

    async def _commit_shared(self) -> None:
        if self._stale is not None:
            try:
                await self._recover()
            except LogError as error:
                batch, self._commands = self._commands, []
                _fail_commands(batch, HubUnavailable(str(error)))
                return
        if all(command.position for command in self._commands) and await self._commit_positions():
            return
        outcomes: list[tuple[_Command, Answer | Exception]] = []
        decided = False
        batch: list[_Command] = []

        def take() -> list[tuple[str, str]]:
            # Called before the head is locked and again once it is: what queued while
            # waiting for it joins. Returns the keys of the commands it took.
            taken, self._commands = self._commands, []
            batch.extend(taken)
            return [(c.token_name, c.key) for c in taken if c.key is not None]

        def decide_at_head(
            behind: list[LoggedEvent], stored: dict[tuple[str, str], IdempotencyRecord]
        ) -> tuple[list[LoggedEvent], list[IdempotencyRecord]]:
            nonlocal decided
            self._apply_durable(behind)
            decided = True
            now = self.clock()
            written: list[LoggedEvent] = []
            answers: list[IdempotencyRecord] = []
            for command in batch:
                if self._replay(command, stored, outcomes):
                    continue
                try:
                    decision = command.decide(self.state, now, self.state.seq + 1)
                except RuleViolation as refusal:
                    outcomes.append((command, refusal))
                    continue
                self._accept(command, decision, now, written, answers, outcomes)
            return written, answers

        try:
            events = await self._shared_log.commit_at_head(self.durable, take, decide_at_head)
        except Exception as error:
            await self._commit_failed(batch, error, decided)
            return
        self._committed(events)
        _answer_commands(outcomes)

    async def _commit_positions(self) -> bool:
        """Position reports on trial: decided and applied against this hub's state
        before any lock, then appended in one round trip (`append_past`) at the head
        this state is at, or past what other hubs appended since if that is only
        positions of other officers. The head's row is then locked for the server's
        own work only, never across a round trip to this hub, so hubs taking turns
        on the log do not wait on each other's network and scheduling. A position is
        decided on nothing another hub changes but the officer's existence, and its
        answer is its officer's record: moved past other officers' positions, the
        trial stands as decided, with its seqs moved up (`shifted_json`,
        `shifted_answer`). Otherwise (another hub moved one of these officers or did
        anything else, or a key has an answer already) the trial is rewound
        (`ElectionState.rewind`) and the batch goes back for the locked way, which
        catches up; so does a batch that is not only accepted positions. False when
        it did."""
        batch, self._commands = self._commands, []
        outcomes: list[tuple[_Command, Answer | Exception]] = []
        written: list[LoggedEvent] = []
        answers: list[IdempotencyRecord] = []
        held = self.state.held_positions(())
        now = self.clock()
        for command in batch:
            # Fresh keys are the rule: the trial assumes none has an answer yet (the
            # append refuses a key that has one, and the locked way replays it).
            try:
                decision = command.decide(self.state, now, self.state.seq + 1)
            except RuleViolation:
                break  # refused at this hub's head: the locked way decides at the log's
            ids = [e.data.id for e in decision.effects if e.type == OFFICER_POSITION]
            if len(ids) != len(decision.effects):
                break
            fresh = [i for i in ids if i not in held.positions]  # first values only
            held.positions.update(self.state.held_positions(fresh).positions)
            self._accept(command, decision, now, written, answers, outcomes)
        else:
            try:
                moved = await self._shared_log.append_past(
                    held.seq, written, answers, list(held.positions)
                )
            except Exception as error:
                await self._commit_failed(batch, error, True)
                return True
            if moved is not None:
                shift, came = moved
                if shift:
                    # In log order: what came first, then this trial at its new seqs.
                    self.state.rewind(held)
                    self._apply_durable(came)
                    self._apply_durable([shifted_json(event, shift) for event in written])
                    outcomes = [
                        (command, Answer(outcome.status, shifted_answer(outcome.body, shift)))
                        if isinstance(outcome, Answer)
                        else (command, outcome)
                        for command, outcome in outcomes
                    ]
                else:
                    self._committed(written)
                _answer_commands(outcomes)
                return True
        self.state.rewind(held)
        self._commands[:0] = batch
        return False

    def _replay(
        self,
        command: _Command,
        stored: dict[tuple[str, str], IdempotencyRecord],
        outcomes: list[tuple[_Command, Answer | Exception]],
    ) -> bool:
        """A command whose key has a stored answer: that answer (or 422), nothing else."""
        if command.key is None:
            return False
        record = stored.get((command.token_name, command.key))
        if record is None:
            return False
        try:
            outcomes.append((command, _stored_answer(record, command.print_)))
        except RuleViolation as refusal:
            outcomes.append((command, refusal))
        return True

    def _accept(
        self,
        command: _Command,
        decision: Decision,
        now: datetime,
        written: list[LoggedEvent],
        answers: list[IdempotencyRecord],
        outcomes: list[tuple[_Command, Answer | Exception]],
    ) -> None:
        """Apply a decision's events and write down its answer (and key record)."""
        events = self._to_events([(e.type, e.data) for e in decision.effects], now)
        answer_record = decision.answer
        if isinstance(answer_record, Position):
            answer_record = self.state.officers[answer_record.id]
        body = answer_json(answer_record.model_dump(mode="json"), events[-1].seq)
        if command.key is not None:
            answers.append(
                IdempotencyRecord(
                    command.token_name,
                    command.key,
                    command.print_,
                    command.status,
                    body,
                    events[-1].seq,
                )
            )
        written.extend(events)
        outcomes.append((command, Answer(command.status, body)))

    def _committed(self, events: list[LoggedEvent]) -> None:
        if events:
            self.durable = events[-1].seq
            self._ring.extend(events)
            self.backend.publish(events)
            self._release_waiters(None)

    async def _commit_failed(self, batch: list[_Command], error: Exception, decided: bool) -> None:
        """A shared commit failed: 503 to its commands. If the state holds decided
        events (`decided`) whose write is unknown, it is stale until rebuilt."""
        sentence = str(error) if isinstance(error, LogError) else repr(error)
        logger.error("shared log commit failed: %s", sentence)
        if decided:
            self._stale = sentence
        self._release_waiters(error)
        _fail_commands(batch, HubUnavailable(f"the event log could not be written: {sentence}"))
        if decided:
            with contextlib.suppress(LogError):
                await self._recover()

    def _apply_durable(self, logged: list[LoggedEvent]) -> None:
        """Events already in the shared log (another hub's): apply, keep, deliver."""
        if not logged:
            return
        state = self.state
        for item in logged:
            event = parse_logged(item)
            if event is None:
                state.seq = item.seq
            else:
                state.apply(event)
        self._ring.extend(logged)
        self.durable = logged[-1].seq
        self.backend.publish(logged)
        self._release_waiters(None)

    async def catch_up(self) -> None:
        """Apply what the other hubs committed since our seq (the listener calls this
        on every notification); rebuild a stale state once the store answers."""
        if not self.shared:
            return
        async with self._state_lock:
            if self._stale is not None:
                await self._recover()
                return
            while True:
                rows = await self._shared_log.read_after(self.durable, CATCH_UP_ROWS)
                self._apply_durable(rows)
                if len(rows) < CATCH_UP_ROWS:
                    return  # the head this read saw: a later commit notifies again

    async def _recover(self) -> None:
        """Rebuild from the store's checkpoint and tail after a failed commit, and
        deliver to the feeds whatever was committed since their last event."""
        checkpoint, tail = await self._shared_log.load_tail()
        delivered = self.durable
        self._rebuild_from(
            checkpoint, lambda since: [e for e in tail if e.seq > since], self.initial_phase
        )
        self._stale = None
        newer = [event for event in tail if event.seq > delivered]
        if newer:
            self.backend.publish(newer)
        self._release_waiters(None)
        logger.warning("state rebuilt from the shared log at seq %d", self.durable)

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
        if self.shared:
            await self._shared_log.aclose()
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
        """The state after event N exactly, answered once N is durable. On a shared
        log, N is the log's head: what another hub committed is in it."""
        if self.shared:
            try:
                await self.catch_up()
            except LogError as error:
                if self._stale is not None:
                    raise HubUnavailable(str(error)) from None
                # The store is away but this state is all written: serve it.
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


def _key_reused() -> RuleViolation:
    return RuleViolation(
        "invalid",
        "this Idempotency-Key was used with another request",
        {"field": "Idempotency-Key"},
    )


def _stored_answer(stored: IdempotencyRecord, print_: str) -> Answer:
    if stored.fingerprint != print_:
        raise _key_reused()
    return Answer(stored.status, stored.answer)


def _answer_commands(outcomes: list[tuple[_Command, Answer | Exception]]) -> None:
    for command, outcome in outcomes:
        if command.done.done():
            continue
        if isinstance(outcome, Answer):
            command.done.set_result(outcome)
        else:
            command.done.set_exception(outcome)
            command.done.exception()  # retrieved: a repeat may never wait on it


def _fail_commands(batch: list[_Command], error: Exception) -> None:
    for command in batch:
        if not command.done.done():
            command.done.set_exception(error)
            command.done.exception()  # retrieved: a repeat may never wait on it
