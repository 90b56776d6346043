"""The `pekalongan` scenario: Pilkades serentak in Kabupaten Pekalongan.

Geography is real (data/). Everything the data does not hold is drawn from one
`random.Random(seed)` in a fixed order, so the same seed gives the same scenario:

- Election: only a desa elects a village head (a kelurahan's lurah is appointed).
  Each desa holds its election this day with probability ELECTION_SHARE (the rest
  elected in another wave).
- Electorate: a desa has 1,200-5,200 registered voters (DPT); it gets one TPS per
  about 550 voters (at least two), each TPS serving 200-800 voters.
- Conflict risk (pre-election mapping, aman / rawan / sangat rawan): drawn per desa
  with weights RISK_WEIGHTS; a desa with six or more TPS (a large electorate, where
  rival camps are bigger) draws from RISK_WEIGHTS_LARGE instead.
- Police: Polres Pekalongan at Kajen holds Dalmas teams and Samapta (Sabhara)
  patrols; one Polsek per kecamatan at its centroid with two patrol cars; one
  Bhabinkamtibmas per electing desa, posted at its first TPS; TPS guards posted by the
  staffing pattern of the desa's risk class (domain/rules/settings.py, e.g. aman: 2
  officers per 5 TPS), except that a high-risk TPS is left one guard short with
  probability SHORT_HIGH_RISK_SHARE, so the staffing alerts have something to find.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime
from math import ceil

from pilkades_tui.domain.models import (
    ElectionPhase,
    Officer,
    OfficerKind,
    Phase,
    Risk,
    Tps,
)
from pilkades_tui.domain.rules.settings import StaffingSettings
from pilkades_tui.scenario.geography import District, Geography, Village, districts, villages

ELECTION_SHARE = 0.7
VOTERS_PER_DESA = (1200, 5200)
VOTERS_PER_TPS_TARGET = 550
VOTERS_PER_TPS = (200, 800)
RISK_WEIGHTS = {Risk.LOW: 0.70, Risk.MEDIUM: 0.22, Risk.HIGH: 0.08}
RISK_WEIGHTS_LARGE = {Risk.LOW: 0.50, Risk.MEDIUM: 0.32, Risk.HIGH: 0.18}
SHORT_HIGH_RISK_SHARE = 0.1
STAFFING = StaffingSettings()
POLRES_SEAT = "Kajen"
POLRES_UNIT = "Polres Pekalongan"
DALMAS_TEAMS = 4
SAMAPTA_PATROLS = 6
POLSEK_PATROLS = 2
# About 100 m of jitter, so posts and TPS do not sit on one point.
JITTER_DEG = 0.004

FIRST_NAMES = (
    "Agus",
    "Budi",
    "Slamet",
    "Joko",
    "Eko",
    "Heru",
    "Bambang",
    "Sugeng",
    "Teguh",
    "Wahyu",
    "Dwi",
    "Tri",
    "Arif",
    "Rizki",
    "Fajar",
    "Yusuf",
    "Imam",
    "Muhammad",
    "Andi",
    "Hendra",
    "Setyo",
    "Nur",
    "Sri",
    "Siti",
    "Dewi",
    "Ratna",
    "Rina",
    "Yuli",
    "Aditya",
    "Galih",
    "Bayu",
    "Anang",
    "Sutrisno",
    "Suryo",
    "Darmo",
)
FAMILY_NAMES = (
    "Santoso",
    "Prasetyo",
    "Wibowo",
    "Nugroho",
    "Saputra",
    "Hidayat",
    "Setiawan",
    "Purnomo",
    "Kurniawan",
    "Susanto",
    "Rahmawati",
    "Lestari",
    "Wijaya",
    "Hartono",
    "Utomo",
    "Syahputra",
    "Firmansyah",
    "Maulana",
    "Riyanto",
    "Sulistyo",
    "Mahendra",
    "Pamungkas",
    "Wicaksono",
    "Handoko",
    "Suharto",
    "Fauzi",
    "Ramadhan",
    "Hakim",
)
GUARD_RANKS = ("Bripda", "Briptu", "Brigpol")
BHABIN_RANKS = ("Bripka", "Aipda", "Aiptu")
PATROL_RANKS = ("Brigpol", "Bripka")


@dataclass(frozen=True, slots=True)
class ElectingVillage:
    village: Village
    risk: Risk
    tps_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Scenario:
    name: str
    seed: int
    phase: Phase
    tps: tuple[Tps, ...]
    officers: tuple[Officer, ...]
    electing: tuple[ElectingVillage, ...]
    # The election's own places; None: the packaged Pekalongan.
    geography: Geography | None = None


def district_abbreviation(name: str, taken: set[str]) -> str:
    """A three-letter radio prefix: the initial, then consonants (Kajen → KJN)."""
    letters = name.upper()
    consonants = [c for c in letters[1:] if c.isalpha() and c not in "AIUEO"]
    candidate = (letters[0] + "".join(consonants))[:3].ljust(3, "X")
    index = 3
    while candidate in taken and index < len(consonants) + 1:
        candidate = letters[0] + consonants[0] + consonants[index - 1]
        index += 1
    number = 2
    base = candidate[:2]
    while candidate in taken:
        candidate = f"{base}{number}"
        number += 1
    taken.add(candidate)
    return candidate


def _jitter(rng: random.Random, value: float) -> float:
    return round(value + rng.uniform(-JITTER_DEG, JITTER_DEG), 6)


def _person_name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(FAMILY_NAMES)}"


def _split_voters(rng: random.Random, electorate: int) -> list[int]:
    count = max(2, round(electorate / VOTERS_PER_TPS_TARGET))
    low, high = VOTERS_PER_TPS
    shares = [rng.uniform(0.8, 1.2) for _ in range(count)]
    total = sum(shares)
    voters = [min(high, max(low, round(electorate * s / total))) for s in shares]
    return voters


def build(seed: int, at: datetime) -> Scenario:
    rng = random.Random(seed)
    taken: set[str] = set()
    abbreviations = {d.name: district_abbreviation(d.name, taken) for d in districts()}
    by_district: dict[str, District] = {d.name: d for d in districts()}

    tps_records: list[Tps] = []
    officers: list[Officer] = []
    electing: list[ElectingVillage] = []
    guard_numbers = dict.fromkeys(abbreviations, 0)
    bhabin_numbers = dict.fromkeys(abbreviations, 0)

    def officer(
        callsign: str,
        name: str,
        rank: str,
        unit: str,
        kind: OfficerKind,
        lat: float,
        lon: float,
        post: str | None,
    ) -> Officer:
        return Officer(
            id=callsign,
            name=name,
            rank=rank,
            unit=unit,
            kind=kind,
            status_since=at,
            last_contact_at=at,
            lat=lat,
            lon=lon,
            position_at=at,
            post_tps_id=post,
            updated_at=at,
        )

    for village in villages():
        if village.kind != "desa" or rng.random() >= ELECTION_SHARE:
            continue
        electorate = rng.randint(*VOTERS_PER_DESA)
        voters = _split_voters(rng, electorate)
        weights = RISK_WEIGHTS_LARGE if len(voters) >= 6 else RISK_WEIGHTS
        risk = rng.choices(list(weights), weights=list(weights.values()))[0]
        prefix = abbreviations[village.district]
        unit = f"Polsek {village.district}"
        village_tps: list[Tps] = []
        for number, tps_voters in enumerate(voters, start=1):
            village_tps.append(
                Tps(
                    id=f"{village.code}-T{number:02d}",
                    name=f"TPS {number:02d} {village.name}",
                    village=village.name,
                    village_code=village.code,
                    district=village.district,
                    lat=_jitter(rng, village.lat),
                    lon=_jitter(rng, village.lon),
                    voters=tps_voters,
                    risk=risk,
                    updated_at=at,
                )
            )
        posted: dict[str, list[str]] = {t.id: [] for t in village_tps}
        bhabin_numbers[village.district] += 1
        first = village_tps[0]
        bhabin = officer(
            f"{prefix}-B{bhabin_numbers[village.district]:02d}",
            _person_name(rng),
            rng.choice(BHABIN_RANKS),
            unit,
            OfficerKind.PERSON,
            first.lat,
            first.lon,
            first.id,
        )
        officers.append(bhabin)
        posted[first.id].append(bhabin.id)
        pattern = STAFFING.pattern(risk)
        for index in range(0, len(village_tps), pattern.per_tps):
            group = village_tps[index : index + pattern.per_tps]
            # A group smaller than the pattern's still needs its share, rounded up.
            guards = ceil(pattern.officers * len(group) / pattern.per_tps)
            if risk is Risk.HIGH and rng.random() < SHORT_HIGH_RISK_SHARE:
                guards -= 1  # leave this post short, as happens on the day
            for _ in range(guards):
                guard_numbers[village.district] += 1
                guard = officer(
                    f"{prefix}-{guard_numbers[village.district]:03d}",
                    _person_name(rng),
                    rng.choice(GUARD_RANKS),
                    unit,
                    OfficerKind.PERSON,
                    group[0].lat,
                    group[0].lon,
                    group[0].id,
                )
                officers.append(guard)
                for covered in group:
                    posted[covered.id].append(guard.id)
        for record in village_tps:
            record.officer_ids = posted[record.id]
        tps_records.extend(village_tps)
        electing.append(ElectingVillage(village, risk, tuple(t.id for t in village_tps)))

    for name, district in by_district.items():
        prefix = abbreviations[name]
        for number in range(1, POLSEK_PATROLS + 1):
            officers.append(
                officer(
                    f"{prefix}-P{number}",
                    f"Patroli {number} Polsek {name}",
                    rng.choice(PATROL_RANKS),
                    f"Polsek {name}",
                    OfficerKind.VEHICLE,
                    _jitter(rng, district.lat),
                    _jitter(rng, district.lon),
                    None,
                )
            )
    seat = by_district[POLRES_SEAT]
    for number in range(1, DALMAS_TEAMS + 1):
        officers.append(
            officer(
                f"DALMAS-{number}",
                f"Regu Dalmas {number}",
                "Ipda",
                f"Sat Samapta {POLRES_UNIT}",
                OfficerKind.TEAM,
                _jitter(rng, seat.lat),
                _jitter(rng, seat.lon),
                None,
            )
        )
    for number in range(1, SAMAPTA_PATROLS + 1):
        officers.append(
            officer(
                f"SAMAPTA-{number}",
                f"Patroli Samapta {number}",
                rng.choice(PATROL_RANKS),
                f"Sat Samapta {POLRES_UNIT}",
                OfficerKind.VEHICLE,
                _jitter(rng, seat.lat),
                _jitter(rng, seat.lon),
                None,
            )
        )
    phase = Phase(
        phase=ElectionPhase.PREPARATION, since=at, note="Pilkades serentak", updated_at=at
    )
    return Scenario(
        name="pekalongan",
        seed=seed,
        phase=phase,
        tps=tuple(tps_records),
        officers=tuple(officers),
        electing=tuple(electing),
    )
