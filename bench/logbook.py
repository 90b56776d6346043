"""Appending to a logbook that holds 10,000 entries, against TinyDB's default storage.

Both books are first filled to N entries (default 10,000); then each gets the same
decisions, alternately one to ours and one to theirs, each append timed on its own.
Ours is the real Logbook (hash chain, append-only storage, one fsynced line per
append); the reference is a plain TinyDB with its default JSONStorage holding the same
records, which rewrites the whole file on each insert (and does not even fsync).

    python bench/logbook.py [--entries N] [--samples S]

Last line: `logbook append_p99_ms=X ratio_vs_tinydb_default=R` (goal R <= 0.1).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from tinydb import TinyDB

from pilkades_tui.logbook import Logbook


def p99(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def decision(n: int) -> dict[str, Any]:
    return {
        "operator": "Iptu Budi Santoso",
        "action": "assign",
        "subject": f"INC-{n:06d}",
        "officer_ids": ["KJN-P1", "KJN-014"],
        "note": "Kirim unit terdekat, massa berkumpul di depan TPS 03",
        "details": {"key": f"7f1c0c4e-{n:012d}", "expected_version": 3},
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--samples", type=int, default=300)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-logbook-"))
    try:
        book = Logbook.open(folder / "logbook.json")
        started = time.perf_counter()
        for n in range(args.entries):
            book.append_decision(**decision(n))
        fill_s = time.perf_counter() - started
        plain = TinyDB(folder / "default.json")
        # The same records as ours, so both files are the same size to rewrite.
        plain.insert_multiple(book.records())

        ours: list[float] = []
        theirs: list[float] = []
        for n in range(args.entries, args.entries + args.samples):
            fields = decision(n)
            started = time.perf_counter()
            book.append_decision(**fields)
            ours.append(time.perf_counter() - started)
            record = book.records()[-1]
            started = time.perf_counter()
            plain.insert(record)
            theirs.append(time.perf_counter() - started)
        started = time.perf_counter()
        verdict = book.verify()
        verify_ms = (time.perf_counter() - started) * 1000
        book.close()
        plain.close()
        size_mb = (folder / "logbook.json").stat().st_size / 1e6
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    ours_ms, theirs_ms = p99(ours) * 1000, p99(theirs) * 1000
    print(
        f"filled {args.entries} entries in {fill_s:.1f} s ({size_mb:.1f} MB), then timed "
        f"{args.samples} appends each"
    )
    print(
        f"ours:            p50 {statistics.median(ours) * 1000:7.3f} ms  p99 {ours_ms:7.3f} ms"
        "  (fsync per append)"
    )
    print(
        f"TinyDB default:  p50 {statistics.median(theirs) * 1000:7.3f} ms  p99 {theirs_ms:7.3f} ms"
        "  (whole-file rewrite, no fsync)"
    )
    print(f"verify of {verdict.records} records from disk: {verify_ms:.0f} ms, ok={verdict.ok}")
    print(f"logbook append_p99_ms={ours_ms:.3f} ratio_vs_tinydb_default={ours_ms / theirs_ms:.4f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
