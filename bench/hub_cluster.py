"""Two hubs on one PostgreSQL store against one hub on SQLite, in the same run.

Each run: the hubs (`HubServer`, Pekalongan scenario, report rate limit off, access
log off), each in a process of its own; `--posters` raw HTTP/1.1 keep-alive
connections posting officer positions for `--seconds`, split evenly across the hubs;
`--consoles` raw websockets consoles, split evenly across the hubs, each following
the whole log from the head (so a console on hub B must see what hub A accepted).
The posters, consoles and figures are `bench/hub_fanout.py`'s.

One hub on SQLite, then `--hubs` hubs on a throwaway PostgreSQL server (Debian's
binaries, `pilkades_tui.hub.pg_scratch`; synchronous_commit and fsync on), then one
hub on SQLite again: every run with the same posters, seconds and consoles.

Figures: events_per_s is the accepted command rate of the cluster (answers with a
seq per second of posting); ratio_vs_sqlite is that over the mean of the two SQLite
runs' rates (one before, one after: a load on the machine that drifts during the
bench weighs on both sides alike instead of on whichever ran second); p99_ms is the
99th percentile over every console and event of frame-received minus
command-accepted on the cluster. A run whose consoles missed an event says so.

    python bench/hub_cluster.py [--seconds 6] [--posters 12] [--consoles 10] [--hubs 2]

Last line: `hub_cluster hubs=2 events_per_s=N ratio_vs_sqlite=R p99_ms=M` (goal on 2
cores: R >= 0.8, M <= 250).
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import tempfile
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import httpx
from hub_fanout import IDLE_TIMEOUT, percentile, post_positions, start_consoles

from pilkades_tui.hub.pg_scratch import ScratchPostgres
from pilkades_tui.hub.runner import HubServer


def serve_hub(
    data_dir: str, store: str | None, tokens: dict[str, str] | None, pipe: Connection
) -> None:
    with HubServer(
        Path(data_dir), report_rate=0, access_log=False, store=store, tokens=tokens
    ) as hub:
        pipe.send((hub.url, hub.ws_url, hub.tokens))
        pipe.recv()  # until told to stop


@dataclass(frozen=True, slots=True)
class Figures:
    accepted_per_s: float
    p99_ms: float
    complete: bool


def run(context: Any, args: argparse.Namespace, hubs: int, store: str | None) -> Figures:
    with tempfile.TemporaryDirectory() as folder:
        processes: list[tuple[Any, Connection]] = []
        addresses: list[tuple[str, str]] = []
        tokens: dict[str, str] | None = None
        for index in range(hubs):
            pipe, end = context.Pipe()
            process = context.Process(
                target=serve_hub, args=(f"{folder}/hub{index}", store, tokens, end), daemon=True
            )
            process.start()
            url, ws_url, tokens = pipe.recv()
            processes.append((process, pipe))
            addresses.append((url, ws_url))
        assert tokens is not None
        viewer = {"Authorization": f"Bearer {tokens['viewer']}"}
        snapshot = httpx.get(f"{addresses[0][0]}/v1/snapshot", headers=viewer, timeout=30).json()
        officers = [officer["id"] for officer in snapshot["officers"]]
        head = snapshot["seq"]
        consoles = [
            start_consoles(context, f"{ws_url}?since={head}", viewer, max(1, args.consoles // hubs))
            for _, ws_url in addresses
        ]
        accepted: dict[int, float] = {}
        ports = [int(url.rsplit(":", 1)[1]) for url, _ in addresses]

        async def post_all() -> None:
            await asyncio.gather(
                *(
                    post_positions(
                        ports[index % hubs], tokens["reporter"], officers, args.seconds, accepted
                    )
                    for index in range(args.posters)
                )
            )

        started = time.monotonic()
        asyncio.run(post_all())
        posting = time.monotonic() - started
        results = []
        for _, _, final in consoles:
            final.value = max(accepted)
        for process, results_pipe, _ in consoles:
            results.extend(results_pipe.recv())
            process.join(IDLE_TIMEOUT)
        for process, pipe in processes:
            pipe.send("stop")
            process.join(30)
    latencies = [
        max(0.0, arrived - accepted[seq]) * 1000
        for arrivals, _, _ in results
        for seq, arrived in arrivals.items()
        if seq in accepted
    ]
    complete = all(len(arrivals) >= max(accepted) - head for arrivals, _, _ in results)
    return Figures(len(accepted) / posting, percentile(latencies, 0.99), complete)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=6.0)
    parser.add_argument("--posters", type=int, default=12)
    parser.add_argument("--consoles", type=int, default=10)
    parser.add_argument("--hubs", type=int, default=2)
    args = parser.parse_args()
    context = multiprocessing.get_context("spawn")

    def sqlite_run(when: str) -> Figures:
        figures = run(context, args, 1, None)
        print(
            f"1 hub on SQLite ({when}): {figures.accepted_per_s:.0f} accepted/s, "
            f"p99 {figures.p99_ms:.0f} ms, every console got every event: {figures.complete}"
        )
        return figures

    before = sqlite_run("before")
    with ScratchPostgres() as server:
        cluster = run(context, args, args.hubs, server.create_database("bench"))
    print(
        f"{args.hubs} hubs on PostgreSQL: {cluster.accepted_per_s:.0f} accepted/s, "
        f"p99 {cluster.p99_ms:.0f} ms, every console got every event: {cluster.complete}"
    )
    after = sqlite_run("after")
    ratio = cluster.accepted_per_s / ((before.accepted_per_s + after.accepted_per_s) / 2)
    print(
        f"hub_cluster hubs={args.hubs} events_per_s={cluster.accepted_per_s:.0f} "
        f"ratio_vs_sqlite={ratio:.2f} p99_ms={cluster.p99_ms:.0f}"
    )


if __name__ == "__main__":
    main()
