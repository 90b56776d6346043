"""The priority of a report that came without one, with the settings' overrides."""

from __future__ import annotations

from pilkades_tui.domain.models import Category, Risk
from pilkades_tui.domain.priority import default_priority
from pilkades_tui.domain.rules.settings import PrioritySettings


def priority_for(category: Category, village_risk: Risk | None, settings: PrioritySettings) -> int:
    """domain/priority.py's rule, with the categories the settings override taking their
    base from the settings and the high-risk raise switched by `raise_at_high_risk`."""
    override = settings.categories.get(category)
    if override is None:
        # The built-in table; asking it about a low-risk village gives the plain base.
        base = default_priority(category, Risk.LOW)
        raised = default_priority(category, village_risk)
    else:
        base = override
        raised = max(1, override - 1) if village_risk == Risk.HIGH else override
    return raised if settings.raise_at_high_risk else base
