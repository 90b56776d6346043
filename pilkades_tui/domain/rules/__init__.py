"""Election-security rules: staffing against risk, stage checkpoints, priority timers,
spread detection and verification, raising `Alert`s through one `AlertEngine`.

Pure domain: the settings object and `now` come in as arguments; nothing here reads a
file or the clock.
"""

from pilkades_tui.domain.rules.alerts import (
    FALLBACK_TEXT,
    Action,
    Alert,
    AlertKind,
    Severity,
    newest_first,
)
from pilkades_tui.domain.rules.checkpoints import StageState, StageSummary
from pilkades_tui.domain.rules.engine import AlertEngine
from pilkades_tui.domain.rules.settings import (
    DEFAULT_SETTINGS,
    RuleSettings,
    Stage,
    TimerKind,
    settings_from_overrides,
)
from pilkades_tui.domain.rules.spread import Cluster
from pilkades_tui.domain.rules.staffing import DistrictStaffing, TpsStaffing, compute_staffing
from pilkades_tui.domain.rules.triage import priority_for
from pilkades_tui.domain.rules.verification import VerificationCounts, verification_counts

__all__ = [
    "DEFAULT_SETTINGS",
    "FALLBACK_TEXT",
    "Action",
    "Alert",
    "AlertEngine",
    "AlertKind",
    "Cluster",
    "DistrictStaffing",
    "RuleSettings",
    "Severity",
    "Stage",
    "StageState",
    "StageSummary",
    "TimerKind",
    "TpsStaffing",
    "VerificationCounts",
    "compute_staffing",
    "newest_first",
    "priority_for",
    "settings_from_overrides",
    "verification_counts",
]
