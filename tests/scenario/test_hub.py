"""A hub seeded from a scenario folder serves that election's geography (kept across a
restart); the packaged day exported as a folder seeds the very same snapshot."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import httpx
import pytest

from pilkades_tui.cli import main
from pilkades_tui.hub.runner import HubServer
from pilkades_tui.scenario.geography import Geography, packaged
from tests.conftest import HubFactory
from tests.domain.test_scenario import T0
from tests.scenario.made_up import VILLAGES, geojson, write_folder

pytestmark = pytest.mark.timeout(60)


def fixed_clock() -> datetime:
    return T0


def snapshot(hub: HubServer) -> dict[str, object]:
    answer = httpx.get(
        f"{hub.url}/v1/snapshot", headers={"Authorization": f"Bearer {hub.tokens['viewer']}"}
    )
    assert answer.status_code == 200
    return answer.json()


def test_the_packaged_day_exported_then_seeded_gives_the_same_snapshot(
    tmp_path: Path, hub_factory: HubFactory
) -> None:
    assert main(["scenario", "export", "pekalongan", "--out", str(tmp_path / "p")]) == 0
    packaged_hub = hub_factory(tmp_path / "a", scenario="pekalongan", clock=fixed_clock)
    folder_hub = hub_factory(tmp_path / "b", scenario=str(tmp_path / "p"), clock=fixed_clock)
    expected = snapshot(packaged_hub)
    assert len(expected["tps"]) == 1130  # type: ignore[arg-type]
    assert snapshot(folder_hub) == expected


def test_geography_is_served_to_any_role_with_an_etag_and_kept_across_a_restart(
    tmp_path: Path, hub_factory: HubFactory
) -> None:
    folder = write_folder(tmp_path / "sukamaju")
    hub = hub_factory(tmp_path / "hub", scenario=str(folder))
    url = f"{hub.url}/v1/geography"
    assert httpx.get(url).status_code == 401
    first = httpx.get(url, headers={"Authorization": f"Bearer {hub.tokens['reporter']}"})
    assert first.status_code == 200
    assert first.headers["content-type"] == "application/geo+json"
    served = Geography.from_geojson(first.text)
    assert [v.name for v in served.villages] == [name for _, name in VILLAGES]
    assert first.text == geojson()
    etag = first.headers["etag"]
    viewer = {"Authorization": f"Bearer {hub.tokens['viewer']}"}
    again = httpx.get(url, headers={**viewer, "If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    hub.stop()
    # Restarted with the default scenario on the same log: still Sukamaju's places.
    restarted = hub_factory(tmp_path / "hub", tokens=hub.tokens)
    answer = httpx.get(f"{restarted.url}/v1/geography", headers={**viewer, "If-None-Match": etag})
    assert answer.status_code == 304


def test_a_hub_without_a_folder_serves_the_packaged_pekalongan(hub: HubServer) -> None:
    answer = httpx.get(
        f"{hub.url}/v1/geography",
        headers={"Authorization": f"Bearer {hub.tokens['viewer']}", "Accept-Encoding": "gzip"},
    )
    assert answer.status_code == 200 and answer.headers["content-encoding"] == "gzip"
    assert answer.headers["etag"] == f'"{packaged().etag}"'
