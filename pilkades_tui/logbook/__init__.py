"""The console's durable, hash-chained logbook of decisions (TinyDB, append-only)."""

from pilkades_tui.logbook.book import (
    LOG_CATEGORIES,
    Entry,
    Kind,
    Logbook,
    Outcome,
    VerifyResult,
    export_entries,
)
from pilkades_tui.logbook.storage import LogbookBusy, LogbookCorrupt, LogbookError

__all__ = [
    "LOG_CATEGORIES",
    "Entry",
    "Kind",
    "Logbook",
    "LogbookBusy",
    "LogbookCorrupt",
    "LogbookError",
    "Outcome",
    "VerifyResult",
    "export_entries",
]
