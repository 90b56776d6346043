"""The bottom line: the keys that work here, in the officer's language.

Built from the screen's active bindings (console/keys.py declares them), so the line
always names what the keys do now: the focused pane's keys first, then the app's.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import App
from textual.binding import Binding

from pilkades_tui.console.keys import key_entries, plain_display
from pilkades_tui.console.widgets.text_lines import TextLines
from pilkades_tui.i18n import Catalogue

KeyEntry = tuple[str, str]
"""(keys as shown, their description in the officer's language)."""


def entry_width(entry: KeyEntry) -> int:
    keys, description = entry
    return Text(f" {keys}  {description} ").cell_len


def _take(entries: Sequence[KeyEntry], room: int) -> int:
    """How many entries from the start fit in `room` cells, whole."""
    used = 0
    for count, entry in enumerate(entries):
        used += entry_width(entry)
        if used > room:
            return count
    return len(entries)


def _width(entries: Sequence[KeyEntry]) -> int:
    return sum(entry_width(entry) for entry in entries)


def pack_keys(
    here: Sequence[KeyEntry],
    everywhere: Sequence[KeyEntry],
    help_entry: KeyEntry | None,
    width: int,
) -> list[list[KeyEntry]]:
    """The bar's lines (one or two): whole entries only, never a word cut at the edge.

    One line when everything fits; else the focused pane's keys start the first line and
    run on into the second, where the app's keys follow. When keys still do not fit, the
    ones declared last are left off and the help key (one of `everywhere`) ends the last
    line, so every key stays one press away: `?` lists them all."""
    if _width(here) + _width(everywhere) <= width:
        return [[*here, *everywhere]]
    leading = list(here or everywhere)
    first = leading[: _take(leading, width)]
    rest = leading[len(first) :] + (list(everywhere) if here else [])
    if _width(rest) <= width or help_entry is None or help_entry in first:
        second = rest[: _take(rest, width)]
    else:
        rest = [entry for entry in rest if entry != help_entry]
        second = [*rest[: _take(rest, width - entry_width(help_entry))], help_entry]
    return [line for line in (first, second) if line]


class KeyBar(TextLines):
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

    def _entries(self, bindings: list[Binding]) -> list[KeyEntry]:
        return [
            (keys, self.catalogue.text(description))
            for keys, description in key_entries(bindings, plain_display)
        ]

    def _help_entry(self, everywhere: list[Binding]) -> KeyEntry | None:
        """The bar's way to every key it leaves off: the app's `help` binding."""
        for binding in everywhere:
            if binding.action == "help":
                return self._entries([binding])[0]
        return None

    def _line(self) -> Text:
        here_bindings, everywhere_bindings = self._bar_bindings()
        help_entry = self._help_entry(everywhere_bindings)
        here = self._entries(here_bindings)
        everywhere = self._entries(everywhere_bindings)
        width = self.size.width or self.app.size.width
        lines = pack_keys(here, everywhere, help_entry, width)
        return Text("\n", no_wrap=True, overflow="ellipsis").join(
            self._render_entries(line) for line in lines
        )

    def _render_entries(self, entries: Sequence[KeyEntry]) -> Text:
        line = Text(no_wrap=True, overflow="ellipsis")
        for keys, description in entries:
            line.append(f" {keys} ", style="bold reverse")
            line.append(f" {description} ")
        return line

    def on_resize(self) -> None:
        self.show_text(self._line())
