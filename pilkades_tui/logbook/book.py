"""The duty officer's logbook: every decision, hash-chained, in a TinyDB file.

A decision is written before its command is sent; what the hub answered is written
after, as its own record pointing at the decision (`ref`). Records are never edited,
so every one of them is covered by the chain: `hash` is SHA-256 over the previous
record's hash and the record's canonical JSON, and `n` numbers the records 1, 2, ...
Changing, removing, inserting or reordering a record breaks the chain at that point;
`verify` names the first record where it breaks. (Records cut off the end leave a
shorter valid chain: an open book notices, a fresh look needs the last hash noted
elsewhere or the hub's event log via `hub_seq`.)

Views fold each decision's latest outcome into it. See docs/logbook.md.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from pilkades_tui.domain.clock import wib_now
from pilkades_tui.feed.results import Outcome
from pilkades_tui.logbook.storage import (
    AppendOnlyStorage,
    LogbookCorrupt,
    LogbookDB,
    Tables,
    parse_lines,
    read_file,
)

GENESIS = "0" * 64
TABLE = "entries"


class Kind(StrEnum):
    DECISION = "decision"  # an action sent to the hub (acknowledge, assign, ...)
    LOG = "log"  # a free decision with a category, not sent anywhere
    HANDOVER = "handover"  # serah terima piket: who handed over to whom
    OUTCOME = "outcome"  # what the hub answered to a decision (ref)


# The command client's own outcomes. A logbook records three of them: a conflict (409)
# is recorded as rejected, with the hub's sentence as its `why`.
RECORDED_OUTCOMES = frozenset({Outcome.QUEUED, Outcome.ACCEPTED, Outcome.REJECTED})


# Categories of free decisions (`l` in the console), as a duty officer names them.
LOG_CATEGORIES = (
    "coordination",  # koordinasi dengan panitia Pilkades / Forkopimcam
    "reinforcement",  # permintaan bantuan personel (BKO)
    "health_protocol",  # perintah penegakan protokol kesehatan
    "briefing",  # arahan / apel
    "other",
)


def canonical(record: Mapping[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def chain_hash(prev_hash: str, record: Mapping[str, Any]) -> str:
    body = {key: value for key, value in record.items() if key != "hash"}
    return hashlib.sha256((prev_hash + canonical(body)).encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class VerifyResult:
    ok: bool
    records: int
    first_broken: int | None = None  # position (1-based, = `n`) of the first bad record
    reason: str = ""
    head_hash: str = GENESIS  # hash of the last good record: note it to detect a cut-off end


@dataclass(frozen=True, slots=True)
class Entry:
    """A decision (or log/handover) with its latest outcome folded in."""

    n: int
    kind: Kind
    at: datetime
    operator: str
    action: str
    subject: str | None
    officer_ids: tuple[str, ...]
    note: str
    drill: bool
    category: str | None = None
    to_operator: str | None = None
    outcome: Outcome | None = None
    why: str | None = None
    hub_seq: int | None = None
    outcome_at: datetime | None = None
    hash: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict)

    def as_row(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "kind": self.kind.value,
            "at": self.at.isoformat(),
            "operator": self.operator,
            "action": self.action,
            "subject": self.subject or "",
            "officer_ids": " ".join(self.officer_ids),
            "note": self.note,
            "category": self.category or "",
            "to_operator": self.to_operator or "",
            "outcome": self.outcome.value if self.outcome else "",
            "why": self.why or "",
            "hub_seq": "" if self.hub_seq is None else self.hub_seq,
            "outcome_at": self.outcome_at.isoformat() if self.outcome_at else "",
            "drill": self.drill,
            "hash": self.hash,
        }


def records_of(tables: Tables) -> list[dict[str, Any]]:
    rows = tables.get(TABLE, {})
    return [dict(rows[doc_id]) for doc_id in sorted(rows, key=int)]


def read_records(path: Path) -> list[dict[str, Any]]:
    """The raw chain of a logbook file, without locking it or folding its records."""
    tables, _complete = parse_lines(path, read_file(path))
    return records_of(tables)


class Logbook:
    """Open with `Logbook.open(path)`; one console at a time holds the file.

    Appends are synchronous: each returns once its line is fsynced (a few ms), so the
    console may call them from its event loop.
    """

    def __init__(self, db: LogbookDB, storage: AppendOnlyStorage, path: Path) -> None:
        self._db = db
        self._storage = storage
        self._table = db.table(TABLE, cache_size=0)
        self.path = path
        self._records: list[dict[str, Any]] = []
        self._entries: list[Entry] = []
        self._position: dict[int, int] = {}  # entry number -> index in _entries
        self._last_hash = GENESIS
        for record in records_of(storage.read() or {}):
            self._take(record)
        #: The chain as found at open; the console can warn at once if it is broken.
        self.verified_at_open = verify_records(self._records)

    @classmethod
    def open(cls, path: str | Path, *, read_only: bool = False) -> Logbook:
        """Open (or create) a logbook. `read_only` looks without locking or writing, e.g.
        at a logbook a running console holds. Raises LogbookError with a message for a
        person; a damaged file is never changed."""
        path = Path(path)
        # TinyDB hands the path and the remaining keywords to the storage class.
        db = LogbookDB(str(path), storage=AppendOnlyStorage, read_only=read_only)
        try:
            storage = db.storage
            if not isinstance(storage, AppendOnlyStorage):
                raise TypeError("a Logbook needs an AppendOnlyStorage")
            return cls(db, storage, path)
        except BaseException:
            db.close()
            raise

    @property
    def set_aside(self) -> Path | None:
        """Where a torn last line (a write cut by a crash, never acknowledged) was kept."""
        return self._storage.set_aside

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Logbook:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def __len__(self) -> int:
        return len(self._records)

    # ---- writing ---------------------------------------------------------------

    def _append(self, record: dict[str, Any]) -> int:
        record["n"] = len(self._records) + 1
        record["prev_hash"] = self._last_hash
        record["hash"] = chain_hash(self._last_hash, record)
        self._table.insert(record)
        self._take(record)
        return record["n"]

    def _take(self, record: dict[str, Any]) -> None:
        """Add a written record to the in-memory chain and the folded view."""
        try:
            if record["kind"] == Kind.OUTCOME.value:
                index = self._position.get(record["ref"])
                if index is not None:
                    self._entries[index] = with_outcome(self._entries[index], record)
            else:
                self._position[record["n"]] = len(self._entries)
                self._entries.append(entry_of(record))
        except (KeyError, ValueError, TypeError) as error:
            raise LogbookCorrupt(
                f"the logbook {self.path} holds a malformed record {len(self._records) + 1} "
                f"({error!r}); it was left as it is. "
                "`pilkades-tui logbook verify` names the first record that was changed"
            ) from None
        self._records.append(record)
        self._last_hash = record.get("hash", "")

    def append_decision(
        self,
        *,
        operator: str,
        action: str,
        subject: str | None,
        officer_ids: Sequence[str] = (),
        note: str = "",
        drill: bool = False,
        at: datetime | None = None,
        details: Mapping[str, Any] | None = None,
    ) -> int:
        """Write a decision before its command is sent; returns its number."""
        return self._append(
            {
                "kind": Kind.DECISION.value,
                "at": (at or wib_now()).isoformat(),
                "operator": operator,
                "action": action,
                "subject": subject,
                "officer_ids": list(officer_ids),
                "note": note,
                "drill": drill,
                "details": dict(details or {}),
            }
        )

    def append_log(
        self,
        *,
        operator: str,
        category: str,
        note: str,
        subject: str | None = None,
        drill: bool = False,
        at: datetime | None = None,
    ) -> int:
        """A free decision (not a hub command), e.g. coordination with panitia Pilkades."""
        if category not in LOG_CATEGORIES:
            raise ValueError(f"unknown category {category!r}; one of {', '.join(LOG_CATEGORIES)}")
        if not note.strip():
            raise ValueError("a logged decision needs a note")
        return self._append(
            {
                "kind": Kind.LOG.value,
                "at": (at or wib_now()).isoformat(),
                "operator": operator,
                "action": "log",
                "category": category,
                "subject": subject,
                "officer_ids": [],
                "note": note,
                "drill": drill,
            }
        )

    def append_handover(
        self,
        *,
        operator: str,
        to_operator: str,
        note: str = "",
        drill: bool = False,
        at: datetime | None = None,
    ) -> int:
        """Serah terima piket: `operator` hands the desk to `to_operator`."""
        if not to_operator.strip():
            raise ValueError("a handover needs the name of the officer taking over")
        return self._append(
            {
                "kind": Kind.HANDOVER.value,
                "at": (at or wib_now()).isoformat(),
                "operator": operator,
                "action": "handover",
                "to_operator": to_operator,
                "subject": None,
                "officer_ids": [],
                "note": note,
                "drill": drill,
            }
        )

    def record_outcome(
        self,
        decision: int,
        outcome: Outcome | str,
        *,
        why: str | None = None,
        hub_seq: int | None = None,
        at: datetime | None = None,
    ) -> int:
        """What the hub answered to decision number `decision`; returns the record's number."""
        if not 1 <= decision <= len(self._records):
            raise ValueError(f"no logbook entry number {decision}")
        if self._records[decision - 1]["kind"] != Kind.DECISION.value:
            raise ValueError(f"logbook entry {decision} is not a decision sent to the hub")
        outcome = Outcome(outcome)
        if outcome not in RECORDED_OUTCOMES:
            raise ValueError(
                f"a logbook records {outcome.value!r} as 'rejected', with the hub's reason"
            )
        return self._append(
            {
                "kind": Kind.OUTCOME.value,
                "at": (at or wib_now()).isoformat(),
                "ref": decision,
                "outcome": outcome.value,
                "why": why,
                "hub_seq": hub_seq,
            }
        )

    # ---- reading ---------------------------------------------------------------

    def records(self) -> list[dict[str, Any]]:
        """The raw chain, in order (copies)."""
        return [dict(record) for record in self._records]

    def entries(self) -> list[Entry]:
        """Decisions, logs and handovers in order, each with its latest outcome."""
        return list(self._entries)

    def entries_since(self, since: datetime) -> list[Entry]:
        return [entry for entry in self._entries if entry.at >= since]

    def pending(self) -> list[Entry]:
        """Decisions written but without a final answer (sent, or queued in the outbox)."""
        return [
            entry
            for entry in self._entries
            if entry.kind is Kind.DECISION and entry.outcome in (None, Outcome.QUEUED)
        ]

    def verify(self) -> VerifyResult:
        """Check the chain as it is on disk now, so a change made while open shows too.

        The chain was checked at open and every record since was chained here. While the
        file still starts with exactly the bytes read and written then (same SHA-256),
        only records after them (a reader's view of a console still writing) are parsed
        and checked: a 10,000-entry logbook verifies in a few ms from the console.
        """
        data = read_file(self.path)
        length, digest = self._storage.known_prefix()
        if (
            self.verified_at_open.ok
            and len(data) >= length
            and hashlib.sha256(data[:length]).digest() == digest
        ):
            tables, _complete = parse_lines(self.path, data, start=length)
            return verify_records(records_of(tables), self._last_hash, len(self._records))
        tables, _complete = parse_lines(self.path, data)
        result = verify_records(records_of(tables))
        if result.ok and result.records < len(self._records):
            # A chain cut at its end looks whole; this book knows how long it was.
            return replace(
                result,
                ok=False,
                first_broken=result.records + 1,
                reason=f"records {result.records + 1} to {len(self._records)} were cut off "
                "the end of the file after it was opened here",
            )
        return result

    def export(self, fmt: str) -> str:
        """The folded entries as `json` or `csv` text."""
        return export_entries(self._entries, fmt)


def entry_of(record: Mapping[str, Any]) -> Entry:
    return Entry(
        n=int(record["n"]),
        kind=Kind(record["kind"]),
        at=datetime.fromisoformat(record["at"]),
        operator=str(record.get("operator", "")),
        action=str(record.get("action", "")),
        subject=record.get("subject"),
        officer_ids=tuple(record.get("officer_ids", ())),
        note=str(record.get("note", "")),
        drill=bool(record.get("drill", False)),
        category=record.get("category"),
        to_operator=record.get("to_operator"),
        hash=str(record.get("hash", "")),
        extra=dict(record.get("details", {})),
    )


def with_outcome(entry: Entry, record: Mapping[str, Any]) -> Entry:
    return replace(
        entry,
        outcome=Outcome(record["outcome"]),
        why=record.get("why"),
        hub_seq=record.get("hub_seq"),
        outcome_at=datetime.fromisoformat(record["at"]),
    )


def fold(records: Iterable[Mapping[str, Any]]) -> list[Entry]:
    """Entries with each decision's latest outcome folded in (for readers of raw records)."""
    entries: list[Entry] = []
    position: dict[int, int] = {}
    for record in records:
        if record["kind"] == Kind.OUTCOME.value:
            index = position.get(record["ref"])
            if index is not None:
                entries[index] = with_outcome(entries[index], record)
            continue
        position[record["n"]] = len(entries)
        entries.append(entry_of(record))
    return entries


def _label(record: Mapping[str, Any]) -> str:
    """A record as a person recognises it, for verify's messages."""
    kind = record.get("kind")
    at = str(record.get("at", ""))[:19].replace("T", " ")
    if kind == Kind.OUTCOME.value:
        what = f"outcome of decision {record.get('ref')}"
    elif kind == Kind.LOG.value:
        what = f"log {record.get('category')}"
    elif kind == Kind.HANDOVER.value:
        what = f"handover to {record.get('to_operator')}"
    else:
        parts = (kind, record.get("action"), record.get("subject"))
        what = " ".join(str(part) for part in parts if part)
    return f"{what} at {at}"


def verify_records(
    records: Sequence[Mapping[str, Any]], prev: str = GENESIS, before: int = 0
) -> VerifyResult:
    """Walk the chain; `prev`/`before` continue after `before` records already checked."""
    total = before + len(records)
    for position, record in enumerate(records, start=before + 1):
        label = _label(record)
        problem = None
        if record.get("n") != position:
            problem = (
                f"record {position} ({label}) is numbered {record.get('n')!r}: "
                "a record was removed, inserted or moved at this place"
            )
        elif record.get("prev_hash") != prev:
            problem = (
                f"record {position} ({label}) does not follow the record before it: "
                "that one was changed, removed or moved"
            )
        elif record.get("hash") != chain_hash(prev, record):
            problem = f"record {position} ({label}) was changed after it was written"
        if problem is not None:
            return VerifyResult(False, total, position, problem, prev)
        prev = record["hash"]
    return VerifyResult(True, total, head_hash=prev)


EXPORT_COLUMNS = (
    "n", "kind", "at", "operator", "action", "subject", "officer_ids", "note", "category",
    "to_operator", "outcome", "why", "hub_seq", "outcome_at", "drill", "hash",
)  # fmt: skip


def export_entries(entries: Sequence[Entry], fmt: str) -> str:
    if fmt == "json":
        return json.dumps([entry.as_row() for entry in entries], ensure_ascii=False, indent=2)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=EXPORT_COLUMNS)
        writer.writeheader()
        for entry in entries:
            writer.writerow(entry.as_row())
        return buffer.getvalue()
    raise ValueError(f"unknown export format {fmt!r}")
