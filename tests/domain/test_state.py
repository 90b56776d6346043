"""The reducer: seq order, stale versions, gaps, indexes and what changed."""

from __future__ import annotations

import pytest

from pilkades_tui.domain.events import (
    INCIDENT_UPDATED,
    NOTICE,
    OFFICER_POSITION,
    OFFICER_UPDATED,
    PHASE_CHANGED,
    TPS_UPDATED,
)
from pilkades_tui.domain.models import (
    ElectionPhase,
    IncidentStatus,
    Notice,
    OfficerStatus,
    Position,
    TpsPhase,
)
from pilkades_tui.domain.state import ElectionState, SeqGap
from tests.domain.factories import at, event, incident, officer, phase, snapshot, tps


def make_state() -> ElectionState:
    return ElectionState.from_snapshot(
        snapshot(
            seq=10,
            tps=[tps("T1"), tps("T2", district="Kajen", risk="high")],
            officers=[officer("A"), officer("B", status="dispatched")],
            incidents=[incident("I1", priority=3), incident("I2", priority=1)],
        )
    )


def test_snapshot_loads_with_indexes() -> None:
    state = make_state()
    assert state.seq == 10
    assert [i.id for i in state.open_incidents()] == ["I2", "I1"]
    assert [o.id for o in state.officers_with_status(OfficerStatus.AVAILABLE)] == ["A"]
    assert {t.id for t in state.tps_in_district("Kajen")} == {"T2"}
    assert [t.id for t in state.tps_with_risk("high")] == ["T2"]
    counts = state.district_counts()
    assert counts["Kajen"].tps == 1 and counts["Kajen"].open_incidents == 2
    assert counts["Kajen"].high_risk_tps == 1
    assert state.open_counts_by_priority() == {1: 1, 2: 0, 3: 1, 4: 0}


def test_apply_in_order_reports_changed_ids() -> None:
    state = make_state()
    changes = state.apply_many(
        [
            event(11, TPS_UPDATED, tps("T1", version=2, phase="voting", ballots_cast=10)),
            event(12, OFFICER_POSITION, Position(id="A", lat=-7.0, lon=109.5, at=at(1))),
            event(13, INCIDENT_UPDATED, incident("I2", version=2, status="resolved")),
            event(14, OFFICER_UPDATED, officer("B", version=2, status="available")),
            event(15, PHASE_CHANGED, phase(version=2, phase="voting")),
            event(16, NOTICE, Notice(id="N1", level="info", text="Apel pagi")),
        ]
    )
    assert state.seq == 16
    assert changes.tps == {"T1"} and changes.positions == {"A"}
    assert changes.incidents == {"I2"} and changes.officers == {"B"}
    assert changes.phase and [n.id for n in changes.notices] == ["N1"]
    assert changes.applied == 6
    assert state.phase.phase is ElectionPhase.VOTING
    assert [t.id for t in state.tps_in_phase(TpsPhase.VOTING)] == ["T1"]
    assert [i.id for i in state.open_incidents()] == ["I1"]
    assert state.officers["A"].lat == -7.0 and state.officers["A"].version == 1
    assert len(state.officers_with_status(OfficerStatus.AVAILABLE)) == 2
    assert state.index_view() == state.recount()


def test_duplicates_and_stale_versions_are_ignored() -> None:
    state = make_state()
    state.apply(event(11, INCIDENT_UPDATED, incident("I1", version=3, status="acknowledged")))
    changes = state.apply_many(
        [
            event(11, INCIDENT_UPDATED, incident("I1", version=4)),  # duplicate seq
            event(12, INCIDENT_UPDATED, incident("I1", version=2, status="new")),  # stale
            event(13, OFFICER_POSITION, Position(id="A", lat=-7.1, lon=109.5, at=at(-5))),
            event(14, OFFICER_POSITION, Position(id="ghost", lat=-7.1, lon=109.5, at=at(1))),
        ]
    )
    assert not changes
    assert changes.ignored == 4
    assert state.seq == 14
    assert state.incidents["I1"].status is IncidentStatus.ACKNOWLEDGED
    assert state.officers["A"].lat == -7.03


def test_a_skipped_seq_is_reported_and_nothing_applied() -> None:
    state = make_state()
    with pytest.raises(SeqGap) as caught:
        state.apply(event(12, TPS_UPDATED, tps("T1", version=2)))
    assert (caught.value.expected, caught.value.got) == (11, 12)
    assert state.seq == 10 and state.tps["T1"].version == 1


def test_queue_orders_by_priority_then_age_and_follows_priority_changes() -> None:
    state = ElectionState.from_snapshot(
        snapshot(
            incidents=[
                incident("old-p2", priority=2, reported_at=at(0)),
                incident("new-p2", priority=2, reported_at=at(5)),
                incident("p4", priority=4, reported_at=at(-30)),
            ]
        )
    )
    assert [i.id for i in state.open_incidents()] == ["old-p2", "new-p2", "p4"]
    state.apply(
        event(1, INCIDENT_UPDATED, incident("p4", version=2, priority=1, reported_at=at(-30)))
    )
    assert [i.id for i in state.open_incidents()] == ["p4", "old-p2", "new-p2"]
    assert state.index_view() == state.recount()


def test_snapshot_round_trip() -> None:
    state = make_state()
    again = ElectionState.from_snapshot(state.snapshot())
    assert again.index_view() == state.index_view()
    assert again.snapshot().model_dump() == state.snapshot().model_dump()


def test_officer_district_from_post_then_polsek() -> None:
    state = ElectionState.from_snapshot(
        snapshot(
            tps=[tps("T1", district="Wiradesa")],
            officers=[
                officer("posted", post_tps_id="T1"),
                officer("polsek", unit="Polsek Bojong"),
                officer("polres", unit="Sat Samapta Polres Pekalongan"),
            ],
        )
    )
    assert state.officer_district(state.officers["posted"]) == "Wiradesa"
    assert state.officer_district(state.officers["polsek"]) == "Bojong"
    assert state.officer_district(state.officers["polres"]) is None


def test_unit_history_and_status_since_follow_the_applied_records() -> None:
    """The state keeps what it saw a unit go through; a record without `status_since`
    (an older hub) gets its time in status from when the change was applied."""
    state = make_state()
    state.apply_many(
        [
            event(11, OFFICER_UPDATED, officer("A", version=2, status="dispatched",
                                               incident_id="I1", updated_at=at(5))),
            event(12, OFFICER_UPDATED, officer("A", version=3, status="dispatched",
                                               incident_id="I2", updated_at=at(7))),
            event(13, OFFICER_UPDATED, officer("A", version=4, status="available",
                                               updated_at=at(9))),
            event(14, OFFICER_UPDATED, officer("B", version=2, status="on_scene",
                                               status_since=at(3), updated_at=at(4))),
        ]
    )  # fmt: skip
    history = state.unit_history("A")
    assert [(c.at, c.status, c.incident_id, c.left, c.new_status) for c in history] == [
        (at(5), OfficerStatus.DISPATCHED, "I1", None, True),
        (at(7), OfficerStatus.DISPATCHED, "I2", "I1", False),
        (at(9), OfficerStatus.AVAILABLE, None, "I2", True),
    ]
    assert state.status_since(state.officers["A"]) == at(9)
    # The hub's own stamp wins over when the change reached this state.
    assert state.status_since(state.officers["B"]) == at(3)
    assert state.unit_history("nobody") == []


def test_status_since_unknown_when_never_seen_change() -> None:
    state = make_state()
    assert state.status_since(state.officers["A"]) is None
    # Only the incident changed: the status began before this state was watching.
    moved = officer("B", version=2, status="dispatched", incident_id="I1", updated_at=at(2))
    state.apply(event(11, OFFICER_UPDATED, moved))
    assert state.status_since(state.officers["B"]) is None


def test_nearest_tps_names_the_place_and_follows_new_tps() -> None:
    state = make_state()
    found = state.nearest_tps(-6.9001, 109.6)
    assert found is not None and found[0].id == "T1" and found[1] < 0.02
    new_tps = tps("T3", village="Kajen", district="Kajen", lat=-7.03, lon=109.58)
    state.apply(event(11, TPS_UPDATED, new_tps))
    found = state.nearest_tps(-7.031, 109.581)
    assert found is not None and found[0].village == "Kajen"
    assert 0.1 < found[1] < 0.2


def test_positions_applied_on_trial_rewind_to_the_held_state() -> None:
    state = make_state()
    before = state.snapshot().model_dump_json()
    held = state.held_positions(["A", "B"])
    state.apply_many(
        [
            event(11, OFFICER_POSITION, Position(id="A", lat=-7.1, lon=109.6, at=at(5))),
            event(12, OFFICER_POSITION, Position(id="A", lat=-7.2, lon=109.7, at=at(6))),
            event(13, OFFICER_POSITION, Position(id="B", lat=-7.3, lon=109.8, at=at(7))),
        ]
    )
    assert state.seq == 13 and state.officers["A"].lat == -7.2
    state.rewind(held)
    assert state.snapshot().model_dump_json() == before
    assert state.index_view() == state.recount()
    # what came first on the log applies on the rewound state, then the trial again
    state.apply(event(11, OFFICER_POSITION, Position(id="B", lat=-7.4, lon=109.9, at=at(8))))
    assert state.seq == 11 and state.officers["B"].lat == -7.4
