"""Hub fan-out: reports over HTTP in, the feed out to 20 consoles.

Three processes, so the hub has a core of its own as in production:

- the hub (`HubServer`, Pekalongan scenario, report rate limit off, access log off);
- the consoles: `--consoles` raw websockets clients (websockets.asyncio) following
  `/v1/feed` from the head, parsing each frame (single event or array) to note when
  each seq arrived;
- this process: `--posters` raw HTTP/1.1 keep-alive connections posting officer
  positions (`POST /v1/officers/{id}/position`, one event each) for `--seconds`,
  noting when each answer (with its seq) came back.

Figures: events_per_s is the rate each console received (median console: events
received / time from its first to its last); hub_cpu_us_per_event is the hub
process's CPU time while the posters ran, per accepted report; p99_ms is the 99th
percentile over all consoles and events of frame-received minus report-accepted
(CLOCK_MONOTONIC is one clock for all processes; an event that reached a console
before its HTTP answer reached the poster counts as 0 ms).

The ceiling: in the same run, a plain websockets server broadcasts the same number
of pre-built position events, one per frame, to the same consoles as fast as it can;
its per-console rate is what the transport alone allows on this machine.

    python bench/hub_fanout.py [--seconds 6] [--posters 12] [--consoles 20]

Last line: `hub_fanout consoles=20 events_per_s=N p99_ms=M ...` (goal on 2 cores:
N >= 2000, M <= 250).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import random
import statistics
import tempfile
import time
from multiprocessing.connection import Connection
from multiprocessing.sharedctypes import Synchronized
from pathlib import Path
from typing import Any

import httpx
from websockets.asyncio.client import connect
from websockets.asyncio.server import ServerConnection, broadcast, serve

from pilkades_tui.domain.clock import wib_now
from pilkades_tui.hub.runner import HubServer

IDLE_TIMEOUT = 15.0


# ---- the hub process ----------------------------------------------------------------


def serve_hub(data_dir: str, pipe: Connection) -> None:
    with HubServer(Path(data_dir), report_rate=0, access_log=False) as hub:
        pipe.send((hub.url, hub.ws_url, hub.tokens))
        pipe.recv()  # the posters start
        started = time.process_time()
        pipe.recv()  # until told to stop
        pipe.send(time.process_time() - started)


# ---- the consoles process -------------------------------------------------------------


async def follow(
    url: str, headers: dict[str, str], final: Synchronized[int]
) -> tuple[dict[int, float], float, float]:
    arrivals: dict[int, float] = {}
    first = last = 0.0
    async with connect(url, additional_headers=headers, max_size=None, max_queue=None) as ws:
        await ws.recv()  # hello
        top = 0
        while True:
            try:
                message = await asyncio.wait_for(ws.recv(), 0.5)
            except TimeoutError:
                if 0 < final.value <= top:
                    break
                continue
            now = time.monotonic()
            frame = json.loads(message)
            events = frame if isinstance(frame, list) else [frame]
            for event in events:
                arrivals[event["seq"]] = now
            top = events[-1]["seq"]
            first = first or now
            last = now
            if 0 < final.value <= top:
                break
    return arrivals, first, last


def run_consoles(
    url: str,
    headers: dict[str, str],
    consoles: int,
    final: Synchronized[int],
    ready: Any,
    pipe: Connection,
) -> None:
    async def main() -> list[tuple[dict[int, float], float, float]]:
        tasks = [asyncio.create_task(follow(url, headers, final)) for _ in range(consoles)]
        await asyncio.sleep(0.5)  # every console connected and past hello
        ready.set()
        return await asyncio.gather(*tasks)

    pipe.send(asyncio.run(main()))


# ---- the raw websockets ceiling ------------------------------------------------------


def serve_raw(frames: list[str], consoles: int, pipe: Connection) -> None:
    async def main() -> None:
        connected: set[ServerConnection] = set()
        all_in = asyncio.Event()

        async def handler(connection: ServerConnection) -> None:
            await connection.send(json.dumps({"type": "hello", "protocol": 1, "head": 0}))
            connected.add(connection)
            if len(connected) == consoles:
                all_in.set()
            await connection.wait_closed()

        async with serve(handler, "127.0.0.1", 0, compression=None, max_queue=None) as server:
            port = next(iter(server.sockets)).getsockname()[1]
            pipe.send(port)
            await all_in.wait()
            await asyncio.sleep(0.3)
            for index, frame in enumerate(frames):
                broadcast(connected, frame)
                if index % 50 == 0:
                    await asyncio.sleep(0)  # let the transports write
            while any(c.transport.get_write_buffer_size() for c in connected):
                await asyncio.sleep(0.01)
            await asyncio.sleep(1.0)

    asyncio.run(main())


def position_frames(count: int) -> list[str]:
    rng = random.Random(7)
    now = wib_now().isoformat()
    return [
        json.dumps(
            {
                "seq": seq,
                "ts": now,
                "type": "officer.position",
                "data": {
                    "id": f"KJN-{rng.randrange(1, 400):03d}",
                    "lat": -7.0 + rng.random() / 10,
                    "lon": 109.6 + rng.random() / 10,
                    "at": now,
                },
            },
            separators=(",", ":"),
        )
        for seq in range(1, count + 1)
    ]


# ---- this process: posters, then the figures -----------------------------------------


async def post_positions(
    port: int, token: str, officers: list[str], seconds: float, accepted: dict[int, float]
) -> None:
    """One keep-alive HTTP/1.1 connection posting positions back to back. Written on
    asyncio streams rather than httpx: the bench measures the hub, and an HTTP client
    library would spend as much CPU per request as the hub does, on the same 2 cores."""
    rng = random.Random()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            officer = rng.choice(officers)
            body = json.dumps(
                {"lat": -7.0 + rng.random() / 10, "lon": 109.6 + rng.random() / 10}
            ).encode()
            head = (
                f"POST /v1/officers/{officer}/position HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                f"Authorization: Bearer {token}\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\n\r\n"
            )
            writer.write(head.encode() + body)
            status, answer = await read_response(reader)
            if status == 200:
                accepted[json.loads(answer)["seq"]] = time.monotonic()
    finally:
        writer.close()
        await writer.wait_closed()


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    """Status and body of one HTTP/1.1 response with a Content-Length (the hub's kind)."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-length":
            length = int(value)
    return status, await reader.readexactly(length)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def start_consoles(
    context: Any, url: str, headers: dict[str, str], consoles: int
) -> tuple[Any, Connection, Synchronized[int]]:
    final: Synchronized[int] = context.Value("q", 0)
    ready = context.Event()
    receive, send = context.Pipe(duplex=False)
    process = context.Process(
        target=run_consoles, args=(url, headers, consoles, final, ready, send), daemon=True
    )
    process.start()
    if not ready.wait(30):
        raise RuntimeError("the consoles did not connect")
    return process, receive, final


def per_console_rates(results: list[tuple[dict[int, float], float, float]]) -> list[float]:
    return [len(arrivals) / (last - first) for arrivals, first, last in results if last > first]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=6.0)
    parser.add_argument("--posters", type=int, default=12)
    parser.add_argument("--consoles", type=int, default=20)
    args = parser.parse_args()
    context = multiprocessing.get_context("spawn")

    with tempfile.TemporaryDirectory() as data_dir:
        hub_pipe, hub_end = context.Pipe()
        hub = context.Process(target=serve_hub, args=(data_dir, hub_end), daemon=True)
        hub.start()
        url, ws_url, tokens = hub_pipe.recv()
        port = int(url.rsplit(":", 1)[1])
        viewer = {"Authorization": f"Bearer {tokens['viewer']}"}
        snapshot = httpx.get(f"{url}/v1/snapshot", headers=viewer, timeout=30).json()
        officers = [officer["id"] for officer in snapshot["officers"]]
        head = snapshot["seq"]

        consoles, results_pipe, final = start_consoles(
            context, f"{ws_url}?since={head}", viewer, args.consoles
        )
        accepted: dict[int, float] = {}

        async def post_all() -> None:
            await asyncio.gather(
                *(
                    post_positions(port, tokens["reporter"], officers, args.seconds, accepted)
                    for _ in range(args.posters)
                )
            )

        hub_pipe.send("go")
        started = time.monotonic()
        asyncio.run(post_all())
        posting = time.monotonic() - started
        final.value = max(accepted)
        results = results_pipe.recv()
        consoles.join(IDLE_TIMEOUT)
        hub_pipe.send("stop")
        hub_cpu = float(hub_pipe.recv())
        hub.join(30)

    rates = per_console_rates(results)
    latencies = [
        max(0.0, arrived - accepted[seq]) * 1000
        for arrivals, _, _ in results
        for seq, arrived in arrivals.items()
        if seq in accepted
    ]
    complete = all(len(arrivals) >= final.value - head for arrivals, _, _ in results)
    hub_rate = statistics.median(rates)
    p99 = percentile(latencies, 0.99)
    print(f"reports accepted: {len(accepted)} in {posting:.1f} s ({len(accepted) / posting:.0f}/s)")
    print(f"every console got every event: {complete}")
    print(f"hub feed per console: median {hub_rate:.0f} ev/s, min {min(rates):.0f} ev/s")
    print(
        f"report-accepted -> frame-received: p50 {percentile(latencies, 0.5):.1f} ms, "
        f"p99 {p99:.1f} ms, max {max(latencies):.1f} ms"
    )

    # The ceiling: the same number of position events, raw websockets, one per frame.
    frames = position_frames(max(len(accepted), 5000))
    raw_pipe, raw_end = context.Pipe()
    raw = context.Process(target=serve_raw, args=(frames, args.consoles, raw_end), daemon=True)
    raw.start()
    port = raw_pipe.recv()
    consoles, results_pipe, final = start_consoles(
        context, f"ws://127.0.0.1:{port}/", {}, args.consoles
    )
    final.value = len(frames)
    raw_results = results_pipe.recv()
    consoles.join(IDLE_TIMEOUT)
    raw.join(IDLE_TIMEOUT)
    raw_rate = statistics.median(per_console_rates(raw_results))
    print(f"raw websockets broadcast ceiling per console: median {raw_rate:.0f} ev/s")
    # CPU per event: the hub's own cost (HTTP in, log, fan-out), which other load on the
    # machine changes much less than it changes the rates.
    cpu_us = hub_cpu / len(accepted) * 1e6
    print(
        f"hub_fanout consoles={args.consoles} events_per_s={hub_rate:.0f} p99_ms={p99:.0f} "
        f"raw_ceiling_events_per_s={raw_rate:.0f} hub_cpu_us_per_event={cpu_us:.0f}"
    )


if __name__ == "__main__":
    main()
