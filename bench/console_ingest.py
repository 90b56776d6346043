"""How fast the console's feed client takes in the hub's feed, against plain websockets.

A server process (a real websockets server on loopback, its own core) serves the
Pekalongan scenario's snapshot over HTTP and, over the feed, the same pre-built
events in two shapes:

- `single`: one event per text frame, the shape of a feed with no batching;
- `batched`: JSON arrays of `--batch` events per frame, the way the hub batches under
  load (`/v1/feed` frames may hold an array; see PROTOCOL.md). The default, 500, is
  the hub's own cap per frame (`hub.feed.FRAME_MAX_EVENTS`), which it reaches when
  replaying a backlog or when events pile up faster than a console reads them.

The events are realistic for an election day: 90% `officer.position` (a fix from one
of the scenario's 930 units), the rest full `tps.updated`, `officer.updated` and
`incident.updated` records with a growing `version`, in one unbroken seq order.

Two clients read them, alternately, `--rounds` times each, in the same run:

- raw: `websockets.asyncio.client.connect` reading the single frames with `recv()`
  and counting them, nothing else: the cost of the transport alone;
- ours: `FeedClient` with its `ElectionState`, reading the batched frames: snapshot
  over httpx, then every frame parsed and validated (`parse_feed_frame`), applied with
  `apply_many`, with an `on_changes` callback per frame, as the console runs it
  without a UI.

Each is timed from the hello frame to the last event in hand (ours: applied). The
figure is the median of the rounds; ratio_vs_raw = ours / raw, so a ratio at or above
1.0 means that batching pays for parsing and applying everything with room to spare.

    python bench/console_ingest.py [--events N] [--batch B] [--rounds R]

Last line: `console_ingest events_per_s=N ratio_vs_raw=R` (goal: R >= 1.0).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import random
import statistics
import sys
import time
from datetime import timedelta
from http import HTTPStatus
from typing import Any
from urllib.parse import urlsplit

from websockets.asyncio.client import connect
from websockets.asyncio.server import ServerConnection, serve
from websockets.http11 import Request, Response

from pilkades_tui.domain.clock import wib_now
from pilkades_tui.domain.events import (
    INCIDENT_UPDATED,
    OFFICER_POSITION,
    OFFICER_UPDATED,
    TPS_UPDATED,
)
from pilkades_tui.domain.models import Category, Incident, OfficerStatus, Snapshot, TpsPhase
from pilkades_tui.domain.state import Changes
from pilkades_tui.feed.client import FeedClient
from pilkades_tui.scenario.pekalongan import build

TOKEN = "bench-token"
SEED = 2022
OPEN_INCIDENTS = 60


def build_day(events: int) -> tuple[str, list[dict[str, Any]]]:
    """The snapshot JSON and `events` wire events following it."""
    rng = random.Random(SEED)
    start = wib_now()
    scenario = build(SEED, start)
    officers = [o.model_dump(mode="json") for o in scenario.officers]
    tps = [t.model_dump(mode="json") for t in scenario.tps]
    incidents = []
    for number in range(OPEN_INCIDENTS):
        place = rng.choice(scenario.tps)
        incidents.append(
            Incident(
                id=f"INC-{number:04d}",
                category=rng.choice(list(Category)),
                priority=rng.randint(1, 4),
                tps_id=place.id,
                village=place.village,
                district=place.district,
                lat=place.lat,
                lon=place.lon,
                description="laporan warga",
                reported_by="bench",
                reported_at=start,
                updated_at=start,
            ).model_dump(mode="json")
        )
    phase = scenario.phase.model_dump(mode="json")
    snapshot = {
        "seq": 0,
        "mode": "live",
        "phase": phase,
        "tps": tps,
        "incidents": incidents,
        "officers": officers,
    }
    Snapshot.model_validate(snapshot)  # the bench must feed valid data
    wire: list[dict[str, Any]] = []
    for index in range(events):
        seq = index + 1
        moment = (start + timedelta(milliseconds=20 * seq)).isoformat()
        roll = rng.random()
        if roll < 0.90:
            unit = rng.choice(officers)
            kind = OFFICER_POSITION
            data: dict[str, Any] = {
                "id": unit["id"],
                "lat": round(unit["lat"] + rng.uniform(-0.01, 0.01), 6),
                "lon": round(unit["lon"] + rng.uniform(-0.01, 0.01), 6),
                "at": moment,
            }
        elif roll < 0.95:
            record = rng.choice(tps)
            record["version"] += 1
            record["phase"] = rng.choice(list(TpsPhase)).value
            record["ballots_cast"] = min(record["voters"], record["ballots_cast"] + 7)
            record["updated_at"] = record["last_report_at"] = moment
            kind, data = TPS_UPDATED, dict(record)
        elif roll < 0.98:
            record = rng.choice(officers)
            record["version"] += 1
            record["status"] = rng.choice(list(OfficerStatus)).value
            record["updated_at"] = record["status_since"] = moment
            kind, data = OFFICER_UPDATED, dict(record)
        else:
            record = rng.choice(incidents)
            record["version"] += 1
            record["timeline"] = [
                *record["timeline"][-4:],
                {"at": moment, "by": "piket", "action": "note", "note": "pantau"},
            ]
            record["updated_at"] = moment
            kind, data = INCIDENT_UPDATED, {**record, "timeline": list(record["timeline"])}
        wire.append({"seq": seq, "ts": moment, "type": kind, "data": data})
    return json.dumps(snapshot), wire


def serve_forever(events: int, batch: int, ports: Any) -> None:
    """The server process: builds the frames, then serves until killed."""
    snapshot, wire = build_day(events)
    single = [json.dumps(event) for event in wire]
    batched = [json.dumps(wire[start : start + batch]) for start in range(0, len(wire), batch)]
    hello = json.dumps({"type": "hello", "protocol": 1, "head": events, "mode": "live"})

    def http(connection: ServerConnection, request: Request) -> Response | None:
        if request.headers.get("Authorization") != f"Bearer {TOKEN}":
            return connection.respond(HTTPStatus.UNAUTHORIZED, "bad token")
        if urlsplit(request.path).path.endswith("/v1/snapshot"):
            response = connection.respond(HTTPStatus.OK, snapshot)
            response.headers["Content-Type"] = "application/json"
            return response
        return None

    async def feed(connection: ServerConnection) -> None:
        frames = batched if connection.request.path.startswith("/batched/") else single
        await connection.send(hello)
        for frame in frames:
            await connection.send(frame)
        await connection.wait_closed()

    async def main() -> None:
        async with serve(feed, "127.0.0.1", 0, process_request=http, max_size=None) as server:
            ports.put(server.sockets[0].getsockname()[1])
            await server.serve_forever()

    asyncio.run(main())


async def raw_round(port: int, events: int) -> float:
    url = f"ws://127.0.0.1:{port}/single/v1/feed?since=0"
    async with connect(url, additional_headers={"Authorization": f"Bearer {TOKEN}"}) as ws:
        await ws.recv()  # hello
        started = time.perf_counter()
        received = 0
        while received < events:
            await ws.recv()
            received += 1
        return events / (time.perf_counter() - started)


async def our_round(port: int, events: int) -> float:
    done = asyncio.Event()
    marks: dict[str, float] = {}
    client: FeedClient

    def on_changes(changes: Changes) -> None:
        state = client.state
        if state is not None and state.seq >= events:
            marks["end"] = time.perf_counter()
            done.set()

    def on_status(status: Any) -> None:
        if status.state == "live" and "start" not in marks:
            marks["start"] = time.perf_counter()

    client = FeedClient(
        f"http://127.0.0.1:{port}/batched", TOKEN, on_changes=on_changes, on_status=on_status
    )
    task = asyncio.create_task(client.run())
    await asyncio.wait_for(done.wait(), 120)
    await client.close()
    await task
    if client.status.bad_frames or client.status.resyncs or client.status.events_total != events:
        raise SystemExit(f"feed client did not take the feed cleanly: {client.status}")
    return events / (marks["end"] - marks["start"])


async def measure(port: int, events: int, rounds: int) -> tuple[list[float], list[float]]:
    raw: list[float] = []
    ours: list[float] = []
    for _ in range(rounds):
        raw.append(await raw_round(port, events))
        ours.append(await our_round(port, events))
    return raw, ours


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=500, help="events per batched frame")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    context = multiprocessing.get_context("spawn")
    ports = context.Queue()
    server = context.Process(
        target=serve_forever, args=(args.events, args.batch, ports), daemon=True
    )
    server.start()
    try:
        port = ports.get(timeout=120)
        raw, ours = asyncio.run(measure(port, args.events, args.rounds))
    finally:
        server.terminate()
        server.join(5)
    raw_rate = statistics.median(raw)
    our_rate = statistics.median(ours)
    print(f"events={args.events} batch={args.batch} rounds={args.rounds}", file=sys.stderr)
    print("raw websockets, 1 event/frame, recv only: " + " ".join(f"{r:.0f}" for r in raw))
    print(f"feed client + state, {args.batch}/frame: " + " ".join(f"{r:.0f}" for r in ours))
    print(f"console_ingest events_per_s={our_rate:.0f} ratio_vs_raw={our_rate / raw_rate:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
