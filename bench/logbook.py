"""Appending to the logbook at 10,000 entries, against TinyDB's default storage.

Both books get the same entries; each append is timed separately. Ours is the real
Logbook (hash chain, append-only storage, fsync per append); the reference is a plain
TinyDB with its default JSONStorage, which rewrites the whole file on each insert
(and does not even fsync).

    python bench/logbook.py [--entries N]

Last line: `logbook append_p99_ms=X ratio_vs_tinydb_default=R` (goal R <= 0.1).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from tinydb import TinyDB

from pilkades_tui.logbook import Logbook


def p99(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10_000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-logbook-"))
    ours: list[float] = []
    theirs: list[float] = []
    book = Logbook.open(folder / "logbook.json")
    plain = TinyDB(folder / "default.json")
    for n in range(args.entries):
        fields = {
            "operator": "Iptu Budi Santoso",
            "action": "assign",
            "subject": f"INC-{n:06d}",
            "officer_ids": ["KJN-P1", "KJN-014"],
            "note": "Kirim unit terdekat, massa berkumpul di depan TPS 03",
        }
        started = time.perf_counter()
        book.append_decision(**fields)
        ours.append(time.perf_counter() - started)
        started = time.perf_counter()
        plain.insert(fields)
        theirs.append(time.perf_counter() - started)
    book.close()
    plain.close()
    ours_ms, theirs_ms = p99(ours) * 1000, p99(theirs) * 1000
    print(f"ours p99 {ours_ms:.2f} ms, TinyDB default p99 {theirs_ms:.2f} ms", flush=True)
    print(f"logbook append_p99_ms={ours_ms:.2f} ratio_vs_tinydb_default={ours_ms / theirs_ms:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
