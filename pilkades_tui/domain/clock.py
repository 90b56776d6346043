"""Time in WIB. Domain code takes `now` as an argument; only callers at the edges
(hub, console, simulator) read the wall clock, through `wib_now`."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

WIB = timezone(timedelta(hours=7), "WIB")


def wib_now() -> datetime:
    # Millisecond precision keeps RFC 3339 strings short and stable across JSON round trips.
    now = datetime.now(WIB)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


def to_wib(value: datetime) -> datetime:
    return value.astimezone(WIB)
