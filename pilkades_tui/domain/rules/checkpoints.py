"""Stage checkpoints: every TPS should pass each stage of the day by its WIB time.

A TPS's progress is read from its phase, the one thing its KPPS reports:

- ballots_delivered: phase past `setup`; or, in `setup`, the TPS has reported
  (`last_report_at`) and none of its officers still reports `escorting`;
- voting_open: phase `voting` or later;
- voting_closed: phase `counting` or later;
- counting_done: phase `recap` or later;
- box_returned: phase `closed`.

So a TPS's progress is one number, its level: how many stages it has reached. A stage
is missed by every TPS below it once `now` is later than its time plus the grace.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from pilkades_tui.domain.clock import WIB, to_wib
from pilkades_tui.domain.models import ElectionPhase, Phase, Tps, TpsPhase
from pilkades_tui.domain.rules.settings import STAGES, CheckpointSettings, Stage

# Level of a TPS by phase (how many stages it has reached); `setup` is 0 or 1
# depending on the ballots.
PHASE_LEVEL: dict[TpsPhase, int] = {
    TpsPhase.SETUP: 0,
    TpsPhase.VOTING: 2,
    TpsPhase.COUNTING: 3,
    TpsPhase.RECAP: 4,
    TpsPhase.CLOSED: 5,
}


class StageState(StrEnum):
    UPCOMING = "upcoming"  # its time has not come
    MET = "met"  # time passed, every TPS reached it
    MISSED = "missed"  # time passed, some TPS have not


@dataclass(frozen=True, slots=True)
class StageSummary:
    stage: Stage
    due: dt.datetime | None  # None before the election day is known
    reached: int
    pending: int
    state: StageState
    pending_by_district: dict[str, int] = field(default_factory=dict)


def tps_level(tps: Tps, escorting: bool) -> int:
    level = PHASE_LEVEL[tps.phase]
    if level == 0 and tps.last_report_at is not None and not escorting:
        return 1
    return level


def election_day(settings: CheckpointSettings, phase: Phase, now: dt.datetime) -> dt.date | None:
    """The day the checkpoints are on.

    The setting wins. Else the day the election phase left `preparation` (the admin
    opens voting on election day). Still in preparation, it is today only before the
    voting-closed checkpoint: at 22:00 the evening before, nothing is due yet.
    """
    if settings.election_date is not None:
        return settings.election_date
    if phase.phase != ElectionPhase.PREPARATION:
        return to_wib(phase.since).date()
    local = to_wib(now)
    if local.time() < settings.due_time(Stage.VOTING_CLOSED):
        return local.date()
    return None


def due_at(settings: CheckpointSettings, day: dt.date, stage: Stage) -> dt.datetime:
    return dt.datetime.combine(day, settings.due_time(stage), tzinfo=WIB)


def missed_after(settings: CheckpointSettings, day: dt.date, stage: Stage) -> dt.datetime:
    """A TPS below the stage is late once `now` is later than this."""
    return due_at(settings, day, stage) + dt.timedelta(minutes=settings.grace_minutes)


class CheckpointIndex:
    """The level of every TPS, kept as TPS change, and per stage the TPS still short of
    it grouped by kecamatan, so a checkpoint alert over 50k TPS is rebuilt from the
    kecamatan that changed, not from every TPS."""

    def __init__(self, settings: CheckpointSettings) -> None:
        self.settings = settings
        self.stage_versions = [0] * len(STAGES)
        self._clear()

    def _clear(self) -> None:
        self._level: dict[str, int] = {}
        self._district: dict[str, str] = {}
        # _pending[i][district]: TPS of the kecamatan that have not reached stage i.
        self._pending: list[dict[str, set[str]]] = [{} for _ in STAGES]
        self._pending_count = [0] * len(STAGES)
        self._sorted: list[dict[str, tuple[str, ...]]] = [{} for _ in STAGES]

    def rebuild(self, tps: Iterable[Tps], escorting: Callable[[str], bool]) -> None:
        self._clear()
        self.stage_versions = [version + 1 for version in self.stage_versions]
        self.update(tps, escorting)

    def update(self, tps: Iterable[Tps], escorting: Callable[[str], bool]) -> None:
        for record in tps:
            self._put(record.id, record.district, tps_level(record, escorting(record.id)))

    def _put(self, tps_id: str, district: str, level: int) -> None:
        old_level = self._level.get(tps_id)
        old_district = self._district.get(tps_id)
        if old_level == level and old_district == district:
            return
        self._level[tps_id] = level
        self._district[tps_id] = district
        for index in range(len(STAGES)):
            was = old_level is not None and old_level <= index
            now = level <= index
            if was == now and old_district == district:
                continue
            if was and old_district is not None:
                self._drop(index, old_district, tps_id)
            if now:
                self._pending[index].setdefault(district, set()).add(tps_id)
                self._pending_count[index] += 1
                self._sorted[index].pop(district, None)
            self.stage_versions[index] += 1

    def _drop(self, index: int, district: str, tps_id: str) -> None:
        bucket = self._pending[index][district]
        bucket.discard(tps_id)
        if not bucket:
            del self._pending[index][district]
        self._pending_count[index] -= 1
        self._sorted[index].pop(district, None)

    def level(self, tps_id: str) -> int | None:
        return self._level.get(tps_id)

    def pending(self, stage: Stage) -> dict[str, tuple[str, ...]]:
        """TPS short of `stage`, by kecamatan (sorted), each kecamatan's ids sorted."""
        index = STAGES.index(stage)
        cache = self._sorted[index]
        result: dict[str, tuple[str, ...]] = {}
        for district in sorted(self._pending[index]):
            ids = cache.get(district)
            if ids is None:
                ids = cache[district] = tuple(sorted(self._pending[index][district]))
            result[district] = ids
        return result

    def pending_count(self, stage: Stage) -> int:
        return self._pending_count[STAGES.index(stage)]

    def version(self, stage: Stage) -> int:
        return self.stage_versions[STAGES.index(stage)]

    def summary(self, day: dt.date | None, now: dt.datetime) -> list[StageSummary]:
        """The whole kabupaten at a glance: per stage, reached and pending TPS."""
        total = len(self._level)
        rows: list[StageSummary] = []
        for index, stage in enumerate(STAGES):
            pending = self._pending_count[index]
            due = due_at(self.settings, day, stage) if day is not None else None
            if day is None or now <= missed_after(self.settings, day, stage):
                state = StageState.UPCOMING
            else:
                state = StageState.MISSED if pending else StageState.MET
            rows.append(
                StageSummary(
                    stage=stage,
                    due=due,
                    reached=total - pending,
                    pending=pending,
                    state=state,
                    pending_by_district={
                        district: len(ids) for district, ids in self._pending[index].items()
                    },
                )
            )
        return rows
