"""The officer behind a command (X-Pilkades-Operator) on the hub's timeline."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import httpx
import pytest

from pilkades_tui.hub.operator import OPERATOR_MAX_CHARS
from pilkades_tui.hub.runner import HubServer
from tests.hub.client import Hub


@pytest.fixture
def dispatcher(hub: HubServer) -> Iterator[Hub]:
    client = Hub(hub, "dispatcher")
    yield client
    client.close()


def post_action(hub: Hub, incident_id: str, operator: bytes | None, **body: str) -> httpx.Response:
    headers: dict[str, str | bytes] = {"Idempotency-Key": str(uuid.uuid4())}
    if operator is not None:
        headers["X-Pilkades-Operator"] = operator
    return hub.http.post(f"/v1/incidents/{incident_id}/actions", json=body, headers=headers)


def test_the_timeline_names_the_desk_and_the_officer(dispatcher: Hub) -> None:
    incident = dispatcher.new_incident()
    # A name with a letter outside ASCII: the header is UTF-8, not Latin-1.
    name = "Ipda Nur’aini"
    answer = post_action(dispatcher, incident["id"], name.encode("utf-8"), action="acknowledge")
    assert answer.status_code == 200, answer.text
    by = answer.json()["record"]["timeline"][-1]["by"]
    assert by == f"runner-dispatcher / {name}"
    # Without the header, as an older client sends: the token's name alone.
    plain = post_action(dispatcher, incident["id"], None, action="note", note="cek lokasi")
    assert plain.json()["record"]["timeline"][-1]["by"] == "runner-dispatcher"
    # What the feed and the snapshot hold is the same string.
    held = next(i for i in dispatcher.snapshot()["incidents"] if i["id"] == incident["id"])
    assert [step["by"] for step in held["timeline"][1:]] == [by, "runner-dispatcher"]


def test_spaces_are_tidied_and_reports_carry_the_operator_too(hub: HubServer) -> None:
    reporter = Hub(hub, "reporter")
    try:
        body = {
            "category": "crowd",
            "description": "massa",
            "reported_by": "Bhabin",
            "tps_id": reporter.first_tps()["id"],
        }
        answer = reporter.http.post(
            "/v1/incidents", json=body, headers={"X-Pilkades-Operator": "Bripka   Joko"}
        )
        assert answer.status_code == 201, answer.text
        assert answer.json()["record"]["timeline"][0]["by"] == "runner-reporter / Bripka Joko"
    finally:
        reporter.close()


@pytest.mark.parametrize(
    ("raw", "says"),
    [
        (b"\xff\xfe Budi", "not UTF-8"),
        (b"", "empty"),
        (("B" * (OPERATOR_MAX_CHARS + 1)).encode(), f"at most {OPERATOR_MAX_CHARS}"),
        ("Budi\u202eidub".encode(), "control or format"),  # right-to-left override
    ],
)
def test_a_bad_operator_is_422_and_changes_nothing(dispatcher: Hub, raw: bytes, says: str) -> None:
    incident = dispatcher.new_incident()
    head = dispatcher.head()
    answer = post_action(dispatcher, incident["id"], raw, action="acknowledge")
    assert answer.status_code == 422
    problem = answer.json()
    assert problem["error"] == "invalid" and says in problem["message"]
    assert problem["details"][0]["field"] == "header.X-Pilkades-Operator"
    assert dispatcher.head() == head


def test_a_stranger_with_an_operator_is_still_401(hub: HubServer) -> None:
    answer = httpx.post(
        f"{hub.url}/v1/incidents/INC-000001/actions",
        json={"action": "acknowledge"},
        headers={"X-Pilkades-Operator": b"\xff"},
    )
    assert answer.status_code == 401
