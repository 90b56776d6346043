"""`simulate --field-page SHARE`: Bhabinkamtibmas reporting from the field page, through
the page's own reads and report bodies on the hub's public API."""

from __future__ import annotations

import asyncio
from datetime import datetime, time

import httpx
import pytest

from pilkades_tui.cli import main
from pilkades_tui.domain.clock import WIB, wib_now
from pilkades_tui.hub.runner import HubServer
from pilkades_tui.sim.runner import Simulator, SimulatorError
from tests.waiting import until


def start_at(clock: time) -> datetime:
    return datetime.combine(wib_now().date(), clock, tzinfo=WIB)


@pytest.mark.timeout(60)
async def test_bhabin_reports_come_from_the_field_page_as_it_writes_them(hub: HubServer) -> None:
    simulator = Simulator(
        hub.url, hub.tokens["admin"], speed=1200, seed=5, start=start_at(time(7, 0)),
        field_share=1.0,
    )  # fmt: skip
    stop = asyncio.Event()
    running = asyncio.create_task(simulator.run(stop))
    await until(
        lambda: simulator.field_reports >= 3 or running.done(), 40, what="three field reports"
    )
    stop.set()
    await asyncio.wait_for(running, 20)
    assert simulator.field_reports >= 3
    async with httpx.AsyncClient(
        base_url=hub.url, headers={"Authorization": f"Bearer {hub.tokens['viewer']}"}
    ) as viewer:
        snapshot = (await viewer.get("/v1/snapshot")).json()
    officers = {o["id"]: o for o in snapshot["officers"]}
    paged = [i for i in snapshot["incidents"] if i["channel"] == "field_page"]
    assert len(paged) == simulator.field_reports
    for incident in paged:
        callsign = incident["reported_by"].split(" ", 1)[0]
        officer = officers[callsign]
        assert "-B" in callsign  # a Bhabinkamtibmas, written as the page writes him
        assert incident["reported_by"] == f"{callsign} {officer['rank']} {officer['name']}"
    # Reports without a Bhabinkamtibmas in the village reach the hub without a channel.
    assert all(i["channel"] in (None, "field_page") for i in snapshot["incidents"])


@pytest.mark.timeout(30)
async def test_a_token_the_page_refuses_stops_the_simulator_in_words(hub: HubServer) -> None:
    simulator = Simulator(hub.url, hub.tokens["viewer"], speed=60, field_share=0.5)
    with pytest.raises(SimulatorError, match="field page cannot sign in: GET /v1/field/me"):
        await asyncio.wait_for(simulator.run(), 20)


def test_a_share_outside_0_to_1_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["simulate", "--token", "t", "--hub", "http://127.0.0.1:1", "--field-page", "1.5"]
    assert main(argv) == 2
    assert "share from 0 to 1" in capsys.readouterr().err
