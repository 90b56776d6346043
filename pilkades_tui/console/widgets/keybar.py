"""The bottom line: the keys that work here, in the officer's language."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import Static

from pilkades_tui.console.i18n import Catalogue

GLOBAL_KEYS = (
    ("1", "key.tps"),
    ("2", "key.incidents"),
    ("3", "key.officers"),
    ("4", "key.map"),
    ("5", "key.alerts"),
    ("tab", "key.next"),
    ("/", "key.filter"),
    (":", "key.command"),
    ("l", "key.log"),
    ("?", "key.help"),
    ("q", "key.quit"),
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
    KeyBar { height: 1; background: $panel; color: $foreground-muted; }
    """

    def __init__(self, catalogue: Catalogue, **kwargs) -> None:
        super().__init__(**kwargs)
        self.catalogue = catalogue
        self.context: Sequence[tuple[str, str]] = ()

    def show_keys(self, context: Sequence[tuple[str, str]]) -> None:
        self.context = context
        line = Text(no_wrap=True, overflow="ellipsis")
        for key, label in (*context, *GLOBAL_KEYS):
            line.append(f" {key} ", style="bold reverse")
            line.append(f" {self.catalogue.text(label)} ")
        self.update(line)
