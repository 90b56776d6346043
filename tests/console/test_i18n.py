"""One catalogue, two languages: a key missing or half-translated fails here."""

from __future__ import annotations

import ast
import string
from enum import StrEnum
from pathlib import Path

import pytest

from pilkades_tui.console import i18n
from pilkades_tui.domain.models import (
    Category,
    ElectionPhase,
    Escalation,
    HealthProtocol,
    IncidentStatus,
    OfficerKind,
    OfficerStatus,
    Risk,
    TpsPhase,
    Verification,
)
from pilkades_tui.i18n import LANGUAGES, MESSAGES, Catalogue, missing_keys
from pilkades_tui.logbook import LOG_CATEGORIES

CONSOLE_SOURCE = Path(i18n.__file__).resolve().parent

# The prefix each console widget passes to Catalogue.enum for each protocol enum.
ENUM_PREFIXES: dict[str, type[StrEnum]] = {
    "phase": ElectionPhase,
    "tpsphase": TpsPhase,
    "risk": Risk,
    "health": HealthProtocol,
    "category": Category,
    "status": IncidentStatus,
    "escalation": Escalation,
    "verification": Verification,
    "ostatus": OfficerStatus,
    "kind": OfficerKind,
}


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _keys_named_in_source() -> dict[str, list[str]]:
    """Every string literal in the console's code shaped like a catalogue key
    (`prefix.name` with a prefix the catalogue uses), with where it appears."""
    prefixes = {key.split(".", 1)[0] for key in MESSAGES}
    found: dict[str, list[str]] = {}
    for path in sorted(CONSOLE_SOURCE.rglob("*.py")):
        tree = ast.parse(path.read_text("utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
                continue
            prefix, dot, rest = node.value.partition(".")
            if dot and prefix in prefixes and rest.replace("_", "").isalnum():
                where = f"{path.relative_to(CONSOLE_SOURCE)}:{node.lineno}"
                found.setdefault(node.value, []).append(where)
    return found


def test_every_key_has_text_in_both_languages() -> None:
    assert LANGUAGES == ("id", "en")
    assert missing_keys() == []


def test_the_completeness_check_catches_a_gap() -> None:
    broken = dict(MESSAGES)
    broken["pane.tps"] = ("TPS", "")
    broken["pane.map"] = ("Peta",)  # type: ignore[assignment]
    assert missing_keys(broken) == ["pane.tps", "pane.map"]


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_both_languages_take_the_same_placeholders(key: str) -> None:
    indonesian, english = MESSAGES[key]
    assert _fields(indonesian) == _fields(english), key


def test_every_key_the_console_names_is_in_the_catalogue() -> None:
    named = _keys_named_in_source()
    assert len(named) > 50, "the scan found too few keys to be reading the console"
    unknown = {key: where for key, where in named.items() if key not in MESSAGES}
    assert unknown == {}


@pytest.mark.parametrize("prefix", sorted(ENUM_PREFIXES))
def test_every_protocol_value_has_a_word(prefix: str) -> None:
    enum = ENUM_PREFIXES[prefix]
    for lang in LANGUAGES:
        catalogue = Catalogue(lang)
        for member in enum:
            key = f"{prefix}.{member.value}"
            assert key in MESSAGES, key
            assert catalogue.enum(prefix, member) == catalogue.text(key)


def test_every_logbook_category_has_a_word() -> None:
    for category in LOG_CATEGORIES:
        assert f"logcat.{category}" in MESSAGES


def test_indonesian_is_the_default_and_english_is_a_switch_away() -> None:
    catalogue = Catalogue()
    assert catalogue.text("pane.incidents") == "Insiden"
    catalogue.set_language("en")
    assert catalogue.text("pane.incidents") == "Incidents"
    assert catalogue.enum("risk", Risk.HIGH) == MESSAGES["risk.high"][1]
    with pytest.raises(ValueError, match="unknown language"):
        catalogue.set_language("jv")


def test_one_catalogue_refuses_a_key_with_two_texts() -> None:
    """The console's and the report's words are one catalogue: a key that two tables
    spell differently is refused, so the two can never drift apart."""
    import pytest

    from pilkades_tui.i18n import merge_tables

    assert merge_tables({"a": ("x", "y")}, {"a": ("x", "y")}) == {"a": ("x", "y")}
    with pytest.raises(ValueError, match="two texts"):
        merge_tables({"col.priority": ("P", "P")}, {"col.priority": ("Prioritas", "Priority")})


def test_report_and_console_read_the_same_catalogue() -> None:
    from pilkades_tui.i18n import Catalogue as Shared
    from pilkades_tui.report import document

    assert document.Catalogue is Shared
    assert Shared("id")("report.col.priority") == "Prioritas"
    assert Shared("id").text("col.priority") == "P"


def test_ages_say_their_unit_in_both_languages() -> None:
    """`51m` reads as metres: ages say minutes, and hours past the hour."""
    from pilkades_tui.console.widgets.pane import age_text
    from pilkades_tui.i18n import Catalogue as Words

    assert age_text(Words("id"), 51) == "51 mnt"
    assert age_text(Words("en"), 51) == "51 min"
    assert age_text(Words("id"), 72) == "1 j 12 mnt"
    assert age_text(Words("en"), 60) == "1 h"


async def test_tps_pane_says_report_ages_in_minutes(app_factory) -> None:  # noqa: ANN001
    from pilkades_tui.console.widgets.tps_pane import TpsPane

    app = app_factory()
    async with app.run_test(size=(140, 30)) as pilot:
        await pilot.press("1")
        pane = app.query_one(TpsPane)
        rows = [pane.source_rows.row(i) for i in range(len(pane.source_rows))]
        ages = {row.cells[7] for row in rows if row.key}  # TPS rows, not kecamatan lines
        assert "45 mnt" in ages
        assert not any(age.endswith("m") and age[:-1].isdigit() for age in ages)
