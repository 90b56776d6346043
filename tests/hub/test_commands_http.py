"""Conformance: commands, roles, idempotency and errors against a real hub over HTTP."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import httpx
import pytest

from pilkades_tui.hub.runner import HubServer
from tests.conftest import HubFactory
from tests.hub.client import Hub

pytestmark = pytest.mark.timeout(60)


@pytest.fixture
def admin(hub: HubServer) -> Iterator[Hub]:
    client = Hub(hub, "admin")
    yield client
    client.close()


def error_shape(response: httpx.Response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error", "message", "details"}, body
    assert isinstance(body["message"], str) and body["message"]
    if code is not None:
        assert body["error"] == code
    return body


# ---- auth and roles ---------------------------------------------------------------


def test_health_is_open_everything_else_needs_a_token(hub: HubServer) -> None:
    assert httpx.get(f"{hub.url}/v1/health").json()["status"] == "ok"
    error_shape(httpx.get(f"{hub.url}/v1/snapshot"), 401, "unauthorized")
    bad = httpx.get(f"{hub.url}/v1/snapshot", headers={"Authorization": "Bearer nope-secret"})
    body = error_shape(bad, 401, "unauthorized")
    assert "nope-secret" not in bad.text and body["details"] is None


@pytest.mark.parametrize(
    ("role", "method", "path", "body"),
    [
        ("viewer", "POST", "/v1/incidents", {"category": "crowd"}),
        ("reporter", "POST", "/v1/incidents/INC-000001/actions", {"action": "acknowledge"}),
        ("dispatcher", "PUT", "/v1/phase", {"phase": "voting"}),
        ("dispatcher", "POST", "/v1/notices", {"level": "info", "text": "x"}),
    ],
)
def test_a_role_too_low_is_403(
    hub: HubServer, role: str, method: str, path: str, body: dict
) -> None:
    client = Hub(hub, role)
    response = client.send(method, path, body)
    error_shape(response, 403, "forbidden")
    assert hub.tokens[role] not in response.text
    client.close()


def test_token_never_in_the_log_file(hub: HubServer, admin: Hub) -> None:
    admin.send("GET", "/v1/snapshot")
    admin.send("POST", "/v1/incidents", {"bad": 1})
    httpx.get(f"{hub.url}/v1/snapshot?token={uuid.uuid4()}", headers={"Authorization": "Bearer x"})
    text = hub.log_file.read_text("utf-8")
    assert "/v1/snapshot" in text  # the access log is there...
    for token in hub.tokens.values():
        assert token not in text  # ...without any token


# ---- new incidents ----------------------------------------------------------------


def test_new_incident_takes_its_place_and_priority_from_the_tps(admin: Hub) -> None:
    high = admin.first_tps("high")
    low = admin.first_tps("low")
    at_high = admin.new_incident(category="crowd", tps_id=high["id"])
    at_low = admin.new_incident(category="crowd", tps_id=low["id"])
    assert (at_high["priority"], at_low["priority"]) == (1, 2)  # raised at a high-risk village
    assert at_high["village"] == high["village"] and at_high["district"] == high["district"]
    assert (at_high["lat"], at_high["lon"]) == (high["lat"], high["lon"])
    assert at_high["status"] == "new" and at_high["version"] == 1
    assert at_high["id"].startswith("INC-") and at_high["id"] != at_low["id"]
    given = admin.new_incident(category="crowd", tps_id=low["id"], priority=4)
    assert given["priority"] == 4
    entry = at_high["timeline"][0]
    assert entry["by"] == "runner-admin" and entry["action"] == "reported"


def test_new_incident_by_coordinates_names_the_nearest_tps_village(admin: Hub) -> None:
    tps = admin.first_tps()
    record = admin.new_incident(lat=tps["lat"] + 0.0001, lon=tps["lon"], category="hoax")
    assert record["tps_id"] is None
    assert (record["village"], record["district"]) == (tps["village"], tps["district"])


def test_new_incident_invalid_bodies_are_422(admin: Hub) -> None:
    base = {"category": "crowd", "description": "x", "reported_by": "a"}
    cases = [
        {**base, "tps_id": "NOPE"},  # unknown TPS
        {**base},  # no place
        {**base, "lat": -7.0},  # lat without lon
        {**base, "tps_id": admin.first_tps()["id"], "colour": "red"},  # extra field
        {**base, "tps_id": admin.first_tps()["id"], "priority": 9},
        {**base, "lat": 40.0, "lon": 109.0},  # outside Indonesia
    ]
    for body in cases:
        error_shape(admin.send("POST", "/v1/incidents", body), 422, "invalid")


# ---- idempotency and versions -----------------------------------------------------


def test_idempotency_key_repeat_returns_the_first_answer(admin: Hub) -> None:
    tps = admin.first_tps()["id"]
    body = {"category": "clash", "description": "ricuh", "reported_by": "a", "tps_id": tps}
    first = admin.send("POST", "/v1/incidents", body, "key-1")
    head = admin.head()
    again = admin.send("POST", "/v1/incidents", body, "key-1")
    assert (again.status_code, again.json()) == (first.status_code, first.json())
    assert admin.head() == head  # no second change
    other = admin.send("POST", "/v1/incidents", {**body, "description": "lain"}, "key-1")
    error_shape(other, 422, "invalid")
    assert admin.head() == head
    # The key is the token's own: another token may use the same key for its own command.
    reporter = admin.as_role("reporter")
    assert reporter.send("POST", "/v1/incidents", body, "key-1").json()["seq"] == head + 1
    reporter.close()


def test_stale_expected_version_is_409_with_the_current_record(admin: Hub) -> None:
    incident = admin.new_incident()
    assert admin.act(incident["id"], action="note", note="a", expected_version=1).status_code == 200
    conflict = admin.act(incident["id"], action="note", note="b", expected_version=1)
    body = error_shape(conflict, 409, "conflict")
    assert body["details"]["current"]["version"] == 2
    assert body["details"]["current"]["timeline"][-1]["note"] == "a"


# ---- the incident's life ----------------------------------------------------------


def test_status_moves_only_forward_and_may_skip(admin: Hub) -> None:
    incident = admin.new_incident()
    assert admin.act(incident["id"], action="acknowledge").json()["record"]["status"] == (
        "acknowledged"
    )
    error_shape(admin.act(incident["id"], action="acknowledge"), 409, "conflict")
    resolved = admin.act(incident["id"], action="resolve", note="aman").json()["record"]
    assert resolved["status"] == "resolved"
    for action in ({"action": "note", "note": "x"}, {"action": "cancel"}):
        error_shape(admin.act(incident["id"], **action), 409, "conflict")
    actions = [entry["action"] for entry in resolved["timeline"]]
    assert actions == ["reported", "acknowledge", "resolve"]
    error_shape(admin.act("INC-999999", action="acknowledge"), 404, "not_found")


def test_assign_officer_status_and_resolve_move_both_sides(admin: Hub) -> None:
    incident = admin.new_incident()
    first, second = admin.available_officers(2)
    answer = admin.act(incident["id"], action="assign", officer_ids=[first, second]).json()
    record = answer["record"]
    assert record["status"] == "dispatched" and record["officer_ids"] == [first, second]
    assert answer["seq"] == admin.head()  # the answer's event is the command's last
    for officer_id in (first, second):
        officer = admin.officer(officer_id)
        assert (officer["status"], officer["incident_id"]) == ("dispatched", incident["id"])

    busy = admin.act(admin.new_incident()["id"], action="assign", officer_ids=[first])
    body = error_shape(busy, 409, "conflict")
    assert first in body["message"] and body["details"]["busy"][0]["id"] == first

    reporter = admin.as_role("reporter")
    reporter.ok("PUT", f"/v1/officers/{first}/status", {"status": "en_route"})
    assert admin.incident(incident["id"])["status"] == "dispatched"
    reporter.ok("PUT", f"/v1/officers/{first}/status", {"status": "on_scene"})
    assert admin.incident(incident["id"])["status"] == "on_scene"
    reporter.ok("PUT", f"/v1/officers/{second}/status", {"status": "en_route"})
    assert admin.incident(incident["id"])["status"] == "on_scene"  # never back
    reporter.close()

    closed = admin.act(incident["id"], action="resolve").json()["record"]
    assert closed["status"] == "resolved" and closed["officer_ids"] == []
    for officer_id in (first, second):
        officer = admin.officer(officer_id)
        assert (officer["status"], officer["incident_id"]) == ("available", None)


def test_release_frees_only_the_named_officers(admin: Hub) -> None:
    incident = admin.new_incident()
    first, second, stranger = admin.available_officers(3)
    admin.act(incident["id"], action="assign", officer_ids=[first, second])
    released = admin.act(incident["id"], action="release", officer_ids=[first]).json()["record"]
    assert released["officer_ids"] == [second] and released["status"] == "dispatched"
    assert admin.officer(first)["status"] == "available"
    assert admin.officer(second)["status"] == "dispatched"
    error_shape(admin.act(incident["id"], action="release", officer_ids=[stranger]), 409)
    error_shape(admin.act(incident["id"], action="assign", officer_ids=["NOPE-1"]), 422)


def test_invalid_verdict_cancels_the_hoax_and_frees_its_unit(admin: Hub) -> None:
    incident = admin.new_incident(category="hoax")
    (unit,) = admin.available_officers(1)
    admin.act(incident["id"], action="assign", officer_ids=[unit])
    record = admin.act(incident["id"], action="verify", verdict="invalid").json()["record"]
    assert (record["verification"], record["status"]) == ("invalid", "cancelled")
    assert admin.officer(unit)["status"] == "available"
    other = admin.new_incident()
    verified = admin.act(other["id"], action="verify", verdict="verified").json()["record"]
    assert (verified["verification"], verified["status"]) == ("verified", "new")


def test_escalate_goes_up_only_and_cancel_closes(admin: Hub) -> None:
    incident = admin.new_incident()
    assert admin.act(incident["id"], action="escalate", to="polres").status_code == 200
    error_shape(admin.act(incident["id"], action="escalate", to="polres"), 409)
    assert admin.act(incident["id"], action="escalate", to="polda").status_code == 200
    error_shape(admin.act(incident["id"], action="escalate", to="none"), 422)
    error_shape(admin.act(incident["id"], action="note", note="  "), 422)
    record = admin.act(incident["id"], action="cancel", note="dobel").json()["record"]
    assert record["status"] == "cancelled" and record["escalation"] == "polda"


# ---- field reports, phase, notices ------------------------------------------------


def test_tps_status_forward_phase_and_ballots_within_voters(admin: Hub) -> None:
    tps = admin.first_tps()
    path = f"/v1/tps/{tps['id']}/status"
    record = admin.ok("PUT", path, {"phase": "voting", "ballots_cast": 10})["record"]
    assert (record["phase"], record["ballots_cast"], record["version"]) == ("voting", 10, 2)
    assert record["last_report_at"] is not None
    error_shape(admin.send("PUT", path, {"phase": "setup"}), 409)
    error_shape(admin.send("PUT", path, {"ballots_cast": tps["voters"] + 1}), 422)
    error_shape(admin.send("PUT", path, {}), 422)
    error_shape(admin.send("PUT", "/v1/tps/NOPE/status", {"phase": "voting"}), 404)


def test_positions_do_not_bump_the_officer_version(admin: Hub) -> None:
    (officer_id,) = admin.available_officers(1)
    before = admin.officer(officer_id)
    answer = admin.ok("POST", f"/v1/officers/{officer_id}/position", {"lat": -7.0, "lon": 109.6})
    after = admin.officer(officer_id)
    assert answer["record"]["version"] == before["version"] == after["version"]
    assert (after["lat"], after["lon"]) == (-7.0, 109.6)
    error_shape(admin.send("POST", "/v1/officers/NOPE/position", {"lat": -7.0, "lon": 109.6}), 404)


def test_phase_and_notices(admin: Hub) -> None:
    phase = admin.ok("PUT", "/v1/phase", {"phase": "voting", "note": "buka"})["record"]
    assert phase["phase"] == "voting" and admin.snapshot()["phase"]["phase"] == "voting"
    notice = admin.ok("POST", "/v1/notices", {"level": "warning", "text": "hujan"})
    assert notice["record"]["by"] == "runner-admin" and notice["record"]["id"].startswith("NTC-")
    error_shape(admin.send("POST", "/v1/notices", {"level": "info", "text": "   "}), 422)


# ---- errors and limits ------------------------------------------------------------


def test_framework_errors_have_the_contract_shape(hub: HubServer, admin: Hub) -> None:
    error_shape(admin.send("GET", "/v1/nowhere"), 404, "not_found")
    error_shape(admin.send("DELETE", "/v1/incidents"), 405, "method_not_allowed")
    malformed = admin.http.post(
        "/v1/incidents", content=b'{"category": ', headers={"Content-Type": "application/json"}
    )
    error_shape(malformed, 400, "bad_request")
    invalid = error_shape(admin.send("POST", "/v1/notices", {"level": "loud", "text": "x"}), 422)
    assert invalid["details"][0]["field"].endswith("level")
    stranger = httpx.post(f"{hub.url}/v1/incidents", content=b"{oops")
    error_shape(stranger, 401)  # a stranger learns nothing about the body


DEEP = b"[" * 1000 + b"]" * 1000  # 2 KB that json.loads cannot take apart (RecursionError)


@pytest.mark.parametrize("content_type", [None, "application/json", "text/plain"])
@pytest.mark.parametrize("path", ["/v1/incidents", "/v1/officers/KJN-001/position"])
def test_a_body_nested_too_deep_is_400_and_a_stranger_learns_nothing(
    hub: HubServer, admin: Hub, content_type: str | None, path: str
) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    refused = admin.http.post(path, content=DEEP, headers=headers)
    error_shape(refused, 400, "bad_request")
    for authorization in ({}, {"Authorization": "Bearer nope"}):
        stranger = httpx.post(f"{hub.url}{path}", content=DEEP, headers=headers | authorization)
        error_shape(stranger, 401, "unauthorized")
    assert admin.snapshot()  # the hub is still serving


def test_bodies_over_64_kib_are_413_even_chunked(admin: Hub) -> None:
    big = b'{"text": "' + b"x" * (64 * 1024) + b'"}'
    error_shape(admin.http.post("/v1/notices", content=big), 413, "payload_too_large")

    def chunks() -> Iterator[bytes]:
        for _ in range(80):
            yield b"x" * 1024

    error_shape(admin.http.post("/v1/notices", content=chunks()), 413, "payload_too_large")


def test_reports_over_the_rate_are_429(hub_factory: HubFactory) -> None:
    server = hub_factory(scenario="pekalongan", report_rate=2.0, report_burst=4.0)
    reporter = Hub(server, "reporter")
    tps = reporter.first_tps()["id"]
    codes = [
        reporter.send("PUT", f"/v1/tps/{tps}/status", {"note": f"ok {i}"}).status_code
        for i in range(8)
    ]
    assert codes[:4] == [200] * 4 and 429 in codes
    limited = reporter.send("PUT", f"/v1/tps/{tps}/status", {"note": "again"})
    body = error_shape(limited, 429, "rate_limited")
    assert body["details"]["retry_after"] > 0 and "Retry-After" in limited.headers
    # Dispatcher actions are not reports: not limited.
    admin = Hub(server, "admin")
    assert admin.send("PUT", "/v1/phase", {"phase": "voting"}).status_code == 200
    reporter.close()
    admin.close()


def test_openapi_document_lists_every_endpoint(hub: HubServer) -> None:
    paths = httpx.get(f"{hub.url}/v1/openapi.json").json()["paths"]
    for path in (
        "/v1/health",
        "/v1/snapshot",
        "/v1/incidents",
        "/v1/incidents/{incident_id}/actions",
        "/v1/tps/{tps_id}/status",
        "/v1/officers/{officer_id}/status",
        "/v1/officers/{officer_id}/position",
        "/v1/phase",
        "/v1/notices",
    ):
        assert path in paths


def test_position_fast_path_keeps_every_rule(hub_factory: HubFactory) -> None:
    server = hub_factory(report_rate=0.01, report_burst=6.0)
    reporter = Hub(server, "reporter")
    (officer_id,) = reporter.available_officers(1)
    path = f"/v1/officers/{officer_id}/position"
    body = {"lat": -7.01, "lon": 109.61}
    first = reporter.send("POST", path, body, "pos-1")
    assert first.status_code == 200
    assert reporter.send("POST", path, body, "pos-1").json() == first.json()
    error_shape(reporter.send("POST", path, {**body, "lat": -7.02}, "pos-1"), 422)
    error_shape(reporter.send("POST", "/v1/officers/NOPE/position", body), 404, "not_found")
    error_shape(reporter.send("POST", path, {"lat": 99, "lon": 109.6}), 422, "invalid")
    error_shape(reporter.send("POST", path, {**body, "speed": 3}), 422, "invalid")
    error_shape(reporter.send("POST", path, body), 429, "rate_limited")
    viewer = Hub(server, "viewer")
    error_shape(viewer.send("POST", path, body), 403, "forbidden")
    stranger = httpx.post(f"{server.url}{path}", json=body, headers={"Authorization": "Bearer x"})
    error_shape(stranger, 401, "unauthorized")
    reporter.close()
    viewer.close()


def test_a_position_from_the_future_is_refused_and_does_not_freeze_the_unit(hub) -> None:
    import httpx

    headers = {"Authorization": f"Bearer {hub.tokens['reporter']}"}
    officer_id = sorted(hub.core.state.officers)[0]
    url = f"{hub.url}/v1/officers/{officer_id}/position"
    future = httpx.post(
        url,
        headers=headers | {"Idempotency-Key": "future"},
        json={"lat": -7.0, "lon": 109.6, "at": "2099-01-01T00:00:00+07:00"},
    )
    assert future.status_code == 422
    assert future.json()["details"]["field"] == "at"
    now = httpx.post(
        url, headers=headers | {"Idempotency-Key": "now"}, json={"lat": -7.01, "lon": 109.61}
    )
    assert now.status_code == 200
    assert hub.core.state.officers[officer_id].lat == -7.01
