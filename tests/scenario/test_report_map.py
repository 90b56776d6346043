"""The Anev report draws the election's own map from the log's geography: villages
coloured by risk class, the day's incidents marked by priority; chart counts are whole."""

from __future__ import annotations

import re
from pathlib import Path

import httpx

from pilkades_tui.cli import main
from tests.conftest import HubFactory
from tests.scenario.made_up import write_folder


def report_incident(url: str, token: str, tps_id: str, priority: int) -> None:
    answer = httpx.post(
        f"{url}/v1/incidents",
        headers={"Authorization": f"Bearer {token}"},
        json={
            "category": "crowd",
            "priority": priority,
            "tps_id": tps_id,
            "description": "massa berkumpul di depan TPS",
            "reported_by": "Bhabinkamtibmas",
        },
    )
    assert answer.status_code == 201, answer.text


def test_the_html_report_maps_the_kabupatens_risk_and_incidents(
    tmp_path: Path, hub_factory: HubFactory
) -> None:
    folder = write_folder(tmp_path / "sukamaju")
    hub = hub_factory(tmp_path / "hub", scenario=str(folder))
    for priority in (1, 3):
        report_incident(hub.url, hub.tokens["reporter"], "35.99.02.2001-T01", priority)
    hub.stop()
    out = tmp_path / "anev.html"
    assert (
        main(["report", "--data", str(tmp_path / "hub"), "--format", "html", "--out", str(out)])
        == 0
    )
    page = out.read_text("utf-8")
    svg = page[page.index('<svg xmlns="http://www.w3.org/2000/svg" class="map"') :]
    svg = svg[: svg.index("</svg>")]
    assert 'fill="#e8826f"' in svg and "<title>Tegalrejo: sangat rawan</title>" in svg
    assert "<title>Mekarsari: aman</title>" in svg
    assert "<title>Kauman: tanpa TPS</title>" in svg  # a kelurahan: no Pilkades
    assert "Kajen" not in svg
    marks = re.findall(r"<title>[^<]* P(\d)</title>", svg)
    assert sorted(marks) == ["1", "3"]
    # The category chart counts two incidents as 2, not 2.0.
    assert re.search(r'<text x="[\d.]+" y="\d+">2</text>', page)
    assert "2.0</text>" not in page


def test_a_report_from_a_running_hub_maps_the_hubs_geography(
    tmp_path: Path, hub_factory: HubFactory
) -> None:
    hub = hub_factory(tmp_path / "hub", scenario=str(write_folder(tmp_path / "sukamaju")))
    report_incident(hub.url, hub.tokens["reporter"], "35.99.01.2002-T02", 2)
    out = tmp_path / "anev.html"
    argv = ["report", "--hub", hub.url, "--token", hub.tokens["viewer"], "--format", "html"]
    assert main([*argv, "--out", str(out)]) == 0
    page = out.read_text("utf-8")
    assert "<title>Sidomulyo: aman</title>" in page
    assert re.findall(r"<title>INC-\d+ P(\d)</title>", page) == ["2"]
