"""The project's one catalogue of words, Bahasa Indonesia (default) and English.

Every text an officer reads, in the console or in the Anev report, is looked up here by
key: the domain words both share (pilkades_tui/words.py), the console's
(console/i18n.py) and the report's (report/i18n.py). A key means one thing everywhere:
the tables may not give one key two texts (checked at import).
`Catalogue.text(key, **params)` formats with str.format.
"""

from __future__ import annotations

from collections.abc import Mapping

from pilkades_tui.console.i18n import CONSOLE_MESSAGES
from pilkades_tui.report.i18n import REPORT_MESSAGES
from pilkades_tui.words import DOMAIN_WORDS

LANGUAGES = ("id", "en")

Table = Mapping[str, tuple[str, str]]


def merge_tables(*tables: Table) -> dict[str, tuple[str, str]]:
    """One table from several; a key given two different texts is refused, since two
    copies of one word would soon disagree."""
    merged: dict[str, tuple[str, str]] = {}
    for table in tables:
        for key, pair in table.items():
            if key in merged and merged[key] != pair:
                raise ValueError(f"catalogue key {key!r} has two texts: {merged[key]} and {pair}")
            merged[key] = pair
    return merged


# key: (Bahasa Indonesia, English)
MESSAGES: dict[str, tuple[str, str]] = merge_tables(DOMAIN_WORDS, CONSOLE_MESSAGES, REPORT_MESSAGES)
KNOWN_KEYS = frozenset(MESSAGES)


class Catalogue:
    """The words in one language; `set_language` switches it in place."""

    def __init__(self, lang: str = "id") -> None:
        self.lang = "id"
        self.set_language(lang)

    def set_language(self, lang: str) -> None:
        if lang not in LANGUAGES:
            raise ValueError(f"unknown language {lang!r}; one of {', '.join(LANGUAGES)}")
        self.lang = lang

    def text(self, key: str, **params: object) -> str:
        pair = MESSAGES[key]
        template = pair[0] if self.lang == "id" else pair[1]
        return template.format(**params) if params else template

    __call__ = text

    def known_keys(self) -> frozenset[str]:
        return KNOWN_KEYS

    def enum(self, prefix: str, value: object) -> str:
        """The word for a protocol value, e.g. enum('risk', Risk.HIGH) → 'sangat rawan';
        a value with no word shows as it is."""
        raw = getattr(value, "value", value)
        key = f"{prefix}.{raw}"
        return self.text(key) if key in MESSAGES else str(raw)


def missing_keys(messages: Mapping[str, tuple[str, str]] = MESSAGES) -> list[str]:
    """Keys whose text is empty in either language."""
    return [key for key, pair in messages.items() if len(pair) != 2 or not all(pair)]
