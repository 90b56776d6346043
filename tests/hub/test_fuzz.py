"""Fuzz every endpoint of a real hub with random and mutated bodies (hypothesis): never
a 500, every error in the contract's shape, and the log stays consistent (gap-free,
and replaying it alone gives exactly the state the hub serves)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pilkades_tui.hub.log import EventLogReader, SqliteLog
from pilkades_tui.hub.runner import HubServer
from pilkades_tui.paths import hub_log_file

pytestmark = pytest.mark.timeout(90)

EXPECTED = {200, 201, 400, 401, 403, 404, 405, 409, 413, 422}
FUZZ = settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)


class Target:
    def __init__(self, server: HubServer) -> None:
        self.server = server
        self.http = httpx.Client(
            base_url=server.url,
            headers={"Authorization": f"Bearer {server.tokens['admin']}"},
            timeout=10.0,
        )
        snapshot = self.http.get("/v1/snapshot").json()
        self.tps = [t["id"] for t in snapshot["tps"][:5]]
        self.officers = [o["id"] for o in snapshot["officers"][:8]]
        created = self.http.post(
            "/v1/incidents",
            json={
                "category": "crowd",
                "description": "x",
                "reported_by": "a",
                "tps_id": self.tps[0],
            },
        )
        self.incidents = [created.json()["record"]["id"], "INC-999999"]

    def endpoints(self) -> dict[str, tuple[str, str, st.SearchStrategy[dict[str, Any]]]]:
        ids = st.sampled_from
        return {
            "incidents": (
                "POST",
                "/v1/incidents",
                st.fixed_dictionaries(
                    {
                        "category": st.sampled_from(["crowd", "clash", "hoax", "other"]),
                        "description": st.text(max_size=40),
                        "reported_by": st.text(min_size=1, max_size=10),
                    },
                    optional={
                        "tps_id": ids(self.tps),
                        "priority": st.integers(0, 5),
                        "lat": st.floats(-8, -6),
                        "lon": st.floats(109, 110),
                    },
                ),
            ),
            "actions": (
                "POST",
                "/v1/incidents/{incident}/actions",
                st.fixed_dictionaries(
                    {
                        "action": st.sampled_from(
                            ["acknowledge", "assign", "release", "escalate", "verify"]
                            + ["resolve", "cancel", "note"]
                        )
                    },
                    optional={
                        "officer_ids": st.lists(ids(self.officers), max_size=3),
                        "to": st.sampled_from(["none", "polres", "polda"]),
                        "verdict": st.sampled_from(["verified", "invalid", "unverified"]),
                        "note": st.text(max_size=20),
                        "expected_version": st.integers(0, 6),
                    },
                ),
            ),
            "tps": (
                "PUT",
                "/v1/tps/{tps}/status",
                st.fixed_dictionaries(
                    {},
                    optional={
                        "phase": st.sampled_from(["setup", "voting", "counting", "closed"]),
                        "ballots_cast": st.integers(-5, 1000),
                        "health_protocol": st.sampled_from(["ok", "warning", "bad"]),
                        "note": st.text(max_size=20),
                    },
                ),
            ),
            "officer_status": (
                "PUT",
                "/v1/officers/{officer}/status",
                st.fixed_dictionaries(
                    {
                        "status": st.sampled_from(
                            ["available", "dispatched", "en_route", "on_scene", "off_duty", "x"]
                        )
                    },
                    optional={"note": st.text(max_size=20)},
                ),
            ),
            "position": (
                "POST",
                "/v1/officers/{officer}/position",
                st.fixed_dictionaries(
                    {"lat": st.floats(-12, 7), "lon": st.floats(94, 142)},
                    optional={"at": st.sampled_from(["2022-02-23T09:00:00+07:00", "soon"])},
                ),
            ),
            "phase": (
                "PUT",
                "/v1/phase",
                st.fixed_dictionaries(
                    {"phase": st.sampled_from(["preparation", "voting", "counting", "done", "?"])},
                    optional={"note": st.text(max_size=20)},
                ),
            ),
            "notices": (
                "POST",
                "/v1/notices",
                st.fixed_dictionaries(
                    {
                        "level": st.sampled_from(["info", "warning", "critical", "loud"]),
                        "text": st.text(max_size=40),
                    }
                ),
            ),
        }


@pytest.fixture(scope="module")
def target(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Target]:
    server = HubServer(tmp_path_factory.mktemp("fuzz") / "hub", report_rate=0).start()
    client = Target(server)
    yield client
    client.http.close()
    server.stop()


def mutate(draw: st.DrawFn, body: dict[str, Any]) -> Any:
    """Valid-looking bodies with one thing wrong, or something else entirely."""
    choice = draw(st.integers(0, 4))
    if choice == 0 or not body:
        return draw(json_values)
    key = draw(st.sampled_from(sorted(body)))
    if choice == 1:
        return {name: value for name, value in body.items() if name != key}
    if choice == 2:
        return {**body, key: draw(json_values)}
    if choice == 3:
        return {**body, draw(st.text(min_size=1, max_size=8)): draw(json_values)}
    return body


def path_for(draw: st.DrawFn, template: str, target: Target) -> str:
    values = {
        "incident": draw(st.sampled_from(target.incidents) | st.text(min_size=1, max_size=20)),
        "tps": draw(st.sampled_from(target.tps) | st.text(min_size=1, max_size=20)),
        "officer": draw(st.sampled_from(target.officers) | st.text(min_size=1, max_size=20)),
    }
    return template.format(**{name: quote(value, safe="") for name, value in values.items()})


def check(response: httpx.Response) -> None:
    assert response.status_code in EXPECTED, (response.status_code, response.text)
    if response.status_code >= 400:
        body = response.json()
        assert set(body) == {"error", "message", "details"}, body


@pytest.mark.parametrize(
    "endpoint", ["incidents", "actions", "tps", "officer_status", "position", "phase", "notices"]
)
def test_fuzzed_bodies_never_break_the_hub(target: Target, endpoint: str) -> None:
    method, template, valid = target.endpoints()[endpoint]

    @FUZZ
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        body = mutate(data.draw, data.draw(valid))
        path = path_for(data.draw, template, target)
        key = data.draw(st.none() | st.sampled_from(["k1", "k2", "k3"]))
        headers = {"Idempotency-Key": key} if key else {}
        if data.draw(st.booleans()):
            check(target.http.request(method, path, json=body, headers=headers))
        else:
            raw = data.draw(st.binary(max_size=80) | st.just(json.dumps(body).encode()[:-1]))
            check(target.http.request(method, path, content=raw, headers=headers))

    run()


def test_after_the_fuzz_the_log_replays_to_the_served_state(target: Target) -> None:
    served = target.http.get("/v1/snapshot").json()
    data_dir: Path = target.server.data_dir
    log = SqliteLog(hub_log_file(data_dir))
    count, first, head = log.integrity()
    log.close()
    assert (count, first, head) == (served["seq"], 1, served["seq"])
    with EventLogReader(data_dir) as reader:
        replayed = json.loads(reader.replay().snapshot().model_dump_json())
    for name in ("tps", "incidents", "officers"):
        key = {record["id"]: record for record in served[name]}
        assert {record["id"]: record for record in replayed[name]} == key
    assert replayed["phase"] == served["phase"]
