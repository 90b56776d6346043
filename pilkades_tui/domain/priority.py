"""The priority a report gets when the reporter gave none.

Violence and disasters endanger lives at once (P1); crowds, intimidation and vote
disputes can turn into clashes (P2); the rest needs attention within the shift (P3).
A village mapped high-risk before the election raises the priority by one level.
"""

from __future__ import annotations

from pilkades_tui.domain.models import Category, Risk

CATEGORY_PRIORITY: dict[Category, int] = {
    Category.CLASH: 1,
    Category.FIRE_OR_DISASTER: 1,
    Category.CROWD: 2,
    Category.INTIMIDATION: 2,
    Category.VOTE_DISPUTE: 2,
    Category.MONEY_POLITICS: 3,
    Category.LOGISTICS: 3,
    Category.HEALTH_PROTOCOL: 3,
    Category.HOAX: 3,
    Category.OTHER: 3,
}


def default_priority(category: Category, village_risk: Risk | None) -> int:
    base = CATEGORY_PRIORITY[category]
    if village_risk == Risk.HIGH:
        return max(1, base - 1)
    return base
