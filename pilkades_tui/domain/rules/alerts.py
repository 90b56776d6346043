"""The one Alert type every rule raises, and its English fallback texts.

An alert carries a message key and parameters, not a sentence: the console's i18n
catalogue turns `message_key` + `params` into Indonesian or English. `FALLBACK_TEXT`
holds the English templates for any reader without a catalogue (logs, tests, a
catalogue that lacks a key). `key` names the alert's cause and stays the same across
evaluations while the cause lasts, so a UI can keep its selection and mark what is new.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

ParamValue = str | int | float


class AlertKind(StrEnum):
    UNDERSTAFFED = "understaffed"
    CHECKPOINT = "checkpoint"
    TIMER = "timer"
    SPREAD = "spread"


class Severity(StrEnum):
    WARNING = "warning"
    ALARM = "alarm"


SEVERITY_RANK: dict[Severity, int] = {Severity.WARNING: 1, Severity.ALARM: 2}


class Action(StrEnum):
    """What the console offers to do about an alert, in one key."""

    ACKNOWLEDGE = "acknowledge"
    ESCALATE = "escalate"  # action_params: {"to": "polres" | "polda"}
    CONTACT_UNIT = "contact_unit"
    REINFORCE_TPS = "reinforce_tps"  # recommend a unit to post at the TPS
    SHOW_CHECKPOINTS = "show_checkpoints"
    SHOW_CLUSTER = "show_cluster"


# English fallback texts. Keys are the i18n catalogue's keys; every {name} is a param.
FALLBACK_TEXT: dict[str, str] = {
    "alert.understaffed": (
        "{tps_name} ({district}, {risk} risk): {posted} of {required} officers posted"
    ),
    "alert.checkpoint": ("{count} TPS missed '{stage}' (due {due}): {sample}"),
    "alert.timer.unacknowledged": "P{priority} {incident_id} not acknowledged for {minutes} min",
    "alert.timer.not_moving": (
        "P{priority} {incident_id}: units dispatched {minutes} min ago, none moving"
    ),
    "alert.timer.no_contact": (
        "P{priority} {incident_id}: no contact from units on scene for {minutes} min"
    ),
    "alert.timer.target": (
        "P{priority} {incident_id}: on-scene target {target} passing, {minutes} min since report"
    ),
    "alert.spread": (
        "{count} related incidents within {radius_km} km / {window_minutes} min around "
        "{place}: possible spread"
    ),
}


@dataclass(frozen=True, slots=True)
class Alert:
    key: str  # stable while the cause lasts, e.g. "timer:unacknowledged:INC-7"
    kind: AlertKind
    severity: Severity
    subject_ids: tuple[str, ...]  # TPS ids (staffing, checkpoint) or incident ids
    message_key: str
    params: Mapping[str, ParamValue]
    raised_at: datetime  # when the cause reached this severity
    action: Action | None = None
    action_params: Mapping[str, str] = field(default_factory=dict)
    location: tuple[float, float] | None = None  # (lat, lon) to pin on the map
    # Newest first, then the graver one, then by key, so the order is total.
    sort_key: tuple[float, int, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Computed once: the engine orders thousands of alerts by it.
        key = (-self.raised_at.timestamp(), -SEVERITY_RANK[self.severity], self.key)
        object.__setattr__(self, "sort_key", key)

    def fallback_text(self) -> str:
        template = FALLBACK_TEXT.get(self.message_key)
        if template is None:
            return f"{self.message_key} {dict(self.params)}"
        return template.format_map(dict(self.params))


def newest_first(alerts: Iterable[Alert]) -> list[Alert]:
    return sorted(alerts, key=lambda alert: alert.sort_key)


class AlertBook:
    """The active alerts by key, kept in order as they come and go (bisect), so a tick
    that changes one alert among thousands does not sort them all again."""

    def __init__(self) -> None:
        self._alerts: dict[str, Alert] = {}
        self._keys: list[tuple[float, int, str]] = []  # sort keys, in order
        self._in_order: list[Alert] = []  # the alerts at the same positions
        self._ordered: tuple[Alert, ...] | None = ()

    def get(self, key: str) -> Alert | None:
        return self._alerts.get(key)

    def __len__(self) -> int:
        return len(self._alerts)

    def put(self, alert: Alert) -> None:
        held = self._alerts.get(alert.key)
        if held == alert:
            return
        if held is not None:
            self._unorder(held)
        self._alerts[alert.key] = alert
        position = bisect_left(self._keys, alert.sort_key)
        self._keys.insert(position, alert.sort_key)
        self._in_order.insert(position, alert)
        self._ordered = None

    def drop(self, key: str) -> None:
        held = self._alerts.pop(key, None)
        if held is not None:
            self._unorder(held)
            self._ordered = None

    def _unorder(self, alert: Alert) -> None:
        # Sort keys end with the unique alert key, so the entry is found exactly.
        position = bisect_left(self._keys, alert.sort_key)
        del self._keys[position]
        del self._in_order[position]

    def ordered(self) -> tuple[Alert, ...]:
        """Newest first; the same tuple object while nothing changed."""
        if self._ordered is None:
            self._ordered = tuple(self._in_order)
        return self._ordered
