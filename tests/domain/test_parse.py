"""Parsing feed frames: one event or an array, hello/reset, unknown types, bad input."""

from __future__ import annotations

import json

import pytest

from pilkades_tui.domain.events import ProtocolError, parse_frame
from pilkades_tui.domain.models import HubMode, Incident, NewIncident, Tps
from tests.domain.factories import incident, tps


def wire(seq: int, kind: str, data: dict) -> dict:
    return {"seq": seq, "ts": "2022-02-23T09:14:03+07:00", "type": kind, "data": data}


def test_single_event_frame() -> None:
    record = tps().model_dump(mode="json")
    frame = parse_frame(json.dumps(wire(5, "tps.updated", record)))
    assert [e.seq for e in frame.events] == [5]
    assert isinstance(frame.events[0].data, Tps)
    assert frame.unknown == 0


def test_array_frame_keeps_order_and_counts_unknown_types() -> None:
    frame = parse_frame(
        json.dumps(
            [
                wire(1, "incident.updated", incident().model_dump(mode="json")),
                wire(2, "weather.updated", {"rain": True}),
                wire(
                    3,
                    "officer.position",
                    {"id": "A", "lat": -7, "lon": 109.6, "at": "2022-02-23T09:14:03+07:00"},
                ),
            ]
        )
    )
    assert [e.seq for e in frame.events] == [1, 3]
    assert isinstance(frame.events[0].data, Incident)
    assert frame.unknown == 1


def test_unknown_type_alone_is_skipped_not_fatal() -> None:
    frame = parse_frame('{"seq": 9, "type": "future.thing", "data": {}}')
    assert frame.events == [] and frame.unknown == 1


def test_hello_and_reset() -> None:
    hello = parse_frame('{"type": "hello", "protocol": 1, "head": 42, "mode": "exercise"}').hello
    assert hello is not None and hello.head == 42 and hello.mode is HubMode.EXERCISE
    reset = parse_frame('{"type": "reset", "head": 7}').reset
    assert reset is not None and reset.head == 7


@pytest.mark.parametrize(
    ("frame", "field"),
    [
        ("{not json", "<frame>"),
        ("42", "<frame>"),
        ('{"seq": "one", "type": "tps.updated", "data": {}}', "event.seq"),
        ('{"seq": 1, "data": {}}', "event.type"),
        (
            '[{"seq": 1, "type": "notice", "ts": "2022-02-23T09:00:00+07:00",'
            ' "data": {"id": "n", "level": "loud", "text": "x"}}]',
            "[0].data.level",
        ),
        (
            '{"seq": 1, "type": "notice", "ts": "yesterday",'
            ' "data": {"id": "n", "level": "info", "text": "x"}}',
            "event.ts",
        ),
        (
            '{"seq": 1, "type": "notice", "ts": "2022-02-23T09:00:00",'
            ' "data": {"id": "n", "level": "info", "text": "x"}}',
            "event.ts",
        ),
        ('{"type": "hello", "protocol": 1, "head": -1}', "head"),
    ],
)
def test_bad_frames_raise_one_error_type_naming_the_field(frame: str, field: str) -> None:
    with pytest.raises(ProtocolError) as caught:
        parse_frame(frame)
    assert caught.value.field == field


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"lat": 40.0}, "lat"),  # outside Indonesia
        ({"lon": 0.0}, "lon"),
        ({"voters": -3}, "voters"),
        ({"risk": "extreme"}, "risk"),
        ({"phase": "party"}, "phase"),
        ({"voters": "many"}, "voters"),
    ],
)
def test_bad_tps_fields_are_named(change: dict, field: str) -> None:
    record = tps().model_dump(mode="json") | change
    with pytest.raises(ProtocolError) as caught:
        parse_frame(json.dumps(wire(1, "tps.updated", record)))
    assert caught.value.field == f"event.data.{field}"


def test_ballots_cannot_exceed_voters() -> None:
    record = tps().model_dump(mode="json") | {"ballots_cast": 900}
    with pytest.raises(ProtocolError, match="exceeds registered voters"):
        parse_frame(json.dumps(wire(1, "tps.updated", record)))


def test_records_ignore_fields_from_a_newer_hub() -> None:
    record = tps().model_dump(mode="json") | {"queue_length": 30}
    frame = parse_frame(json.dumps(wire(1, "tps.updated", record)))
    assert frame.events[0].data.id == "T1"


def test_new_incident_needs_a_place() -> None:
    with pytest.raises(ValueError, match="tps_id or both lat and lon"):
        NewIncident.model_validate(
            {"category": "crowd", "description": "massa", "reported_by": "warga"}
        )
    body = NewIncident.model_validate(
        {"category": "crowd", "description": "massa", "reported_by": "warga", "tps_id": "T1"}
    )
    assert body.priority is None


def test_event_round_trips_through_the_wire() -> None:
    record = incident()
    frame = parse_frame(json.dumps(wire(3, "incident.updated", record.model_dump(mode="json"))))
    again = parse_frame(frame.events[0].to_json())
    assert again.events[0].data == record
