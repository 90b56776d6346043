"""A console on a hub for another kabupaten shows that kabupaten: its villages and
kecamatan on the TPS pane, its outlines on the map, its villages in the rules (the
geography comes from the hub, never from the packaged Pekalongan)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pilkades_tui.console.widgets.map_pane import MapPane
from pilkades_tui.console.widgets.tps_pane import TpsPane
from pilkades_tui.i18n import Catalogue
from tests.conftest import HubFactory
from tests.console.conftest import AppFactory
from tests.console.live import free_port, live_console, until
from tests.console.screen import notifications, screen_text
from tests.scenario.made_up import DISTRICTS, VILLAGES, write_folder

pytestmark = pytest.mark.timeout(60)

ID = Catalogue("id")


async def test_a_console_on_another_kabupatens_hub_shows_its_villages_and_map(
    tmp_path: Path, hub_factory: HubFactory, app_factory: AppFactory
) -> None:
    hub = hub_factory(tmp_path / "hub", scenario=str(write_folder(tmp_path / "sukamaju")))
    app = live_console(app_factory, hub.url, hub.tokens["dispatcher"])
    async with app.run_test(size=(140, 40)) as pilot:
        map_pane = app.query_one(MapPane)
        codes = [code for code, _ in VILLAGES]
        await until(pilot, lambda: map_pane.village_codes == codes)
        await pilot.press("1")
        tps_pane = app.query_one(TpsPane)
        await until(pilot, lambda: len(tps_pane.source_rows) >= 2)
        text = screen_text(app)
        for district in DISTRICTS.values():
            assert district in text
        assert "Kajen" not in text  # nothing of the packaged Pekalongan
        await pilot.press("4")
        await pilot.pause(0.2)
        drawn = screen_text(app)
        # Villages hatched by risk: the map's cells are filled, not blank.
        assert sum(ch not in " \n│─╭╮╰╯" for ch in drawn) > 200
        await until(pilot, lambda: app.engine_ready)
        assert app.engine.village_codes[("Sukamaju Lor", "Tegalrejo")] == "35.99.02.2001"


async def test_a_hub_restarted_on_another_election_is_followed_by_the_map(
    tmp_path: Path, hub_factory: HubFactory, app_factory: AppFactory
) -> None:
    port = free_port()
    first = hub_factory(tmp_path / "pekalongan", port=port)
    app = live_console(app_factory, first.url, first.tokens["viewer"])
    app.geography.refresh_s = 0.2
    async with app.run_test(size=(120, 36)) as pilot:
        map_pane = app.query_one(MapPane)
        await until(pilot, lambda: ID.text("conn.live") in screen_text(app))
        assert len(map_pane.village_codes) == 285  # the packaged Pekalongan
        first.stop()
        folder = write_folder(tmp_path / "sukamaju")
        hub_factory(tmp_path / "sukamaju-hub", scenario=str(folder), port=port, tokens=first.tokens)
        codes = [code for code, _ in VILLAGES]
        await until(pilot, lambda: map_pane.village_codes == codes, timeout=20)


def _second_kabupaten_rows() -> list[list[object]]:
    """The made-up TPS list again for its copy 0.1° east (Kabupaten Wonoasri, 35.98)."""
    from tests.scenario.made_up import tps_rows

    rows = []
    for code, name, district, number, dpt, risk, lat, lon, address in tps_rows():
        rows.append(
            [
                str(code).replace("35.99", "35.98"),
                name,
                str(district).replace("Sukamaju", "Wonoasri"),
                number,
                dpt,
                risk,
                lat,
                lon + 0.1 if lon != "" else "",
                address,
            ]
        )
    return rows


async def test_kabupaten_narrows_every_pane_and_the_map_on_a_polda_wide_day(
    tmp_path: Path, hub_factory: HubFactory, app_factory: AppFactory
) -> None:
    from tests.scenario.made_up import tps_rows
    from tests.scenario.test_geography import two_kabupaten

    folder = write_folder(
        tmp_path / "polda",
        boundaries=two_kabupaten().text,
        tps=[*tps_rows(), *_second_kabupaten_rows()],
    )
    hub = hub_factory(tmp_path / "hub", scenario=str(folder))
    app = live_console(app_factory, hub.url, hub.tokens["dispatcher"])
    async with app.run_test(size=(140, 40)) as pilot:
        map_pane = app.query_one(MapPane)
        await until(pilot, lambda: len(map_pane.village_codes) == 2 * len(VILLAGES))
        await pilot.press("1")
        tps_pane = app.query_one(TpsPane)
        await until(pilot, lambda: "Wonoasri Lor" in screen_text(app))
        await pilot.press("colon")
        app.focused.value = "kabupaten wonoasri"  # "Kabupaten" and the case forgiven
        await pilot.press("enter")
        await until(pilot, lambda: tps_pane.filters.regency == "Kabupaten Wonoasri")
        text = screen_text(app)
        assert "Wonoasri Lor" in text and "Sukamaju Lor" not in text
        assert all(code.startswith("35.98.") for code in map_pane.village_codes)
        for pane_id in ("incidents", "officers", "alerts"):
            assert app.query_one(f"#{pane_id}").filters.regency == "Kabupaten Wonoasri"
        await pilot.press("colon")
        app.focused.value = "kabupaten atlantis"
        await pilot.press("enter")
        unknown = ID.text(
            "cmd.regency_unknown",
            name="atlantis",
            names=", ".join(r.name for r in app.geography.geography.regencies),
        )
        await until(pilot, lambda: unknown in notifications(app))
        await pilot.press("colon")
        app.focused.value = "clear"
        await pilot.press("enter")
        await until(pilot, lambda: len(map_pane.village_codes) == 2 * len(VILLAGES))
        await until(pilot, lambda: "Sukamaju Lor" in screen_text(app))


async def test_a_console_waiting_for_its_hub_draws_no_packaged_map(
    tmp_path: Path, hub_factory: HubFactory, app_factory: AppFactory
) -> None:
    """Before the hub answers, the map says it waits for the hub's map and draws none:
    the packaged Pekalongan never stands in for another kabupaten."""
    port = free_port()
    seed = hub_factory(tmp_path / "seed")  # only to issue tokens for the later hub
    tokens = seed.tokens
    seed.stop()
    app = live_console(app_factory, f"http://127.0.0.1:{port}", tokens["viewer"])
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("4")
        map_pane = app.query_one(MapPane)
        waiting = ID.text("maplabel.waiting")
        await until(pilot, lambda: waiting in screen_text(app))
        assert map_pane.awaiting_geography
        drawn = [map_pane.render_line(y).text for y in range(map_pane.size.height)]
        assert map_pane.size.height > 5 and not "".join(drawn).strip()  # nothing drawn yet
        folder = write_folder(tmp_path / "sukamaju")
        hub_factory(tmp_path / "hub", scenario=str(folder), port=port, tokens=tokens)
        codes = [code for code, _ in VILLAGES]
        await until(pilot, lambda: map_pane.village_codes == codes, timeout=20)
        await until(pilot, lambda: waiting not in screen_text(app))
        assert not map_pane.awaiting_geography
