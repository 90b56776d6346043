"""The whole console, headless, on a province-sized state under a 5,000 events/s feed.

A feed server in its own process (a real websockets server on loopback, the same
shape as the hub: `GET /v1/snapshot`, then `/v1/feed` frames of JSON arrays) serves a
province: the Pekalongan scenario copied `--copies` times (44 copies: ~50,000 TPS and
~55,000 units), then streams events at `--rate` per second in frames every 10 ms:
mostly `officer.position`, some full `tps.updated` / `officer.updated` records, and,
ten times a second, an update of one P1 incident whose village is a fresh marker
(`M00001`, `M00002`, ...).

The console is the real `PilkadesApp` with its real `FeedClient`, run with a terminal
driver that writes nothing anywhere but counts and timestamps what Textual would send
to the terminal (so every frame is rendered and encoded, as over SSH; colours as a
256-colour terminal gets them).

Figures:
- render_p95_ms: from the server sending a marker update to the first bytes written to
  the terminal that carry that marker (event to on screen), while the officer watches
  the incident queue;
- keypress_p95_ms: from a key posted to the app (1 2 3 4 panes, down, pagedown) to the
  first write after its effect (pane switched, cursor moved) is in place;
- bytes_per_s: terminal bytes per second while watching the queue under the feed.

`--layout desk|wall|single|auto` and `--size 200x60` run the same with several panes on
screen (the wide desk: queue, brief, alerts and map all drawing live).

    python bench/console_ui.py [--rate 5000] [--copies 44] [--watch 8] [--keys 30]
        [--layout auto] [--size 120x40]

Last line: `console_ui keypress_p95_ms=A render_p95_ms=B bytes_per_s=C`
(goals A <= 100, B <= 300, C <= 32768).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

# Fixed before Textual is imported: a 256-colour terminal, as most SSH sessions are.
os.environ.setdefault("TEXTUAL_COLOR_SYSTEM", "256")
os.environ.pop("NO_COLOR", None)

from textual import events  # noqa: E402
from textual.drivers.headless_driver import HeadlessDriver  # noqa: E402
from websockets.asyncio.server import ServerConnection, serve  # noqa: E402
from websockets.exceptions import ConnectionClosed  # noqa: E402
from websockets.http11 import Request, Response  # noqa: E402

from pilkades_tui.console.app import PilkadesApp  # noqa: E402
from pilkades_tui.console.layouts import CHOICES  # noqa: E402
from pilkades_tui.console.widgets.virtual_table import VirtualTable  # noqa: E402
from pilkades_tui.domain.clock import wib_now  # noqa: E402
from pilkades_tui.domain.events import (  # noqa: E402
    INCIDENT_UPDATED,
    OFFICER_POSITION,
    OFFICER_UPDATED,
    TPS_UPDATED,
)
from pilkades_tui.domain.models import ElectionPhase, Incident, OfficerStatus  # noqa: E402
from pilkades_tui.feed.client import ConnectionState, FeedClient  # noqa: E402
from pilkades_tui.scenario.pekalongan import build  # noqa: E402

TOKEN = "bench-token"
SEED = 2022
FRAME_S = 0.01
MARKERS_PER_S = 10
SIZE = (120, 40)
# Each changes what is on screen: a pane, or the cursor of a long list (the queue here
# holds one incident, so no cursor keys there). Wrapping round, no pane is asked for twice.
KEYS = ("1", "down", "down", "pagedown", "3", "down", "pagedown", "4", "2", "1", "pagedown", "3")


# ---- the province and its feed (server process) -------------------------------------


def province(copies: int) -> dict[str, Any]:
    """The Pekalongan scenario `copies` times over, ids and kecamatan made unique."""
    start = wib_now()
    scenario = build(SEED, start)
    phase = scenario.phase.model_copy(update={"phase": ElectionPhase.VOTING, "version": 2})
    tps: list[dict[str, Any]] = []
    officers: list[dict[str, Any]] = []
    base_tps = [record.model_dump(mode="json") for record in scenario.tps]
    base_officers = [record.model_dump(mode="json") for record in scenario.officers]
    for copy in range(copies):
        prefix = f"K{copy:02d}-"
        for record in base_tps:
            tps.append(
                {
                    **record,
                    "id": prefix + record["id"],
                    "district": f"{record['district']} {copy:02d}",
                    "officer_ids": [prefix + i for i in record["officer_ids"]],
                }
            )
        for record in base_officers:
            post = record.get("post_tps_id")
            officers.append(
                {
                    **record,
                    "id": prefix + record["id"],
                    "post_tps_id": prefix + post if post else None,
                }
            )
    place = scenario.tps[0]
    marker = Incident(
        id="INC-MARK",
        category="clash",
        priority=1,
        tps_id="K00-" + place.id,
        village="M00000",
        district=f"{place.district} 00",
        lat=place.lat,
        lon=place.lon,
        description="bench marker",
        reported_by="bench",
        reported_at=start,
        updated_at=start,
    ).model_dump(mode="json")
    return {
        "seq": 0,
        "mode": "live",
        "phase": phase.model_dump(mode="json"),
        "tps": tps,
        "incidents": [marker],
        "officers": officers,
    }


def feed_frames(snapshot: dict[str, Any], rate: int, seconds: float) -> list[tuple[str, int]]:
    """JSON frames for `seconds` of feed at `rate` events/s; each with its marker number
    (0 when the frame carries none)."""
    rng = random.Random(SEED)
    tps = snapshot["tps"]
    officers = snapshot["officers"]
    marker = dict(snapshot["incidents"][0])
    start = wib_now()
    per_frame = max(1, round(rate * FRAME_S))
    frames_per_marker = max(1, round(1 / (MARKERS_PER_S * FRAME_S)))
    frames: list[tuple[str, int]] = []
    seq = 0
    for frame_index in range(int(seconds / FRAME_S)):
        batch: list[dict[str, Any]] = []
        marker_number = 0
        for slot in range(per_frame):
            seq += 1
            moment = (start + timedelta(milliseconds=seq)).isoformat()
            if slot == 0 and frame_index % frames_per_marker == 0:
                marker_number = frame_index // frames_per_marker + 1
                marker = {
                    **marker,
                    "version": marker["version"] + 1,
                    "village": f"M{marker_number:05d}",
                    "updated_at": moment,
                }
                batch.append({"seq": seq, "ts": moment, "type": INCIDENT_UPDATED, "data": marker})
                continue
            roll = rng.random()
            if roll < 0.92:
                unit = rng.choice(officers)
                data: dict[str, Any] = {
                    "id": unit["id"],
                    "lat": round(unit["lat"] + rng.uniform(-0.005, 0.005), 6),
                    "lon": round(unit["lon"] + rng.uniform(-0.005, 0.005), 6),
                    "at": moment,
                }
                batch.append({"seq": seq, "ts": moment, "type": OFFICER_POSITION, "data": data})
            elif roll < 0.98:
                record = rng.choice(tps)
                record["version"] += 1
                record["phase"] = "voting"
                record["ballots_cast"] = min(record["voters"], record["ballots_cast"] + 3)
                record["updated_at"] = record["last_report_at"] = moment
                batch.append({"seq": seq, "ts": moment, "type": TPS_UPDATED, "data": dict(record)})
            else:
                record = rng.choice(officers)
                record["version"] += 1
                record["status"] = rng.choice(
                    [OfficerStatus.AVAILABLE.value, OfficerStatus.ESCORTING.value]
                )
                record["updated_at"] = record["status_since"] = moment
                batch.append(
                    {"seq": seq, "ts": moment, "type": OFFICER_UPDATED, "data": dict(record)}
                )
        frames.append((json.dumps(batch), marker_number))
    return frames


def serve_feed(copies: int, rate: int, seconds: float, ports: Any, sent: Any) -> None:
    """The server process: builds the province and its feed, serves until killed."""
    snapshot = province(copies)
    snapshot_json = json.dumps(snapshot)
    frames = feed_frames(snapshot, rate, seconds)
    head = 0
    hello = json.dumps({"type": "hello", "protocol": 1, "head": head, "mode": "live"})

    def http(connection: ServerConnection, request: Request) -> Response | None:
        if request.headers.get("Authorization") != f"Bearer {TOKEN}":
            return connection.respond(HTTPStatus.UNAUTHORIZED, "bad token")
        if urlsplit(request.path).path.endswith("/v1/snapshot"):
            response = connection.respond(HTTPStatus.OK, snapshot_json)
            response.headers["Content-Type"] = "application/json"
            return response
        return None

    async def feed(connection: ServerConnection) -> None:
        await connection.send(hello)
        started = time.perf_counter()
        for index, (frame, marker) in enumerate(frames):
            # Paced: frame i leaves at i * 10 ms, whatever the previous send cost.
            delay = started + index * FRAME_S - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            try:
                await connection.send(frame)
            except ConnectionClosed:
                return  # the console has quit
            if marker:
                sent.put((marker, time.time()))
        sent.put((-1, time.time()))
        await connection.wait_closed()

    async def main() -> None:
        async with serve(feed, "127.0.0.1", 0, process_request=http, max_size=None) as server:
            ports.put(server.sockets[0].getsockname()[1])
            await server.serve_forever()

    asyncio.run(main())


# ---- the console side ------------------------------------------------------------------


class CountingDriver(HeadlessDriver):
    """A terminal that keeps nothing: Textual renders and encodes every frame as for a
    real one, and we note when and how many bytes it would have written."""

    writes: list[tuple[float, int, str]] = []  # (time.time(), bytes, text)

    @property
    def is_headless(self) -> bool:
        return False

    def write(self, data: str) -> None:
        CountingDriver.writes.append((time.time(), len(data.encode("utf-8")), data))


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def first_write_after(moment: float, timeout: float = 5.0) -> float:
    deadline = time.time() + timeout
    while time.time() < deadline:
        first = None
        for stamp, _, _ in reversed(CountingDriver.writes):
            if stamp < moment:
                break
            first = stamp
        if first is not None:
            return first
        await asyncio.sleep(0.001)
    return float("nan")


def key_effect(app: PilkadesApp) -> tuple[str | None, int]:
    """What a key can change: the pane that has the keys and the cursor of the focused
    table."""
    current = app.active_pane()
    focused = app.focused
    cursor = focused.cursor if isinstance(focused, VirtualTable) else -1
    return current, cursor


async def press_and_time(app: PilkadesApp, key: str) -> float:
    before = key_effect(app)
    started = time.time()
    character = key if len(key) == 1 else None
    app.post_message(events.Key(key, character))
    deadline = started + 30.0
    while key_effect(app) == before:
        if time.time() > deadline:
            raise RuntimeError(f"key {key!r} changed nothing on screen in 30 s")
        await asyncio.sleep(0.001)
    effect_at = time.time()
    written = await first_write_after(effect_at)
    return (written - started) * 1000


async def drive(app: PilkadesApp, args: argparse.Namespace, sent: Any) -> dict[str, float]:
    feed = app.feed
    assert feed is not None
    while feed.status.state != ConnectionState.LIVE or feed.state is None:
        await asyncio.sleep(0.05)
    while len(feed.state.tps) < args.copies * 1000:
        await asyncio.sleep(0.05)
    await asyncio.sleep(1.0)  # the first full draw of a province
    app.post_message(events.Key("2", "2"))
    await asyncio.sleep(0.5)

    # Watching the queue: bytes and event-to-screen time of each marker.
    watch_start = time.time()
    first_write = len(CountingDriver.writes)
    await asyncio.sleep(args.watch)
    watch_end = time.time()
    watched = [w for w in CountingDriver.writes[first_write:] if w[0] <= watch_end]
    bytes_per_s = sum(size for _, size, _ in watched) / (watch_end - watch_start)
    shown: dict[int, float] = {}
    for stamp, _, text in watched:
        index = text.find("M0")
        while index != -1:
            token = text[index + 1 : index + 6]
            if token.isdigit():
                shown.setdefault(int(token), stamp)
            index = text.find("M0", index + 1)

    # Keys under the same feed.
    keypress: list[float] = []
    for number in range(args.keys):
        key = KEYS[number % len(KEYS)]
        keypress.append(await press_and_time(app, key))
        if args.verbose:
            print(f"key {key}: {keypress[-1]:.0f} ms, seq {feed.status.seq}", file=sys.__stderr__)
    if args.verbose:
        frames = len(watched) / (watch_end - watch_start)
        print(
            f"watching: {frames:.1f} writes/s, {bytes_per_s / max(frames, 1):.0f} B each; "
            f"largest:\n{max(watched, key=lambda w: w[1])[2]!r}",
            file=sys.__stderr__,
        )
        await asyncio.sleep(0.05)

    sent_at: dict[int, float] = {}
    while not sent.empty():
        marker, stamp = sent.get()
        sent_at[marker] = stamp
    # Markers sent in the last second of watching may reach the screen after it ended.
    watched_markers = {
        marker: stamp
        for marker, stamp in sent_at.items()
        if marker > 0 and watch_start <= stamp <= watch_end - 1.0
    }
    render = [
        (shown[marker] - stamp) * 1000
        for marker, stamp in watched_markers.items()
        if marker in shown
    ]
    missed = sum(1 for marker in watched_markers if marker not in shown)
    layout = f"{app.shown_layout.name} ({', '.join(app.visible_panes())})"
    app.exit()
    return {
        "layout": layout,
        "bytes_per_s": bytes_per_s,
        "render": render,
        "missed": missed,
        "keypress": keypress,
        "events": feed.status.events_total,
    }


def terminal_size(text: str) -> tuple[int, int]:
    columns, _, lines = text.partition("x")
    return int(columns), int(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rate", type=int, default=5000, help="events per second")
    parser.add_argument("--copies", type=int, default=44, help="Pekalongan copies (~1130 TPS)")
    parser.add_argument("--watch", type=float, default=8.0, help="seconds watching the queue")
    parser.add_argument("--keys", type=int, default=36, help="keys pressed")
    parser.add_argument("--verbose", action="store_true", help="each key's time on stderr")
    parser.add_argument("--layout", choices=CHOICES, default="auto", help="console layout")
    parser.add_argument(
        "--size", type=terminal_size, default=SIZE, help="terminal COLUMNSxLINES (120x40)"
    )
    args = parser.parse_args()

    feed_seconds = args.watch + 60.0  # the feed outlasts the keys
    context = multiprocessing.get_context("spawn")
    ports = context.Queue()
    sent = context.Queue()
    server = context.Process(
        target=serve_feed, args=(args.copies, args.rate, feed_seconds, ports, sent), daemon=True
    )
    server.start()
    try:
        port = ports.get(timeout=300)
        url = f"http://127.0.0.1:{port}"
        data = Path(tempfile.mkdtemp(prefix="console-ui-bench-"))
        feed = FeedClient(url, TOKEN)
        app = PilkadesApp(
            hub_url=url,
            token=TOKEN,
            operator="bench",
            data_dir=data,
            feed=feed,
            lang="id",
            layout=args.layout,
            config_path=data / "config.toml",
        )
        app.driver_class = CountingDriver
        results: dict[str, Any] = {}

        async def autopilot(pilot: Any) -> None:
            results.update(await drive(app, args, sent))

        started = time.perf_counter()
        asyncio.run(app.run_async(size=args.size, auto_pilot=autopilot))
        elapsed = time.perf_counter() - started
    finally:
        server.kill()
        server.join(5)

    render = results["render"]
    keypress = results["keypress"]
    print(
        f"state: {args.copies} copies of Pekalongan, feed {args.rate} events/s, "
        f"size {args.size}, layout {results['layout']}"
    )
    print(f"events applied: {results['events']} in {elapsed:.1f} s of run")
    print(
        f"render: {len(render)} markers on screen, {results['missed']} replaced by a later "
        "one before a frame (coalesced, left out); "
        f"median {statistics.median(render) if render else float('nan'):.0f} ms"
    )
    per_key = ", ".join(
        f"{KEYS[index % len(KEYS)]}={value:.0f}" for index, value in enumerate(keypress)
    )
    print(f"keypress: {len(keypress)} keys, median {statistics.median(keypress):.0f} ms: {per_key}")
    print(
        f"console_ui keypress_p95_ms={percentile(keypress, 0.95):.0f} "
        f"render_p95_ms={percentile(render, 0.95):.0f} "
        f"bytes_per_s={results['bytes_per_s']:.0f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
