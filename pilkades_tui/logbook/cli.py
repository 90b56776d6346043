"""`pilkades-tui logbook show|verify|export`."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from pilkades_tui.logbook.book import Entry, Kind, Logbook, export_entries
from pilkades_tui.logbook.storage import LogbookError
from pilkades_tui.paths import default_data_dir, logbook_file


def _describe(entry: Entry) -> str:
    when = entry.at.strftime("%Y-%m-%d %H:%M:%S")
    drill = " [LATIHAN/DRILL]" if entry.drill else ""
    if entry.kind is Kind.HANDOVER:
        what = f"serah terima piket → {entry.to_operator}"
    elif entry.kind is Kind.LOG:
        what = f"log [{entry.category}]"
    else:
        units = f" {','.join(entry.officer_ids)}" if entry.officer_ids else ""
        what = f"{entry.action} {entry.subject or ''}{units}".rstrip()
    outcome = ""
    if entry.kind is Kind.DECISION:
        outcome = f" → {entry.outcome.value if entry.outcome else 'sent, no answer'}"
        if entry.why:
            outcome += f" ({entry.why})"
        if entry.hub_seq is not None:
            outcome += f" seq {entry.hub_seq}"
    note = f" — {entry.note}" if entry.note else ""
    return f"{entry.n:>5} {when} {entry.operator}: {what}{note}{outcome}{drill}"


def _write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def run_logbook(args: argparse.Namespace) -> int:
    path = logbook_file(args.data or default_data_dir())
    if not path.exists():
        print(f"pilkades-tui logbook: no logbook at {path}", file=sys.stderr)
        return 1
    try:
        with Logbook.open(path) as book:
            result = book.verify()
            entries = book.entries()
    except LogbookError as error:
        print(f"pilkades-tui logbook: {error}", file=sys.stderr)
        return 1
    if args.action == "verify":
        if result.ok:
            print(f"OK: {path}: {result.records} records, chain intact")
            return 0
        print(
            f"BROKEN: {path}: first broken record {result.first_broken} of {result.records}: "
            f"{result.reason}",
            file=sys.stderr,
        )
        return 3
    if not result.ok:
        print(
            f"WARNING: the chain is broken at record {result.first_broken}: {result.reason}",
            file=sys.stderr,
        )
    if args.action == "show":
        for entry in entries:
            print(_describe(entry))
        return 0
    text = export_entries(entries, args.format)
    if args.out is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    else:
        _write_atomically(args.out, text)
        print(f"exported {len(entries)} entries to {args.out}", file=sys.stderr)
    return 0
