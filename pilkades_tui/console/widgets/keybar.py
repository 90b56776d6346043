"""The bottom line: the keys that work here, in the officer's language."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import Static

from pilkades_tui.console.i18n import Catalogue

# Help and quit first: on a narrow terminal the end of the line is cut off.
GLOBAL_KEYS = (
    ("?", "key.help"),
    ("q", "key.quit"),
    ("1", "key.tps"),
    ("2", "key.incidents"),
    ("3", "key.officers"),
    ("4", "key.map"),
    ("5", "key.alerts"),
    ("tab", "key.next"),
    ("/", "key.filter"),
    (":", "key.command"),
    ("l", "key.log"),
)
QUEUE_KEYS = (
    ("enter", "key.detail"),
    ("k", "key.ack"),
    ("a", "key.assign"),
    ("e", "key.escalate"),
    ("v", "key.verify"),
    ("r", "key.resolve"),
    ("c", "key.cancel"),
    ("n", "key.note"),
)
MAP_KEYS = (("+/-", "key.zoom"), ("←↑↓→", "key.pan"))


class KeyBar(Static):
    DEFAULT_CSS = """
    KeyBar { height: auto; max-height: 2; background: $panel; color: $foreground-muted;
             text-wrap: nowrap; text-overflow: ellipsis; }
    """

    def __init__(self, catalogue: Catalogue, **kwargs) -> None:
        super().__init__(**kwargs)
        self.catalogue = catalogue
        self.context: Sequence[tuple[str, str]] = ()

    def show_keys(self, context: Sequence[tuple[str, str]]) -> None:
        """The keys of this pane, then those that work everywhere: on one line where it
        fits, else on two (this pane's keys above)."""
        self.context = context
        self.update(self._line())

    def _keys(self, keys: Sequence[tuple[str, str]]) -> Text:
        line = Text(no_wrap=True, overflow="ellipsis")
        for key, label in keys:
            line.append(f" {key} ", style="bold reverse")
            line.append(f" {self.catalogue.text(label)} ")
        return line

    def _line(self) -> Text:
        everywhere = self._keys(GLOBAL_KEYS)
        if not self.context:
            return everywhere
        here = self._keys(self.context)
        width = self.size.width or self.app.size.width
        if here.cell_len + everywhere.cell_len <= width:
            return here + everywhere
        return Text("\n", no_wrap=True, overflow="ellipsis").join([here, everywhere])

    def on_resize(self) -> None:
        self.update(self._line())
