"""Read what a running console shows, as plain text, the way an officer reads it."""

from __future__ import annotations

import io

from rich.console import Console
from textual.app import App


def screen_text(app: App[object]) -> str:
    """The whole terminal as text lines (the same compositor output a screenshot uses)."""
    width, height = app.size
    console = Console(
        width=width,
        height=height,
        file=io.StringIO(),
        force_terminal=True,
        color_system=None,
        record=True,
        legacy_windows=False,
        safe_box=False,
    )
    # Private, but it is what App.export_screenshot renders: the screen and the ones below it.
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    console.print(update)
    return console.export_text()


def notifications(app: App[object]) -> list[str]:
    """The messages of the notifications raised and not yet expired, oldest first."""
    # The console keeps its own (console/noticing.py): every notify lands there.
    return [notification.message for notification in getattr(app, "notices", ())]


def notice_lines(app: App[object]) -> list[str]:
    """What the notice strip of the screen in front says, line by line."""
    from pilkades_tui.console.widgets.notice_strip import NoticeStrip

    strips = list(app.screen.query(NoticeStrip))
    return [line for strip in strips for line in strip.lines()]
