"""A bar of a line or two of text (the header, the key bar) set again and again."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


class TextLines(Static):
    """Shows a `Text`: set again only when it changed, and laid out again only when its
    number of lines did and its height follows them. Static lays the whole screen out on
    every update (~20 ms on a province at 200x60), and the header is set every second,
    the key bar on every focus move."""

    _shown: Text | None = None

    def show_text(self, text: Text) -> None:
        shown = self._shown
        if shown is not None and text == shown:
            return
        lines_changed = shown is None or text.plain.count("\n") != shown.plain.count("\n")
        height = self.styles.height
        self._shown = text
        self.update(text, layout=lines_changed and (height is None or height.is_auto))
