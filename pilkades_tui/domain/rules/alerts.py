"""The one Alert type every rule raises, and its English fallback texts.

An alert carries a message key and parameters, not a sentence: the console's i18n
catalogue turns `message_key` + `params` into Indonesian or English. `FALLBACK_TEXT`
holds the English templates for any reader without a catalogue (logs, tests, a
catalogue that lacks a key). `key` names the alert's cause and stays the same across
evaluations while the cause lasts, so a UI can keep its selection and mark what is new.

`AlertDigest` is what an officer reads: one alert per incident (its gravest, then its
newest timer), the understaffed TPS of one kecamatan as one alert, gravest first; the
full book stays for the report and the rules' own tests.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from operator import attrgetter

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
    "alert.understaffed_shared": (
        "{tps_name} ({district}, {risk} risk): {posted} officers posted, pattern "
        "{required} per {per_tps} TPS"
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
    "alert.understaffed_district": (
        "{count} TPS in {district} short of officers, {empty} with none: {sample}"
    ),
    "alert.understaffed_thin": "{count} TPS in {district} short of officers: {sample}",
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

    @property
    def gravity_key(self) -> tuple[int, float, str]:
        """The graver first, then the newer: the order an officer reads the digest in.
        Made when asked: only the digest's few hundred alerts need it, not every alert
        the timers make each tick."""
        stamp, rank, key = self.sort_key
        return (rank, stamp, key)

    def fallback_text(self) -> str:
        template = FALLBACK_TEXT.get(self.message_key)
        if template is None:
            return f"{self.message_key} {dict(self.params)}"
        return template.format_map(dict(self.params))


def newest_first(alerts: Iterable[Alert]) -> list[Alert]:
    return sorted(alerts, key=lambda alert: alert.sort_key)


def gravest_first(alerts: Iterable[Alert]) -> list[Alert]:
    return sorted(alerts, key=lambda alert: alert.gravity_key)


# attrgetter, not a def: the book calls it on every put among thousands of alerts.
_newest = attrgetter("sort_key")
_gravest = attrgetter("gravity_key")
_NOTHING_CHANGED: frozenset[str] = frozenset()


class AlertBook:
    """The active alerts by key, kept in order as they come and go (bisect), so a tick
    that changes one alert among thousands does not sort them all again.

    Newest first, or gravest first (`gravest=True`). The keys put or dropped since the
    last `take_changed()` are noted when `track_changes` is set, for a digest to follow.
    """

    def __init__(self, *, gravest: bool = False, track_changes: bool = False) -> None:
        self._alerts: dict[str, Alert] = {}
        self._order = _gravest if gravest else _newest
        self._keys: list[tuple[float, float, str]] = []  # sort keys, in order
        self._in_order: list[Alert] = []  # the alerts at the same positions
        self._ordered: tuple[Alert, ...] | None = ()
        self._changed: set[str] | None = set() if track_changes else None

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
        order = self._order(alert)
        position = bisect_left(self._keys, order)
        self._keys.insert(position, order)
        self._in_order.insert(position, alert)
        self._ordered = None
        if self._changed is not None:
            self._changed.add(alert.key)

    def drop(self, key: str) -> None:
        held = self._alerts.pop(key, None)
        if held is not None:
            self._unorder(held)
            self._ordered = None
            if self._changed is not None:
                self._changed.add(key)

    def take_changed(self) -> frozenset[str] | set[str]:
        """The keys put or dropped since the last call (with `track_changes`)."""
        changed = self._changed
        if not changed:
            return _NOTHING_CHANGED  # most seconds: no new set for nothing
        self._changed = set()
        return changed

    def _unorder(self, alert: Alert) -> None:
        # Sort keys end with the unique alert key, so the entry is found exactly.
        position = bisect_left(self._keys, self._order(alert))
        del self._keys[position]
        del self._in_order[position]

    def ordered(self) -> tuple[Alert, ...]:
        """Newest first; the same tuple object while nothing changed."""
        if self._ordered is None:
            self._ordered = tuple(self._in_order)
        return self._ordered


def digest_group(alert: Alert) -> str:
    """What an alert is about for the digest: its incident (a timer), its kecamatan (an
    understaffed TPS), else the alert itself (a cluster, a checkpoint stage)."""
    if alert.kind == AlertKind.TIMER and alert.subject_ids:
        return f"incident:{alert.subject_ids[0]}"
    if alert.kind == AlertKind.UNDERSTAFFED and "district" in alert.params:
        return f"district:{alert.params['district']}"
    return alert.key


# Makes the one alert standing for several of a group (the understaffed TPS of a
# kecamatan), from the group's name and its alerts, gravest first.
Combine = Callable[[str, list[Alert]], Alert]


class AlertDigest:
    """The alerts as an officer reads them, followed incrementally from a book.

    An incident shows one alert, its gravest then newest timer: two timers firing for
    one incident are one row, and it goes when the incident closes (its timers stop).
    A kecamatan's understaffed TPS become one alert made by `combine` once there are
    two or more (at dawn, dozens of TPS wait for their guards); `members(key)` gives
    the alerts such a combined alert stands for, to expand it. Gravest first.
    """

    def __init__(self, book: AlertBook, combine: Combine) -> None:
        self.book = book
        self.combine = combine
        self.view = AlertBook(gravest=True)
        self._members: dict[str, dict[str, Alert]] = {}  # group -> its alerts by key
        self._group_of: dict[str, str] = {}  # alert key -> group
        self._shown: dict[str, str] = {}  # group -> key of the alert standing for it
        self._combined: dict[str, str] = {}  # key of an alert made by `combine` -> group

    def update(self) -> tuple[Alert, ...]:
        """Takes in what the book changed; the same tuple object while nothing did."""
        changed = self.book.take_changed()
        if not changed:
            return self.view.ordered()
        dirty: set[str] = set()
        book = self.book
        for key in changed:
            held = self._group_of.pop(key, None)
            if held is not None:
                self._members[held].pop(key, None)
                dirty.add(held)
            alert = book.get(key)
            if alert is not None:
                dirty.add(self._take(key, alert))
        self._settle(dirty)
        return self.view.ordered()

    def members(self, key: str) -> tuple[Alert, ...]:
        """The alerts a combined alert stands for, gravest first; () for any other."""
        group = self._combined.get(key)
        if group is None:
            return ()
        return tuple(gravest_first(self._members.get(group, {}).values()))

    def _take(self, key: str, alert: Alert) -> str:
        group = digest_group(alert)
        self._group_of[key] = group
        self._members.setdefault(group, {})[key] = alert
        return group

    def _settle(self, groups: set[str]) -> None:
        view = self.view
        for group in groups:
            held = self._members.get(group)
            shown = self._shown.pop(group, None)
            if not held:
                self._members.pop(group, None)
                if shown is not None:
                    view.drop(shown)
                    self._combined.pop(shown, None)
                continue
            if group.startswith("district:") and len(held) > 1:
                alert = self.combine(group, gravest_first(held.values()))
                self._combined[alert.key] = group
            else:
                alert = min(held.values(), key=_gravest)
            if shown is not None and shown != alert.key:
                view.drop(shown)
                self._combined.pop(shown, None)
            view.put(alert)
            self._shown[group] = alert.key
