"""`pilkades-tui logbook show|verify|export`: read-only, so it works beside a running console."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pilkades_tui.files import write_atomically
from pilkades_tui.logbook.book import (
    Entry,
    Kind,
    Logbook,
    VerifyResult,
    export_entries,
    read_records,
    verify_records,
)
from pilkades_tui.logbook.storage import LogbookError
from pilkades_tui.paths import default_data_dir, logbook_file

EXIT_BROKEN = 3
EXIT_UNREADABLE = 1


def _describe(entry: Entry) -> str:
    when = entry.at.strftime("%Y-%m-%d %H:%M:%S")
    drill = " [LATIHAN/DRILL]" if entry.drill else ""
    if entry.kind is Kind.HANDOVER:
        what = f"handover (serah terima piket) → {entry.to_operator}"
    elif entry.kind is Kind.LOG:
        what = f"log [{entry.category}]{f' {entry.subject}' if entry.subject else ''}"
    else:
        units = f" {','.join(entry.officer_ids)}" if entry.officer_ids else ""
        what = f"{entry.action} {entry.subject or ''}{units}".rstrip()
    outcome = ""
    if entry.kind is Kind.DECISION:
        outcome = f" → {entry.outcome.value if entry.outcome else 'sent, no answer yet'}"
        if entry.why:
            outcome += f" ({entry.why})"
        if entry.hub_seq is not None:
            outcome += f" hub seq {entry.hub_seq}"
    note = f" — {entry.note}" if entry.note else ""
    return f"{entry.n:>5} {when} {entry.operator}: {what}{note}{outcome}{drill}"


def _broken_message(path: Path, result: VerifyResult) -> str:
    return (
        f"BROKEN: {path}\n"
        f"  first broken record: {result.first_broken} of {result.records}\n"
        f"  {result.reason}\n"
        f"  records 1 to {(result.first_broken or 1) - 1} are intact"
    )


def _verify(path: Path) -> int:
    # Raw records, not the folded view: a record changed into nonsense must still be named.
    result = verify_records(read_records(path))
    if not result.ok:
        print(_broken_message(path, result), file=sys.stderr)
        return EXIT_BROKEN
    print(f"OK: {path}: {result.records} records, chain intact")
    print(f"  last hash {result.head_hash} (note it down: a cut-off end shows as a mismatch)")
    return 0


def run_logbook(args: argparse.Namespace) -> int:
    path: Path = args.file or logbook_file(args.data or default_data_dir())
    try:
        if args.action == "verify":
            return _verify(path)
        with Logbook.open(path, read_only=True) as book:
            result = book.verify()
            entries = book.entries()
    except LogbookError as error:
        print(f"pilkades-tui logbook: {error}", file=sys.stderr)
        return EXIT_UNREADABLE
    if not result.ok:
        print(
            f"WARNING: the chain is broken at record {result.first_broken}: {result.reason}",
            file=sys.stderr,
        )
    if args.action == "show":
        if not entries:
            print(f"{path}: no entries yet")
        for entry in entries:
            print(_describe(entry))
        return 0
    text = export_entries(entries, args.format)
    if args.out is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    else:
        write_atomically(args.out, text)
        print(f"exported {len(entries)} entries to {args.out}", file=sys.stderr)
    return 0
