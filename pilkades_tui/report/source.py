"""Where the report's events come from: a hub's log file, or a running hub's feed.

Both yield `Event`s one at a time. From a file the hub's own read-only
`EventLogReader` pages through the log in batches; `officer.position` rows (most of
a day's log, and no figure needs them) are passed over by their stored type without
parsing their JSON. From a hub the feed is read from seq 0 until the head the
hello announced, then closed.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from pilkades_tui.domain.events import (
    OFFICER_POSITION,
    Event,
    ProtocolError,
    parse_event,
    parse_frame,
)
from pilkades_tui.domain.models import Phase
from pilkades_tui.hub.log import GEOGRAPHY, EventLogReader, LogError
from pilkades_tui.paths import hub_log_file
from pilkades_tui.report.figures import ReportError
from pilkades_tui.scenario.geography import Geography, GeographyError, packaged

SKIPPED_TYPES = frozenset({OFFICER_POSITION})
FEED_TIMEOUT_S = 30.0

Progress = Callable[[int, int], None]  # (read, total)


class ProgressBar:
    """A one-line bar on stderr, redrawn at most ten times a second. Only on a terminal:
    a report run from cron or a pipe keeps its stderr for real messages."""

    def __init__(self, label: str, stream: TextIO | None = None, width: int = 30) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = self.stream.isatty()
        self.label = label
        self.width = width
        self._drawn_at = 0.0
        self._drawn = False

    def __call__(self, read: int, total: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self._drawn_at < 0.1 and read < total:
            return
        self._drawn_at = now
        share = min(read / total, 1.0) if total else 1.0
        filled = int(share * self.width)
        bar = "█" * filled + "·" * (self.width - filled)
        self.stream.write(f"\r{self.label} [{bar}] {share:4.0%} {read:,}/{total:,}")
        self.stream.flush()
        self._drawn = True

    def done(self) -> None:
        if self._drawn:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()


class FileSource:
    """The log of a data folder, read-only (safe beside a running hub); or, given a
    PostgreSQL DSN (`--store`), the log the hubs share there."""

    def __init__(self, data_dir: Path, store: str | None = None) -> None:
        path: Path | str = hub_log_file(data_dir)
        if store is not None:
            from pilkades_tui.hub.store import safe_dsn

            path = safe_dsn(store)
        elif not hub_log_file(data_dir).is_file():
            raise ReportError(f"no hub log at {path} (is --data the hub's data folder?)")
        try:
            self._reader = open_log_reader(data_dir, store)
            self.head = self._reader.head()
            self.initial_phase: Phase | None = self._reader.initial_phase()
            self.exercise = self._reader.exercise()
            self.geography = _stored_geography(self._reader.meta(GEOGRAPHY))
        except (LogError, sqlite3.Error) as error:
            raise ReportError(f"cannot read the hub log {path}: {error}") from None
        self.path = path

    def close(self) -> None:
        self._reader.close()

    def events(self, progress: Progress | None = None) -> Iterator[Event]:
        total = self.head
        read = 0
        try:
            for logged in self._reader.iter_raw(batch=5000):
                read += 1
                if progress is not None and read % 5000 == 0:
                    progress(read, total)
                if logged.type in SKIPPED_TYPES:
                    continue
                try:
                    event = parse_event(json.loads(logged.json), f"log seq {logged.seq}")
                except (ValueError, ProtocolError) as error:
                    raise ReportError(
                        f"the hub log {self.path} is unreadable at seq {logged.seq}: {error}"
                    ) from None
                if event is not None:
                    yield event
        except (sqlite3.Error, LogError) as error:
            raise ReportError(f"cannot read the hub log {self.path}: {error}") from None
        if progress is not None:
            progress(read, total)


def open_log_reader(data_dir: Path, store: str | None) -> EventLogReader:
    """The SQLite file's reader, or the shared store's (psycopg imported only then)."""
    if store is None:
        return EventLogReader(data_dir)
    from pilkades_tui.hub.postgres import PgLogReader

    return PgLogReader(store)


def replay_hub(
    url: str, token: str, sink: Callable[[Event], None], progress: Progress | None = None
) -> HubReplay:
    """Replay a running hub's log through its feed, from seq 0 to the head its hello
    announced, handing each event to `sink` as it arrives. Returns the snapshot's phase
    (the feed does not carry the phase before event 1)."""
    return asyncio.run(_read_feed(url, token, sink, progress))


@dataclass(frozen=True, slots=True)
class HubReplay:
    phase: Phase | None  # the snapshot's phase (the feed lacks the one before event 1)
    exercise: bool  # the hub runs a drill


async def _read_feed(
    url: str, token: str, sink: Callable[[Event], None], progress: Progress | None
) -> HubReplay:
    import httpx
    import websockets

    base = url.rstrip("/")
    headers = {"Authorization": f"Bearer {token}"}
    try:
        async with httpx.AsyncClient(base_url=base, headers=headers, timeout=10.0) as client:
            answer = await client.get("/v1/snapshot")
    except httpx.HTTPError as error:
        raise ReportError(f"cannot reach the hub at {base}: {error}") from None
    if answer.status_code in (401, 403):
        raise ReportError(f"the hub at {base} refused the token ({answer.status_code})")
    if answer.status_code != 200:
        raise ReportError(f"the hub at {base} answered {answer.status_code} to a snapshot")
    snapshot = answer.json()
    phase = _phase_of(snapshot)
    exercise = isinstance(snapshot, dict) and snapshot.get("mode") == "exercise"
    feed_url = "ws" + base.removeprefix("http") + "/v1/feed?since=0"
    last = 0
    try:
        async with websockets.connect(
            feed_url, additional_headers=headers, max_size=None, open_timeout=10
        ) as socket:
            head: int | None = None
            while head is None or last < head:
                text = await asyncio.wait_for(socket.recv(), FEED_TIMEOUT_S)
                frame = parse_frame(text)
                if frame.reset is not None:
                    raise ReportError(
                        f"the hub at {base} no longer keeps its log from seq 1 "
                        f"(reset to {frame.reset.head}); run the report on its data folder"
                    )
                if frame.hello is not None:
                    head = frame.hello.head
                    continue
                for event in frame.events:
                    if head is not None and event.seq > head:
                        break
                    last = event.seq
                    if event.type not in SKIPPED_TYPES:
                        sink(event)
                if progress is not None and head:
                    progress(min(last, head), head)
    except (OSError, TimeoutError, websockets.WebSocketException) as error:
        raise ReportError(f"the feed of the hub at {base} failed: {error}") from None
    except ProtocolError as error:
        raise ReportError(f"the hub at {base} sent something unreadable: {error}") from None
    return HubReplay(phase, exercise)


def _phase_of(snapshot: object) -> Phase | None:
    if isinstance(snapshot, dict) and isinstance(snapshot.get("phase"), dict):
        try:
            return Phase.model_validate(snapshot["phase"])
        except ValueError:
            return None
    return None


def _stored_geography(text: str | None) -> Geography:
    """The log's own places; a log from before scenario folders ran the packaged ones."""
    if text is None:
        return packaged()
    try:
        return Geography.from_geojson(text)
    except GeographyError as error:
        raise ReportError(f"the geography stored in the hub log is unreadable: {error}") from None


def hub_geography(url: str, token: str) -> Geography:
    """The running hub's places (GET /v1/geography), through the feed client's fetch."""
    from pilkades_tui.feed.geography import GeographyUnavailable, fetch_geography

    try:
        return asyncio.run(fetch_geography(url, token, timeout=FEED_TIMEOUT_S))
    except (GeographyUnavailable, ValueError) as error:
        raise ReportError(str(error)) from None
