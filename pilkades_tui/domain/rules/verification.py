"""Verification: unverified reports listed apart, invalid ones counted.

`invalid` closes a hoax without a unit (the hub cancels it); the Anev report counts
those. The index follows incident changes so the queue reads it without a scan.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from pilkades_tui.domain.models import Incident, Verification


@dataclass(frozen=True, slots=True)
class VerificationCounts:
    unverified: int = 0
    verified: int = 0
    invalid: int = 0
    unverified_open: int = 0  # still waiting for a verdict and not closed


def queue_order(incident: Incident) -> tuple[int, float, str]:
    """The open queue's order (domain/state.py): priority, then the oldest report."""
    return (incident.priority, incident.reported_at.timestamp(), incident.id)


def verification_counts(incidents: Iterable[Incident]) -> VerificationCounts:
    """A one-off count, for a report."""
    index = VerificationIndex()
    for incident in incidents:
        index.put(incident)
    return index.counts()


class VerificationIndex:
    def __init__(self) -> None:
        self.clear()

    def clear(self) -> None:
        self._verdict: dict[str, Verification] = {}
        self._totals: dict[Verification, int] = dict.fromkeys(Verification, 0)
        self._unverified_open: set[str] = set()
        self._sorted: list[str] | None = None

    def put(self, incident: Incident) -> None:
        held = self._verdict.get(incident.id)
        if held is not None:
            self._totals[held] -= 1
        self._verdict[incident.id] = incident.verification
        self._totals[incident.verification] += 1
        waiting = incident.verification == Verification.UNVERIFIED and incident.is_open
        if waiting != (incident.id in self._unverified_open):
            if waiting:
                self._unverified_open.add(incident.id)
            else:
                self._unverified_open.discard(incident.id)
            self._sorted = None
        elif waiting:
            self._sorted = None  # its priority may have moved

    def counts(self) -> VerificationCounts:
        totals = self._totals
        return VerificationCounts(
            unverified=totals[Verification.UNVERIFIED],
            verified=totals[Verification.VERIFIED],
            invalid=totals[Verification.INVALID],
            unverified_open=len(self._unverified_open),
        )

    def unverified_open(self, incidents: Mapping[str, Incident]) -> list[Incident]:
        """Open reports still unverified, in queue order."""
        if self._sorted is None:
            self._sorted = sorted(self._unverified_open, key=lambda i: queue_order(incidents[i]))
        return [incidents[i] for i in self._sorted if i in incidents]
