"""Fault test: SIGKILL the hub process under a write load, restart it on the same data
folder. Every acknowledged command is in the log, the seq has no gap, a command whose
answer was lost takes effect exactly once when retried with its key, and a feed
client resumes from its last seq."""

from __future__ import annotations

import json
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from pilkades_tui.hub.log import EventLogReader, SqliteLog
from pilkades_tui.hub.runner import HubProcess
from pilkades_tui.paths import hub_log_file

pytestmark = pytest.mark.timeout(90)

WRITERS = 3


class Writer(threading.Thread):
    """Reports incidents as fast as the hub answers; remembers what was acknowledged
    and what was sent without an answer."""

    def __init__(self, hub: HubProcess, tps_id: str) -> None:
        super().__init__(daemon=True)
        self.hub = hub
        self.tps_id = tps_id
        self.acknowledged: dict[str, int] = {}  # key -> seq of the answer
        self.unanswered: dict[str, dict[str, Any]] = {}
        self.stop = threading.Event()

    def body(self, key: str) -> dict[str, Any]:
        return {
            "category": "other",
            "description": key,
            "reported_by": "uji",
            "tps_id": self.tps_id,
        }

    def run(self) -> None:
        headers = {"Authorization": f"Bearer {self.hub.tokens['reporter']}"}
        with httpx.Client(base_url=self.hub.url, headers=headers, timeout=5.0) as client:
            while not self.stop.is_set():
                key = str(uuid.uuid4())
                try:
                    response = client.post(
                        "/v1/incidents", json=self.body(key), headers={"Idempotency-Key": key}
                    )
                except httpx.TransportError:
                    self.unanswered[key] = self.body(key)
                    return
                assert response.status_code == 201, response.text
                self.acknowledged[key] = response.json()["seq"]


def test_sigkill_under_load_loses_nothing_acknowledged(tmp_path: Path) -> None:
    data = tmp_path / "killed"
    hub = HubProcess(data, extra_args=["--report-rate", "0"]).start()
    try:
        snapshot = httpx.get(
            f"{hub.url}/v1/snapshot", headers={"Authorization": f"Bearer {hub.tokens['viewer']}"}
        ).json()
        tps_id = snapshot["tps"][0]["id"]
        with connect(
            f"{hub.ws_url}?since={snapshot['seq']}",
            additional_headers={"Authorization": f"Bearer {hub.tokens['viewer']}"},
        ) as follower:
            follower.recv(timeout=10)  # hello
            writers = [Writer(hub, tps_id) for _ in range(WRITERS)]
            for writer in writers:
                writer.start()
            time.sleep(1.5)
            last_seen = snapshot["seq"]
            while last_seen < snapshot["seq"] + 20:
                frame = json.loads(follower.recv(timeout=10))
                last_seen = (frame[-1] if isinstance(frame, list) else frame)["seq"]
            hub.kill()
            for writer in writers:
                writer.stop.set()
                writer.join(timeout=10)
            with pytest.raises(ConnectionClosed):
                while True:
                    follower.recv(timeout=10)
    finally:
        hub.kill()

    acknowledged = {key: seq for w in writers for key, seq in w.acknowledged.items()}
    assert len(acknowledged) > 20
    with EventLogReader(data) as reader:
        logged = {e.seq: e for e in reader.iter_events(since=snapshot["seq"])}
    for key, seq in acknowledged.items():
        assert logged[seq].data.description == key  # durable before the answer

    restarted = HubProcess(data, port=hub.port, tokens=hub.tokens).start()
    try:
        log = SqliteLog(hub_log_file(data))
        count, first, head = log.integrity()
        log.close()
        assert (count, first) == (head, 1)  # no gap

        # A command whose answer was lost is retried with its key: it lands once.
        headers = {"Authorization": f"Bearer {hub.tokens['reporter']}"}
        with httpx.Client(base_url=restarted.url, headers=headers) as client:
            for writer in writers:
                for key, body in writer.unanswered.items():
                    for _ in range(2):
                        answer = client.post(
                            "/v1/incidents", json=body, headers={"Idempotency-Key": key}
                        )
                        assert answer.status_code == 201
        viewer = {"Authorization": f"Bearer {hub.tokens['viewer']}"}
        incidents = httpx.get(f"{restarted.url}/v1/snapshot", headers=viewer).json()["incidents"]
        descriptions = [incident["description"] for incident in incidents]
        assert len(descriptions) == len(set(descriptions))
        unanswered = {key for w in writers for key in w.unanswered}
        assert set(acknowledged) | unanswered <= set(descriptions)

        # The console resumes from the last seq it saw.
        with connect(f"{restarted.ws_url}?since={last_seen}", additional_headers=viewer) as ws:
            hello = json.loads(ws.recv(timeout=10))
            assert hello["type"] == "hello" and hello["head"] >= head
            seqs: list[int] = []
            while not seqs or seqs[-1] < hello["head"]:
                frame = json.loads(ws.recv(timeout=10))
                seqs += [e["seq"] for e in (frame if isinstance(frame, list) else [frame])]
            assert seqs == list(range(last_seen + 1, hello["head"] + 1))
    finally:
        restarted.terminate()
