"""The duty officer's logbook: every decision, hash-chained, in a TinyDB file.

A decision is written before its command is sent; what the hub answered is written
after, as its own record pointing at the decision (`ref`). Records are never edited,
so every one of them is covered by the chain: `hash` is SHA-256 over the previous
record's hash and the record's canonical JSON, and `n` numbers the records 1, 2, ...
Changing, removing, inserting or reordering a record breaks the chain at that point;
`verify` names the first record where it breaks. (Cutting records off the end leaves
a shorter valid chain; the hub's event log and `hub_seq` are the cross-check.)

Views fold each decision's latest outcome into it. See docs/logbook.md.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from tinydb import TinyDB

from pilkades_tui.domain.clock import wib_now
from pilkades_tui.logbook.storage import AppendOnlyStorage, LogbookError

GENESIS = "0" * 64
TABLE = "entries"


class Kind(StrEnum):
    DECISION = "decision"  # an action sent to the hub (acknowledge, assign, ...)
    LOG = "log"  # a free decision with a category, not sent anywhere
    HANDOVER = "handover"  # serah terima piket: who handed over to whom
    OUTCOME = "outcome"  # what the hub answered to a decision (ref)


class Outcome(StrEnum):
    QUEUED = "queued"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


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
    first_broken: int | None = None  # `n` (1-based position) of the first bad record
    reason: str = ""


@dataclass(slots=True)
class Entry:
    """A decision (or log/handover) with the latest outcome folded in."""

    n: int
    kind: Kind
    at: datetime
    operator: str
    action: str
    subject: str | None
    officer_ids: list[str]
    note: str
    drill: bool
    category: str | None = None
    to_operator: str | None = None
    outcome: Outcome | None = None
    why: str | None = None
    hub_seq: int | None = None
    outcome_at: datetime | None = None
    hash: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

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
            "drill": self.drill,
            "hash": self.hash,
        }


class Logbook:
    """Open with `Logbook.open(path)`; one console at a time holds the file."""

    def __init__(self, db: TinyDB, path: Path) -> None:
        self._db = db
        self._table = db.table(TABLE, cache_size=0)
        self.path = path
        records = sorted(self._table.all(), key=lambda record: record.doc_id)
        self._records: list[dict[str, Any]] = [dict(record) for record in records]
        self._last_hash = self._records[-1]["hash"] if self._records else GENESIS

    @classmethod
    def open(cls, path: str | Path) -> Logbook:
        path = Path(path)
        if path.exists() and not path.is_file():
            raise LogbookError(f"the logbook path {path} is not a file")
        try:
            db = TinyDB(path, storage=AppendOnlyStorage)
        except PermissionError:
            raise LogbookError(f"the logbook {path} cannot be opened: permission denied") from None
        except UnicodeDecodeError:
            raise LogbookError(
                f"the logbook {path} is not a text file; it was left as it is for inspection"
            ) from None
        return cls(db, path)

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
        self._records.append(record)
        self._last_hash = record["hash"]
        return record["n"]

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
        """What the hub answered to decision number `decision`."""
        if not 1 <= decision <= len(self._records):
            raise ValueError(f"no logbook entry number {decision}")
        if self._records[decision - 1]["kind"] != Kind.DECISION.value:
            raise ValueError(f"logbook entry {decision} is not a decision sent to the hub")
        return self._append(
            {
                "kind": Kind.OUTCOME.value,
                "at": (at or wib_now()).isoformat(),
                "ref": decision,
                "outcome": Outcome(outcome).value,
                "why": why,
                "hub_seq": hub_seq,
            }
        )

    # ---- reading ---------------------------------------------------------------

    def records(self) -> list[dict[str, Any]]:
        """The raw chain, in order (copies)."""
        return [dict(record) for record in self._records]

    def entries(self) -> list[Entry]:
        return fold(self._records)

    def entries_since(self, since: datetime) -> list[Entry]:
        return [entry for entry in self.entries() if entry.at >= since]

    def pending(self) -> list[Entry]:
        """Decisions written but without a final answer (sent, or queued in the outbox)."""
        return [
            entry
            for entry in self.entries()
            if entry.kind is Kind.DECISION and entry.outcome in (None, Outcome.QUEUED)
        ]

    def verify(self) -> VerifyResult:
        return verify_records(self._records)


def fold(records: Iterable[Mapping[str, Any]]) -> list[Entry]:
    entries: list[Entry] = []
    by_number: dict[int, Entry] = {}
    for record in records:
        kind = Kind(record["kind"])
        if kind is Kind.OUTCOME:
            target = by_number.get(record["ref"])
            if target is not None:
                target.outcome = Outcome(record["outcome"])
                target.why = record.get("why")
                target.hub_seq = record.get("hub_seq")
                target.outcome_at = datetime.fromisoformat(record["at"])
            continue
        entry = Entry(
            n=record["n"],
            kind=kind,
            at=datetime.fromisoformat(record["at"]),
            operator=record.get("operator", ""),
            action=record.get("action", ""),
            subject=record.get("subject"),
            officer_ids=list(record.get("officer_ids", [])),
            note=record.get("note", ""),
            drill=bool(record.get("drill", False)),
            category=record.get("category"),
            to_operator=record.get("to_operator"),
            hash=record.get("hash", ""),
            extra=dict(record.get("details", {})),
        )
        entries.append(entry)
        by_number[entry.n] = entry
    return entries


def verify_records(records: Sequence[Mapping[str, Any]]) -> VerifyResult:
    prev = GENESIS
    for position, record in enumerate(records, start=1):
        if record.get("n") != position:
            return VerifyResult(
                False,
                len(records),
                position,
                f"record {position} is numbered {record.get('n')!r}: one was removed, "
                "inserted or moved before it",
            )
        if record.get("prev_hash") != prev:
            return VerifyResult(
                False,
                len(records),
                position,
                f"record {position} does not follow the record before it "
                "(the previous record was changed or removed)",
            )
        if record.get("hash") != chain_hash(prev, record):
            return VerifyResult(
                False, len(records), position, f"record {position} was changed after it was written"
            )
        prev = record["hash"]
    return VerifyResult(True, len(records))


EXPORT_COLUMNS = (
    "n", "kind", "at", "operator", "action", "subject", "officer_ids", "note", "category",
    "to_operator", "outcome", "why", "hub_seq", "drill", "hash",
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
