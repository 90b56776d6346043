"""What a command to the hub came to (shared by the command client and the outbox)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Outcome(StrEnum):
    ACCEPTED = "accepted"  # the hub applied it (or had, for a repeated key)
    REJECTED = "rejected"  # the hub said no (400/401/403/404/413/422), or it was invalid here
    CONFLICT = "conflict"  # 409: someone acted first or a unit is busy; `record` is current
    QUEUED = "queued"  # the hub was out of reach: waiting in the outbox


@dataclass
class CommandResult:
    outcome: Outcome
    status_code: int | None  # None when queued (hub unreachable) or refused before sending
    record: dict[str, Any] | None  # the resulting/current record (201/200, or 409's current)
    seq: int | None  # the seq of the event the command became
    error: str | None  # the hub's error code ("conflict", "forbidden", ...)
    message: str | None  # the hub's sentence for a person
    details: Any
    idempotency_key: str

    @property
    def done(self) -> bool:
        """The hub gave its definite answer (anything but queued)."""
        return self.outcome is not Outcome.QUEUED
