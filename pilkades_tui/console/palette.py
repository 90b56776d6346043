"""`ctrl+p`: Textual's command palette offers the console's `:` command table.

A command with a fixed set of arguments is offered once per argument (`:risk sangat
rawan`); one that takes free text (`:handover NAMA`) opens the command line with the
command typed, so the officer only adds the name.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

from pilkades_tui.console.commands import COMMANDS, ConsoleCommand

if TYPE_CHECKING:
    from pilkades_tui.console.app import PilkadesApp


class ConsoleCommands(Provider):
    @property
    def console(self) -> PilkadesApp:
        return cast("PilkadesApp", self.app)

    def _entries(self) -> list[tuple[str, str, ConsoleCommand, str | None]]:
        """(text shown, help, command, argument) for every offer."""
        app = self.console
        text = app.catalogue.text
        entries: list[tuple[str, str, ConsoleCommand, str | None]] = []
        for command in COMMANDS.commands:
            help_text = text(command.help_key)
            if command.choices is not None:
                for choice in command.choices(app):
                    entries.append((f":{command.name} {choice}", help_text, command, choice))
            elif command.takes_argument:
                entries.append((command.usage(app.catalogue), help_text, command, None))
            else:
                entries.append((f":{command.name}", help_text, command, ""))
        return entries

    def _run(self, command: ConsoleCommand, argument: str | None) -> None:
        if argument is None:
            self.console.action_prompt("command", f"{command.name} ")
        else:
            COMMANDS.run(self.console, f"{command.name} {argument}")

    async def discover(self) -> Hits:
        for shown, help_text, command, argument in self._entries():
            if argument is None or argument == "":
                yield DiscoveryHit(shown, partial(self._run, command, argument), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for shown, help_text, command, argument in self._entries():
            score = max(matcher.match(shown), matcher.match(help_text))
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(shown),
                    partial(self._run, command, argument),
                    text=shown,
                    help=help_text,
                )
