"""The optional `channel` of a report (docs/protocol.md, POST /v1/incidents): kept on
the incident, in the snapshot and on the feed; refused when not one of the list;
an incident without it keeps working."""

from __future__ import annotations

import uuid

from pilkades_tui.domain.models import Channel
from pilkades_tui.hub.runner import HubServer
from tests.hub.client import Hub, feed


def test_each_channel_is_kept_on_the_incident_snapshot_and_feed(hub: HubServer) -> None:
    reporter = Hub(hub, "reporter")
    tps_id = reporter.first_tps()["id"]
    head = reporter.head()
    created = {}
    for channel in Channel:
        record = reporter.new_incident(tps_id=tps_id, channel=channel.value)
        assert record["channel"] == channel.value
        created[record["id"]] = channel.value
    by_id = {i["id"]: i for i in reporter.snapshot()["incidents"]}
    assert {i: by_id[i]["channel"] for i in created} == created
    with feed(hub, head) as live:
        assert live.frame()["type"] == "hello"
        events = live.events_until(reporter.head())
    fed = {e["data"]["id"]: e["data"]["channel"] for e in events if e["type"] == "incident.updated"}
    assert fed == created
    reporter.close()


def test_a_report_without_channel_has_none_and_actions_keep_the_channel(hub: HubServer) -> None:
    reporter = Hub(hub, "reporter")
    plain = reporter.new_incident()
    assert plain["channel"] is None and plain["reported_by"] == "Bhabin"
    phoned = reporter.new_incident(channel="phone", reported_by="Ketua KPPS 3")
    dispatcher = Hub(hub, "dispatcher")
    answer = dispatcher.act(phoned["id"], action="acknowledge")
    assert answer.status_code == 200, answer.text
    assert answer.json()["record"]["channel"] == "phone"
    assert answer.json()["record"]["reported_by"] == "Ketua KPPS 3"
    reporter.close()
    dispatcher.close()


def test_an_unknown_channel_is_refused_and_nothing_is_written(hub: HubServer) -> None:
    reporter = Hub(hub, "reporter")
    head = reporter.head()
    body = {
        "category": "crowd",
        "description": "massa",
        "reported_by": "Bhabin",
        "tps_id": reporter.first_tps()["id"],
        "channel": "pigeon",
    }
    answer = reporter.send("POST", "/v1/incidents", body, str(uuid.uuid4()))
    assert answer.status_code == 422
    assert answer.json()["details"][0]["field"] == "body.channel"
    assert reporter.head() == head
    reporter.close()
