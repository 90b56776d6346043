"""Commands to the hub: a dispatcher's decisions and a reporter's field reports.

Every call carries an Idempotency-Key (a fresh uuid4 unless given), so sending the
same decision twice makes one change. Bodies are checked here with the domain's
command models first, so a command that could never be accepted is refused at once
instead of waiting in the outbox. When the hub is out of reach (connection refused,
timeout, 5xx, 429) and an outbox is given, the command is queued on disk and the
result says QUEUED; while anything is queued, new commands queue behind it so that
decisions reach the hub in the order they were taken.
"""

from __future__ import annotations

import urllib.parse
import uuid
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

import httpx
from pydantic import BaseModel, ValidationError

from pilkades_tui.domain.clock import wib_now
from pilkades_tui.domain.events import ProtocolError
from pilkades_tui.domain.models import (
    IncidentActionBody,
    NewIncident,
    NoticeBody,
    OfficerStatusBody,
    PhaseBody,
    PositionBody,
    TpsStatusBody,
)
from pilkades_tui.feed.outbox import Outbox, QueuedCommand
from pilkades_tui.feed.results import CommandResult, Outcome, Refusal
from pilkades_tui.feed.wire import HubAddress, describe_network_error, hub_addresses, quote_id

__all__ = ["CommandResult", "HubCommands", "Outcome"]

# Answers that mean "not now" rather than "no": the same command may succeed later.
RETRY_LATER = frozenset({429, 500, 502, 503, 504})


# The officer behind a command (docs/protocol.md); the hub records `token / operator`.
OPERATOR_HEADER = "X-Pilkades-Operator"


class HubCommands:
    """`hub_url` may name several hubs of one shared log ("URL1,URL2"): a command that
    cannot reach one is sent to the next with the same Idempotency-Key. `operator` is the
    officer at the desk now; the console changes it at a handover. Each command carries
    the operator of the moment it was decided, a queued one too."""

    def __init__(
        self,
        hub_url: str | Sequence[str],
        token: str,
        outbox: Outbox | None = None,
        *,
        timeout: float = 5.0,
        operator: str | None = None,
    ) -> None:
        self._addresses = hub_addresses(hub_url, token)
        self._current = 0
        self.outbox = outbox
        self.operator = operator
        self._http = httpx.AsyncClient(headers=self._address.headers, timeout=timeout)

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> HubCommands:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    # ---- dispatcher ------------------------------------------------------

    async def incident_action(
        self,
        incident_id: str,
        action: str,
        *,
        officer_ids: list[str] | None = None,
        to: str | None = None,
        verdict: str | None = None,
        note: str = "",
        expected_version: int | None = None,
        key: str | None = None,
    ) -> CommandResult:
        body = {
            "action": action,
            "officer_ids": officer_ids,
            "to": to,
            "verdict": verdict,
            "note": note,
            "expected_version": expected_version,
        }
        what = f"{action} {incident_id}"
        if officer_ids:
            what += f" ({', '.join(officer_ids)})"
        if to:
            what += f" to {to}"
        path = f"/v1/incidents/{quote_id(incident_id)}/actions"
        return await self._submit("POST", path, IncidentActionBody, body, key, what)

    # ---- reporter --------------------------------------------------------

    async def new_incident(
        self,
        *,
        category: str,
        description: str,
        reported_by: str,
        priority: int | None = None,
        tps_id: str | None = None,
        lat: float | None = None,
        lon: float | None = None,
        channel: str | None = None,
        key: str | None = None,
    ) -> CommandResult:
        body = {
            "category": category,
            "priority": priority,
            "tps_id": tps_id,
            "lat": lat,
            "lon": lon,
            "description": description,
            "reported_by": reported_by,
            "channel": channel,
        }
        place = tps_id or f"{lat},{lon}"
        what = f"report {category} at {place}"
        return await self._submit("POST", "/v1/incidents", NewIncident, body, key, what)

    async def tps_status(
        self,
        tps_id: str,
        *,
        phase: str | None = None,
        ballots_cast: int | None = None,
        health_protocol: str | None = None,
        note: str | None = None,
        key: str | None = None,
    ) -> CommandResult:
        body = {
            "phase": phase,
            "ballots_cast": ballots_cast,
            "health_protocol": health_protocol,
            "note": note,
        }
        path = f"/v1/tps/{quote_id(tps_id)}/status"
        return await self._submit("PUT", path, TpsStatusBody, body, key, f"status of {tps_id}")

    async def officer_status(
        self, officer_id: str, status: str, note: str | None = None, key: str | None = None
    ) -> CommandResult:
        path = f"/v1/officers/{quote_id(officer_id)}/status"
        body = {"status": status, "note": note}
        return await self._submit(
            "PUT", path, OfficerStatusBody, body, key, f"{officer_id} is {status}"
        )

    async def officer_position(
        self,
        officer_id: str,
        lat: float,
        lon: float,
        at: datetime | str | None = None,
        key: str | None = None,
    ) -> CommandResult:
        path = f"/v1/officers/{quote_id(officer_id)}/position"
        moment = at.isoformat() if isinstance(at, datetime) else at
        body = {"lat": lat, "lon": lon, "at": moment}
        return await self._submit(
            "POST", path, PositionBody, body, key, f"position of {officer_id}"
        )

    # ---- admin -----------------------------------------------------------

    async def set_phase(
        self, phase: str, note: str | None = None, key: str | None = None
    ) -> CommandResult:
        body = {"phase": phase, "note": note}
        return await self._submit("PUT", "/v1/phase", PhaseBody, body, key, f"phase {phase}")

    async def notice(self, level: str, text: str, key: str | None = None) -> CommandResult:
        body = {"level": level, "text": text}
        return await self._submit("POST", "/v1/notices", NoticeBody, body, key, f"{level} notice")

    # ---- the wire --------------------------------------------------------

    async def replay(self, command: QueuedCommand) -> CommandResult:
        """Send a queued command once more, same key and body; QUEUED if still out of reach.
        This is what `Outbox.run` calls."""
        return await self._send(
            command.method, command.path, command.body, command.key, command.operator
        )

    async def run_outbox(
        self, on_result: Callable[[str, CommandResult], None] | None = None, **backoff: float
    ) -> None:
        """Keep sending this client's outbox until cancelled (see Outbox.run)."""
        if self.outbox is None:
            raise RuntimeError("this HubCommands has no outbox")
        await self.outbox.run(self, on_result, **backoff)

    async def _submit(
        self,
        method: str,
        path: str,
        model: type[BaseModel],
        fields: dict[str, Any],
        key: str | None,
        description: str,
    ) -> CommandResult:
        key = key or str(uuid.uuid4())
        operator = self.operator  # who decided: a retry later must still name him
        given = {name: value for name, value in fields.items() if value is not None}
        try:
            model.model_validate(given)
        except ValidationError as error:
            reason = ProtocolError.from_validation(error)
            return CommandResult(
                outcome=Outcome.REJECTED,
                status_code=None,
                record=None,
                seq=None,
                error="invalid",
                message=f"not sent: {reason}",
                details={"field": reason.field},
                idempotency_key=key,
                refusal=Refusal("not_sent", _subject_of(path), field=reason.field),
            )
        outbox = self.outbox
        if outbox is not None and len(outbox):
            return self._enqueue(method, path, given, key, description, None, operator)
        result = await self._send(method, path, given, key, operator)
        if result.outcome is Outcome.QUEUED:
            if outbox is not None:
                return self._enqueue(
                    method,
                    path,
                    given,
                    key,
                    description,
                    result.message,
                    operator,
                    result.refusal,
                )
            result.outcome = Outcome.REJECTED
            result.error = "unreachable"
        return result

    def _enqueue(
        self,
        method: str,
        path: str,
        body: dict[str, Any],
        key: str,
        description: str,
        last_error: str | None,
        operator: str | None,
        refusal: Refusal | None = None,
    ) -> CommandResult:
        outbox = self.outbox
        assert outbox is not None
        outbox.add(
            QueuedCommand(
                key=key,
                method=method,
                path=path,
                body=body,
                created_at=wib_now().isoformat(),
                attempts=1 if last_error else 0,
                last_error=last_error,
                description=description,
                operator=operator,
            )
        )
        message = last_error or "queued behind earlier commands waiting for the hub"
        return CommandResult(
            outcome=Outcome.QUEUED,
            status_code=None,
            record=None,
            seq=None,
            error="queued",
            message=message,
            details=None,
            idempotency_key=key,
            refusal=refusal or Refusal("queued_behind", _subject_of(path)),
        )

    @property
    def _address(self) -> HubAddress:
        return self._addresses[self._current]

    async def _send(
        self, method: str, path: str, body: dict[str, Any], key: str, operator: str | None
    ) -> CommandResult:
        headers: dict[str, str | bytes] = {"Idempotency-Key": key}
        if operator:
            # Bytes: httpx would refuse a str header that is not ASCII ("Ibu Ní Luh").
            headers[OPERATOR_HEADER] = operator.encode("utf-8")
        unreachable = ""
        for _ in self._addresses:
            address = self._address
            try:
                response = await self._http.request(
                    method, address.http_url(path), json=body, headers=headers
                )
                break
            except httpx.TransportError as error:
                unreachable = describe_network_error(error, address)
                self._current = (self._current + 1) % len(self._addresses)
        else:
            return _unreachable(key, unreachable, Refusal("unreachable", _subject_of(path)))
        code = response.status_code
        payload = _json_or_none(response)
        if code in RETRY_LATER:
            reason = _error_field(payload, "message") or response.reason_phrase
            busy = "busy" if code == 429 else "in trouble"
            why = "rate_limited" if code == 429 else "unavailable"
            return _unreachable(
                key,
                address.scrub(f"the hub is {busy} (HTTP {code}: {reason}); will retry"),
                Refusal(why, _subject_of(path), status_code=code),
            )
        if 200 <= code < 300:
            record, seq = _record_and_seq(payload)
            return CommandResult(
                outcome=Outcome.ACCEPTED,
                status_code=code,
                record=record,
                seq=seq,
                error=None,
                message=None,
                details=None,
                idempotency_key=key,
            )
        details = payload.get("details") if isinstance(payload, dict) else None
        refusal = refusal_for(code, details, body, _subject_of(path))
        return CommandResult(
            outcome=Outcome.CONFLICT if code == 409 else Outcome.REJECTED,
            status_code=code,
            record=_current_record(details) if code == 409 else None,
            seq=None,
            error=_error_field(payload, "error") or f"http_{code}",
            message=address.scrub(
                _error_field(payload, "message") or f"the hub answered HTTP {code}"
            ),
            details=details,
            idempotency_key=key,
            refusal=refusal,
        )


def _unreachable(key: str, message: str, refusal: Refusal) -> CommandResult:
    return CommandResult(
        outcome=Outcome.QUEUED,
        status_code=None,
        record=None,
        seq=None,
        error="unreachable",
        message=message,
        details=None,
        idempotency_key=key,
        refusal=refusal,
    )


def _subject_of(path: str) -> str | None:
    """The record a command path is about: `/v1/incidents/INC-000004/actions`."""
    parts = path.split("/")
    return urllib.parse.unquote(parts[3]) if len(parts) > 3 and parts[3] else None


SIMPLE_REFUSALS = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    413: "too_large",
}


def refusal_for(
    code: int, details: Any, body: dict[str, Any], subject: str | None = None
) -> Refusal:
    """A hub's refusal read into protocol values (docs/protocol.md, Errors and the
    action rules): which rule said no, about which record and units, and how that
    record stands now. The hub's `message` is English for the log; this is what a
    console words in its officer's language."""
    if code == 409:
        return _conflict(details, body, subject)
    if code == 422:
        return Refusal("invalid", subject, field=_invalid_field(details), status_code=code)
    return Refusal(SIMPLE_REFUSALS.get(code, "other"), subject, status_code=code)


def _conflict(details: Any, body: dict[str, Any], subject: str | None) -> Refusal:
    if isinstance(details, dict) and isinstance(details.get("busy"), list):
        units = tuple(
            (str(unit.get("id")), unit.get("status"), unit.get("incident_id"))
            for unit in details["busy"]
            if isinstance(unit, dict)
        )
        return Refusal("busy", subject, units=units, status_code=409)
    if isinstance(details, dict) and isinstance(details.get("not_assigned"), list):
        units = tuple((str(unit), None, None) for unit in details["not_assigned"])
        return Refusal("not_assigned", subject, units=units, status_code=409)
    current = _current_record(details)
    if current is None:
        return Refusal("conflict", subject, status_code=409)
    status = current.get("status", current.get("phase"))
    status = status if isinstance(status, str) else None
    escalation = current.get("escalation")
    escalation = escalation if isinstance(escalation, str) else None
    subject = str(current.get("id") or subject or "") or None
    expected = body.get("expected_version")
    if status in ("resolved", "cancelled"):
        reason = "closed"
    elif expected is not None and current.get("version") != expected:
        reason = "changed"
    elif body.get("action") == "escalate":
        reason = "escalated"
    else:
        reason = "not_forward"
    return Refusal(reason, subject, status=status, escalation=escalation, status_code=409)


def _invalid_field(details: Any) -> str | None:
    if isinstance(details, dict) and isinstance(details.get("field"), str):
        return details["field"]
    if isinstance(details, list) and details and isinstance(details[0], dict):
        found = details[0].get("field")
        return found if isinstance(found, str) else None
    return None


def _json_or_none(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def _error_field(payload: Any, name: str) -> str | None:
    if isinstance(payload, dict) and isinstance(payload.get(name), str):
        return payload[name]
    return None


def _is_record(value: Any) -> bool:
    return isinstance(value, dict) and "version" in value


def _record_and_seq(payload: Any) -> tuple[dict[str, Any] | None, int | None]:
    """The resulting record and its event's seq from a success body."""
    if not isinstance(payload, dict):
        return None, None
    seq = payload.get("seq")
    if not isinstance(seq, int) or isinstance(seq, bool):
        seq = None
    record = payload.get("record")
    if _is_record(record):
        return record, seq
    others = [value for name, value in payload.items() if name != "seq" and _is_record(value)]
    if len(others) == 1:
        return others[0], seq
    rest = {name: value for name, value in payload.items() if name != "seq"}
    return (rest or None), seq


def _current_record(details: Any) -> dict[str, Any] | None:
    """The record as it is now, from a 409's details."""
    if _is_record(details):
        return details
    if isinstance(details, dict):
        for name in ("current", "record", "incident"):
            if _is_record(details.get(name)):
                return details[name]
    return None
