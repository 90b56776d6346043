"""The console's durable, hash-chained logbook of decisions (TinyDB, append-only)."""

from pilkades_tui.logbook.book import (
    LOG_CATEGORIES,
    Entry,
    Kind,
    Logbook,
    Outcome,
    VerifyResult,
    export_entries,
    fold,
    read_records,
    verify_records,
)
from pilkades_tui.logbook.storage import (
    AppendOnlyStorage,
    AppendTable,
    LogbookBusy,
    LogbookCorrupt,
    LogbookDB,
    LogbookError,
)

__all__ = [
    "LOG_CATEGORIES",
    "AppendOnlyStorage",
    "AppendTable",
    "Entry",
    "Kind",
    "Logbook",
    "LogbookBusy",
    "LogbookCorrupt",
    "LogbookDB",
    "LogbookError",
    "Outcome",
    "VerifyResult",
    "export_entries",
    "fold",
    "read_records",
    "verify_records",
]
