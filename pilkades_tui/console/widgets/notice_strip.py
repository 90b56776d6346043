"""The console's notifications on a line or two of their own, newest first.

Toasts floated over whatever lay beneath them: a dialog's question, the prompt line,
a pane's counter. The strip takes its own rows instead (above the key bar, or at the
foot of a dialog's screen) and shows nothing, taking no row, when there is nothing to
say. Each line is marked by its severity in characters as well as colour, so it reads
the same under NO_COLOR.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import RenderResult
from textual.notifications import Notification
from textual.widget import Widget

# How each severity is marked in characters, for terminals without colour.
MARKS: dict[str, str] = {"error": "!! ", "warning": "! ", "information": "· "}
# A notice this close to its timeout is drawn dim: it is about to go.
FADE_S = 1.5


class NoticeStrip(Widget):
    # Not scoped: the NO_COLOR and monochrome rules start at the App.
    SCOPED_CSS = False
    DEFAULT_CSS = """
    NoticeStrip { height: auto; max-height: 2; display: none; padding: 0 1;
                  background: $panel; }
    NoticeStrip.-shown { display: block; }
    NoticeStrip.-docked { dock: bottom; }
    NoticeStrip > .notice-strip--information { color: $foreground; }
    NoticeStrip > .notice-strip--warning { color: $text-warning; }
    NoticeStrip > .notice-strip--error { color: $text-error; text-style: bold; }
    NoticeStrip > .notice-strip--fading { text-style: dim; }
    App:nocolor NoticeStrip > .notice-strip--warning,
    App.-theme-monokrom NoticeStrip > .notice-strip--warning { text-style: underline; }
    App:nocolor NoticeStrip > .notice-strip--error,
    App.-theme-monokrom NoticeStrip > .notice-strip--error { text-style: bold reverse; }
    """
    COMPONENT_CLASSES = {
        "notice-strip--information",
        "notice-strip--warning",
        "notice-strip--error",
        "notice-strip--fading",
    }
    LINES = 2

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.notices: list[Notification] = []

    def show(self, notices: Sequence[Notification]) -> None:
        """`notices` newest first; an empty list hides the strip."""
        self.notices = list(notices)
        self.set_class(bool(self.notices), "-shown")
        self.refresh(layout=True)

    def lines(self) -> list[str]:
        """What the strip says, as plain text: the newest notices, and how many more."""
        shown = self.notices[: self.LINES]
        texts = [MARKS.get(n.severity, "") + _message(n) for n in shown]
        hidden = len(self.notices) - len(shown)
        if hidden and texts:
            texts[-1] += f" (+{hidden})"
        return texts

    def render(self) -> RenderResult:
        result = Text(no_wrap=True, overflow="ellipsis", end="")
        for index, (notice, line) in enumerate(zip(self.notices, self.lines(), strict=False)):
            if index:
                result.append("\n")
            style = self.get_component_rich_style(f"notice-strip--{notice.severity}")
            if notice.time_left < FADE_S:
                style += self.get_component_rich_style("notice-strip--fading")
            result.append(line, style=style)
        return result


def _message(notice: Notification) -> str:
    # Plain text, never markup: a hub's message may hold brackets that markup would eat.
    text = " ".join(notice.message.split())
    return f"{notice.title}: {text}" if notice.title else text
