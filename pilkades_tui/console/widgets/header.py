"""The top: phase and WIB clock, operator, connection, rate; open counts, alarms, outbox."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime

from rich.text import Text
from textual.widgets import Static

from pilkades_tui.console.widgets.text_lines import TextLines
from pilkades_tui.domain.clock import to_wib
from pilkades_tui.domain.state import ElectionState
from pilkades_tui.feed.client import ConnectionState, FeedStatus
from pilkades_tui.i18n import Catalogue


@dataclass(slots=True)
class HeaderFacts:
    operator: str
    status: FeedStatus | None = None
    state: ElectionState | None = None
    outbox: int = 0
    alarms: int = 0  # alerts of the election rules at the alarm stage


def connection_text(catalogue: Catalogue, facts: HeaderFacts, now: float) -> tuple[str, str]:
    """(words, tone) for the connection indicator."""
    status = facts.status
    if status is None or status.state == ConnectionState.CONNECTING:
        return catalogue.text("conn.connecting"), "warn"
    seconds = int(now - status.since)
    if status.state == ConnectionState.LIVE:
        return catalogue.text("conn.live"), "good"
    if status.state == ConnectionState.RECONNECTING:
        if facts.state is not None:
            return catalogue.text("conn.stale", seconds=seconds), "alarm"
        return catalogue.text("conn.reconnecting", seconds=seconds), "alarm"
    if status.state == ConnectionState.UNAUTHORIZED:
        return catalogue.text("conn.unauthorized"), "alarm"
    return catalogue.text("conn.closed"), "alarm"


class StatusHeader(TextLines):
    DEFAULT_CSS = """
    StatusHeader { height: auto; max-height: 2; background: $panel; color: $foreground;
                   text-wrap: nowrap; text-overflow: ellipsis; }
    """

    def __init__(self, catalogue: Catalogue, facts: HeaderFacts, **kwargs) -> None:
        super().__init__(**kwargs)
        self.catalogue = catalogue
        self.facts = facts
        self.wall_clock: datetime | None = None

    def tone_style(self, tone: str) -> str:
        variables = self.app.theme_variables
        colour = {
            "good": variables.get("text-success", "green"),
            "warn": variables.get("text-warning", "yellow"),
            "alarm": variables.get("text-error", "red"),
        }.get(tone, "")
        return f"bold {colour}".strip()

    def render_text(self, wall_clock: datetime) -> Text:
        """One line where it fits; on a narrow terminal (80 columns) two, so the open
        incidents and the outbox are never cut off."""
        self.wall_clock = wall_clock
        who, work = self._who_and_how(wall_clock), self._open_work()
        width = self.size.width or self.app.size.width
        if who.cell_len + 3 + work.cell_len <= width:
            return Text(" · ", no_wrap=True).join([who, work])
        line = Text("\n", no_wrap=True, overflow="ellipsis").join([who, Text(" ") + work])
        return line

    def _who_and_how(self, wall_clock: datetime) -> Text:
        """Phase, clock, who is on duty, the connection and what the feed brings."""
        facts = self.facts
        text = self.catalogue.text
        line = Text(no_wrap=True, overflow="ellipsis")
        state = facts.state
        if state is not None:
            phase = self.catalogue.enum("phase", state.phase.phase)
            line.append(f" {phase} ", style="bold reverse")
        line.append(f" {to_wib(wall_clock).strftime('%H:%M:%S')} WIB ")
        line.append(f"{text('header.operator')}: {facts.operator} ", style="bold")
        words, tone = connection_text(self.catalogue, facts, time.monotonic())
        line.append("● " + words, style=self.tone_style(tone))
        status = facts.status
        if status is not None:
            line.append(" · " + text("header.events", rate=status.events_per_s()))
            skipped = status.unknown_events + status.bad_frames
            if skipped:
                line.append(
                    " · " + text("header.skipped", count=skipped), style=self.tone_style("warn")
                )
        return line

    def _open_work(self) -> Text:
        """Open incidents by priority, alarms, and commands waiting in the outbox."""
        facts = self.facts
        text = self.catalogue.text
        line = Text(no_wrap=True, overflow="ellipsis")
        state = facts.state
        if state is not None:
            counts = state.open_counts_by_priority()
            line.append(f"{text('header.open')} ")
            for priority in (1, 2, 3, 4):
                style = self.tone_style("alarm") if priority == 1 and counts[1] else ""
                line.append(f"P{priority}:{counts[priority]} ", style=style)
            line.append("· ")
        if facts.alarms:
            line.append(
                text("header.alarms", count=facts.alarms) + " ", style=self.tone_style("alarm")
            )
            line.append("· ")
        outbox_style = self.tone_style("warn") if facts.outbox else ""
        line.append(f"{text('header.outbox')} {facts.outbox} ", style=outbox_style)
        return line

    def update_now(self, wall_clock: datetime) -> None:
        self.show_text(self.render_text(wall_clock))

    def on_resize(self) -> None:
        if self.wall_clock is not None:
            self.update_now(self.wall_clock)


class DrillBanner(Static):
    """Shown on every screen while the hub runs an exercise, so a drill is never real."""

    DEFAULT_CSS = """
    DrillBanner { height: 1; background: $warning; color: $background; text-style: bold;
                  content-align: center middle; display: none; }
    DrillBanner.-drill { display: block; }
    """
