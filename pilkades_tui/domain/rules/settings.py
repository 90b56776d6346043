"""The election-security rule settings: one validated, immutable object.

Every number a rule uses lives here with its default; docs/settings.md says where each
default comes from. Reading a file is not the domain's business: the loader in
`pilkades_tui.settings_file` turns a TOML file into a `RuleSettings`, and the rules take
that object (and `now`) as arguments. Unknown keys are errors, so a typo in the file is
caught at start instead of silently falling back to a default.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from pilkades_tui.domain.models import Category, Risk

PositiveMinutes = Annotated[int, Field(gt=0, le=24 * 60)]


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# ---- staffing ----------------------------------------------------------------


class StaffingPattern(Settings):
    """`officers` police officers secure `per_tps` TPS (Polri writes it "2:10:5": 2
    officers, 10 Linmas, 5 TPS; Linmas are village guards, not counted here)."""

    officers: Annotated[int, Field(ge=0, le=100)]
    per_tps: Annotated[int, Field(ge=1, le=100)]

    @property
    def per_one_tps(self) -> float:
        return self.officers / self.per_tps


class StaffingSettings(Settings):
    # Polres Pekalongan's pattern for the 2018 Jawa Tengah governor election (see
    # docs/settings.md): aman 2:10:5, rawan I 2:4:2, rawan II 2:2:1.
    low: StaffingPattern = StaffingPattern(officers=2, per_tps=5)
    medium: StaffingPattern = StaffingPattern(officers=2, per_tps=2)
    high: StaffingPattern = StaffingPattern(officers=2, per_tps=1)
    alert_risks: frozenset[Risk] = frozenset({Risk.HIGH})

    def pattern(self, risk: Risk) -> StaffingPattern:
        if risk == Risk.HIGH:
            return self.high
        if risk == Risk.MEDIUM:
            return self.medium
        return self.low


# ---- checkpoints ---------------------------------------------------------------


class Stage(StrEnum):
    """The checkpoints every TPS passes on election day, in order."""

    BALLOTS_DELIVERED = "ballots_delivered"
    VOTING_OPEN = "voting_open"
    VOTING_CLOSED = "voting_closed"
    COUNTING_DONE = "counting_done"
    BOX_RETURNED = "box_returned"


STAGES: tuple[Stage, ...] = tuple(Stage)


class CheckpointSettings(Settings):
    ballots_delivered: dt.time = dt.time(6, 30)
    voting_open: dt.time = dt.time(7, 0)
    voting_closed: dt.time = dt.time(13, 0)
    counting_done: dt.time = dt.time(17, 0)
    box_returned: dt.time = dt.time(20, 0)
    # A TPS report reaches the hub minutes after the fact; without a grace, every TPS
    # that opened at 07:00 sharp would be flagged for the seconds its report travels.
    grace_minutes: Annotated[int, Field(ge=0, le=180)] = 5
    # The election day; when absent, the rules take it from the election phase (see
    # checkpoints.election_day).
    election_date: dt.date | None = None

    @model_validator(mode="after")
    def _in_order(self) -> CheckpointSettings:
        times = [(stage, self.due_time(stage)) for stage in STAGES]
        for (earlier, first), (later, second) in zip(times, times[1:], strict=False):
            if second <= first:
                raise ValueError(
                    f"{later.value} ({second:%H:%M}) must come after "
                    f"{earlier.value} ({first:%H:%M})"
                )
        return self

    def due_time(self, stage: Stage) -> dt.time:
        value: dt.time = getattr(self, stage.value)
        return value.replace(tzinfo=None)


# ---- priority, targets, timers ---------------------------------------------------

# The highland kecamatan of Kabupaten Pekalongan: long, winding roads up the Dieng
# slopes, where a unit cannot reach a scene as fast as on the coastal plain.
HIGHLAND_DISTRICTS = frozenset(
    {"Kandangserang", "Paninggaran", "Lebakbarang", "Petungkriyono", "Talun", "Doro"}
)


class PrioritySettings(Settings):
    """Priority of a report that came without one. Only the categories listed in
    `categories` override the built-in table of domain/priority.py."""

    categories: dict[Category, Annotated[int, Field(ge=1, le=4)]] = Field(default_factory=dict)
    raise_at_high_risk: bool = True


class ResponseTarget(Settings):
    """How soon a unit should be on scene: within minutes, within the shift in which the
    report came in, or not at all (monitor only)."""

    within: Literal["minutes", "shift", "none"] = "minutes"
    minutes: PositiveMinutes | None = None
    rural_minutes: PositiveMinutes | None = None

    @model_validator(mode="after")
    def _minutes_given(self) -> ResponseTarget:
        # Minutes next to "shift" or "none" are ignored rather than refused: a file that
        # overrides only `within` keeps the default minutes underneath.
        if self.within == "minutes" and self.minutes is None:
            raise ValueError("within = 'minutes' needs minutes")
        return self


class TargetSettings(Settings):
    p1: ResponseTarget = ResponseTarget(minutes=15, rural_minutes=20)
    p2: ResponseTarget = ResponseTarget(minutes=60)
    p3: ResponseTarget = ResponseTarget(within="shift")
    p4: ResponseTarget = ResponseTarget(within="none")
    # Perwira piket shifts change at these WIB times; a P3 is due before the next one.
    shift_changes: tuple[dt.time, ...] = (dt.time(7, 0), dt.time(19, 0))
    # The warning stage of the on-scene target comes at this share of the target time.
    warning_fraction: Annotated[float, Field(gt=0.0, lt=1.0)] = 0.75
    rural_districts: frozenset[str] = HIGHLAND_DISTRICTS

    @model_validator(mode="after")
    def _shifts_in_order(self) -> TargetSettings:
        if not self.shift_changes:
            raise ValueError("shift_changes needs at least one time")
        times = [t.replace(tzinfo=None) for t in self.shift_changes]
        if times != sorted(set(times)):
            raise ValueError("shift_changes must be distinct times in increasing order")
        return self

    def for_priority(self, priority: int) -> ResponseTarget:
        return (self.p1, self.p2, self.p3, self.p4)[priority - 1]


class Stages(Settings):
    """A timer's two stages, in minutes: a warning, then an alarm."""

    warning: PositiveMinutes
    alarm: PositiveMinutes

    @model_validator(mode="after")
    def _warning_first(self) -> Stages:
        if self.alarm <= self.warning:
            raise ValueError(f"alarm ({self.alarm}) must be later than warning ({self.warning})")
        return self


class TimerKind(StrEnum):
    UNACKNOWLEDGED = "unacknowledged"  # new, nobody has acknowledged it
    NOT_MOVING = "not_moving"  # units dispatched, none en route yet
    NO_CONTACT = "no_contact"  # on scene, no word from the units
    TARGET = "target"  # the on-scene target of its priority is passing


TimerStages = Stages | Literal["off"]


class PriorityTimers(Settings):
    """Timers of one priority; "off" switches a timer off for that priority."""

    unacknowledged: TimerStages = "off"
    not_moving: TimerStages = "off"
    no_contact: TimerStages = "off"

    def stages(self, kind: TimerKind) -> Stages | None:
        if kind == TimerKind.TARGET:
            return None
        stages: TimerStages = getattr(self, kind.value)
        return None if stages == "off" else stages


class TimerSettings(Settings):
    p1: PriorityTimers = PriorityTimers(
        unacknowledged=Stages(warning=2, alarm=5),
        not_moving=Stages(warning=3, alarm=6),
        no_contact=Stages(warning=10, alarm=20),
    )
    p2: PriorityTimers = PriorityTimers(
        unacknowledged=Stages(warning=5, alarm=10),
        not_moving=Stages(warning=5, alarm=10),
        no_contact=Stages(warning=15, alarm=30),
    )
    p3: PriorityTimers = PriorityTimers(
        unacknowledged=Stages(warning=15, alarm=30),
        not_moving=Stages(warning=10, alarm=20),
        no_contact=Stages(warning=30, alarm=60),
    )
    p4: PriorityTimers = PriorityTimers(unacknowledged=Stages(warning=30, alarm=60))

    def for_priority(self, priority: int) -> PriorityTimers:
        return (self.p1, self.p2, self.p3, self.p4)[priority - 1]


# ---- TPS reports -------------------------------------------------------------------


class ReportingSettings(Settings):
    """How often a TPS is expected to report while the day runs: a TPS silent for longer
    stands out in the console's TPS pane and is listed in the Anev report. A unit's
    position fix older than `unit_fix_stale_minutes` stands out on the unit board: its
    GPS or radio may be lost."""

    tps_stale_minutes: PositiveMinutes = 30
    unit_fix_stale_minutes: PositiveMinutes = 15


# ---- confirmations -----------------------------------------------------------------


class ConfirmationSettings(Settings):
    """How hard the console makes closing an incident (resolve, cancel, verify as
    invalid): always with a written reason; for these priorities the officer also types
    the incident's number, so a P1 cannot be closed by two stray keys."""

    typed_priorities: frozenset[Annotated[int, Field(ge=1, le=4)]] = frozenset({1, 2})


# ---- spread ----------------------------------------------------------------------


class SpreadSettings(Settings):
    categories: frozenset[Category] = frozenset(
        {Category.CROWD, Category.CLASH, Category.INTIMIDATION, Category.VOTE_DISPUTE}
    )
    radius_km: Annotated[float, Field(gt=0.0, le=100.0)] = 3.0
    window_minutes: Annotated[int, Field(gt=0, le=24 * 60)] = 30
    min_incidents: Annotated[int, Field(ge=2, le=1000)] = 3
    use_adjacency: bool = True
    # Village outlines are simplified (60-100 m): neighbours may show a small gap.
    adjacency_tolerance_km: Annotated[float, Field(ge=0.0, le=2.0)] = 0.15

    @model_validator(mode="after")
    def _some_categories(self) -> SpreadSettings:
        if not self.categories:
            raise ValueError("categories needs at least one category")
        return self


class RuleSettings(Settings):
    staffing: StaffingSettings = StaffingSettings()
    checkpoints: CheckpointSettings = CheckpointSettings()
    priority: PrioritySettings = PrioritySettings()
    targets: TargetSettings = TargetSettings()
    timers: TimerSettings = TimerSettings()
    spread: SpreadSettings = SpreadSettings()
    reporting: ReportingSettings = ReportingSettings()
    confirmation: ConfirmationSettings = ConfirmationSettings()


DEFAULT_SETTINGS = RuleSettings()


def settings_from_overrides(overrides: Mapping[str, Any]) -> RuleSettings:
    """The defaults with `overrides` (a parsed settings file) laid over them, table by
    table: a file names only what it changes. Raises pydantic's ValidationError."""
    merged = _merge(DEFAULT_SETTINGS.model_dump(mode="python"), overrides)
    return RuleSettings.model_validate(merged)


def _merge(base: dict[str, Any], overrides: Mapping[str, Any]) -> dict[str, Any]:
    result = dict(base)
    for key, value in overrides.items():
        held = result.get(key)
        if isinstance(held, dict) and isinstance(value, Mapping):
            result[key] = _merge(held, value)
        else:
            result[key] = value
    return result
