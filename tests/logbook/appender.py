"""A subprocess for the crash test: appends decisions and outcomes forever, printing
each number after its append returned (that is the acknowledgement)."""

from __future__ import annotations

import sys

from pilkades_tui.logbook import Logbook


def main() -> None:
    book = Logbook.open(sys.argv[1])
    n = 0
    while True:
        n += 1
        number = book.append_decision(
            operator="Iptu Sari", action="acknowledge", subject=f"INC-{n}", note="x" * (n % 300)
        )
        print(f"D {number}", flush=True)
        outcome = book.record_outcome(number, "accepted", hub_seq=n)
        print(f"O {outcome}", flush=True)


if __name__ == "__main__":
    main()
