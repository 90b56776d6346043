"""Property tests: random and mutated frames never crash the parser with anything but
ProtocolError; random event orders keep the state's invariants."""

from __future__ import annotations

import contextlib
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from pilkades_tui.domain.events import (
    INCIDENT_UPDATED,
    OFFICER_POSITION,
    OFFICER_UPDATED,
    TPS_UPDATED,
    ProtocolError,
    parse_frame,
)
from pilkades_tui.domain.models import Position
from pilkades_tui.domain.state import ElectionState, SeqGap
from tests.domain.factories import at, event, incident, officer, snapshot, tps

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)

VALID = {
    "seq": 3,
    "ts": "2022-02-23T09:14:03+07:00",
    "type": "incident.updated",
    "data": incident().model_dump(mode="json"),
}


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60) | st.binary(max_size=60))
def test_random_text_parses_or_raises_protocol_error(text: str | bytes) -> None:
    with contextlib.suppress(ProtocolError):
        parse_frame(text)


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(sorted(VALID["data"])),
    json_values,
    st.sampled_from(["seq", "ts", "type", "data"]),
    json_values,
    st.booleans(),
)
def test_mutated_events_parse_or_raise_protocol_error(
    data_key: str, data_value: object, env_key: str, env_value: object, as_array: bool
) -> None:
    mutated = json.loads(json.dumps(VALID))
    mutated["data"][data_key] = data_value
    if env_value is not None:
        mutated[env_key] = env_value
    frame = [mutated] if as_array else mutated
    try:
        parsed = parse_frame(json.dumps(frame))
    except ProtocolError as error:
        assert error.field
    else:
        assert len(parsed.events) + parsed.unknown == 1


RECORD_IDS = ["a", "b", "c"]


@st.composite
def event_specs(draw: st.DrawFn) -> list[tuple[str, str, int, int]]:
    """(kind, record id, version, variant) tuples; variant picks field values."""
    return draw(
        st.lists(
            st.tuples(
                st.sampled_from([TPS_UPDATED, INCIDENT_UPDATED, OFFICER_UPDATED, OFFICER_POSITION]),
                st.sampled_from(RECORD_IDS),
                st.integers(1, 6),
                st.integers(0, 5),
            ),
            max_size=40,
        )
    )


def build(kind: str, record_id: str, version: int, variant: int, seq: int):
    if kind == TPS_UPDATED:
        data = tps(
            record_id,
            version=version,
            district=["Kajen", "Bojong"][variant % 2],
            phase=["setup", "voting", "counting"][variant % 3],
            risk=["low", "medium", "high"][variant % 3],
        )
    elif kind == INCIDENT_UPDATED:
        data = incident(
            record_id,
            version=version,
            priority=variant % 4 + 1,
            status=["new", "acknowledged", "resolved", "cancelled", "on_scene"][variant % 5],
            district=["Kajen", "Bojong"][variant % 2],
            reported_at=at(variant),
        )
    elif kind == OFFICER_UPDATED:
        data = officer(
            record_id, version=version, status=["available", "dispatched", "on_scene"][variant % 3]
        )
    else:
        data = Position(id=record_id, lat=-7.0 - variant / 100, lon=109.6, at=at(version))
    return event(seq, kind, data)


@settings(max_examples=200, deadline=None)
@given(event_specs(), st.randoms(use_true_random=False))
def test_random_orders_keep_invariants(specs, rng) -> None:
    base = snapshot(
        tps=[tps(i) for i in RECORD_IDS],
        incidents=[incident(i) for i in RECORD_IDS],
        officers=[officer(i) for i in RECORD_IDS],
    )
    state = ElectionState.from_snapshot(base)
    events = [build(*spec, seq=n + 1) for n, spec in enumerate(specs)]
    delivered = list(events)
    # Deliver with duplicates and some reordering, as a flaky link would.
    if delivered:
        delivered += rng.sample(events, k=min(3, len(events)))
        rng.shuffle(delivered)
    seen_versions: dict[tuple[str, str], int] = {}
    for item in delivered:
        before = state.seq
        try:
            state.apply(item)
        except SeqGap as gap:
            assert gap.expected == before + 1 and gap.got > before + 1
            assert state.seq == before
            continue
        assert state.seq == max(before, item.seq)
        for kind, records in (
            ("tps", state.tps),
            ("incident", state.incidents),
            ("officer", state.officers),
        ):
            for record_id, record in records.items():
                key = (kind, record_id)
                assert record.version >= seen_versions.get(key, 0)
                seen_versions[key] = record.version
    assert state.index_view() == state.recount()
    # In order, everything applies and the final versions are the maxima seen.
    ordered = ElectionState.from_snapshot(base)
    ordered.apply_many(events)
    assert ordered.seq == len(events)
    assert ordered.index_view() == ordered.recount()
    for kind, record_id, _version, _variant in specs:
        if kind == INCIDENT_UPDATED:
            top = max(v for k, r, v, _ in specs if k == kind and r == record_id)
            assert ordered.incidents[record_id].version == top
