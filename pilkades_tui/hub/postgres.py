"""The hub's event log on PostgreSQL: several hubs, one log, one order.

`PostgresBackend` is the second `EventBackend`. Every hub on the same database writes
the same tables; the seq is one total order across all of them. A hub commits a
batch of commands in one transaction that

1. locks the log's head row (`SELECT ... FOR UPDATE`): no other hub may append until
   this transaction ends;
2. compares the head with the seq this hub's state is at; if another hub moved it,
   reads the rows in between and applies them (catches up) before deciding;
3. decides the commands against that state (the log's head), inserts their events
   and idempotency records, moves the head (a compare-and-set on the row it holds),
   and sends `NOTIFY` so the other hubs' feeds wake at once, in one statement
   (`APPEND`);
4. commits with the server's `synchronous_commit` (on: the WAL is flushed before the
   answer leaves).

Position reports may skip the round trips under the lock (`append_past`): the core
decides them on its own state, and one round trip appends them at the head that state
is at, or past other hubs' positions of other officers appended since (hub/core.py
`_commit_positions`).

So the state's rules (status only forward, no double-booking, `expected_version`, the
Idempotency-Key scoped to its token) hold across hubs exactly as on one. Other hubs
LISTEN, then read the new rows from the table (the notification only wakes them).

Connections: a blocking one for the start (schema, rebuild, seeding), checkpoints in
the core's worker thread and disk replays of the feed; psycopg's async driver for the
commit, the catch-up reads and the listener, in the hub's event loop. A lost database
shows as `StoreUnavailable`; every connection is opened again on next use.

`PgTokenStore` keeps the hub tokens in the same database (hashed, as in the file), so
every hub knows the same ones; a change is announced on a channel of its own.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

from pilkades_tui.domain.events import OFFICER_POSITION, Event
from pilkades_tui.domain.models import Phase
from pilkades_tui.hub.backend import CATCH_UP_ROWS, POLL_SECONDS, Decider, LocalFanout
from pilkades_tui.hub.log import (
    DEFAULT_BATCH,
    EXERCISE,
    INITIAL_PHASE,
    EventLogReader,
    HeadMoved,
    IdempotencyRecord,
    LogError,
    LoggedEvent,
    _ts_of,
    parse_logged,
)
from pilkades_tui.hub.store import safe_dsn
from pilkades_tui.hub.tokens import (
    ROLE_RANK,
    ROLES,
    TokenEntry,
    TokenError,
    TokenStore,
    new_token,
    token_hash,
)

logger = logging.getLogger("pilkades_tui.hub")

SCHEMA_VERSION = 1
LOG_CHANNEL = "pilkades_log"
TOKEN_CHANNEL = "pilkades_tokens"
# Any constant: the advisory lock that serialises two hubs creating the schema at once.
SCHEMA_LOCK = 7_305_202_622
CONNECT_TIMEOUT_S = 5

SCHEMA = """
CREATE TABLE pilkades_events (
    seq BIGINT PRIMARY KEY,
    type TEXT NOT NULL,
    ts TEXT NOT NULL,
    json TEXT NOT NULL
);
CREATE TABLE pilkades_head (
    id SMALLINT PRIMARY KEY CHECK (id = 1),
    seq BIGINT NOT NULL
);
INSERT INTO pilkades_head (id, seq) VALUES (1, 0);
CREATE TABLE pilkades_idempotency (
    token_name TEXT NOT NULL,
    key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    status INTEGER NOT NULL,
    answer TEXT NOT NULL,
    seq BIGINT NOT NULL,
    PRIMARY KEY (token_name, key)
);
CREATE TABLE pilkades_checkpoints (
    seq BIGINT PRIMARY KEY,
    snapshot TEXT NOT NULL
);
CREATE TABLE pilkades_meta (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE pilkades_tokens (
    name TEXT PRIMARY KEY,
    role TEXT NOT NULL,
    sha256 TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);
"""


class StoreError(LogError):
    """The store cannot be used as it is (a sentence for the operator)."""


class StoreUnavailable(StoreError):
    """The database could not be reached or went away."""


def _reason(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__


def unavailable(dsn: str, error: BaseException) -> StoreUnavailable:
    where = safe_dsn(dsn)
    return StoreUnavailable(f"the PostgreSQL store {where} is unreachable: {_reason(error)}")


def connect(dsn: str) -> psycopg.Connection[Any]:
    """A blocking autocommit connection; StoreUnavailable with a sentence if none."""
    try:
        return psycopg.connect(dsn, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S)
    except psycopg.OperationalError as error:
        raise unavailable(dsn, error) from None
    except psycopg.ProgrammingError as error:
        raise StoreError(f"{safe_dsn(dsn)} is not a usable PostgreSQL address: {error}") from None


def prepare_schema(connection: psycopg.Connection[Any], dsn: str) -> None:
    """Create the tables on first use; refuse a schema newer than this version."""
    with connection.transaction():
        connection.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK,))
        connection.execute("CREATE TABLE IF NOT EXISTS pilkades_schema (version INTEGER NOT NULL)")
        row = connection.execute("SELECT MAX(version) FROM pilkades_schema").fetchone()
        version = row[0] if row is not None else None
        if version is None:
            connection.execute(SCHEMA)
            connection.execute(
                "INSERT INTO pilkades_schema (version) VALUES (%s)", (SCHEMA_VERSION,)
            )
        elif version > SCHEMA_VERSION:
            raise StoreError(
                f"the store {safe_dsn(dsn)} has schema version {version}, written by a newer "
                f"pilkades-tui; this hub knows version {SCHEMA_VERSION} at most. Upgrade "
                "pilkades-tui on this machine; it changes nothing in the store."
            )
        # Code, not data: a store made before the function was added gets it from the
        # first hub that needs it (and keeps schema version 1). Created only when
        # missing, so a hub under another database role never has to own it.
        found = connection.execute("SELECT to_regproc(%s)", (APPEND_PAST_FUNCTION,)).fetchone()
        if found is None or found[0] is None:
            connection.execute(CREATE_APPEND_PAST)


def open_store(dsn: str) -> psycopg.Connection[Any]:
    connection = connect(dsn)
    try:
        prepare_schema(connection, dsn)
    except psycopg.OperationalError as error:
        connection.close()
        raise unavailable(dsn, error) from None
    except BaseException:
        connection.close()
        raise
    return connection


def _announced(payload: str) -> int | None:
    """The head a log notification announces (APPEND and the append function send
    it), None if it is not one."""
    try:
        return int(payload)
    except ValueError:
        return None


def _rows_to_events(rows: list[tuple[Any, ...]]) -> list[LoggedEvent]:
    return [LoggedEvent(int(seq), kind, text) for seq, kind, text in rows]


READ_AFTER = "SELECT seq, type, json FROM pilkades_events WHERE seq > %s ORDER BY seq LIMIT %s"
INSERT_EVENT = "INSERT INTO pilkades_events (seq, type, ts, json) VALUES (%s, %s, %s, %s)"
INSERT_ANSWER = (
    "INSERT INTO pilkades_idempotency (token_name, key, fingerprint, status, answer, seq) "
    "VALUES (%s, %s, %s, %s, %s, %s)"
)
LOCK_HEAD = "SELECT seq FROM pilkades_head WHERE id = 1 FOR UPDATE"
MOVE_HEAD = "UPDATE pilkades_head SET seq = %s WHERE id = 1 AND seq = %s"
ANSWERS_FOR = (
    "SELECT i.token_name, i.key, i.fingerprint, i.status, i.answer, i.seq "
    "FROM pilkades_idempotency i JOIN unnest(%s::text[], %s::text[]) AS k(token_name, key) "
    "ON i.token_name = k.token_name AND i.key = k.key"
)
# A commit's whole write in one statement: the events and the answers from arrays, the
# head's compare-and-set and the notification. One statement to parse, plan and run
# while the head is locked, instead of one per row: every step inside the lock keeps
# the other hubs waiting. Nothing is written unless the head moved from %(head)s.
# Parameters go in binary (`%b`): psycopg escapes each element of a text array in
# text format with a regular expression, match by match, and an event's JSON is full
# of quotes (binary: a quarter of the CPU for a commit of 4 positions).
APPEND = """
WITH moved AS (
    UPDATE pilkades_head SET seq = %(last)b WHERE id = 1 AND seq = %(head)b RETURNING seq
), events AS (
    INSERT INTO pilkades_events (seq, type, ts, json)
    SELECT * FROM unnest(%(seqs)b::bigint[], %(types)b::text[], %(ts)b::text[], %(jsons)b::text[])
    WHERE EXISTS (SELECT FROM moved)
), answers AS (
    INSERT INTO pilkades_idempotency (token_name, key, fingerprint, status, answer, seq)
    SELECT * FROM unnest(
        %(names)b::text[], %(keys)b::text[], %(prints)b::text[], %(statuses)b::integer[],
        %(bodies)b::text[], %(answer_seqs)b::bigint[]
    )
    WHERE EXISTS (SELECT FROM moved)
)
SELECT pg_notify(%(channel)b, seq::text) FROM moved
"""

# Positions on trial, appended at the head the hub saw or past other hubs' positions,
# by a function in the store: its first statement waits for the head's row; the
# second, in the same transaction and (a VOLATILE function's statement in READ
# COMMITTED) with a snapshot taken after that wait, appends the trial's events moved
# up by the rows that came first (`shift`) if all of those are positions of other
# officers (a position is decided on nothing those change, and its answer is its
# officer's record), with the seqs in the event and answer texts rewritten as
# `shifted_json` and `shifted_answer` (hub/core.py) do. A function rather than two
# statements in a pipeline: one statement, no pipeline to enter and leave, and the
# plan is kept by the function. That was most of a position commit's CPU in the
# hub (bench/hub_cluster.py), on the same cores as the hubs' and the server's work.
# The name carries a version: a change of its body is a new function, so hubs of
# both versions may share one store while it is rolled out.
APPEND_PAST_FUNCTION = "pilkades_append_past_v1"
CREATE_APPEND_PAST = f"""
CREATE FUNCTION {APPEND_PAST_FUNCTION}(
    p_base bigint, p_reach bigint, p_position text, p_officers text[], p_last bigint,
    p_channel text, p_seqs bigint[], p_types text[], p_ts text[], p_jsons text[],
    p_names text[], p_keys text[], p_prints text[], p_statuses integer[], p_bodies text[],
    p_answer_seqs bigint[]
) RETURNS TABLE (o_shift bigint, o_seq bigint, o_type text, o_json text)
LANGUAGE plpgsql VOLATILE AS $body$
BEGIN
    PERFORM FROM pilkades_head WHERE id = 1 FOR UPDATE;
    RETURN QUERY
    WITH head AS (
        SELECT seq FROM pilkades_head WHERE id = 1
    ), came AS (
        SELECT e.seq, e.type, e.json FROM pilkades_events e, head
        WHERE e.seq > p_base AND e.seq <= head.seq
    ), fit AS (
        SELECT head.seq - p_base AS shift FROM head
        WHERE head.seq >= p_base AND head.seq - p_base <= p_reach AND NOT EXISTS (
            SELECT FROM came WHERE came.type <> p_position
            OR (came.json::jsonb -> 'data' ->> 'id') = ANY(p_officers)
        )
    ), moved AS (
        -- Still a compare-and-set on the head as this statement read it: nothing
        -- else keeps the rows read above from going stale.
        UPDATE pilkades_head SET seq = p_last + fit.shift FROM fit, head
        WHERE pilkades_head.id = 1 AND pilkades_head.seq = head.seq
        RETURNING fit.shift, pg_notify(p_channel, pilkades_head.seq::text)
    ), events AS (
        INSERT INTO pilkades_events (seq, type, ts, json)
        SELECT u.seq + moved.shift, u.type, u.ts,
            '{{"seq":' || (u.seq + moved.shift) || substr(u.json, length('{{"seq":' || u.seq) + 1)
        FROM unnest(p_seqs, p_types, p_ts, p_jsons) AS u(seq, type, ts, json), moved
    ), answers AS (
        INSERT INTO pilkades_idempotency (token_name, key, fingerprint, status, answer, seq)
        SELECT u.name, u.key, u.print, u.status,
            left(u.body, length(u.body) - length(u.seq::text) - 1) || (u.seq + moved.shift)
                || '}}',
            u.seq + moved.shift
        FROM unnest(p_names, p_keys, p_prints, p_statuses, p_bodies, p_answer_seqs)
            AS u(name, key, print, status, body, seq), moved
    )
    SELECT moved.shift, came.seq, came.type, came.json
    FROM moved LEFT JOIN came ON true ORDER BY came.seq;
END
$body$
"""
APPEND_PAST = f"""
SELECT o_shift, o_seq, o_type, o_json FROM {APPEND_PAST_FUNCTION}(
    p_base => %(base)b, p_reach => %(reach)b, p_position => %(position)b,
    p_officers => %(officers)b::text[], p_last => %(last)b, p_channel => %(channel)b,
    p_seqs => %(seqs)b::bigint[], p_types => %(types)b::text[], p_ts => %(ts)b::text[],
    p_jsons => %(jsons)b::text[], p_names => %(names)b::text[], p_keys => %(keys)b::text[],
    p_prints => %(prints)b::text[], p_statuses => %(statuses)b::integer[],
    p_bodies => %(bodies)b::text[], p_answer_seqs => %(answer_seqs)b::bigint[]
) ORDER BY o_seq
"""
# Rows of other hubs' positions a trial may be moved past (read and checked inside
# the lock): past them, the locked way.
REACH = 200


def append_params(
    head: int, events: list[LoggedEvent], answers: list[IdempotencyRecord]
) -> dict[str, Any]:
    return {
        "head": head,
        "last": events[-1].seq,
        "seqs": [e.seq for e in events],
        "types": [e.type for e in events],
        "ts": [e.ts or _ts_of(e.json) for e in events],
        "jsons": [e.json for e in events],
        "names": [a.token_name for a in answers],
        "keys": [a.key for a in answers],
        "prints": [a.fingerprint for a in answers],
        "statuses": [a.status for a in answers],
        "bodies": [a.answer for a in answers],
        "answer_seqs": [a.seq for a in answers],
        "channel": LOG_CHANNEL,
    }


async def _answers(
    found: psycopg.AsyncCursor[Any] | None,
) -> dict[tuple[str, str], IdempotencyRecord]:
    if found is None:
        return {}
    return {
        (name, key): IdempotencyRecord(name, key, print_, int(status), answer, int(seq))
        for name, key, print_, status, answer, seq in await found.fetchall()
    }


def _event_rows(events: list[LoggedEvent]) -> list[tuple[int, str, str, str]]:
    return [(e.seq, e.type, e.ts or _ts_of(e.json), e.json) for e in events]


def _answer_rows(answers: list[IdempotencyRecord]) -> list[tuple[str, str, str, int, str, int]]:
    return [(a.token_name, a.key, a.fingerprint, a.status, a.answer, a.seq) for a in answers]


class PostgresBackend(LocalFanout):
    """The shared log. `shared` tells the core to decide commands inside the commit."""

    shared = True

    def __init__(self, dsn: str) -> None:
        super().__init__()
        self.dsn = dsn
        self._sync_lock = threading.Lock()
        self._sync: psycopg.Connection[Any] | None = open_store(dsn)
        self._writer: psycopg.AsyncConnection[Any] | None = None
        self._reader: psycopg.AsyncConnection[Any] | None = None
        # Why the store is out of reach, None while it answers: the listener notices a
        # loss within POLL_SECONDS even when no command comes, so health can say it.
        self.unreachable: str | None = None

    def _lost(self, error: BaseException) -> StoreUnavailable:
        lost = error if isinstance(error, StoreUnavailable) else unavailable(self.dsn, error)
        self.unreachable = str(lost)
        return lost

    # ---- blocking side -------------------------------------------------------

    @contextlib.contextmanager
    def _blocking(self) -> Iterator[psycopg.Connection[Any]]:
        with self._sync_lock:
            if self._sync is None or self._sync.closed or self._sync.broken:
                self._sync = connect(self.dsn)
            try:
                yield self._sync
            except psycopg.OperationalError as error:
                with contextlib.suppress(Exception):
                    self._sync.close()
                self._sync = None
                raise unavailable(self.dsn, error) from None

    @property
    def head(self) -> int:
        with self._blocking() as connection:
            row = connection.execute("SELECT seq FROM pilkades_head WHERE id = 1").fetchone()
        return int(row[0]) if row is not None else 0

    def append(self, events: list[LoggedEvent], answers: list[IdempotencyRecord]) -> None:
        """Append at the head, or HeadMoved if the first seq does not follow it."""
        if not events:
            return
        with self._blocking() as connection, connection.transaction():
            row = connection.execute(LOCK_HEAD).fetchone()
            head = int(row[0]) if row is not None else 0
            if events[0].seq != head + 1:
                raise HeadMoved(f"seq {events[0].seq} does not follow the head {head}")
            connection.execute(APPEND, append_params(head, events, answers))

    def read(self, since: int, upto: int, limit: int) -> list[LoggedEvent]:
        with self._blocking() as connection:
            rows = connection.execute(
                "SELECT seq, type, json FROM pilkades_events WHERE seq > %s AND seq <= %s "
                "ORDER BY seq LIMIT %s",
                (since, upto, limit),
            ).fetchall()
        return _rows_to_events(rows)

    def iter_since(self, since: int, batch: int = DEFAULT_BATCH) -> Iterator[LoggedEvent]:
        last = since
        while True:
            with self._blocking() as connection:
                rows = connection.execute(READ_AFTER, (last, batch)).fetchall()
            if not rows:
                return
            yield from _rows_to_events(rows)
            last = int(rows[-1][0])

    def idempotency(self, token_name: str, key: str) -> IdempotencyRecord | None:
        with self._blocking() as connection:
            row = connection.execute(
                "SELECT fingerprint, status, answer, seq FROM pilkades_idempotency "
                "WHERE token_name = %s AND key = %s",
                (token_name, key),
            ).fetchone()
        if row is None:
            return None
        return IdempotencyRecord(token_name, key, row[0], int(row[1]), row[2], int(row[3]))

    def iter_idempotency(self) -> Iterator[IdempotencyRecord]:
        with self._blocking() as connection:
            rows = connection.execute(
                "SELECT token_name, key, fingerprint, status, answer, seq "
                "FROM pilkades_idempotency ORDER BY seq"
            ).fetchall()
        for name, key, print_, status, answer, seq in rows:
            yield IdempotencyRecord(name, key, print_, int(status), answer, int(seq))

    def latest_checkpoint(self) -> tuple[int, str] | None:
        with self._blocking() as connection:
            row = connection.execute(
                "SELECT seq, snapshot FROM pilkades_checkpoints WHERE seq <= "
                "(SELECT seq FROM pilkades_head WHERE id = 1) ORDER BY seq DESC LIMIT 1"
            ).fetchone()
        return None if row is None else (int(row[0]), row[1])

    def save_checkpoint(self, seq: int, snapshot_json: str) -> None:
        with self._blocking() as connection, connection.transaction():
            connection.execute(
                "INSERT INTO pilkades_checkpoints (seq, snapshot) VALUES (%s, %s) "
                "ON CONFLICT (seq) DO NOTHING",
                (seq, snapshot_json),
            )
            connection.execute("DELETE FROM pilkades_checkpoints WHERE seq < %s", (seq,))

    def get_meta(self, name: str) -> str | None:
        with self._blocking() as connection:
            row = connection.execute(
                "SELECT value FROM pilkades_meta WHERE name = %s", (name,)
            ).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, name: str, value: str) -> None:
        """First writer wins: meta rows are facts about the log (its initial phase, its
        scenario, that it served a drill), set once by whichever hub came first."""
        with self._blocking() as connection:
            connection.execute(
                "INSERT INTO pilkades_meta (name, value) VALUES (%s, %s) "
                "ON CONFLICT (name) DO NOTHING",
                (name, value),
            )

    def is_empty(self) -> bool:
        """No event, idempotency record, token or meta row: a migration may fill it."""
        with self._blocking() as connection:
            row = connection.execute(
                "SELECT (SELECT seq FROM pilkades_head WHERE id = 1) = 0 "
                "AND NOT EXISTS (SELECT 1 FROM pilkades_events) "
                "AND NOT EXISTS (SELECT 1 FROM pilkades_idempotency) "
                "AND NOT EXISTS (SELECT 1 FROM pilkades_tokens) "
                "AND NOT EXISTS (SELECT 1 FROM pilkades_meta)"
            ).fetchone()
        return bool(row and row[0])

    # ---- async side (the hub's event loop) -------------------------------------

    async def _async_connection(
        self, current: psycopg.AsyncConnection[Any] | None
    ) -> psycopg.AsyncConnection[Any]:
        if current is not None and not current.closed and not current.broken:
            return current
        if current is not None:
            with contextlib.suppress(Exception):
                await current.close()
        try:
            return await psycopg.AsyncConnection.connect(
                self.dsn, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S
            )
        except psycopg.OperationalError as error:
            raise self._lost(error) from None

    async def commit_at_head(
        self, known_head: int, take: Callable[[], list[tuple[str, str]]], decide: Decider
    ) -> list[LoggedEvent]:
        """One transaction, two round trips. The first locks the head, reads the rows
        after `known_head` and the stored answers of the keys `take` gave before it was
        sent. Once it returns (the head locked), `take` is called again: what queued
        while another hub held the head joins this commit (its keys looked up then).
        `decide`, then the second trip writes what it returns in one statement (`APPEND`:
        the compare-and-set on the head, the notification) and commits. Returns the
        events written. StoreUnavailable if the database went away: then nothing was
        written, or (the commit's answer lost on the way) all of it was."""
        keys = take()
        try:
            self._writer = connection = await self._async_connection(self._writer)
            async with connection.pipeline() as pipeline, connection.transaction():
                locking = await connection.execute(LOCK_HEAD)
                reading = await connection.execute(READ_AFTER, (known_head, CATCH_UP_ROWS))
                finding = await self._find_answers(connection, keys)
                await pipeline.sync()
                row = await locking.fetchone()
                head = int(row[0]) if row is not None else 0
                behind = _rows_to_events(await reading.fetchall())
                while known_head + len(behind) < head:
                    reading = await connection.execute(
                        READ_AFTER, (known_head + len(behind), CATCH_UP_ROWS)
                    )
                    rows = await reading.fetchall()
                    if not rows:
                        raise StoreError(f"the log has a gap after seq {known_head}")
                    behind.extend(_rows_to_events(rows))
                stored = await _answers(finding)
                late = take()
                if late:
                    stored.update(await _answers(await self._find_answers(connection, late)))
                events, answers = decide(behind, stored)
                if events:
                    moved = await connection.execute(APPEND, append_params(head, events, answers))
                    if await moved.fetchone() is None:
                        raise HeadMoved(f"the head moved from {head} while it was locked")
        except psycopg.OperationalError as error:
            raise self._lost(error) from None
        self.unreachable = None
        return events

    async def append_past(
        self,
        base: int,
        events: list[LoggedEvent],
        answers: list[IdempotencyRecord],
        officers: list[str],
    ) -> tuple[int, list[LoggedEvent]] | None:
        """Append position events decided at `base`: at `base + 1` if the head is
        still there, else past the rows other hubs appended since, if those are only
        positions of other officers than `officers` (at most REACH of them), and no
        key of `answers` has an answer yet. One round trip and one transaction; the
        head's row is locked only while the server runs it and flushes the commit,
        never across a round trip to this hub. Returns how far the events moved and
        the rows they moved past, or None when nothing was written. StoreUnavailable
        as `commit_at_head`."""
        params = append_params(base, events, answers)
        params.update(base=base, reach=REACH, position=OFFICER_POSITION, officers=officers)
        try:
            self._writer = connection = await self._async_connection(self._writer)
            rows = await (await connection.execute(APPEND_PAST, params)).fetchall()
        except psycopg.errors.UniqueViolation as error:
            if error.diag.constraint_name != "pilkades_idempotency_pkey":
                raise
            return None
        except psycopg.OperationalError as error:
            raise self._lost(error) from None
        self.unreachable = None
        if not rows:
            return None
        came = [LoggedEvent(int(seq), kind, text) for _, seq, kind, text in rows if seq is not None]
        return int(rows[0][0]), came

    @staticmethod
    async def _find_answers(
        connection: psycopg.AsyncConnection[Any], keys: list[tuple[str, str]]
    ) -> psycopg.AsyncCursor[Any] | None:
        if not keys:
            return None
        return await connection.execute(
            ANSWERS_FOR, ([name for name, _ in keys], [key for _, key in keys])
        )

    async def read_after(self, since: int, limit: int = CATCH_UP_ROWS) -> list[LoggedEvent]:
        try:
            self._reader = connection = await self._async_connection(self._reader)
            cursor = await connection.execute(READ_AFTER, (since, limit))
            rows = await cursor.fetchall()
        except psycopg.OperationalError as error:
            raise self._lost(error) from None
        self.unreachable = None
        return _rows_to_events(rows)

    async def load_tail(self) -> tuple[tuple[int, str] | None, list[LoggedEvent]]:
        """The latest checkpoint and every event after it (a rebuild after an outage)."""
        try:
            self._reader = connection = await self._async_connection(self._reader)
            cursor = await connection.execute(
                "SELECT seq, snapshot FROM pilkades_checkpoints WHERE seq <= "
                "(SELECT seq FROM pilkades_head WHERE id = 1) ORDER BY seq DESC LIMIT 1"
            )
            row = await cursor.fetchone()
        except psycopg.OperationalError as error:
            raise self._lost(error) from None
        checkpoint = None if row is None else (int(row[0]), str(row[1]))
        since = checkpoint[0] if checkpoint is not None else 0
        events: list[LoggedEvent] = []
        while True:
            batch = await self.read_after(since)
            if not batch:
                return checkpoint, events
            events.extend(batch)
            since = batch[-1].seq

    async def follow(
        self,
        on_log: Callable[[int | None], Awaitable[None]],
        on_tokens: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        """LISTEN for the hubs' commits (and token changes) until cancelled; call
        `on_log` on each wake-up with the newest head the commits announced (their
        notifications carry it), and with None after every (re)connection and every
        POLL_SECONDS without one. A lost database is retried quietly: the feeds stay
        open meanwhile."""
        lost = False
        while True:
            try:
                connection = await self._async_connection(None)
            except StoreUnavailable as error:
                if not lost:
                    logger.warning("%s; retrying", error)
                lost = True
                await asyncio.sleep(POLL_SECONDS / 2)
                continue
            try:
                await connection.execute(sql.SQL("LISTEN {}").format(sql.Identifier(LOG_CHANNEL)))
                await connection.execute(sql.SQL("LISTEN {}").format(sql.Identifier(TOKEN_CHANNEL)))
                if lost:
                    logger.warning("the PostgreSQL store is reachable again")
                lost = False
                self.unreachable = None
                if on_tokens is not None:
                    await on_tokens()
                await on_log(None)
                while True:
                    woke_tokens = False
                    heads: list[int | None] = []
                    async for note in connection.notifies(timeout=POLL_SECONDS, stop_after=1):
                        if note.channel == TOKEN_CHANNEL:
                            woke_tokens = True
                        else:
                            heads.append(_announced(note.payload))
                    if woke_tokens and on_tokens is not None:
                        await on_tokens()
                    known = [head for head in heads if head is not None]
                    await on_log(max(known) if known and len(known) == len(heads) else None)
            except (psycopg.OperationalError, StoreUnavailable) as error:
                if not lost:
                    logger.warning("lost the PostgreSQL store (%s); retrying", _reason(error))
                lost = True
                self._lost(error)
                await asyncio.sleep(POLL_SECONDS / 2)
            finally:
                with contextlib.suppress(Exception):
                    await connection.close()

    async def aclose(self) -> None:
        for connection in (self._writer, self._reader):
            if connection is not None:
                with contextlib.suppress(Exception):
                    await connection.close()
        self._writer = self._reader = None

    def close(self) -> None:
        with self._sync_lock:
            if self._sync is not None:
                self._sync.close()
                self._sync = None


class PgTokenStore:
    """Hub tokens in the store: the same methods as the file's `TokenStore`. A hub
    answers `lookup` from memory; `reload` (the listener calls it when a token
    changes anywhere) refreshes it, and a lost database keeps the tokens last read."""

    def __init__(self, dsn: str) -> None:
        self.dsn = dsn
        self.path = safe_dsn(dsn)  # where the tokens live, for sentences
        self._connection = open_store(dsn)
        self._lock = threading.Lock()
        self._by_hash: dict[str, TokenEntry] = {}
        self.reload()

    def _execute(self, query: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            if self._connection.closed or self._connection.broken:
                self._connection = connect(self.dsn)
            try:
                cursor = self._connection.execute(query, params)
                return cursor.fetchall() if cursor.description is not None else []
            except psycopg.OperationalError as error:
                raise unavailable(self.dsn, error) from None

    def reload(self) -> None:
        rows = self._execute("SELECT name, role, sha256, created_at FROM pilkades_tokens")
        self._by_hash = {row[2]: TokenEntry(row[0], row[1], row[2], row[3]) for row in rows}

    async def reload_async(self) -> None:
        try:
            await asyncio.to_thread(self.reload)
        except StoreUnavailable as error:
            logger.warning("tokens not refreshed: %s", error)

    def entries(self) -> list[TokenEntry]:
        self.reload()
        return sorted(self._by_hash.values(), key=lambda entry: entry.name)

    def lookup(self, token: str) -> TokenEntry | None:
        return self._by_hash.get(token_hash(token))

    def add(self, name: str, role: str, now: datetime, token: str | None = None) -> str:
        if role not in ROLE_RANK:
            raise TokenError(f"unknown role {role!r} (one of {', '.join(ROLES)})")
        if not name.strip():
            raise TokenError("a token needs a name")
        token = token or new_token()
        self.insert(TokenEntry(name, role, token_hash(token), now.isoformat()))
        return token

    def insert(self, entry: TokenEntry) -> None:
        try:
            self._execute(
                "INSERT INTO pilkades_tokens (name, role, sha256, created_at) "
                "VALUES (%s, %s, %s, %s)",
                (entry.name, entry.role, entry.sha256, entry.created_at),
            )
        except psycopg.errors.UniqueViolation as error:
            if error.diag.constraint_name == "pilkades_tokens_pkey":
                raise TokenError(f"a token named {entry.name!r} exists; revoke it first") from None
            raise TokenError("that token is already issued under another name") from None
        self._announce()

    def revoke(self, name: str) -> bool:
        rows = self._execute("DELETE FROM pilkades_tokens WHERE name = %s RETURNING name", (name,))
        self._announce()
        return bool(rows)

    def _announce(self) -> None:
        self._execute("SELECT pg_notify(%s, '')", (TOKEN_CHANNEL,))
        self.reload()

    def close(self) -> None:
        with self._lock:
            self._connection.close()


class PgLogReader(EventLogReader):
    """Read-only access to the shared log, with the API of the SQLite file's reader
    (the report reads either)."""

    def __init__(self, dsn: str) -> None:
        # Not the SQLite reader's __init__: there is no file to open.
        self._backend = PostgresBackend(dsn)
        self.path = safe_dsn(dsn)

    def close(self) -> None:
        self._backend.close()

    def head(self) -> int:
        return self._backend.head

    def meta(self, name: str) -> str | None:
        """A meta row's value (e.g. the geography), None when the store has none."""
        return self._backend.get_meta(name)

    def initial_phase(self) -> Phase | None:
        stored = self.meta(INITIAL_PHASE)
        return None if stored is None else Phase.model_validate_json(stored)

    def exercise(self) -> bool:
        return self.meta(EXERCISE) is not None

    def iter_raw(self, since: int = 0, batch: int = DEFAULT_BATCH) -> Iterator[LoggedEvent]:
        return self._backend.iter_since(since, batch)

    def iter_events(self, since: int = 0, batch: int = DEFAULT_BATCH) -> Iterator[Event]:
        for logged in self.iter_raw(since, batch):
            event = parse_logged(logged)
            if event is not None:
                yield event


@dataclass(frozen=True, slots=True)
class Migrated:
    events: int
    answers: int
    tokens: int
    head: int


def migrate_sqlite(data_dir: Path, dsn: str) -> Migrated:
    """Copy a data folder's SQLite log (events, idempotency records, meta, the latest
    checkpoint) and its token file into an empty store, every seq kept, in one
    transaction: a failure leaves the store as empty as it was."""
    with EventLogReader(data_dir) as reader:
        backend = PostgresBackend(dsn)
        try:
            if not backend.is_empty():
                raise StoreError(
                    f"the store {safe_dsn(dsn)} is not empty; a migration only fills an "
                    "empty one (create a new database for it)"
                )
            tokens = TokenStore(data_dir).entries()
            counts = [0, 0]
            with backend._blocking() as connection, connection.transaction():
                connection.execute(LOCK_HEAD)
                expected = 1
                page: list[LoggedEvent] = []
                with connection.cursor() as cursor:
                    for event in reader.iter_with_ts():
                        if event.seq != expected:
                            raise StoreError(
                                f"the SQLite log has a gap: seq {event.seq} after {expected - 1}"
                            )
                        expected += 1
                        page.append(event)
                        if len(page) >= DEFAULT_BATCH:
                            cursor.executemany(INSERT_EVENT, _event_rows(page))
                            page = []
                    cursor.executemany(INSERT_EVENT, _event_rows(page))
                    counts[0] = expected - 1
                    answers = list(reader.idempotency_records())
                    cursor.executemany(INSERT_ANSWER, _answer_rows(answers))
                    counts[1] = len(answers)
                    cursor.executemany(
                        "INSERT INTO pilkades_meta (name, value) VALUES (%s, %s)",
                        list(reader.all_meta().items()),
                    )
                    checkpoint = reader.latest_checkpoint()
                    if checkpoint is not None:
                        cursor.execute(
                            "INSERT INTO pilkades_checkpoints (seq, snapshot) VALUES (%s, %s)",
                            checkpoint,
                        )
                    cursor.executemany(
                        "INSERT INTO pilkades_tokens (name, role, sha256, created_at) "
                        "VALUES (%s, %s, %s, %s)",
                        [(t.name, t.role, t.sha256, t.created_at) for t in tokens],
                    )
                connection.execute(MOVE_HEAD, (counts[0], 0))
        finally:
            backend.close()
    return Migrated(counts[0], counts[1], len(tokens), counts[0])
