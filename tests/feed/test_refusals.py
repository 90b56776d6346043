"""Every refusal of the hub read into protocol values (feed/results.py Refusal), against
the real hub on loopback: the console words these, never the hub's English message."""

from __future__ import annotations

import pytest

from pilkades_tui.feed.commands import HubCommands, Outcome
from pilkades_tui.feed.results import REFUSAL_REASONS
from pilkades_tui.hub.runner import HubServer
from tests.console.test_workflows import first_tps_ids

pytestmark = pytest.mark.timeout(60)


async def test_each_hub_refusal_is_read_into_its_reason(hub: HubServer) -> None:
    dispatcher = HubCommands(hub.url, hub.tokens["dispatcher"])
    reporter = HubCommands(hub.url, hub.tokens["reporter"])
    stranger = HubCommands(hub.url, "not-a-token")
    try:
        tps_id = (await first_tps_ids(hub))[0]
        made = []
        for _ in range(2):
            answer = await reporter.new_incident(
                category="crowd", tps_id=tps_id, description="massa", reported_by="warga"
            )
            assert answer.record is not None
            made.append(answer.record)
        first, second = (str(record["id"]) for record in made)
        seen = await dispatcher.incident_action(first, "acknowledge", expected_version=1)
        assert seen.outcome is Outcome.ACCEPTED and seen.refusal is None

        found = {}
        found["changed"] = await dispatcher.incident_action(
            first, "note", note="x", expected_version=1
        )
        found["not_forward"] = await dispatcher.incident_action(first, "acknowledge")
        await dispatcher.incident_action(first, "escalate", to="polda")
        found["escalated"] = await dispatcher.incident_action(first, "escalate", to="polres")
        snapshot_unit = await _free_unit(hub)
        await dispatcher.incident_action(first, "assign", officer_ids=[snapshot_unit])
        found["busy"] = await dispatcher.incident_action(
            second, "assign", officer_ids=[snapshot_unit]
        )
        found["not_assigned"] = await dispatcher.incident_action(
            second, "release", officer_ids=[snapshot_unit]
        )
        await dispatcher.incident_action(first, "resolve", note="selesai")
        found["closed"] = await dispatcher.incident_action(first, "note", note="lagi")
        found["not_found"] = await dispatcher.incident_action("INC-999999", "acknowledge")
        found["forbidden"] = await reporter.incident_action(second, "acknowledge")
        found["unauthorized"] = await stranger.incident_action(second, "acknowledge")
        found["invalid"] = await dispatcher.incident_action(second, "note", note="   ")
        found["not_sent"] = await dispatcher.incident_action(second, "assign")

        for reason, result in found.items():
            assert result.refusal is not None, reason
            assert result.refusal.reason == reason, (reason, result.refusal, result.message)
            assert reason in REFUSAL_REASONS
        assert found["changed"].refusal.status == "acknowledged"
        assert found["closed"].refusal.status == "resolved"
        assert found["escalated"].refusal.escalation == "polda"
        assert found["busy"].refusal.units == ((snapshot_unit, "dispatched", first),)
        assert found["not_assigned"].refusal.units == ((snapshot_unit, None, None),)
        assert found["not_found"].refusal.subject == "INC-999999"
        assert found["invalid"].refusal.field == "note"
        assert found["not_sent"].refusal.field
        assert {result.outcome for result in found.values()} <= {
            Outcome.CONFLICT,
            Outcome.REJECTED,
        }
    finally:
        for client in (dispatcher, reporter, stranger):
            await client.aclose()


async def _free_unit(hub: HubServer) -> str:
    import httpx

    async with httpx.AsyncClient() as client:
        answer = await client.get(
            f"{hub.url}/v1/snapshot", headers={"Authorization": f"Bearer {hub.tokens['viewer']}"}
        )
    return sorted(o["id"] for o in answer.json()["officers"] if o["status"] == "available")[0]


async def test_an_unreachable_hub_reads_as_unreachable() -> None:
    commands = HubCommands("http://127.0.0.1:9", "token", timeout=1.0)
    try:
        result = await commands.incident_action("INC-000001", "acknowledge")
    finally:
        await commands.aclose()
    assert result.refusal is not None and result.refusal.reason == "unreachable"
