"""A small test client for a real hub: httpx for commands, websockets for the feed."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
from websockets.sync.client import ClientConnection, connect

from pilkades_tui.hub.runner import HubServer


class Hub:
    """Calls a running hub as one role."""

    def __init__(self, server: HubServer, role: str = "admin") -> None:
        self.server = server
        self.role = role
        self.http = httpx.Client(
            base_url=server.url,
            headers={"Authorization": f"Bearer {server.tokens[role]}"},
            timeout=10.0,
        )

    def close(self) -> None:
        self.http.close()

    def as_role(self, role: str) -> Hub:
        return Hub(self.server, role)

    def snapshot(self) -> dict[str, Any]:
        response = self.http.get("/v1/snapshot")
        assert response.status_code == 200, response.text
        return response.json()

    def head(self) -> int:
        return int(httpx.get(f"{self.server.url}/v1/health").json()["head"])

    def send(
        self, method: str, path: str, body: Any = None, key: str | None = None
    ) -> httpx.Response:
        headers = {"Idempotency-Key": key} if key else {}
        return self.http.request(method, path, json=body, headers=headers)

    def ok(self, method: str, path: str, body: Any, key: str | None = None) -> dict[str, Any]:
        response = self.send(method, path, body, key or str(uuid.uuid4()))
        assert response.status_code in (200, 201), response.text
        answer: dict[str, Any] = response.json()
        return answer

    # ---- shortcuts ----

    def first_tps(self, risk: str | None = None) -> dict[str, Any]:
        for tps in self.snapshot()["tps"]:
            if risk is None or tps["risk"] == risk:
                return tps
        raise AssertionError(f"no TPS with risk {risk}")

    def available_officers(self, count: int) -> list[str]:
        free = [o["id"] for o in self.snapshot()["officers"] if o["status"] == "available"]
        assert len(free) >= count
        return free[:count]

    def new_incident(self, **fields: Any) -> dict[str, Any]:
        body: dict[str, Any] = {
            "category": "crowd",
            "description": "massa berkumpul",
            "reported_by": "Bhabin",
        }
        body.update(fields)
        if "tps_id" not in body and "lat" not in body:
            body["tps_id"] = self.first_tps()["id"]
        return self.ok("POST", "/v1/incidents", body)["record"]

    def act(self, incident_id: str, **body: Any) -> httpx.Response:
        return self.send("POST", f"/v1/incidents/{incident_id}/actions", body, str(uuid.uuid4()))

    def officer(self, officer_id: str) -> dict[str, Any]:
        return next(o for o in self.snapshot()["officers"] if o["id"] == officer_id)

    def incident(self, incident_id: str) -> dict[str, Any]:
        return next(i for i in self.snapshot()["incidents"] if i["id"] == incident_id)


@contextmanager
def feed(server: HubServer, since: int, role: str = "viewer", **options: Any) -> Iterator[Feed]:
    with connect(
        f"{server.ws_url}?since={since}",
        additional_headers={"Authorization": f"Bearer {server.tokens[role]}"},
        open_timeout=10,
        **options,
    ) as socket:
        yield Feed(socket)


class Feed:
    def __init__(self, socket: ClientConnection) -> None:
        self.socket = socket
        self.frames = 0
        self.array_frames = 0

    def frame(self, timeout: float = 10.0) -> Any:
        return json.loads(self.socket.recv(timeout=timeout))

    def events_until(self, seq: int, timeout: float = 20.0) -> list[dict[str, Any]]:
        """Every event up to `seq`, flattened from single and array frames."""
        events: list[dict[str, Any]] = []
        while not events or events[-1]["seq"] < seq:
            frame = self.frame(timeout)
            self.frames += 1
            if isinstance(frame, list):
                self.array_frames += 1
                events.extend(frame)
            else:
                events.append(frame)
        return events
