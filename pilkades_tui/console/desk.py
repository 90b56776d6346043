"""The duty officer's desk: each decision is logged, then sent, then its outcome logged.

The logbook entry is written before the command leaves, with the command's
Idempotency-Key, so a decision is on record even if the console dies mid-send, and
an outcome that arrives later (from the outbox) finds its entry again.

Every entry is stamped with the console's one clock (the app's `clock`), the same
clock that stamps the shift and judges timers: in a demo or a drill on simulated
time, a decision taken "now" falls inside the shift shown "now".
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from pilkades_tui.domain.clock import wib_now
from pilkades_tui.domain.models import Incident
from pilkades_tui.feed.commands import HubCommands
from pilkades_tui.feed.results import CommandResult, Outcome
from pilkades_tui.logbook import Kind, Logbook


class Desk:
    def __init__(
        self,
        commands: HubCommands,
        logbook: Logbook,
        operator: str,
        drill: Callable[[], bool] = lambda: False,
        clock: Callable[[], datetime] = wib_now,
    ) -> None:
        self.commands = commands
        self.logbook = logbook
        self.drill = drill
        self.clock = clock
        self.operator = operator
        commands.operator = operator
        # When this console began to keep the desk: its decisions count for the shift
        # even before the first handover it writes.
        self.started_at = clock()
        # Queued decisions by Idempotency-Key, so the outbox's later answer is logged.
        self._by_key: dict[str, int] = {}
        self._queued: set[str] = set()
        for entry in logbook.pending():
            key = entry.extra.get("key")
            if isinstance(key, str):
                self._by_key[key] = entry.n
                if entry.outcome is Outcome.QUEUED:
                    self._queued.add(key)

    async def act(
        self,
        incident: Incident,
        action: str,
        *,
        officer_ids: Sequence[str] = (),
        to: str | None = None,
        verdict: str | None = None,
        note: str = "",
    ) -> tuple[int, CommandResult]:
        """Log, send with `expected_version`, log the outcome; returns (entry, result)."""
        key = str(uuid.uuid4())
        number = self.logbook.append_decision(
            operator=self.operator,
            action=action,
            subject=incident.id,
            officer_ids=list(officer_ids),
            note=note,
            drill=self.drill(),
            at=self.clock(),
            details={
                "key": key,
                "expected_version": incident.version,
                **({"to": to} if to else {}),
                **({"verdict": verdict} if verdict else {}),
            },
        )
        self._by_key[key] = number
        result = await self.commands.incident_action(
            incident.id,
            action,
            officer_ids=list(officer_ids) or None,
            to=to,
            verdict=verdict,
            note=note,
            expected_version=incident.version,
            key=key,
        )
        self.record(key, result)
        return number, result

    async def report_incident(
        self,
        *,
        category: str,
        priority: int,
        description: str,
        reported_by: str,
        channel: str,
        tps_id: str | None = None,
        lat: float | None = None,
        lon: float | None = None,
    ) -> tuple[int, CommandResult]:
        """A call taken by the duty officer, sent as a new incident report."""
        place = {"tps_id": tps_id} if tps_id else {"lat": lat, "lon": lon}
        fields = {
            "category": category,
            "priority": priority,
            "reported_by": reported_by,
            "channel": channel,
            **place,
        }
        return await self._send(
            "report",
            tps_id,
            description,
            fields,
            lambda key: self.commands.new_incident(
                category=category,
                priority=priority,
                description=description,
                reported_by=reported_by,
                channel=channel,
                tps_id=tps_id,
                lat=lat,
                lon=lon,
                key=key,
            ),
        )

    async def tps_status(
        self,
        tps_id: str,
        *,
        phase: str | None = None,
        ballots_cast: int | None = None,
        health_protocol: str | None = None,
        note: str | None = None,
    ) -> tuple[int, CommandResult]:
        """A TPS status reported by phone, sent as PUT /v1/tps/{id}/status."""
        given = {"phase": phase, "ballots_cast": ballots_cast, "health_protocol": health_protocol}
        return await self._send(
            "tps_status",
            tps_id,
            note or "",
            {name: value for name, value in given.items() if value is not None},
            lambda key: self.commands.tps_status(
                tps_id,
                phase=phase,
                ballots_cast=ballots_cast,
                health_protocol=health_protocol,
                note=note,
                key=key,
            ),
        )

    async def officer_status(
        self, officer_id: str, status: str, note: str | None = None
    ) -> tuple[int, CommandResult]:
        """A unit's status reported by radio."""
        return await self._send(
            "officer_status",
            officer_id,
            note or "",
            {"status": status},
            lambda key: self.commands.officer_status(officer_id, status, note, key=key),
        )

    async def officer_position(
        self, officer_id: str, lat: float, lon: float, place: str
    ) -> tuple[int, CommandResult]:
        """A unit's position reported by radio as a place (a TPS or a village)."""
        return await self._send(
            "position",
            officer_id,
            place,
            {"lat": lat, "lon": lon},
            lambda key: self.commands.officer_position(officer_id, lat, lon, key=key),
        )

    async def _send(
        self,
        action: str,
        subject: str | None,
        note: str,
        details: Mapping[str, Any],
        send: Callable[[str], Awaitable[CommandResult]],
    ) -> tuple[int, CommandResult]:
        """Log, send with a fresh Idempotency-Key, log the outcome (as `act` does)."""
        key = str(uuid.uuid4())
        number = self.logbook.append_decision(
            operator=self.operator,
            action=action,
            subject=subject,
            note=note,
            drill=self.drill(),
            details={"key": key, **details},
        )
        self._by_key[key] = number
        result = await send(key)
        self.record(key, result)
        return number, result

    def record(self, key: str, result: CommandResult) -> None:
        """Log what became of the decision sent with `key` (also for outbox replays)."""
        number = self._by_key.get(key)
        if number is None:
            return
        if result.outcome is Outcome.ACCEPTED:
            self.logbook.record_outcome(
                number, Outcome.ACCEPTED, hub_seq=result.seq, at=self.clock()
            )
        elif result.outcome is Outcome.QUEUED:
            if key not in self._queued:
                self.logbook.record_outcome(
                    number, Outcome.QUEUED, why=result.message, at=self.clock()
                )
                self._queued.add(key)
            return  # still waiting: keep the key for the outbox's answer
        else:
            why = f"{result.error}: {result.message}" if result.error else result.message
            self.logbook.record_outcome(number, Outcome.REJECTED, why=why, at=self.clock())
        del self._by_key[key]
        self._queued.discard(key)

    def log(self, category: str, note: str, subject: str | None = None) -> int:
        return self.logbook.append_log(
            operator=self.operator,
            category=category,
            note=note,
            subject=subject,
            drill=self.drill(),
            at=self.clock(),
        )

    def handover(self, to_operator: str, note: str = "") -> int:
        """Record the handover under the outgoing officer, then give the desk to the
        incoming one: his name goes on every later entry and command."""
        number = self.logbook.append_handover(
            operator=self.operator,
            to_operator=to_operator,
            note=note,
            drill=self.drill(),
            at=self.clock(),
        )
        self.operator = to_operator
        self.commands.operator = to_operator
        return number

    def shift_start(self, scheduled: datetime) -> datetime:
        """Where this shift began: the last handover in the logbook, or else the earlier
        of the scheduled shift change and this console's start (a console opened before
        07:00 keeps the decisions taken before the change)."""
        handovers = [e.at for e in self.logbook.entries() if e.kind is Kind.HANDOVER]
        if handovers:
            return max(handovers)
        return min(scheduled, self.started_at)

    def shift_entries(self) -> list:
        """This shift's decisions: everything since the last handover."""
        entries = self.logbook.entries()
        for index in range(len(entries) - 1, -1, -1):
            if entries[index].kind is Kind.HANDOVER:
                return entries[index + 1 :]
        return entries
