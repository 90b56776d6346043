"""The feed's fast frame parser agrees with the domain parser on everything."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pilkades_tui.domain.events import DATA_MODELS, ProtocolError, parse_frame
from pilkades_tui.feed.frames import TYPED_EVENTS, parse_feed_frame
from tests.domain.factories import incident, officer, phase, tps
from tests.feed.fakehub import position_event


def outcome(parser: Any, text: str) -> tuple[str, Any]:
    try:
        frame = parser(text)
    except ProtocolError as error:
        return ("error", str(error))
    events = [event.to_wire() for event in frame.events]
    return ("ok", (events, frame.unknown, frame.hello, frame.reset))


def wire(seq: int, kind: str, record: Any) -> dict[str, Any]:
    return {"seq": seq, "ts": "2022-02-23T09:14:03+07:00", "type": kind, "data": record}


def test_every_domain_event_type_has_a_typed_fast_path() -> None:
    assert set(TYPED_EVENTS) == set(DATA_MODELS)
    for kind, event_class in TYPED_EVENTS.items():
        assert event_class.model_fields["data"].annotation is DATA_MODELS[kind]


def test_a_mixed_batch_reads_the_same_both_ways() -> None:
    batch = [
        position_event(1),
        wire(2, "tps.updated", tps("T1", version=2).model_dump(mode="json")),
        wire(3, "incident.updated", incident().model_dump(mode="json")),
        wire(4, "officer.updated", officer(version=3).model_dump(mode="json")),
        wire(5, "phase.changed", phase(version=2, phase="voting").model_dump(mode="json")),
        wire(6, "notice", {"id": "N1", "level": "warning", "text": "Hujan deras", "by": "piket"}),
    ]
    text = json.dumps(batch)
    fast = outcome(parse_feed_frame, text)
    assert fast == outcome(parse_frame, text)
    assert fast[0] == "ok" and len(fast[1][0]) == 6


@pytest.mark.parametrize(
    "text",
    [
        '{"type": "hello", "protocol": 1, "head": 7, "mode": "exercise"}',
        '{"type": "reset", "head": 3}',
        '  [{"type": "drone.sighted", "seq": 1}]',
        "[]",
        "[1, 2]",
        '[{"seq": "1", "ts": "2022-02-23T09:14:03+07:00", "type": "notice", "data": {}}]',
        "[" + json.dumps(position_event(1)).replace("109.58", "1e400") + "]",
        "[" + json.dumps(position_event(1)).replace("+07:00", "") + "]",
        "nonsense",
        b'[{"type": "weather"}]',
    ],
)
def test_odd_frames_read_the_same_both_ways(text: str | bytes) -> None:
    assert outcome(parse_feed_frame, text) == outcome(parse_frame, text)


json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**40), max_value=2**40),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(
        [
            "2022-02-23T09:14:03+07:00",
            "2022-02-23T09:14:03.5Z",
            "2022-02-23 09:14:03+07:00",
            "2022-02-23T09:14:03",
            "2022-02-30T09:14:03+07:00",
            "1645582443",
            "-7.03",
            "",
            "KJN-001",
            "officer.position",
            "x" * 129,
        ]
    ),
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["seq", "ts", "type", "id", "lat", "lon", "at", "extra"]),
            json_scalars,
        ),
        max_size=3,
    ),
    st.integers(min_value=1, max_value=4),
)
def test_damaged_position_batches_read_the_same_both_ways(
    damage: list[tuple[str, Any]], size: int
) -> None:
    batch = [position_event(seq) for seq in range(1, size + 1)]
    target = batch[-1]
    for name, value in damage:
        if name in ("seq", "ts", "type"):
            target[name] = value
        else:
            target["data"][name] = value
    text = json.dumps(batch)
    assert outcome(parse_feed_frame, text) == outcome(parse_frame, text)
