"""Small modal dialogs for the workflows: confirm, a line of text, a choice, units, and
the reason a closing action needs."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from pilkades_tui.console.keys import (
    ASSIGN_BINDINGS,
    CANCEL_BINDINGS,
    CONFIRM_BINDINGS,
    hint_line,
)
from pilkades_tui.domain.recommend import Recommendation
from pilkades_tui.i18n import Catalogue

DIALOG_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{
    width: 76; max-width: 100%; height: auto; max-height: 90%;
    border: thick $accent; background: $surface; padding: 0 1;
}}
{name} Label.title {{ text-style: bold; margin-bottom: 1; }}
{name} Label.hint {{ color: $foreground-muted; }}
{name} Label.error {{ color: $text-error; }}
{name} Label.warning {{ color: $text-warning; text-style: bold; }}
{name} OptionList {{ height: auto; max-height: 16; }}
"""


class ConfirmDialog(ModalScreen[bool]):
    DEFAULT_CSS = DIALOG_CSS.format(name="ConfirmDialog")
    BINDINGS = CONFIRM_BINDINGS

    def __init__(self, catalogue: Catalogue, message: str) -> None:
        super().__init__()
        self.catalogue = catalogue
        self.message = message

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.message, classes="title")
            yield Label(
                hint_line(CONFIRM_BINDINGS, self.catalogue.text),
                classes="hint",
            )

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class TextDialog(ModalScreen[str | None]):
    DEFAULT_CSS = DIALOG_CSS.format(name="TextDialog")
    BINDINGS = CANCEL_BINDINGS

    def __init__(self, catalogue: Catalogue, title: str, *, required: bool = True) -> None:
        super().__init__()
        self.catalogue = catalogue
        self.title_text = title
        self.required = required

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text, classes="title")
            yield Input(id="text")
            yield Label("", classes="error", id="error")
            yield Label(hint_line(CANCEL_BINDINGS, self.catalogue.text), classes="hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        value = event.value.strip()
        if self.required and not value:
            self.query_one("#error", Label).update(self.catalogue.text("dialog.required"))
            return
        self.dismiss(value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ChoiceDialog(ModalScreen[str | None]):
    DEFAULT_CSS = DIALOG_CSS.format(name="ChoiceDialog")
    BINDINGS = CANCEL_BINDINGS

    def __init__(self, title: str, options: Sequence[tuple[str, str]]) -> None:
        super().__init__()
        self.title_text = title
        self.options = options

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text, classes="title")
            yield OptionList(*(Option(label, id=value) for value, label in self.options))

    def on_mount(self) -> None:
        option_list = self.query_one(OptionList)
        option_list.highlighted = 0
        option_list.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option_id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class AssignDialog(ModalScreen[list[str] | None]):
    """Available units nearest first; the top one preselected, space selects more."""

    DEFAULT_CSS = DIALOG_CSS.format(name="AssignDialog")
    BINDINGS = ASSIGN_BINDINGS

    def __init__(
        self,
        catalogue: Catalogue,
        subject: str,
        recommendations: Sequence[Recommendation],
        district_of: dict[str, str | None],
    ) -> None:
        super().__init__()
        self.catalogue = catalogue
        self.subject = subject  # the incident as every dialog names it
        self.recommendations = list(recommendations)
        self.district_of = district_of
        self.chosen: set[str] = (
            {self.recommendations[0].officer.id} if self.recommendations else set()
        )

    def line(self, rec: Recommendation) -> str:
        # Not "[x]": option prompts are markup, and [x] would vanish as a tag.
        mark = "■" if rec.officer.id in self.chosen else "□"
        kind = self.catalogue.enum("kind", rec.officer.kind)
        district = self.district_of.get(rec.officer.id) or "Polres"
        return (
            f"{mark} {rec.officer.id:<10} {rec.distance_km:5.1f} km {rec.eta_min:4.0f} min "
            f"{kind:<10} {district[:20]}"
        )

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.catalogue.text("dialog.assign", subject=self.subject), classes="title")
            yield OptionList(
                *(Option(self.line(rec), id=rec.officer.id) for rec in self.recommendations)
            )
            yield Label(hint_line(ASSIGN_BINDINGS, self.catalogue.text), classes="hint")

    def on_mount(self) -> None:
        option_list = self.query_one(OptionList)
        if self.recommendations:
            option_list.highlighted = 0
        option_list.focus()

    def action_toggle(self) -> None:
        option_list = self.query_one(OptionList)
        index = option_list.highlighted
        if index is None:
            return
        rec = self.recommendations[index]
        self.chosen ^= {rec.officer.id}
        option_list.replace_option_prompt_at_index(index, self.line(rec))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_confirm()

    def action_confirm(self) -> None:
        chosen = [r.officer.id for r in self.recommendations if r.officer.id in self.chosen]
        self.dismiss(chosen or None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class LogDialog(ModalScreen[tuple[str, str] | None]):
    """A free decision: pick a category, then write what was decided."""

    DEFAULT_CSS = DIALOG_CSS.format(name="LogDialog")
    BINDINGS = CANCEL_BINDINGS

    def __init__(self, catalogue: Catalogue, categories: Sequence[str]) -> None:
        super().__init__()
        self.catalogue = catalogue
        self.categories = categories
        self.category: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.catalogue.text("dialog.log"), classes="title")
            yield Label(self.catalogue.text("dialog.log_category"))
            yield OptionList(
                *(
                    Option(self.catalogue.text(f"logcat.{category}"), id=category)
                    for category in self.categories
                )
            )
            yield Label(self.catalogue.text("dialog.log_text"))
            yield Input(id="text")
            yield Label("", classes="error", id="error")

    def on_mount(self) -> None:
        option_list = self.query_one(OptionList)
        option_list.highlighted = 0
        option_list.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.category = event.option_id
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        option_list = self.query_one(OptionList)
        if self.category is None and option_list.highlighted is not None:
            self.category = self.categories[option_list.highlighted]
        if not event.value.strip() or self.category is None:
            self.query_one("#error", Label).update(self.catalogue.text("dialog.required"))
            return
        self.dismiss((self.category, event.value.strip()))

    def action_cancel(self) -> None:
        self.dismiss(None)


def typed_number_matches(typed: str, incident_id: str) -> bool:
    """Whether `typed` names `incident_id`: the id itself, or its number with or without
    the leading zeros (`4`, `000004`, `INC-000004` for `INC-000004`)."""
    typed = typed.strip().upper()
    if not typed:
        return False
    if typed == incident_id.upper():
        return True
    digits = incident_id.rpartition("-")[2]
    return typed.isdigit() and digits.isdigit() and int(typed) == int(digits)


class ReasonDialog(ModalScreen[str | None]):
    """Closing an incident: what will happen, what is odd about it (`warnings`), a reason
    that is required, and for a high priority the incident's number typed as well."""

    DEFAULT_CSS = DIALOG_CSS.format(name="ReasonDialog")
    BINDINGS = CANCEL_BINDINGS

    def __init__(
        self,
        catalogue: Catalogue,
        title: str,
        incident_id: str,
        priority: int,
        *,
        warnings: Sequence[str] = (),
        typed_number: bool = False,
    ) -> None:
        super().__init__()
        self.catalogue = catalogue
        self.title_text = title
        self.incident_id = incident_id
        self.priority = priority
        self.warnings = list(warnings)
        self.typed_number = typed_number

    def compose(self) -> ComposeResult:
        text = self.catalogue.text
        with Vertical():
            yield Label(self.title_text, classes="title")
            for warning in self.warnings:
                yield Label(warning, classes="warning")
            yield Label(text("dialog.reason"))
            yield Input(id="reason")
            if self.typed_number:
                digits = self.incident_id.rpartition("-")[2].lstrip("0") or "0"
                yield Label(
                    text(
                        "dialog.type_number",
                        id=self.incident_id,
                        number=digits,
                        priority=self.priority,
                    )
                )
                yield Input(id="number")
            yield Label("", classes="error", id="error")
            yield Label(hint_line(CANCEL_BINDINGS, self.catalogue.text), classes="hint")

    def on_mount(self) -> None:
        self.query_one("#reason", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = self.catalogue.text
        error = self.query_one("#error", Label)
        reason = self.query_one("#reason", Input).value.strip()
        if not reason:
            error.update(text("dialog.reason_required"))
            self.query_one("#reason", Input).focus()
            return
        if self.typed_number:
            number = self.query_one("#number", Input)
            if event.input.id == "reason" and not number.value.strip():
                error.update("")
                number.focus()
                return
            if not typed_number_matches(number.value, self.incident_id):
                error.update(text("dialog.number_mismatch", id=self.incident_id))
                number.focus()
                return
        self.dismiss(reason)

    def action_cancel(self) -> None:
        self.dismiss(None)
