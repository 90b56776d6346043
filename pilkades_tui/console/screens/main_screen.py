"""The screen of panes the console opens on."""

from __future__ import annotations

from textual.reactive import Reactive
from textual.screen import Screen
from textual.widget import Widget


class MainScreen(Screen[None]):
    """Textual repaints the whole screen when the focus moves (~30 ms at 200x60 on a
    province, in front of the key that moved it), and here the number keys and `tab`
    move it between panes all the time. The panes it leaves and enters restyle
    themselves (border, title, cursor row), and only they are repainted."""

    focused: Reactive[Widget | None] = Reactive(None, repaint=False)
