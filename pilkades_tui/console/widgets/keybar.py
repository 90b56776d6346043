"""The bottom line: the keys that work here, in the officer's language.

Built from the screen's active bindings (console/keys.py declares them), so the line
always names what the keys do now: the focused pane's keys first, then the app's.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import App
from textual.binding import Binding
from textual.widgets import Static

from pilkades_tui.console.keys import key_entries, plain_display
from pilkades_tui.i18n import Catalogue


class KeyBar(Static):
    DEFAULT_CSS = """
    KeyBar { height: auto; max-height: 2; background: $panel; color: $foreground-muted;
             text-wrap: nowrap; text-overflow: ellipsis; }
    """

    def __init__(self, catalogue: Catalogue, **kwargs) -> None:
        super().__init__(**kwargs)
        self.catalogue = catalogue

    def on_mount(self) -> None:
        self.watch(self.screen, "focused", self._focus_moved, init=False)
        if hasattr(self.app, "language"):
            self.watch(self.app, "language", self._focus_moved, init=False)
        self.show_keys()

    def _focus_moved(self, _focused: object) -> None:
        self.show_keys()

    def show_keys(self) -> None:
        """The keys of what has focus, then those that work everywhere: on one line
        where it fits, else on two (this pane's keys above)."""
        self.update(self._line())

    def _bar_bindings(self) -> tuple[list[Binding], list[Binding]]:
        here: list[Binding] = []
        everywhere: list[Binding] = []
        for active in self.screen.active_bindings.values():
            if not active.binding.show or not active.enabled:
                continue
            (everywhere if isinstance(active.node, App) else here).append(active.binding)
        # Priority bindings come first in Textual's map; the bar keeps declaration order.
        declared = {
            (binding.key, binding.action): index
            for index, binding in enumerate(Binding.make_bindings(self.app.BINDINGS))
        }
        everywhere.sort(key=lambda binding: declared.get((binding.key, binding.action), 0))
        return here, everywhere

    def _keys(self, bindings: list[Binding]) -> Text:
        line = Text(no_wrap=True, overflow="ellipsis")
        for keys, description in key_entries(bindings, plain_display):
            line.append(f" {keys} ", style="bold reverse")
            line.append(f" {self.catalogue.text(description)} ")
        return line

    def _line(self) -> Text:
        here_bindings, everywhere_bindings = self._bar_bindings()
        everywhere = self._keys(everywhere_bindings)
        if not here_bindings:
            return everywhere
        here = self._keys(here_bindings)
        width = self.size.width or self.app.size.width
        if here.cell_len + everywhere.cell_len <= width:
            return here + everywhere
        return Text("\n", no_wrap=True, overflow="ellipsis").join([here, everywhere])

    def on_resize(self) -> None:
        self.update(self._line())
