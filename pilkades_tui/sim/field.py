"""Field officers on the hub's field page (`GET /lapor`), played by the simulator.

A phone signs in with the page's reads and sends its reports with the page's bodies
through the hub's public API; nothing here reaches the hub any other way. The bodies
are the ones `hub/field_page/index.html` builds: `channel: field_page`, `reported_by`
as the page writes it, and an Idempotency-Key of its own per report (HubCommands).
"""

from __future__ import annotations

import httpx

from pilkades_tui.domain.models import Channel, Officer
from pilkades_tui.feed.commands import HubCommands
from pilkades_tui.feed.results import CommandResult
from pilkades_tui.feed.wire import HubAddress
from pilkades_tui.sim.day import IncidentPlan

REPORTER_NAME_MAX = 200  # the protocol's limit on reported_by


class FieldPageError(Exception):
    """The hub refused the page's sign-in: a sentence for a person."""


def page_reporter_name(officer: Officer) -> str:
    """`reported_by` as the page writes it for the unit chosen on the phone."""
    rank = f"{officer.rank} " if officer.rank else ""
    return f"{officer.id} {rank}{officer.name}"[:REPORTER_NAME_MAX]


class FieldPhone:
    """One signed-in phone, shared by the officers the simulator plays on the page."""

    def __init__(self, hub_url: str, token: str, commands: HubCommands) -> None:
        self.address = HubAddress(hub_url, token)
        self.commands = commands

    async def sign_in(self) -> None:
        """What the page does on sign-in: who am I, then the places to pick from."""
        async with httpx.AsyncClient(headers=self.address.headers, timeout=10.0) as http:
            for path in ("/v1/field/me", "/v1/field/places"):
                try:
                    answer = await http.get(self.address.http_url(path))
                except httpx.TransportError as error:
                    raise FieldPageError(
                        f"the field page cannot sign in: GET {path} failed ({type(error).__name__})"
                    ) from None
                if answer.status_code != 200:
                    raise FieldPageError(
                        f"the field page cannot sign in: GET {path} answered "
                        f"HTTP {answer.status_code}"
                    )

    async def report_incident(self, officer: Officer, plan: IncidentPlan) -> CommandResult:
        return await self.commands.new_incident(
            category=plan.category.value,
            description=plan.description,
            reported_by=page_reporter_name(officer),
            tps_id=plan.tps_id,
            channel=Channel.FIELD_PAGE.value,
        )
