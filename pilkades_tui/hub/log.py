"""The hub's event log: SQLite in WAL mode, one row per event, in seq order.

Every accepted command writes its events and its idempotency record in ONE
transaction with `synchronous=FULL`, so once the answer is sent the events survive a
crash or power loss. Readers (the feed's replay, the report) page through the log by
seq without loading it whole; WAL lets them read while the hub writes.

`EventLogReader` is the read-only API for other parts (the report): open the file of
a data folder, iterate events since a seq in batches.
"""

from __future__ import annotations

import contextlib
import errno
import json
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from pilkades_tui.domain.events import Event, ProtocolError, parse_event
from pilkades_tui.domain.models import HubMode, Phase
from pilkades_tui.domain.state import ElectionState
from pilkades_tui.files import (
    PRIVATE_FILE,
    FolderUnwritable,
    folder_unwritable,
    make_private_file,
    unwritable_reason,
)
from pilkades_tui.paths import hub_log_file

SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY,
    type TEXT NOT NULL,
    ts TEXT NOT NULL,
    json TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS idempotency (
    token_name TEXT NOT NULL,
    key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    status INTEGER NOT NULL,
    answer TEXT NOT NULL,
    seq INTEGER NOT NULL,
    PRIMARY KEY (token_name, key)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS checkpoints (
    seq INTEGER PRIMARY KEY,
    snapshot TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
"""

DEFAULT_BATCH = 1000
INITIAL_PHASE = "initial_phase"  # meta row: the phase before event 1
# Meta row set once a hub served this log as a drill: its records are not real ones.
EXERCISE = "exercise"
# Meta row: the election's boundaries (GeoJSON) when seeded from a scenario folder.
GEOGRAPHY = "geography"


class LogError(RuntimeError):
    pass


# SQLite's reasons a write cannot happen, in the OS's words (its primary result codes).
STORAGE_ERRNO = {
    sqlite3.SQLITE_FULL: errno.ENOSPC,
    sqlite3.SQLITE_READONLY: errno.EACCES,
    sqlite3.SQLITE_CANTOPEN: errno.EACCES,
    sqlite3.SQLITE_PERM: errno.EACCES,
}
# Besides the database, SQLite writes these beside it (WAL mode).
COMPANIONS = ("-wal", "-shm")


def storage_failure(path: Path, error: sqlite3.Error | OSError) -> Exception:
    """What to raise for a failed log write: `FolderUnwritable` (one sentence naming
    the folder and the cause: disk full, read-only) when the folder is to blame, else a
    `LogError` with SQLite's words."""
    if isinstance(error, OSError):
        return folder_unwritable(path.parent, error)
    code = getattr(error, "sqlite_errorcode", None)
    reason = STORAGE_ERRNO.get(code & 0xFF) if code is not None else None
    if reason is not None or code is not None and code & 0xFF == sqlite3.SQLITE_IOERR:
        return FolderUnwritable(unwritable_reason(path.parent, reason, str(error)))
    return LogError(f"the event log {path}: {error}")


class HeadMoved(LogError):
    """A shared log's head moved past the seq an append expected; nothing was written."""


@dataclass(frozen=True, slots=True)
class LoggedEvent:
    """One event as stored: its seq, its type and its wire JSON (sent as is)."""

    seq: int
    type: str
    json: str
    ts: str = ""


@dataclass(frozen=True, slots=True)
class IdempotencyRecord:
    token_name: str
    key: str
    fingerprint: str
    status: int
    answer: str
    seq: int


def _connect(path: Path, *, read_only: bool = False) -> sqlite3.Connection:
    if read_only:
        connection = sqlite3.connect(
            f"{path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False
        )
    else:
        connection = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
    connection.execute("PRAGMA busy_timeout = 5000")
    return connection


class SqliteLog:
    """The writable log of one data folder. `append` is called from one writer thread;
    the read methods may be called from any thread (each opens its own cursor on a
    read connection guarded by SQLite's own locking)."""

    def __init__(self, path: Path) -> None:
        """Raises `FolderUnwritable` when the data folder cannot hold the log."""
        self.path = path
        connections: list[sqlite3.Connection] = []
        try:
            # The log is private to its owner; SQLite gives the -wal and -shm it creates
            # the database's mode, and older hubs left all three world-readable.
            make_private_file(path)
            for companion in self._companions():
                companion.chmod(PRIVATE_FILE)
            self._writer = _connect(path)
            connections.append(self._writer)
            self._writer.execute("PRAGMA journal_mode = WAL")
            # FULL: the WAL is fsynced at every commit, so an answered command is on disk.
            self._writer.execute("PRAGMA synchronous = FULL")
            self._writer.executescript(SCHEMA)
            self._reader = _connect(path)
            connections.append(self._reader)
            self._reader.execute("PRAGMA query_only = ON")
            self._head = self._read_head(self._writer)
        except (sqlite3.Error, OSError) as error:
            for connection in connections:
                connection.close()
            raise storage_failure(path, error) from None

    def _companions(self) -> list[Path]:
        candidates = (self.path.with_name(self.path.name + suffix) for suffix in COMPANIONS)
        return [candidate for candidate in candidates if candidate.exists()]

    def _write(self, statements: Callable[[sqlite3.Connection], None]) -> None:
        """Run `statements` in one transaction on the writer. SQLite has rolled back
        by itself when a COMMIT failed for a full disk: rolling back again would raise
        "no transaction is active" and hide the real cause."""
        connection = self._writer
        try:
            connection.execute("BEGIN IMMEDIATE")
            statements(connection)
            connection.execute("COMMIT")
        except BaseException as error:
            if connection.in_transaction:
                with contextlib.suppress(sqlite3.Error):
                    connection.execute("ROLLBACK")
            if isinstance(error, sqlite3.Error):
                raise storage_failure(self.path, error) from error
            raise

    @classmethod
    def in_data_dir(cls, data_dir: Path) -> SqliteLog:
        return cls(hub_log_file(data_dir))

    @staticmethod
    def _read_head(connection: sqlite3.Connection) -> int:
        row = connection.execute("SELECT COALESCE(MAX(seq), 0) FROM events").fetchone()
        return int(row[0])

    @property
    def head(self) -> int:
        """The newest durable seq."""
        return self._head

    def append(self, events: list[LoggedEvent], answers: list[IdempotencyRecord]) -> None:
        """Write events and idempotency records in one durable transaction. The first
        seq must follow the head: the log never has a gap."""
        if not events:
            return
        expected = self._head + 1
        for offset, event in enumerate(events):
            if event.seq != expected + offset:
                raise LogError(f"seq {event.seq} does not follow {expected + offset - 1}")

        def insert(connection: sqlite3.Connection) -> None:
            connection.executemany(
                "INSERT INTO events (seq, type, ts, json) VALUES (?, ?, ?, ?)",
                [(e.seq, e.type, e.ts or _ts_of(e.json), e.json) for e in events],
            )
            if answers:
                connection.executemany(
                    "INSERT OR REPLACE INTO idempotency "
                    "(token_name, key, fingerprint, status, answer, seq) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    [
                        (a.token_name, a.key, a.fingerprint, a.status, a.answer, a.seq)
                        for a in answers
                    ],
                )

        self._write(insert)
        self._head = events[-1].seq

    def idempotency(self, token_name: str, key: str) -> IdempotencyRecord | None:
        row = self._reader.execute(
            "SELECT fingerprint, status, answer, seq FROM idempotency "
            "WHERE token_name = ? AND key = ?",
            (token_name, key),
        ).fetchone()
        if row is None:
            return None
        return IdempotencyRecord(token_name, key, row[0], int(row[1]), row[2], int(row[3]))

    def read(self, since: int, upto: int, limit: int = DEFAULT_BATCH) -> list[LoggedEvent]:
        """Events with since < seq <= upto, at most `limit`, in order."""
        rows = self._reader.execute(
            "SELECT seq, type, json FROM events WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?",
            (since, upto, limit),
        ).fetchall()
        return [LoggedEvent(int(seq), kind, text) for seq, kind, text in rows]

    def iter_since(self, since: int = 0, batch: int = DEFAULT_BATCH) -> Iterator[LoggedEvent]:
        return _iter_rows(self._reader, since, batch)

    def save_checkpoint(self, seq: int, snapshot_json: str) -> None:
        def replace(connection: sqlite3.Connection) -> None:
            connection.execute(
                "INSERT OR REPLACE INTO checkpoints (seq, snapshot) VALUES (?, ?)",
                (seq, snapshot_json),
            )
            connection.execute("DELETE FROM checkpoints WHERE seq < ?", (seq,))

        self._write(replace)

    def latest_checkpoint(self) -> tuple[int, str] | None:
        row = self._reader.execute(
            "SELECT seq, snapshot FROM checkpoints WHERE seq <= ? ORDER BY seq DESC LIMIT 1",
            (self._head,),
        ).fetchone()
        return None if row is None else (int(row[0]), row[1])

    def get_meta(self, name: str) -> str | None:
        row = self._reader.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, name: str, value: str) -> None:
        def replace(connection: sqlite3.Connection) -> None:
            connection.execute(
                "INSERT OR REPLACE INTO meta (name, value) VALUES (?, ?)", (name, value)
            )

        self._write(replace)

    def integrity(self) -> tuple[int, int, int]:
        """(count, min seq, max seq): the log is gap-free when count == max - min + 1."""
        row = self._reader.execute(
            "SELECT COUNT(*), COALESCE(MIN(seq), 0), COALESCE(MAX(seq), 0) FROM events"
        ).fetchone()
        return int(row[0]), int(row[1]), int(row[2])

    def close(self) -> None:
        self._reader.close()
        self._writer.close()


def _ts_of(event_json: str) -> str:
    return str(json.loads(event_json)["ts"])


def _iter_rows(connection: sqlite3.Connection, since: int, batch: int) -> Iterator[LoggedEvent]:
    last = since
    while True:
        rows = connection.execute(
            "SELECT seq, type, json FROM events WHERE seq > ? ORDER BY seq LIMIT ?",
            (last, batch),
        ).fetchall()
        if not rows:
            return
        for seq, kind, text in rows:
            yield LoggedEvent(int(seq), kind, text)
        last = int(rows[-1][0])


class EventLogReader:
    """Read-only access to a hub's log (for the report, or a backup check), safe while
    the hub runs. Use as a context manager."""

    def __init__(self, data_dir: Path) -> None:
        path = hub_log_file(data_dir)
        if not path.exists():
            raise LogError(f"no hub log at {path}")
        self._connection = _connect(path, read_only=True)

    def __enter__(self) -> EventLogReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._connection.close()

    def head(self) -> int:
        row = self._connection.execute("SELECT COALESCE(MAX(seq), 0) FROM events").fetchone()
        return int(row[0])

    def initial_phase(self) -> Phase | None:
        """The election phase before event 1 (the hub keeps it beside the log)."""
        row = self._connection.execute(
            "SELECT value FROM meta WHERE name = ?", (INITIAL_PHASE,)
        ).fetchone()
        return None if row is None else Phase.model_validate_json(row[0])

    def replay(self, mode: HubMode = HubMode.LIVE) -> ElectionState:
        """The state after the newest event, rebuilt from the log alone."""
        phase = self.initial_phase()
        if phase is None:
            raise LogError("this log has no initial phase: not written by a pilkades-tui hub")
        state = ElectionState(phase, mode)
        for logged in self.iter_raw():
            event = parse_logged(logged)
            if event is None:
                state.seq = logged.seq
            else:
                state.apply(event)
        return state

    def exercise(self) -> bool:
        """Whether a hub ever served this log as a drill (`--exercise`)."""
        row = self._connection.execute(
            "SELECT value FROM meta WHERE name = ?", (EXERCISE,)
        ).fetchone()
        return row is not None

    def meta(self, name: str) -> str | None:
        """A meta row's value (e.g. GEOGRAPHY), None when the log has none."""
        row = self._connection.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
        return None if row is None else str(row[0])

    def all_meta(self) -> dict[str, str]:
        """Every meta row (the initial phase, the drill mark), for a migration."""
        rows = self._connection.execute("SELECT name, value FROM meta").fetchall()
        return {str(name): str(value) for name, value in rows}

    def idempotency_records(self) -> Iterator[IdempotencyRecord]:
        cursor = self._connection.execute(
            "SELECT token_name, key, fingerprint, status, answer, seq FROM idempotency"
        )
        for name, key, print_, status, answer, seq in cursor:
            yield IdempotencyRecord(name, key, print_, int(status), answer, int(seq))

    def latest_checkpoint(self) -> tuple[int, str] | None:
        row = self._connection.execute(
            "SELECT seq, snapshot FROM checkpoints ORDER BY seq DESC LIMIT 1"
        ).fetchone()
        return None if row is None else (int(row[0]), str(row[1]))

    def iter_with_ts(self, batch: int = DEFAULT_BATCH) -> Iterator[LoggedEvent]:
        """Every stored event with its timestamp column, in seq order."""
        last = 0
        while True:
            rows = self._connection.execute(
                "SELECT seq, type, ts, json FROM events WHERE seq > ? ORDER BY seq LIMIT ?",
                (last, batch),
            ).fetchall()
            if not rows:
                return
            for seq, kind, ts, text in rows:
                yield LoggedEvent(int(seq), kind, text, ts)
            last = int(rows[-1][0])

    def iter_raw(self, since: int = 0, batch: int = DEFAULT_BATCH) -> Iterator[LoggedEvent]:
        """Stored events with seq > since, `batch` rows fetched at a time."""
        return _iter_rows(self._connection, since, batch)

    def iter_events(self, since: int = 0, batch: int = DEFAULT_BATCH) -> Iterator[Event]:
        """Parsed events with seq > since (types this version does not know skipped)."""
        for logged in _iter_rows(self._connection, since, batch):
            event = parse_logged(logged)
            if event is not None:
                yield event


def parse_logged(logged: LoggedEvent) -> Event | None:
    try:
        return parse_event(json.loads(logged.json), f"log seq {logged.seq}")
    except (ValueError, ProtocolError) as error:
        raise LogError(f"log seq {logged.seq} is unreadable: {error}") from None
