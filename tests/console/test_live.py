"""The console against a real hub on loopback: panes fill from the snapshot, live events
reach the screen, and every connection fault is said on screen while the console
keeps going (hub down at start, hub killed mid-feed, junk frames)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from websockets.asyncio.server import ServerConnection

from pilkades_tui.console.widgets.incident_pane import IncidentPane
from pilkades_tui.console.widgets.tps_pane import TpsPane
from pilkades_tui.feed.client import ConnectionState
from pilkades_tui.feed.commands import HubCommands
from pilkades_tui.hub.runner import HubServer
from pilkades_tui.i18n import Catalogue
from tests.conftest import HubFactory
from tests.console.conftest import AppFactory
from tests.console.live import free_port, live_console, until
from tests.console.screen import screen_text
from tests.feed.fakehub import TOKEN, FakeHub

pytestmark = pytest.mark.timeout(60)

ID = Catalogue("id")


async def test_panes_fill_from_the_hub_and_a_new_p1_is_announced(
    hub: HubServer, app_factory: AppFactory
) -> None:
    app = live_console(app_factory, hub.url, hub.tokens["dispatcher"])
    reporter = HubCommands(hub.url, hub.tokens["reporter"])
    async with app.run_test(size=(140, 40), notifications=True) as pilot:
        await until(pilot, lambda: ID.text("conn.live") in screen_text(app))
        await pilot.press("1")
        tps_pane = app.query_one(TpsPane)
        await until(pilot, lambda: len(tps_pane.source_rows) > 1000)
        assert "TPS 01" in screen_text(app)
        tps_id = sorted(app.current_state().tps)[0]
        result = await reporter.new_incident(
            category="clash",
            priority=1,
            tps_id=tps_id,
            description="dua kubu pendukung saling dorong",
            reported_by="Bhabinkamtibmas",
        )
        assert result.outcome == "accepted", result
        incident_id = result.record["id"]
        await pilot.press("2")
        await until(pilot, lambda: app.query_one(IncidentPane).selected_key == incident_id)
        await until(pilot, lambda: "P1:1" in screen_text(app), timeout=3)
        text = screen_text(app)
        assert ID.enum("category", "clash") in text
        # The officer is told without looking at the queue.
        village = app.current_state().incidents[incident_id].village
        clash = ID.enum("category", "clash")
        toast = ID.text("notify.new_incident", priority=1, category=clash, place=village)
        await until(pilot, lambda: toast in screen_text(app), timeout=3)
    await reporter.aclose()


async def test_hub_down_at_start_is_said_and_the_console_keeps_trying(
    hub_factory: HubFactory, app_factory: AppFactory, tmp_path: Path
) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    seed_hub = hub_factory(tmp_path / "hub")  # to issue tokens in the data folder
    tokens = seed_hub.tokens
    seed_hub.stop()
    app = live_console(app_factory, url, tokens["viewer"])
    async with app.run_test(size=(120, 30)) as pilot:
        waiting = ID.text("waiting.hub", url=url, detail="")
        await until(pilot, lambda: waiting.strip(" …") in screen_text(app))
        await pilot.pause(0.5)
        assert app.is_running
        hub_factory(tmp_path / "hub", port=port, tokens=tokens)
        await until(pilot, lambda: ID.text("conn.live") in screen_text(app), timeout=15)
        await until(pilot, lambda: len(app.query_one(IncidentPane).source_rows) == 0)
        await pilot.press("1")
        await until(pilot, lambda: len(app.query_one(TpsPane).source_rows) > 1000)


async def test_hub_killed_mid_feed_marks_data_stale_then_resumes_without_gap(
    hub_factory: HubFactory, app_factory: AppFactory, tmp_path: Path
) -> None:
    port = free_port()
    first = hub_factory(tmp_path / "hub", port=port)
    tokens = first.tokens
    app = live_console(app_factory, first.url, tokens["dispatcher"])
    reporter = HubCommands(first.url, tokens["reporter"])
    tps_ids: list[str] = []
    async with app.run_test(size=(140, 30)) as pilot:
        await until(pilot, lambda: app.feed.status.state == ConnectionState.LIVE)
        tps_ids = sorted(app.current_state().tps)[:4]
        for tps_id in tps_ids[:2]:
            await reporter.tps_status(tps_id, phase="voting")
        first.stop()
        await until(pilot, lambda: app.feed.status.state != ConnectionState.LIVE)
        stale = ID.text("stale.pane", seconds=0).split("0", 1)[0]
        await until(pilot, lambda: stale in screen_text(app))
        await pilot.press("4")  # the map says so too
        await until(pilot, lambda: stale in screen_text(app))
        await pilot.press("2")
        # Changes made while this console was away must arrive once it is back.
        second = hub_factory(tmp_path / "hub", port=port, tokens=tokens)
        later = HubCommands(second.url, tokens["reporter"])
        for tps_id in tps_ids[2:]:
            await later.tps_status(tps_id, phase="voting")
        await until(pilot, lambda: app.feed.status.state == ConnectionState.LIVE, timeout=15)
        await until(pilot, lambda: app.current_state().seq >= later_head(second))
        await until(pilot, lambda: stale not in screen_text(app))
        state = app.current_state()
        assert {state.tps[tps_id].phase for tps_id in tps_ids} == {"voting"}
        fresh = await snapshot_of(second, tokens["viewer"])
        assert state.seq == fresh["seq"]
        assert {t["id"]: t["version"] for t in fresh["tps"]} == {
            tps_id: record.version for tps_id, record in state.tps.items()
        }
        await later.aclose()
    await reporter.aclose()


def later_head(hub: HubServer) -> int:
    import httpx

    with httpx.Client() as client:
        return client.get(f"{hub.url}/v1/health").json().get("head", 0)


async def snapshot_of(hub: HubServer, token: str) -> dict:
    import httpx

    async with httpx.AsyncClient() as client:
        answer = await client.get(
            f"{hub.url}/v1/snapshot", headers={"Authorization": f"Bearer {token}"}
        )
        return json.loads(answer.text)


async def test_junk_frames_are_skipped_and_counted_in_the_header(
    app_factory: AppFactory,
) -> None:
    async def junk_first(fake: FakeHub, connection: ServerConnection, since: int) -> None:
        fake.script = None
        await fake.hello(connection)
        await connection.send("{bukan json")
        await connection.send(json.dumps({"seq": since + 1, "type": "drone.sighted", "data": {}}))
        await fake.serve_from(connection, since)

    async with FakeHub() as fake:
        await fake.add_positions(1)
        fake.script = junk_first
        app = live_console(app_factory, fake.url, TOKEN)
        async with app.run_test(size=(160, 30)) as pilot:
            await until(
                pilot, lambda: app.feed.status.bad_frames + app.feed.status.unknown_events == 2
            )
            await until(pilot, lambda: ID.text("header.skipped", count=2) in screen_text(app))
            assert app.is_running


async def test_a_p1_first_seen_in_a_fresh_snapshot_is_announced(app_factory: AppFactory) -> None:
    """Reported while the feed was broken and picked up by the snapshot after a reset: as
    new to the officer as one that comes live."""
    from tests.domain.factories import incident

    async with FakeHub() as fake:
        await fake.add_positions(5)
        app = live_console(app_factory, fake.url, TOKEN)
        async with app.run_test(size=(140, 30), notifications=True) as pilot:
            await until(pilot, lambda: app.feed.status.state == ConnectionState.LIVE)
            await pilot.pause(0.3)  # a frame or two drawn: the first picture is behind us
            await fake.kill()
            clash = incident("INC-9", category="clash", priority=1, village="Kutorejo")
            fake.base = fake.base.model_copy(update={"incidents": [clash]})
            fake.truncate(2)  # the hub came back on an older log: reset, fresh snapshot
            await fake.start()
            await until(pilot, lambda: app.feed.status.resyncs == 1, timeout=15)
            toast = ID.text(
                "notify.new_incident",
                priority=1,
                category=ID.enum("category", "clash"),
                place="Kutorejo",
            )
            await until(pilot, lambda: toast in screen_text(app), timeout=5)


@pytest.mark.parametrize("lang", ["id", "en"])
async def test_a_refused_token_is_said_in_the_officers_language(
    hub: HubServer, app_factory: AppFactory, lang: str
) -> None:
    words = Catalogue(lang)
    app = live_console(app_factory, hub.url, "bukan-token-yang-benar", lang=lang)
    async with app.run_test(size=(160, 30)) as pilot:
        sentence = words.text("error.unauthorized", url=hub.url)
        await until(pilot, lambda: sentence in screen_text(app).replace("\n", " "))
        text = screen_text(app)
        assert "bukan-token-yang-benar" not in text
        if lang == "id":
            assert "refused" not in text  # no English sentence from the feed client
