"""The shape of a Pilkades day, as pure functions of the simulated WIB clock.

Nothing here talks to the hub: the runner (sim/runner.py) asks these functions what
should have happened by now and sends it. See docs/simulator.md for the numbers.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from pilkades_tui.domain.clock import WIB
from pilkades_tui.domain.models import Category, ElectionPhase, Risk, TpsPhase

# Kabupaten-wide phases by the clock (WIB).
PHASE_STARTS: tuple[tuple[time, ElectionPhase], ...] = (
    (time(6, 0), ElectionPhase.PREPARATION),
    (time(7, 0), ElectionPhase.VOTING),
    (time(13, 0), ElectionPhase.COUNTING),
    (time(17, 0), ElectionPhase.RECAP),
    (time(20, 0), ElectionPhase.DONE),
)
DAY_START = time(5, 30)

# Incidents per simulated hour across the kabupaten, by phase: disputes peak at the
# count, crowds at closing time. Chosen so a demo day shows a few dozen incidents.
# `None` is the dawn before preparation: the hour of the "serangan fajar".
INCIDENTS_PER_HOUR: dict[ElectionPhase | None, float] = {
    None: 2.0,
    ElectionPhase.PREPARATION: 3.0,
    ElectionPhase.VOTING: 4.0,
    ElectionPhase.COUNTING: 7.0,
    ElectionPhase.RECAP: 3.0,
    ElectionPhase.DONE: 0.5,
}
CATEGORY_WEIGHTS: dict[ElectionPhase | None, dict[Category, float]] = {
    None: {Category.MONEY_POLITICS: 5, Category.INTIMIDATION: 1, Category.HOAX: 1},
    ElectionPhase.PREPARATION: {
        Category.LOGISTICS: 4, Category.MONEY_POLITICS: 3, Category.INTIMIDATION: 1,
        Category.HOAX: 1.5, Category.OTHER: 1,
    },
    ElectionPhase.VOTING: {
        Category.HEALTH_PROTOCOL: 3, Category.CROWD: 2, Category.MONEY_POLITICS: 2,
        Category.INTIMIDATION: 1.5, Category.HOAX: 1.5, Category.LOGISTICS: 1,
        Category.OTHER: 1, Category.FIRE_OR_DISASTER: 0.2,
    },
    ElectionPhase.COUNTING: {
        Category.VOTE_DISPUTE: 5, Category.CROWD: 3, Category.CLASH: 1,
        Category.INTIMIDATION: 1, Category.HOAX: 1.5, Category.OTHER: 0.5,
    },
    ElectionPhase.RECAP: {
        Category.VOTE_DISPUTE: 3, Category.CROWD: 2, Category.CLASH: 0.5, Category.HOAX: 1,
        Category.LOGISTICS: 1,
    },
    ElectionPhase.DONE: {Category.CROWD: 1, Category.OTHER: 1},
}  # fmt: skip
# The morning rush at the TPS, and how often it breaks distancing at an orderly TPS.
RUSH = (time(8, 0), time(10, 0))
RUSH_WARNING_SHARE = 0.15
RISK_WEIGHT: dict[Risk, float] = {Risk.LOW: 1.0, Risk.MEDIUM: 2.5, Risk.HIGH: 5.0}
# Share of reports that turn out false (a hoax or a misunderstanding).
FALSE_REPORT_SHARE = 0.12

DESCRIPTIONS: dict[Category, tuple[str, ...]] = {
    Category.CROWD: (
        "Massa pendukung calon berkumpul di depan TPS, sekitar {n} orang",
        "Kerumunan warga menunggu hasil penghitungan, mulai memanas",
    ),
    Category.CLASH: (
        "Adu mulut antar pendukung berujung saling dorong",
        "Keributan antar kelompok pendukung, ada yang membawa senjata tajam",
    ),
    Category.INTIMIDATION: (
        "Warga melapor didatangi orang tak dikenal dan diminta memilih calon tertentu",
        "Saksi calon diancam oleh sekelompok pemuda",
    ),
    Category.MONEY_POLITICS: (
        "Dugaan pembagian amplop kepada warga menjelang pemungutan suara",
        "Serangan fajar: warga menerima uang dan sembako",
    ),
    Category.VOTE_DISPUTE: (
        "Saksi calon menolak menandatangani berita acara penghitungan",
        "Protes surat suara tidak sah, penghitungan dihentikan sementara",
    ),
    Category.LOGISTICS: (
        "Kotak suara belum tiba di TPS",
        "Surat suara kurang {n} lembar dari DPT",
    ),
    Category.HEALTH_PROTOCOL: (
        "Antrean pemilih tidak menjaga jarak, banyak yang tidak bermasker",
        "Tempat cuci tangan di TPS tidak tersedia",
    ),
    Category.HOAX: (
        "Beredar pesan berantai bahwa TPS dipindah",
        "Kabar di media sosial: kotak suara dibawa kabur",
    ),
    Category.FIRE_OR_DISASTER: (
        "Tenda TPS roboh diterpa angin kencang",
        "Kebakaran rumah warga di dekat TPS",
    ),
    Category.OTHER: ("Pemilih pingsan di antrean", "Listrik padam di lokasi TPS"),
}
SOURCES = ("Bhabinkamtibmas {callsign}", "Panitia {tps}", "warga sekitar", "Babinsa {village}")


def phase_at(moment: datetime) -> ElectionPhase | None:
    """The kabupaten phase at `moment`, None before preparation starts."""
    current = None
    clock = moment.astimezone(WIB).time()
    for start, phase in PHASE_STARTS:
        if clock >= start:
            current = phase
    return current


def at_clock(day: date, clock: time) -> datetime:
    return datetime.combine(day, clock, tzinfo=WIB)


def turnout_share(moment: datetime, opens: datetime, closes: datetime) -> float:
    """Share of the final turnout reached by `moment`: a morning rush, a slow noon.

    The cumulative curve is the normalised integral of a rate that peaks about an
    hour after opening and decays, so it rises steeply before 10:00 and flattens.
    """
    if moment <= opens:
        return 0.0
    if moment >= closes:
        return 1.0
    span = (closes - opens).total_seconds()
    x = (moment - opens).total_seconds() / span
    # Gamma-like rate x * exp(-x / k): its integral is 1 - (1 + x/k) * exp(-x/k).
    k = 0.18

    def cumulative(value: float) -> float:
        return 1 - (1 + value / k) * math.exp(-value / k)

    return cumulative(x) / cumulative(1.0)


@dataclass(slots=True)
class TpsPlan:
    """When one TPS passes each stage (drawn once per TPS from the seed)."""

    tps_id: str
    voters: int
    final_turnout: float
    opens: datetime
    closes: datetime
    counted: datetime
    recapped: datetime
    report_every: timedelta
    health: str = "ok"

    def phase_at(self, moment: datetime) -> TpsPhase:
        if moment >= self.recapped:
            return TpsPhase.CLOSED
        if moment >= self.counted:
            return TpsPhase.RECAP
        if moment >= self.closes:
            return TpsPhase.COUNTING
        if moment >= self.opens:
            return TpsPhase.VOTING
        return TpsPhase.SETUP

    def health_at(self, rng: random.Random, moment: datetime) -> str:
        """What the TPS reports on the health protocol: its usual state, but the
        morning rush (08:00-10:00) crowds the queue at a TPS that otherwise keeps it."""
        rush = at_clock(moment.date(), RUSH[0]) <= moment < at_clock(moment.date(), RUSH[1])
        if self.health == "ok" and rush and rng.random() < RUSH_WARNING_SHARE:
            return "warning"
        return self.health

    def ballots_at(self, moment: datetime) -> int:
        share = turnout_share(moment, self.opens, self.closes)
        return min(self.voters, int(self.voters * self.final_turnout * share))


def plan_tps(rng: random.Random, tps_id: str, voters: int, day: date) -> TpsPlan:
    opens = at_clock(day, time(7, 0)) + timedelta(minutes=rng.uniform(0, 12))
    closes = at_clock(day, time(13, 0)) + timedelta(minutes=rng.uniform(0, 8))
    counted = closes + timedelta(minutes=rng.uniform(90, 220))
    return TpsPlan(
        tps_id=tps_id,
        voters=voters,
        final_turnout=rng.uniform(0.72, 0.88),
        opens=opens,
        closes=closes,
        counted=counted,
        recapped=counted + timedelta(minutes=rng.uniform(30, 120)),
        report_every=timedelta(minutes=rng.uniform(20, 40)),
        health=rng.choices(["ok", "warning", "violation"], weights=[85, 12, 3])[0],
    )


@dataclass(slots=True)
class IncidentPlan:
    category: Category
    tps_id: str
    description: str
    reported_by: str
    false_report: bool
    priority: int | None = None
    extra: dict[str, str] = field(default_factory=dict)


def incidents_due(rng: random.Random, phase: ElectionPhase | None, sim_seconds: float) -> int:
    """How many reports arrive in `sim_seconds` (Poisson)."""
    mean = INCIDENTS_PER_HOUR[phase] * sim_seconds / 3600
    # Knuth's method: fine for the small means of one tick.
    threshold = math.exp(-mean)
    count, product = 0, rng.random()
    while product > threshold:
        count += 1
        product *= rng.random()
    return count


def pick_incident(
    rng: random.Random,
    phase: ElectionPhase | None,
    places: list[tuple[str, str, str, Risk, str | None]],
) -> IncidentPlan:
    """`places`: (tps_id, tps name, village, risk, bhabin callsign) to choose from;
    `phase` None is the dawn before preparation."""
    weights = [RISK_WEIGHT[risk] for _, _, _, risk, _ in places]
    tps_id, tps_name, village, _risk, bhabin = rng.choices(places, weights=weights)[0]
    table = CATEGORY_WEIGHTS[phase]
    category = rng.choices(list(table), weights=list(table.values()))[0]
    false_report = category == Category.HOAX or rng.random() < FALSE_REPORT_SHARE
    description = rng.choice(DESCRIPTIONS[category]).format(n=rng.randint(20, 150))
    source = rng.choice(SOURCES if bhabin else SOURCES[1:])
    reported_by = source.format(callsign=bhabin, tps=tps_name, village=village)
    return IncidentPlan(category, tps_id, description, reported_by, false_report)


def routine_report_floor(tps_count: int, requests_per_s: float, speed: float) -> timedelta:
    """The shortest simulated interval between two routine reports of one TPS, so
    that all TPS together send at most `requests_per_s` real requests a second.

    At `speed` simulated seconds per real second, `tps_count` TPS each reporting once
    per interval I send tps_count * speed / I requests a real second.
    """
    budget = max(1.0, requests_per_s)
    return timedelta(seconds=tps_count / budget * speed)
