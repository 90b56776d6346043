"""Notifications in an area of their own: every `notify` of the console ends here.

Textual's toasts float over the screen's bottom right, where the console has its
dialogs' questions, the prompt line and the panes' counters. `notify` is overridden
once, so every existing `self.notify(...)` (app, mixins, screens, widgets) lands in the
app's list, shown newest first on a `NoticeStrip` of the screen in front: above its key
bar where it has one, else docked at its foot (a dialog), so a notice raised while a
dialog is open is seen without covering it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message
from textual.notifications import Notification, Notifications, SeverityLevel
from textual.screen import Screen, SystemModalScreen

from pilkades_tui.console.widgets.keybar import KeyBar
from pilkades_tui.console.widgets.notice_strip import FADE_S, NoticeStrip

if TYPE_CHECKING:
    from pilkades_tui.console.app import PilkadesApp


@dataclass
class NoticePosted(Message, bubble=False):
    notification: Notification


class NoticeBoard:
    """Mixed into the app: its notifications and the strips that show them."""

    notices: Notifications

    def start_notices(self: PilkadesApp) -> None:
        self.notices = Notifications()
        self.screen_change_signal.subscribe(self, self._screen_changed)
        self._screen_changed(self.screen)

    def notify(
        self: PilkadesApp,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Textual's signature, and thread-safe like it: the notice goes by message."""
        if timeout is None:
            timeout = self.NOTIFICATION_TIMEOUT
        self.post_message(NoticePosted(Notification(message, title, severity, timeout, markup)))

    def clear_notifications(self: PilkadesApp) -> None:
        self.notices.clear()
        self._show_notices()

    def on_notice_posted(self: PilkadesApp, event: NoticePosted) -> None:
        notice = event.notification
        self.notices.add(notice)
        self._show_notices()
        self.set_timer(max(notice.timeout - FADE_S, 0.0), self._show_notices)
        self.set_timer(notice.timeout, self._show_notices)

    def _screen_changed(self: PilkadesApp, screen: Screen[object]) -> None:
        # The signal comes before a pushed screen has composed: place the strip after.
        screen.call_later(self._place_notices, screen)

    def _place_notices(self: PilkadesApp, screen: Screen[object]) -> None:
        if isinstance(screen, SystemModalScreen) or not screen.is_attached:
            return  # Textual's own (the command palette): not ours to rearrange
        if not screen.query_children(NoticeStrip):
            strip = NoticeStrip()
            bars = screen.query(KeyBar)
            if bars:
                bar = bars.first()
                if bar.parent is not None:
                    bar.parent.mount(strip, before=bar)
            else:
                strip.add_class("-docked")
                screen.mount(strip)
        self._show_notices()

    def _show_notices(self: PilkadesApp) -> None:
        """The screen in front shows the notices, newest first; those behind none (a
        dialog's dimmed background would show them twice)."""
        if not self.screen_stack:
            return  # the app is closing: a notice's timer outlived its screens
        newest = sorted(self.notices, key=lambda notice: notice.raised_at, reverse=True)
        front = self.screen
        for screen in self.screen_stack:
            for strip in screen.query(NoticeStrip):
                strip.show(newest if screen is front else [])
