"""A small world for rule tests: a state, records changed through real events."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from pilkades_tui.domain.events import (
    INCIDENT_UPDATED,
    OFFICER_UPDATED,
    PHASE_CHANGED,
    TPS_UPDATED,
    Event,
)
from pilkades_tui.domain.models import Incident, Officer, Phase, Record, Tps
from pilkades_tui.domain.rules import Alert, AlertEngine, RuleSettings
from pilkades_tui.domain.rules.settings import DEFAULT_SETTINGS
from pilkades_tui.domain.state import Changes, ElectionState
from tests.domain.factories import T0, snapshot

AnyRecord = Tps | Incident | Officer | Phase
KINDS: dict[type[Record], str] = {
    Tps: TPS_UPDATED,
    Incident: INCIDENT_UPDATED,
    Officer: OFFICER_UPDATED,
    Phase: PHASE_CHANGED,
}


class World:
    """An ElectionState, an AlertEngine over it, and a way to change records."""

    def __init__(
        self,
        tps: list[Tps] | None = None,
        officers: list[Officer] | None = None,
        incidents: list[Incident] | None = None,
        settings: RuleSettings = DEFAULT_SETTINGS,
        engine: AlertEngine | None = None,
    ) -> None:
        self.state = ElectionState.from_snapshot(
            snapshot(tps=tps or [], officers=officers or [], incidents=incidents or [])
        )
        self.engine = engine or AlertEngine(settings)

    def _held(self, record: AnyRecord) -> AnyRecord | None:
        if isinstance(record, Phase):
            return self.state.phase
        records: Mapping[str, AnyRecord]
        if isinstance(record, Tps):
            records = self.state.tps
        elif isinstance(record, Incident):
            records = self.state.incidents
        else:
            records = self.state.officers
        return records.get(record.id)

    def put(self, record: AnyRecord, at: datetime = T0) -> Changes:
        """Send a record through the reducer as a new version; the engine observes it."""
        held = self._held(record)
        version = held.version + 1 if held is not None else 1
        record = record.model_copy(update={"version": version})
        event = Event(seq=self.state.seq + 1, ts=at, type=KINDS[type(record)], data=record)
        changes = self.state.apply(event)
        self.engine.observe(changes)
        return changes

    def change(self, record: AnyRecord, at: datetime = T0, **fields: object) -> None:
        held = self._held(record)
        assert held is not None
        self.put(held.model_copy(update=fields), at)

    def alerts(self, now: datetime) -> tuple[Alert, ...]:
        return self.engine.evaluate(self.state, now)

    def keys(self, now: datetime) -> list[str]:
        return [alert.key for alert in self.alerts(now)]
