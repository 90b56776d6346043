"""The officer named with X-Pilkades-Operator reaches the Anev report ("who did what
at the desk", the last hand on each open incident) and the handover, from a real hub's
log."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from pilkades_tui.cli import main
from tests.conftest import HubFactory
from tests.hub.client import Hub


def act(hub: Hub, incident_id: str, operator: str, **body: object) -> None:
    headers = {"Idempotency-Key": str(uuid.uuid4()), "X-Pilkades-Operator": operator}
    answer = hub.http.post(f"/v1/incidents/{incident_id}/actions", json=body, headers=headers)
    assert answer.status_code == 200, answer.text


def section(text: str, title: str) -> str:
    return text.split(f"## {title}")[1].split("\n## ")[0]


def test_the_report_and_the_handover_say_who_did_what(
    hub_factory: HubFactory, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    server = hub_factory(tmp_path / "hub")
    dispatcher = Hub(server, "dispatcher")
    try:
        first = dispatcher.new_incident()["id"]
        second = dispatcher.new_incident(category="clash")["id"]
        act(dispatcher, first, "Iptu Budi", action="acknowledge")
        act(dispatcher, second, "Iptu Budi", action="acknowledge")
        act(dispatcher, second, "Ipda Sari", action="resolve", note="massa bubar")
        # An older client, without the header: the token's name alone.
        dispatcher.act(first, action="note", note="cek ulang")
    finally:
        dispatcher.close()
    server.stop()

    assert main(["report", "--data", str(tmp_path / "hub"), "--lang", "en"]) == 0
    report = capsys.readouterr().out
    desk = section(report, "Who did what at the desk")
    assert "| runner-dispatcher / Iptu Budi | Acknowledge | 2 |" in desk
    assert "| runner-dispatcher / Ipda Sari | Resolve | 1 |" in desk
    assert "| runner-dispatcher | Note | 1 |" in desk
    assert "Reported" not in desk  # field reports are not desk decisions
    still_open = section(report, "Incidents still open")
    assert first in still_open and "runner-dispatcher" in still_open

    assert main(["report", "--data", str(tmp_path / "hub"), "--lang", "en", "--handover"]) == 0
    handover = capsys.readouterr().out
    open_now = section(handover, "Incidents still open")
    assert first in open_now and "| runner-dispatcher |" in open_now
