"""A subprocess for the crash test: appends decisions and their outcomes until killed.

It prints `D n` / `O n` only after the append of record n returned: that line is the
acknowledgement the crash test holds the logbook to.

With `--short-writes` every write(2) takes at most half of what it is given and pauses
after it, as a kernel may under pressure: a kill then often lands in the middle of a
line, so the torn-line path is exercised, not just hoped for.
"""

from __future__ import annotations

import os
import sys
import time

from pilkades_tui.logbook import Logbook


def short_writes() -> None:
    real_write = os.write

    def write_half(fd: int, data: bytes) -> int:
        written = real_write(fd, bytes(data[: max(1, len(data) // 2)]))
        time.sleep(0.0005)
        return written

    os.write = write_half


def main() -> None:
    if "--short-writes" in sys.argv:
        short_writes()
    book = Logbook.open(sys.argv[1])
    print(f"ready {len(book)}", flush=True)
    count = 0
    while True:
        count += 1
        upcoming = len(book) + 1  # the decision's own number: the test checks content too
        number = book.append_decision(
            operator="Iptu Sari",
            action="assign",
            subject=f"INC-{upcoming}",
            officer_ids=["KJN-P1"],
            note="x" * (count % 300),
        )
        print(f"D {number}", flush=True)
        outcome = book.record_outcome(number, "accepted", hub_seq=number)
        print(f"O {outcome}", flush=True)


if __name__ == "__main__":
    main()
