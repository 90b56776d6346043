"""Every active alert of the election rules, newest first, with the key that acts on it.

The alerts come from the rule engine (domain/rules); this pane only shows them. Each
row names one key: `e` to escalate a timer alarm, `k` to acknowledge, `enter` to go
to what the alert is about (the TPS to reinforce, the incident, the cluster on the map).
"""

from __future__ import annotations

from collections.abc import Sequence

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
        self.alerts: dict[str, Alert] = {}
        self.order: list[str] = []

    def set_alerts(self, alerts: Sequence[Alert]) -> None:
        self.alerts = {alert.key: alert for alert in alerts}
        self.order = [alert.key for alert in alerts]
        self.rebuild()

    def total(self) -> int:
        return len(self.order)

    def ordered_keys(self) -> list[str]:
        return [
            key
            for key in self.order
            if self.filters.matches_text(self.describe(key))
            and (
                (place := self.district_of(self.alerts[key])) is None or self.filters.in_area(place)
            )
        ]

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
        if alert.action is not None:
            action, label = ACTION_KEYS[alert.action]
            hint = f"{key_of(action, self.BINDINGS)}: {self.catalogue.text(label)}"
            target = alert.action_params.get("to")
            if target:
                hint += f" → {self.catalogue.enum('escalation', target)}"
        tone = "alarm" if alert.severity == Severity.ALARM else "warn"
        return Row(key, [severity, age_text(self.catalogue, age), self.describe(key), hint], tone)

    def selected_alert(self) -> Alert | None:
        key = self.selected_key
        return self.alerts.get(key) if key else None
