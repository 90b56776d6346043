"""What a command to the hub came to (shared by the command client and the outbox)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Outcome(StrEnum):
    ACCEPTED = "accepted"  # the hub applied it (or had, for a repeated key)
    REJECTED = "rejected"  # the hub said no (400/401/403/404/413/422), or it was invalid here
    CONFLICT = "conflict"  # 409: someone acted first or a unit is busy; `record` is current
    QUEUED = "queued"  # the hub was out of reach: waiting in the outbox


# Why a command did not go through, as a console can put it in its officer's words: the
# hub's `error` code and `details` read into one of these (docs/protocol.md, Errors).
REFUSAL_REASONS = (
    "busy",  # 409: units not available (details.busy)
    "not_assigned",  # 409: units not on this incident (details.not_assigned)
    "changed",  # 409: expected_version is not the record's: someone acted first
    "closed",  # 409: the incident is already resolved or cancelled
    "escalated",  # 409: already at that escalation level or above
    "not_forward",  # 409: a status or TPS phase that would go back
    "conflict",  # 409 of any other kind
    "not_found",  # 404: unknown record
    "unauthorized",  # 401: token unknown or revoked
    "forbidden",  # 403: the token's role is too low
    "invalid",  # 422: a field the hub refuses (`field` names it)
    "too_large",  # 413
    "bad_request",  # 400
    "not_sent",  # refused here, before sending: it could never be accepted
    "rate_limited",  # 429: queued, retried later
    "unavailable",  # 5xx: queued, retried later
    "unreachable",  # no answer at all: queued
    "queued_behind",  # queued behind earlier commands still waiting
    "other",  # any other answer
)


@dataclass(frozen=True, slots=True)
class Refusal:
    """A refusal in protocol values only (ids, statuses), never the hub's English."""

    reason: str  # one of REFUSAL_REASONS
    subject: str | None = None  # the record the command was about (INC-000004)
    status: str | None = None  # the record's status now (incident status or TPS phase)
    escalation: str | None = None  # the incident's escalation now
    # (unit id, its status, the incident it is bound to) for busy / not_assigned
    units: tuple[tuple[str, str | None, str | None], ...] = ()
    field: str | None = None  # the refused field, for invalid
    status_code: int | None = None


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
    # The same answer read for a person (see Refusal); None when accepted.
    refusal: Refusal | None = field(default=None)

    @property
    def done(self) -> bool:
        """The hub gave its definite answer (anything but queued)."""
        return self.outcome is not Outcome.QUEUED
