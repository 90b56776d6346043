"""How quickly the call form finds a place as the officer types.

Builds the call form's places from the Pekalongan scenario (every TPS and every village
without one), then times `match_places` for each keystroke of a few typical queries.

    python bench/intake_places.py [--rounds N]

Last line: `intake_places places=P build_ms=B per_keystroke_ms=K` (goal: K <= 20, so
typing never lags; B is paid once, when `i` is first pressed).
"""

from __future__ import annotations

import argparse
import time

from pilkades_tui.domain.clock import wib_now
from pilkades_tui.domain.intake import VillageCentre, match_places, places
from pilkades_tui.scenario.geography import villages
from pilkades_tui.scenario.pekalongan import build

QUERIES = ("kajen 3", "bukur", "wonopringgo 12", "kedungwuni")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    scenario = build(2022, wib_now())
    centres = [VillageCentre(v.name, v.district, v.lat, v.lon) for v in villages()]
    started = time.perf_counter()
    found = places(sorted(scenario.tps, key=lambda tps: tps.id), centres)
    build_ms = (time.perf_counter() - started) * 1000
    keystrokes = [query[:end] for query in QUERIES for end in range(1, len(query) + 1)]
    started = time.perf_counter()
    for _ in range(args.rounds):
        for typed in keystrokes:
            match_places(found, typed)
    per_keystroke_ms = (time.perf_counter() - started) * 1000 / (args.rounds * len(keystrokes))
    print(
        f"intake_places places={len(found)} build_ms={build_ms:.1f} "
        f"per_keystroke_ms={per_keystroke_ms:.2f}"
    )


if __name__ == "__main__":
    main()
