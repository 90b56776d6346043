"""Call-taking's pure rules: the place a caller names, the proposed priority and the
possible duplicate of a call the room already has."""

from __future__ import annotations

from datetime import timedelta

from pilkades_tui.domain.intake import (
    VillageCentre,
    description_limit,
    match_places,
    places,
    possible_duplicates,
    propose_priority,
)
from pilkades_tui.domain.models import Category, Risk
from pilkades_tui.domain.rules.settings import PrioritySettings
from tests.domain.factories import at, incident, tps

KAJEN_TPS = [
    tps("K1", name="TPS 01 Gejlig", village="Gejlig", district="Kajen", lat=-7.02, lon=109.59),
    tps("K3", name="TPS 03 Gejlig", village="Gejlig", district="Kajen", lat=-7.021, lon=109.59),
    tps(
        "B3",
        name="TPS 03 Bukur",
        village="Bukur",
        district="Bojong",
        lat=-7.0,
        lon=109.55,
        risk="high",
    ),  # fmt: skip
]
CENTRES = [
    VillageCentre("Kajen", "Kajen", -7.03, 109.58),  # a kelurahan: no TPS
    VillageCentre("Gejlig", "Kajen", -7.02, 109.59),  # has TPS: listed by its TPS
]
PLACES = places(KAJEN_TPS, CENTRES)


def labels(query: str) -> list[str]:
    return [place.label for place in match_places(PLACES, query)]


def test_places_are_every_tps_and_the_villages_without_one() -> None:
    assert [p.label for p in PLACES] == ["TPS 01 Gejlig", "TPS 03 Gejlig", "TPS 03 Bukur", "Kajen"]
    village = PLACES[-1]
    assert village.kind == "village" and village.tps_id is None
    assert village.risk is Risk.LOW  # its nearest TPS's


def test_type_ahead_over_tps_number_village_and_kecamatan() -> None:
    assert labels("kajen 3") == ["TPS 03 Gejlig"]
    assert labels("bukur") == ["TPS 03 Bukur"]
    assert labels("BUK 03") == ["TPS 03 Bukur"]
    # The village itself first, then the TPS of the kecamatan of that name.
    assert labels("kajen") == ["Kajen", "TPS 01 Gejlig", "TPS 03 Gejlig"]
    assert labels("gejlig 7") == []
    assert labels("   ") == []


def test_priority_proposal_says_when_the_place_raised_it() -> None:
    plain = propose_priority(Category.INTIMIDATION, Risk.LOW, PrioritySettings())
    assert (plain.priority, plain.base, plain.raised_by_risk) == (2, 2, False)
    raised = propose_priority(Category.INTIMIDATION, Risk.HIGH, PrioritySettings())
    assert (raised.priority, raised.base, raised.raised_by_risk) == (1, 2, True)
    custom = PrioritySettings(categories={Category.HOAX: 2}, raise_at_high_risk=False)
    off = propose_priority(Category.HOAX, Risk.HIGH, custom)
    assert (off.priority, off.base, off.raised_by_risk) == (2, 2, False)


def test_possible_duplicates_same_place_recent_or_near_while_open() -> None:
    place = PLACES[1]  # TPS 03 Gejlig
    now = at(40)
    same_recent = incident("INC-1", tps_id="K3", village="Gejlig", lat=-7.021, lon=109.59,
                           category="crowd", reported_at=at(20))  # fmt: skip
    far_same_village_recent = incident(
        "INC-2", village="Gejlig", district="Kajen", lat=-7.05, lon=109.59,
        category="crowd", reported_at=at(30),
    )  # fmt: skip
    near_but_old = incident("INC-3", tps_id="K1", village="Gejlig", lat=-7.0205, lon=109.59,
                            category="crowd", reported_at=at(-120))  # fmt: skip
    far_and_old = incident("INC-4", village="Gejlig", district="Kajen", lat=-7.05, lon=109.59,
                           category="crowd", reported_at=at(0))  # fmt: skip
    other_category = incident("INC-5", tps_id="K3", lat=-7.021, lon=109.59, category="clash",
                              reported_at=at(35))  # fmt: skip
    closed = incident("INC-6", tps_id="K3", lat=-7.021, lon=109.59, category="crowd",
                      reported_at=at(35), status="resolved")  # fmt: skip
    found = possible_duplicates(
        [same_recent, far_same_village_recent, near_but_old, far_and_old, other_category, closed],
        place,
        Category.CROWD,
        now,
    )
    assert [d.incident.id for d in found] == ["INC-1", "INC-3", "INC-2"]
    assert found[0].same_place and found[0].minutes_ago == 20
    # A village without a TPS matches a report in that village within the window.
    village = PLACES[-1]
    kajen = incident("INC-7", village="Kajen", district="Kajen", lat=-7.06, lon=109.58,
                     category="crowd", reported_at=now - timedelta(minutes=29))  # fmt: skip
    assert [d.incident.id for d in possible_duplicates([kajen], village, Category.CROWD, now)] == [
        "INC-7"
    ]
    assert possible_duplicates([kajen], village, Category.CROWD, now + timedelta(minutes=2)) == []


def test_description_limit_is_the_protocols() -> None:
    assert description_limit() == 2000
