"""The election rules' alerts as an officer reads them, with the key that acts on each.

The alerts come from the rule engine's digest (domain/rules): one per incident, a
kecamatan's understaffed TPS as one, gravest first; this pane only shows them. Each
row names one key: `e` to escalate a timer alarm, `k` to acknowledge, `enter` to go
to what the alert is about (the TPS to reinforce, the incident, the cluster on the map)
or, on a kecamatan's staffing alert, to open or fold its TPS beneath it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from pilkades_tui.console.keys import ALERT_BINDINGS, key_of
from pilkades_tui.console.widgets.pane import Pane, age_text, minutes_since
from pilkades_tui.console.widgets.virtual_table import Column, Row
from pilkades_tui.domain.rules import Action, Alert, Severity
from pilkades_tui.domain.state import Changes

# What each proposed action is done with: the binding's action (its key comes from the
# pane's bindings) and the words for what the key does here.
ACTION_KEYS: dict[Action, tuple[str, str]] = {
    Action.ACKNOWLEDGE: ("app.incident('acknowledge')", "key.ack"),
    Action.ESCALATE: ("app.incident('escalate')", "key.escalate"),
    Action.CONTACT_UNIT: ("app.detail", "key.detail"),
    Action.REINFORCE_TPS: ("app.detail", "key.tps"),
    Action.SHOW_CHECKPOINTS: ("app.detail", "key.tps"),
    Action.SHOW_CLUSTER: ("app.detail", "key.map"),
}


class AlertsPane(Pane):
    BINDINGS = ALERT_BINDINGS
    title_key = "pane.alerts"
    column_spec = (
        Column("col.severity", 7),
        Column("col.sla", 11, "right"),
        Column("col.alert", 64, grow=1),
        Column("col.key", 20),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.alerts: dict[str, Alert] = {}  # shown or expandable, members included
        self.order: list[str] = []  # the digest's keys, gravest first
        # Set by the app once the rules are built: the alerts a combined one stands for.
        self.members_of: Callable[[str], Sequence[Alert]] = lambda key: ()
        self.expanded: set[str] = set()
        self.member_keys: set[str] = set()

    def set_alerts(self, alerts: Sequence[Alert]) -> None:
        self.order = [alert.key for alert in alerts]
        self.alerts = {alert.key: alert for alert in alerts}
        self.expanded &= set(self.order)
        self.member_keys = set()
        for key in self.expanded:
            for member in self.members_of(key):
                self.alerts[member.key] = member
                self.member_keys.add(member.key)
        self.rebuild()

    def expandable(self, key: str) -> bool:
        # Asked for every row drawn: set lookups, not a scan of the order.
        return key in self.alerts and key not in self.member_keys and bool(self.members_of(key))

    def toggle(self, key: str) -> bool:
        """Opens or folds a combined alert; False when `key` is not one."""
        if not self.expandable(key):
            return False
        self.expanded ^= {key}
        self.set_alerts([self.alerts[k] for k in self.order])
        self.select_key(key)
        return True

    def total(self) -> int:
        return len(self.order)

    def ordered_keys(self) -> list[str]:
        keys: list[str] = []
        for key in self.order:
            if self._passes(key):
                keys.append(key)
            if key in self.expanded:
                keys.extend(m.key for m in self.members_of(key) if self._passes(m.key))
        return keys

    def _passes(self, key: str) -> bool:
        place = self.district_of(self.alerts[key])
        return self.filters.matches_text(self.describe(key)) and (
            place is None or self.filters.in_area(place)
        )

    def district_of(self, alert: Alert) -> str | None:
        """The kecamatan an alert is about (its first incident or TPS), for the area
        filters; an alert about no one place (a checkpoint) answers None."""
        if self.state is None or not alert.subject_ids:
            return None
        subject = alert.subject_ids[0]
        record = self.state.incidents.get(subject) or self.state.tps.get(subject)
        return record.district if record is not None else None

    def order_changed(self, changes: Changes) -> bool:
        return False

    def describe(self, key: str) -> str:
        alert = self.alerts[key]
        text_key = alert.message_key
        if text_key not in self.catalogue.known_keys():
            return alert.fallback_text()
        params = dict(alert.params)
        # Protocol values among the parameters are said in the officer's language.
        if "risk" in params:
            params["risk"] = self.catalogue.enum("risk", params["risk"])
        if "stage" in params:
            params["stage"] = self.catalogue.enum("stage", params["stage"])
        return self.catalogue.text(text_key, **params)

    def build_row(self, key: str) -> Row:
        alert = self.alerts[key]
        severity = self.catalogue.text(f"severity.{alert.severity.value}")
        age = minutes_since(alert.raised_at, self.clock()) or 0
        hint = ""
        if self.expandable(key):
            open_or_fold = "key.fold" if key in self.expanded else "key.expand"
            hint = f"{key_of('app.detail', self.BINDINGS)}: {self.catalogue.text(open_or_fold)}"
        elif alert.action is not None:
            action, label = ACTION_KEYS[alert.action]
            hint = f"{key_of(action, self.BINDINGS)}: {self.catalogue.text(label)}"
            target = alert.action_params.get("to")
            if target:
                hint += f" → {self.catalogue.enum('escalation', target)}"
        tone = "alarm" if alert.severity == Severity.ALARM else "warn"
        text = self.describe(key)
        if key in self.member_keys:
            text = f"  └ {text}"  # beneath the kecamatan's alert it belongs to
        return Row(key, [severity, age_text(self.catalogue, age), text, hint], tone)

    def selected_alert(self) -> Alert | None:
        key = self.selected_key
        return self.alerts.get(key) if key else None
