"""Every key of the console, declared once as a Textual `Binding`.

A binding's description is a catalogue key (`key.ack`), never a text: the key bar, the
`?` help and the map's key line are all built from the bindings that are active or
declared, in the officer's language, so a key cannot be bound and undocumented, or
documented and unbound. `show=True` puts a binding on the key bar; bindings that share a
description (`+` and `-` for zoom) are listed as one entry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace

from textual.binding import Binding

# Help and quit first: on a narrow terminal the end of the line is cut off.
GLOBAL_BINDINGS: list[Binding] = [
    Binding("question_mark", "help", "key.help", key_display="?"),
    Binding("q", "quit_console", "key.quit"),
    # Textual's own ctrl+q would quit without asking about queued commands.
    Binding("ctrl+q", "quit_console", "key.quit", show=False, priority=True),
    Binding("1", "show_pane('tps')", "key.tps"),
    Binding("2", "show_pane('incidents')", "key.incidents"),
    Binding("3", "show_pane('officers')", "key.officers"),
    Binding("4", "show_pane('map')", "key.map"),
    Binding("5", "show_pane('alerts')", "key.alerts"),
    # Priority: the screen would otherwise take tab to move focus, not to switch panes.
    Binding("tab", "next_pane", "key.next", priority=True),
    Binding("slash", "prompt('filter')", "key.filter", key_display="/"),
    Binding("colon", "prompt('command')", "key.command", key_display=":"),
    Binding("i", "new_incident", "key.new_incident"),
    Binding("l", "log_decision", "key.log"),
    Binding("L", "logbook", "key.logbook", show=False),
    Binding("o", "outbox", "key.outbox", show=False),
    Binding("ctrl+p", "command_palette", "key.palette", show=False),
]

# The workflow keys act on the selected incident wherever one is selected: the queue,
# the alerts, the map and the incident's detail.
INCIDENT_ACTION_BINDINGS: list[Binding] = [
    Binding("k", "app.incident('acknowledge')", "key.ack"),
    Binding("a", "app.incident('assign')", "key.assign"),
    Binding("e", "app.incident('escalate')", "key.escalate"),
    Binding("v", "app.incident('verify')", "key.verify"),
    Binding("r", "app.incident('resolve')", "key.resolve"),
    Binding("c", "app.incident('cancel')", "key.cancel"),
    Binding("n", "app.incident('note')", "key.note"),
]
QUEUE_BINDINGS: list[Binding] = [
    Binding("enter", "app.detail", "key.detail"),
    *INCIDENT_ACTION_BINDINGS,
]
# The alerts propose acknowledging, assigning or escalating: those stay on the bar.
ALERT_BINDINGS: list[Binding] = [
    Binding("enter", "app.detail", "key.goto"),
    *INCIDENT_ACTION_BINDINGS[:3],
    *(replace(binding, show=False) for binding in INCIDENT_ACTION_BINDINGS[3:]),
]
# Only keys the console leaves free: its workflow keys act on the map's incident too.
MAP_BINDINGS: list[Binding] = [
    Binding("plus,equals_sign", "zoom(1)", "key.zoom", key_display="+"),
    Binding("minus,underscore", "zoom(-1)", "key.zoom", key_display="-"),
    Binding("left", "pan(-1, 0)", "key.pan", key_display="←"),
    Binding("right", "pan(1, 0)", "key.pan", key_display="→"),
    Binding("up", "pan(0, -1)", "key.pan", key_display="↑"),
    Binding("down", "pan(0, 1)", "key.pan", key_display="↓"),
    Binding("0", "reset_view", "key.map_reset"),
    Binding("f", "centre_selected", "key.map_centre"),
    Binding("p", "toggle_posts", "key.map_posts"),
    *(replace(binding, show=False) for binding in INCIDENT_ACTION_BINDINGS),
]
LIST_BINDINGS: list[Binding] = [
    Binding("up", "cursor(-1)", "key.move", key_display="↑", show=False),
    Binding("down", "cursor(1)", "key.move", key_display="↓", show=False),
    Binding("pageup", "page(-1)", "key.page", key_display="PgUp", show=False),
    Binding("pagedown", "page(1)", "key.page", key_display="PgDn", show=False),
    Binding("home", "jump(0)", "key.ends", key_display="Home", show=False),
    Binding("end", "jump(-1)", "key.ends", key_display="End", show=False),
]
DETAIL_BINDINGS: list[Binding] = [
    *INCIDENT_ACTION_BINDINGS,
    Binding("escape", "app.pop_screen", "key.back", key_display="esc"),
]
CONFIRM_BINDINGS: list[Binding] = [
    Binding("y,enter", "answer(True)", "key.yes", show=False),
    Binding("n,escape", "answer(False)", "key.dismiss", show=False),
]
HANDOVER_BINDINGS: list[Binding] = [
    Binding("y", "answer(True)", "key.yes", show=False),
    Binding("escape,n", "answer(False)", "key.dismiss", show=False),
]
CANCEL_BINDINGS: list[Binding] = [
    Binding("escape", "cancel", "key.dismiss", key_display="esc", show=False),
]
ASSIGN_BINDINGS: list[Binding] = [
    *CANCEL_BINDINGS,
    Binding("space", "toggle", "key.select_unit", show=False),
    Binding("enter", "confirm", "key.send_units", show=False, priority=True),
]
OUTBOX_BINDINGS: list[Binding] = [
    Binding("escape,o", "app.pop_screen", "key.back", show=False),
    Binding("d", "drop", "key.drop", show=False),
]
LOGBOOK_BINDINGS: list[Binding] = [
    Binding("escape,L", "app.pop_screen", "key.back", show=False),
]
CHECKPOINT_BINDINGS: list[Binding] = [
    Binding("escape,q", "app.pop_screen", "key.back", show=False),
]
# Call-taking: a report by phone or radio typed in on the pane it is about.
TPS_PANE_BINDINGS: list[Binding] = [
    Binding("t", "app.tps_status", "key.tps_status"),
]
# The unit board: its detail, recalling a unit from its incident, a radio report.
UNIT_RELEASE_BINDING = Binding("x", "app.release_unit", "key.release")
OFFICER_PANE_BINDINGS: list[Binding] = [
    Binding("enter", "app.unit_detail", "key.unit_detail"),
    UNIT_RELEASE_BINDING,
    Binding("s", "app.unit_report", "key.unit_status"),
]
UNIT_DETAIL_BINDINGS: list[Binding] = [
    UNIT_RELEASE_BINDING,
    Binding("escape", "app.pop_screen", "key.back", key_display="esc"),
]
# Over a form `enter` sends from any field (a priority binding, so an input's own enter
# does not swallow it); `esc` asks before typed text is thrown away.
INTAKE_BINDINGS: list[Binding] = [
    Binding("enter", "send", "key.send_report", priority=True, show=False),
    Binding("escape", "cancel", "key.dismiss", key_display="esc", show=False),
]
PLACE_INPUT_BINDINGS: list[Binding] = [
    Binding("down", "pick(1)", "key.pick_place", key_display="↓", show=False),
    Binding("up", "pick(-1)", "key.pick_place", key_display="↑", show=False),
]
HELP_BINDINGS: list[Binding] = [
    Binding("escape,question_mark,q", "dismiss_help", "key.back", show=False),
]

KeyDisplay = Callable[[Binding], str]


def plain_display(binding: Binding) -> str:
    """How a key is written when no app is at hand to ask (`esc`, `tab`, `ctrl+q`)."""
    if binding.key_display:
        return binding.key_display
    return {"escape": "esc", "question_mark": "?", "space": "spasi"}.get(binding.key, binding.key)


def key_entries(bindings: Iterable[Binding], display: KeyDisplay) -> list[tuple[str, str]]:
    """(keys, description key) in declaration order, one entry per description:
    `+`/`-` for zoom, `y/enter` for yes."""
    entries: dict[str, list[str]] = {}
    for binding in Binding.make_bindings(bindings):
        if not binding.description:
            continue
        keys = entries.setdefault(binding.description, [])
        shown = display(binding)
        if shown not in keys:
            keys.append(shown)
    return [("/".join(keys), description) for description, keys in entries.items()]


def key_of(action: str, bindings: Iterable[Binding]) -> str:
    """The key (as shown) bound to `action`: alert hints name the key that acts."""
    for binding in Binding.make_bindings(bindings):
        if binding.action == action:
            return plain_display(binding)
    raise KeyError(action)


def hint_line(bindings: Iterable[Binding], text: Callable[[str], str]) -> str:
    """A dialog's hint from its own bindings: `spasi: pilih unit · enter: kirim`."""
    return " · ".join(
        f"{keys}: {text(description)}" for keys, description in key_entries(bindings, plain_display)
    )


# `:closed`: type to filter, enter for the timeline. The filter field has the focus
# first; enter there moves to the list, so one more enter opens the incident.
CLOSED_BINDINGS: list[Binding] = [
    Binding("enter", "open_selected", "key.detail"),
    Binding("slash", "focus_filter", "key.filter", key_display="/"),
    Binding("escape", "back", "key.back", key_display="esc"),
]
