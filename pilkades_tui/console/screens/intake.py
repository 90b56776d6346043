"""Call-taking forms: a new incident from a call, a TPS status by phone, a unit's
status or position by radio. Each form only gathers and checks what the officer
typed; the decision (logbook, outbox, hub) is taken in console/workflows.py."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Select
from textual.widgets.option_list import Option

from pilkades_tui.console.keys import INTAKE_BINDINGS, PLACE_INPUT_BINDINGS, hint_line
from pilkades_tui.console.screens.dialogs import DIALOG_CSS, ChoiceDialog, ConfirmDialog
from pilkades_tui.domain.intake import (
    Place,
    PossibleDuplicate,
    description_limit,
    match_places,
    propose_priority,
)
from pilkades_tui.domain.models import (
    Category,
    Channel,
    HealthProtocol,
    Officer,
    OfficerStatus,
    Tps,
    TpsPhase,
)
from pilkades_tui.domain.rules.settings import PrioritySettings
from pilkades_tui.i18n import Catalogue

# The ways a call reaches the operations room; the field page marks its own reports.
CALL_CHANNELS = tuple(channel for channel in Channel if channel is not Channel.FIELD_PAGE)
PRIORITIES = (1, 2, 3, 4)

FORM_CSS = (
    DIALOG_CSS
    + """
{name} > Vertical {{ width: 90; }}
{name} Label.title {{ margin-bottom: 0; }}
{name} VerticalScroll {{ height: auto; max-height: 65vh; }}
{name} #matches {{ height: auto; max-height: 5; }}
{name} Label.why {{ color: $text-accent; }}
{name} Label.duplicate {{ color: $text-warning; text-style: bold; }}
"""
)


@dataclass(frozen=True)
class NewReport:
    place: Place
    category: Category
    priority: int
    description: str
    reported_by: str
    channel: Channel


@dataclass(frozen=True)
class NoteToIncident:
    """The call repeats an open incident: it goes on that incident's timeline."""

    incident_id: str
    note: str


@dataclass(frozen=True)
class TpsReport:
    phase: TpsPhase | None
    ballots_cast: int | None
    health_protocol: HealthProtocol | None
    note: str | None


@dataclass(frozen=True)
class UnitReport:
    status: OfficerStatus | None
    place: Place | None


def place_line(catalogue: Catalogue, place: Place) -> str:
    if place.kind == "village":
        return f"{place.label} · {place.district} ({catalogue.text('intake.village')})"
    return f"{place.label} · {place.district}"


class PlaceInput(Input):
    """The place field: typing narrows the matches, ↑/↓ pick among them."""

    BINDINGS = PLACE_INPUT_BINDINGS

    class Pick(Message):
        def __init__(self, step: int) -> None:
            super().__init__()
            self.step = step

    def action_pick(self, step: int) -> None:
        self.post_message(self.Pick(step))


class PlacePicker(Vertical):
    """Type-ahead over the places (domain/intake.py::match_places); the highlighted
    match is the chosen place."""

    DEFAULT_CSS = "PlacePicker { height: auto; }"

    class Changed(Message):
        pass

    def __init__(
        self, catalogue: Catalogue, places: Sequence[Place], *, label_key: str, id: str
    ) -> None:
        super().__init__(id=id)
        self.catalogue = catalogue
        self.places = places
        self.label_key = label_key
        self.matches: list[Place] = []

    def compose(self) -> ComposeResult:
        text = self.catalogue.text
        yield Label(text(self.label_key))
        yield PlaceInput(placeholder=text("intake.place_hint"), id="place", compact=True)
        matches = OptionList(id="matches")
        matches.can_focus = False
        matches.display = False
        yield matches

    @property
    def chosen(self) -> Place | None:
        option_list = self.query_one(OptionList)
        index = option_list.highlighted
        if not self.matches or index is None:
            return None
        return self.matches[index]

    @property
    def typed(self) -> str:
        return self.query_one(PlaceInput).value

    @on(Input.Changed, "#place")
    def _narrow(self, event: Input.Changed) -> None:
        event.stop()
        self.matches = match_places(self.places, event.value)
        option_list = self.query_one(OptionList)
        option_list.clear_options()
        if self.matches:
            option_list.add_options(
                Option(place_line(self.catalogue, place)) for place in self.matches
            )
            option_list.highlighted = 0
        elif event.value.strip():
            option_list.add_option(Option(self.catalogue.text("intake.no_place"), disabled=True))
        option_list.display = bool(event.value.strip())
        self.post_message(self.Changed())

    @on(PlaceInput.Pick)
    def _pick(self, event: PlaceInput.Pick) -> None:
        event.stop()
        if not self.matches:
            return
        option_list = self.query_one(OptionList)
        index = (option_list.highlighted or 0) + event.step
        option_list.highlighted = max(0, min(len(self.matches) - 1, index))
        self.post_message(self.Changed())


class IntakeForm(ModalScreen[object]):
    """Base of the forms: `enter` sends, `esc` asks before throwing typed text away."""

    BINDINGS = INTAKE_BINDINGS

    def __init__(self, catalogue: Catalogue) -> None:
        super().__init__()
        self.catalogue = catalogue

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # An open drop-down takes enter to pick its option.
        return not (action == "send" and any(select.expanded for select in self.query(Select)))

    def hint(self) -> Label:
        return Label(hint_line(INTAKE_BINDINGS, self.catalogue.text), classes="hint")

    def say(self, message: str) -> None:
        self.query_one("#error", Label).update(message)

    def typed_anything(self) -> bool:
        return any(field.value.strip() for field in self.query(Input))

    def action_cancel(self) -> None:
        if not self.typed_anything():
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(
            ConfirmDialog(self.catalogue, self.catalogue.text("intake.discard")), answered
        )


class NewIncidentForm(IntakeForm):
    """A call: place first, category, priority (proposed by the triage rule), description,
    reporter and channel; a possible duplicate is shown before anything is sent."""

    DEFAULT_CSS = FORM_CSS.format(name="NewIncidentForm")

    def __init__(
        self,
        catalogue: Catalogue,
        places: Sequence[Place],
        priority_settings: PrioritySettings,
        duplicates_of: Callable[[Place, Category], list[PossibleDuplicate]],
    ) -> None:
        super().__init__(catalogue)
        self.places = places
        self.priority_settings = priority_settings
        self.duplicates_of = duplicates_of
        self.proposed: int | None = None
        self.duplicates: list[PossibleDuplicate] = []

    def compose(self) -> ComposeResult:
        text, enum = self.catalogue.text, self.catalogue.enum
        with Vertical():
            yield Label(text("intake.title"), classes="title")
            yield Label("", classes="error", id="error")
            with VerticalScroll(can_focus=False):
                yield PlacePicker(
                    self.catalogue, self.places, label_key="intake.place", id="picker"
                )
                yield Label("", classes="duplicate", id="duplicate")
                yield Label(text("intake.category"))
                yield Select(
                    [(enum("category", category), category) for category in Category],
                    prompt=text("intake.choose"),
                    id="category",
                    compact=True,
                )
                yield Label(text("intake.priority"))
                yield Select(
                    [(f"P{priority}", priority) for priority in PRIORITIES],
                    prompt=text("intake.choose"),
                    id="priority",
                    compact=True,
                )
                yield Label("", classes="why", id="why")
                yield Label(text("intake.description"))
                yield Input(id="description", compact=True)
                yield Label(text("intake.reporter"))
                yield Input(id="reporter", compact=True)
                yield Label(text("intake.channel"))
                yield Select(
                    [(enum("channel", channel), channel) for channel in CALL_CHANNELS],
                    value=Channel.PHONE,
                    allow_blank=False,
                    id="channel",
                    compact=True,
                )
            yield self.hint()

    def on_mount(self) -> None:
        self.query_one(PlaceInput).focus()

    def chosen_category(self) -> Category | None:
        value = self.query_one("#category", Select).value
        return value if isinstance(value, Category) else None

    @on(PlacePicker.Changed)
    @on(Select.Changed, "#category")
    def _reconsider(self) -> None:
        """The place or the category moved: a new proposal and a new duplicate check."""
        place = self.query_one(PlacePicker).chosen
        category = self.chosen_category()
        why = self.query_one("#why", Label)
        duplicate = self.query_one("#duplicate", Label)
        if place is None or category is None:
            why.update("")
            duplicate.update("")
            self.duplicates = []
            return
        text = self.catalogue.text
        proposal = propose_priority(category, place.risk, self.priority_settings)
        priority = self.query_one("#priority", Select)
        if priority.value is Select.NULL or priority.value == self.proposed:
            # The officer's own choice stays; only the rule's earlier proposal moves.
            priority.value = proposal.priority
        self.proposed = proposal.priority
        reason = text(
            "intake.why",
            priority=proposal.priority,
            category=self.catalogue.enum("category", category),
            base=proposal.base,
        )
        if proposal.raised_by_risk:
            reason += text("intake.why_raised", place=place.label)
        why.update(reason)
        self.duplicates = self.duplicates_of(place, category)
        lines = [
            text(
                "intake.duplicate",
                id=found.incident.id,
                category=self.catalogue.enum("category", found.incident.category),
                place=found.incident.village or found.incident.tps_id or "",
                minutes=found.minutes_ago,
                distance=round(found.distance_km * 1000),
                status=self.catalogue.enum("status", found.incident.status),
            )
            for found in self.duplicates[:3]
        ]
        duplicate.update("\n".join(lines))

    def action_send(self) -> None:
        text = self.catalogue.text
        place = self.query_one(PlacePicker).chosen
        category = self.chosen_category()
        priority = self.query_one("#priority", Select).value
        description = self.query_one("#description", Input).value.strip()
        reporter = self.query_one("#reporter", Input).value.strip()
        channel = self.query_one("#channel", Select).value
        missing = [
            text(key)
            for key, absent in (
                ("intake.place", place is None),
                ("intake.category", category is None),
                ("intake.priority", not isinstance(priority, int)),
                ("intake.reporter", not reporter),
            )
            if absent
        ]
        if missing:
            self.say(text("intake.missing", fields="; ".join(missing)))
            return
        limit = description_limit()
        if len(description) > limit:
            self.say(text("intake.too_long", length=len(description), limit=limit))
            return
        assert place is not None and category is not None and isinstance(priority, int)
        assert isinstance(channel, Channel)
        report = NewReport(place, category, priority, description, reporter, channel)
        if not self.duplicates:
            self.dismiss(report)
            return
        first = self.duplicates[0].incident
        note = text(
            "intake.note_text",
            channel=self.catalogue.enum("channel", channel),
            by=reporter,
            text=description or self.catalogue.enum("category", category),
        )

        def decided(choice: str | None) -> None:
            if choice == "note":
                self.dismiss(NoteToIncident(first.id, note[:limit]))
            elif choice == "new":
                self.dismiss(report)

        self.app.push_screen(
            ChoiceDialog(
                text("intake.duplicate_ask", id=first.id),
                [
                    ("note", text("intake.as_note", id=first.id)),
                    ("new", text("intake.as_new")),
                    ("back", text("intake.back")),
                ],
            ),
            decided,
        )


class TpsStatusForm(IntakeForm):
    """A TPS's status given by phone: any of phase, ballots cast, health protocol, note."""

    DEFAULT_CSS = FORM_CSS.format(name="TpsStatusForm")

    def __init__(self, catalogue: Catalogue, tps: Tps) -> None:
        super().__init__(catalogue)
        self.tps = tps

    def compose(self) -> ComposeResult:
        text, enum = self.catalogue.text, self.catalogue.enum
        unchanged = text("intake.unchanged")
        with Vertical():
            yield Label(
                text("intake.tps_title", tps=f"{self.tps.name} · {self.tps.district}"),
                classes="title",
            )
            yield Label(text("intake.phase"))
            yield Select(
                [(enum("tpsphase", phase), phase) for phase in TpsPhase],
                prompt=f"{unchanged} ({enum('tpsphase', self.tps.phase)})",
                id="phase",
                compact=True,
            )
            yield Label(text("intake.ballots", voters=self.tps.voters))
            yield Input(placeholder=str(self.tps.ballots_cast), id="ballots", compact=True)
            yield Label(text("intake.health"))
            yield Select(
                [
                    (enum("health", health), health)
                    for health in HealthProtocol
                    if health is not HealthProtocol.UNKNOWN
                ],
                prompt=unchanged,
                id="health",
                compact=True,
            )
            yield Label(text("intake.note"))
            yield Input(id="note", compact=True)
            yield Label("", classes="error", id="error")
            yield self.hint()

    def on_mount(self) -> None:
        self.query_one("#phase", Select).focus()

    def action_send(self) -> None:
        text = self.catalogue.text
        phase = self.query_one("#phase", Select).value
        health = self.query_one("#health", Select).value
        typed_ballots = self.query_one("#ballots", Input).value.strip()
        note = self.query_one("#note", Input).value.strip()
        ballots: int | None = None
        if typed_ballots:
            if not typed_ballots.isdigit() or int(typed_ballots) > self.tps.voters:
                self.say(text("intake.bad_ballots", voters=self.tps.voters))
                return
            ballots = int(typed_ballots)
        limit = description_limit()
        if len(note) > limit:
            self.say(text("intake.too_long", length=len(note), limit=limit))
            return
        report = TpsReport(
            phase=phase if isinstance(phase, TpsPhase) else None,
            ballots_cast=ballots,
            health_protocol=health if isinstance(health, HealthProtocol) else None,
            note=note or None,
        )
        if all(value is None for value in vars(report).values()):
            self.say(text("intake.nothing"))
            return
        self.dismiss(report)


class UnitReportForm(IntakeForm):
    """A unit's radio call: its status, its place (a TPS or a village) or both."""

    DEFAULT_CSS = FORM_CSS.format(name="UnitReportForm")

    def __init__(self, catalogue: Catalogue, officer: Officer, places: Sequence[Place]) -> None:
        super().__init__(catalogue)
        self.officer = officer
        self.places = places

    def compose(self) -> ComposeResult:
        text, enum = self.catalogue.text, self.catalogue.enum
        with Vertical():
            yield Label(
                text("intake.unit_title", unit=f"{self.officer.id} {self.officer.name}"),
                classes="title",
            )
            yield Label(text("intake.unit_status"))
            yield Select(
                [(enum("ostatus", status), status) for status in OfficerStatus],
                prompt=f"{text('intake.unchanged')} ({enum('ostatus', self.officer.status)})",
                id="status",
                compact=True,
            )
            yield PlacePicker(
                self.catalogue, self.places, label_key="intake.unit_place", id="picker"
            )
            yield Label("", classes="error", id="error")
            yield self.hint()

    def on_mount(self) -> None:
        self.query_one("#status", Select).focus()

    def action_send(self) -> None:
        text = self.catalogue.text
        status = self.query_one("#status", Select).value
        picker = self.query_one(PlacePicker)
        place = picker.chosen
        if picker.typed.strip() and place is None:
            self.say(text("intake.no_place"))
            return
        report = UnitReport(
            status=status if isinstance(status, OfficerStatus) else None, place=place
        )
        if report.status is None and report.place is None:
            self.say(text("intake.nothing"))
            return
        self.dismiss(report)
