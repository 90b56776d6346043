"""The `:` commands as one table: name, aliases, argument parser, handler and usage.

The command line, the `?` help and the command palette (`ctrl+p`) all read this table,
so a command cannot exist in one and be missing from another. Arguments are taken in
the officer's words as well as the protocol's (`:risk sangat rawan` or `:risk high`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pilkades_tui.console.layouts import CHOICES
from pilkades_tui.domain.models import Risk, TpsPhase
from pilkades_tui.i18n import LANGUAGES, Catalogue
from pilkades_tui.scenario.geography import Regency

if TYPE_CHECKING:
    from pilkades_tui.console.app import PilkadesApp


class CommandError(Exception):
    """A command line that cannot run; the message is in the officer's language."""


def folded(text: str) -> str:
    """Case, spaces and `_` forgiven: `Sangat_Rawan` and `sangat rawan` are one word."""
    return " ".join(text.replace("_", " ").casefold().split())


def enum_word(catalogue: Catalogue, prefix: str, values: Iterable[str], argument: str) -> str:
    """The protocol value an officer named, by the value itself or its word in either
    language (`sangat rawan`, `high risk`, `high`)."""
    wanted = folded(argument)
    for value in values:
        words = {folded(value)}
        for lang in LANGUAGES:
            words.add(folded(Catalogue(lang).enum(prefix, value)))
        if wanted in words:
            return value
    raise CommandError(catalogue.text("cmd.bad_value", value=argument))


Parser = Callable[["PilkadesApp", str], object]
Handler = Callable[["PilkadesApp", object], None]
Choices = Callable[["PilkadesApp"], list[str]]


def no_argument(app: PilkadesApp, argument: str) -> None:
    return None


def optional_text(app: PilkadesApp, argument: str) -> str:
    return argument


def required_text(app: PilkadesApp, argument: str) -> str:
    if not argument:
        raise CommandError("")
    return argument


@dataclass(frozen=True)
class ConsoleCommand:
    name: str
    usage_key: str  # catalogue key: the command as typed, e.g. ":risk aman|rawan|…"
    help_key: str  # catalogue key: what it does
    run: Handler
    parse: Parser = no_argument
    aliases: tuple[str, ...] = ()
    # The arguments the palette offers (values as the officer would type them).
    choices: Choices | None = None
    takes_argument: bool = False

    def usage(self, catalogue: Catalogue) -> str:
        return catalogue.text(self.usage_key)

    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


# ---- parsers ------------------------------------------------------------------------


def parse_theme(app: PilkadesApp, argument: str) -> str:
    if argument not in app.available_themes:
        names = ", ".join(sorted(app.available_themes))
        raise CommandError(app.catalogue.text("cmd.theme_unknown", name=argument, names=names))
    return argument


def parse_lang(app: PilkadesApp, argument: str) -> str:
    wanted = folded(argument)
    if wanted not in LANGUAGES:
        raise CommandError("")
    return wanted


def parse_layout(app: PilkadesApp, argument: str) -> str:
    wanted = folded(argument)
    if wanted not in CHOICES:
        raise CommandError("")
    return wanted


def parse_district(app: PilkadesApp, argument: str) -> str:
    state = app.current_state()
    districts = state.districts() if state is not None else []
    match = next((d for d in districts if folded(d) == folded(argument)), None)
    if match is None:
        raise CommandError(app.catalogue.text("cmd.district_unknown", name=argument))
    return match


def parse_regency(app: PilkadesApp, argument: str) -> Regency:
    geography = app.geography.geography
    regency = geography.regency_named(argument)
    if regency is None:
        names = ", ".join(r.name for r in geography.regencies)
        raise CommandError(app.catalogue.text("cmd.regency_unknown", name=argument, names=names))
    return regency


def parse_risk(app: PilkadesApp, argument: str) -> str:
    return enum_word(app.catalogue, "risk", [risk.value for risk in Risk], argument)


def parse_phase(app: PilkadesApp, argument: str) -> str:
    return enum_word(app.catalogue, "tpsphase", [phase.value for phase in TpsPhase], argument)


# ---- choices for the palette --------------------------------------------------------


def theme_choices(app: PilkadesApp) -> list[str]:
    return sorted(app.available_themes)


def regency_choices(app: PilkadesApp) -> list[str]:
    return [regency.name for regency in app.geography.geography.regencies]


def district_choices(app: PilkadesApp) -> list[str]:
    state = app.current_state()
    return list(state.districts()) if state is not None else []


def risk_choices(app: PilkadesApp) -> list[str]:
    return [app.catalogue.enum("risk", risk) for risk in Risk]


def phase_choices(app: PilkadesApp) -> list[str]:
    return [app.catalogue.enum("tpsphase", phase) for phase in TpsPhase]


# ---- handlers -----------------------------------------------------------------------


def set_theme(app: PilkadesApp, name: object) -> None:
    app.use_theme(str(name))


def set_lang(app: PilkadesApp, lang: object) -> None:
    app.set_language(str(lang))


def filter_district(app: PilkadesApp, district: object) -> None:
    app.set_filter(district=str(district))
    app.notify(app.catalogue.text("cmd.filter_set", text=str(district)))


def filter_regency(app: PilkadesApp, regency: object) -> None:
    assert isinstance(regency, Regency)
    app.narrow_to_regency(regency)
    app.notify(app.catalogue.text("cmd.filter_set", text=regency.name))


def filter_risk(app: PilkadesApp, risk: object) -> None:
    app.set_filter(risk=str(risk))


def filter_phase(app: PilkadesApp, phase: object) -> None:
    app.set_filter(phase=str(phase))


def clear_filters(app: PilkadesApp, _: object) -> None:
    app.clear_filters()
    app.notify(app.catalogue.text("cmd.cleared"))


@dataclass
class CommandTable:
    commands: list[ConsoleCommand] = field(default_factory=list)

    def find(self, word: str) -> ConsoleCommand | None:
        wanted = word.casefold()
        return next((c for c in self.commands if wanted in c.names()), None)

    def run(self, app: PilkadesApp, line: str) -> None:
        """Run one command line (with or without its `:`); a mistake is said, not raised."""
        text = app.catalogue.text
        words = line.strip().lstrip(":").split(maxsplit=1)
        if not words:
            return
        word, argument = words[0], (words[1].strip() if len(words) > 1 else "")
        command = self.find(word)
        if command is None:
            app.notify(text("cmd.unknown", command=word), severity="error")
            return
        try:
            value = command.parse(app, argument)
        except CommandError as error:
            message = str(error) or text("cmd.usage", usage=command.usage(app.catalogue))
            app.notify(message, severity="error")
            return
        command.run(app, value)

    def help_rows(self, catalogue: Catalogue) -> list[tuple[str, str]]:
        """(usage with aliases, what it does) for the help screen."""
        rows = []
        for command in self.commands:
            usage = command.usage(catalogue)
            if command.aliases:
                usage += "  (" + ", ".join(f":{alias}" for alias in command.aliases) + ")"
            rows.append((usage, catalogue.text(command.help_key)))
        return rows


COMMANDS = CommandTable(
    [
        ConsoleCommand(
            "theme", "usage.theme", "cmdhelp.theme", set_theme, parse_theme,
            aliases=("tema",), choices=theme_choices, takes_argument=True,
        ),
        ConsoleCommand(
            "lang", "usage.lang", "cmdhelp.lang", set_lang, parse_lang,
            aliases=("bahasa",), choices=lambda app: list(LANGUAGES), takes_argument=True,
        ),
        ConsoleCommand(
            "layout", "usage.layout", "cmdhelp.layout",
            lambda app, name: app.set_layout(str(name)), parse_layout,
            aliases=("tataletak",), choices=lambda app: list(CHOICES), takes_argument=True,
        ),
        ConsoleCommand(
            "kabupaten", "usage.kabupaten", "cmdhelp.kabupaten", filter_regency,
            parse_regency, aliases=("kab", "regency"), choices=regency_choices,
            takes_argument=True,
        ),
        ConsoleCommand(
            "kecamatan", "usage.kecamatan", "cmdhelp.kecamatan", filter_district,
            parse_district, aliases=("district",), choices=district_choices,
            takes_argument=True,
        ),
        ConsoleCommand(
            "risk", "usage.risk", "cmdhelp.risk", filter_risk, parse_risk,
            aliases=("rawan", "kerawanan"), choices=risk_choices, takes_argument=True,
        ),
        ConsoleCommand(
            "phase", "usage.phase", "cmdhelp.phase", filter_phase, parse_phase,
            aliases=("tahap",), choices=phase_choices, takes_argument=True,
        ),
        ConsoleCommand("clear", "usage.clear", "cmdhelp.clear", clear_filters,
                       aliases=("bersih",)),
        ConsoleCommand(
            "handover", "usage.handover", "cmdhelp.handover",
            lambda app, name: app.hand_over(str(name)), required_text,
            aliases=("serahterima",), takes_argument=True,
        ),
        ConsoleCommand(
            "closed", "usage.closed", "cmdhelp.closed",
            lambda app, text: app.action_closed(str(text)), optional_text,
            aliases=("selesai", "ditutup"),
        ),
        ConsoleCommand("checkpoints", "usage.checkpoints", "cmdhelp.checkpoints",
                       lambda app, _: app.action_checkpoints(), aliases=("tahapan",)),
        ConsoleCommand("logbook", "usage.logbook", "cmdhelp.logbook",
                       lambda app, _: app.action_logbook(), aliases=("bukupiket",)),
        ConsoleCommand("outbox", "usage.outbox", "cmdhelp.outbox",
                       lambda app, _: app.action_outbox(), aliases=("antrean",)),
        ConsoleCommand("help", "usage.help", "cmdhelp.help",
                       lambda app, _: app.action_help(), aliases=("bantuan",)),
        ConsoleCommand("quit", "usage.quit", "cmdhelp.quit",
                       lambda app, _: app.action_quit_console(), aliases=("q", "keluar")),
    ]
)  # fmt: skip
