"""The decisions of the console logbooks given with --logbook, each chain verified.

A logbook is read raw (without locking it, so a console may still hold it) and its
chain walked with the logbook's own `verify_records`. A broken chain does not stop
the report: the decisions are still listed, and the summary says where the chain
broke so the report can put it at the top.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from pilkades_tui.logbook import Entry, Kind, LogbookError, fold, read_records, verify_records
from pilkades_tui.report.figures import LogbookSummary, ReportError


def listed_action(entry: Entry) -> str:
    """The action as the report lists it: a log shows its category."""
    return entry.category if entry.kind is Kind.LOG and entry.category else entry.action


def listed_subject(entry: Entry) -> str:
    """The subject as the report lists it: a handover shows the officer who took over."""
    return (entry.to_operator if entry.kind is Kind.HANDOVER else entry.subject) or ""


def read_logbook(path: Path) -> LogbookSummary:
    """One logbook's verdict and all its decisions (logs and handovers too)."""
    if not path.is_file():
        raise ReportError(f"no logbook at {path}")
    try:
        records = read_records(path)
    except (LogbookError, OSError, ValueError) as error:
        raise ReportError(f"cannot read the logbook {path}: {error}") from None
    verdict = verify_records(records)
    try:
        entries = fold(records)
    except (KeyError, ValueError, TypeError):
        # A record changed into nonsense: list what still reads, up to the break.
        intact = records[: (verdict.first_broken or 1) - 1]
        entries = fold(intact)
    return LogbookSummary(
        path=str(path),
        records=verdict.records,
        intact=verdict.ok,
        first_broken=verdict.first_broken,
        reason=verdict.reason,
        head_hash=verdict.head_hash,
        decisions=tuple(entries),
    )


def read_logbooks(paths: Sequence[Path]) -> list[LogbookSummary]:
    return [read_logbook(path) for path in paths]
