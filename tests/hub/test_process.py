"""`pilkades-tui hub` as the operator runs it: Ctrl-C and SIGTERM shut it down cleanly
(consoles get a close frame, the log is left whole, status 0, no traceback), an
address off loopback without TLS draws a warning, and a start after a crash rebuilds
from the last checkpoint plus the log's tail exactly what the whole log holds."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from pilkades_tui.hub.log import EventLogReader, SqliteLog
from pilkades_tui.hub.runner import HubProcess
from pilkades_tui.paths import hub_log_file

pytestmark = pytest.mark.timeout(90)

CLOSE_SERVICE_RESTART = 1012


def process_log(data: Path) -> str:
    return (data / "hub-process.log").read_text("utf-8")


def by_id(snapshot: dict[str, Any]) -> dict[str, Any]:
    for name in ("tps", "incidents", "officers"):
        snapshot[name] = sorted(snapshot[name], key=lambda record: record["id"])
    return snapshot


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "term"])
def test_a_signal_closes_feeds_writes_the_log_and_exits_zero(
    tmp_path: Path, stop_signal: signal.Signals
) -> None:
    data = tmp_path / "hub"
    hub = HubProcess(data).start()
    assert hub.process is not None
    try:
        reporter = {"Authorization": f"Bearer {hub.tokens['reporter']}"}
        viewer = {"Authorization": f"Bearer {hub.tokens['viewer']}"}
        answer = httpx.post(
            f"{hub.url}/v1/incidents",
            json={
                "category": "crowd",
                "lat": -7.03,
                "lon": 109.62,
                "description": "massa berkumpul",
                "reported_by": "Bripka Ahmad",
            },
            headers=reporter,
        )
        assert answer.status_code == 201
        head = answer.json()["seq"]
        with connect(f"{hub.ws_url}?since={head}", additional_headers=viewer) as feed:
            feed.recv(timeout=10)  # hello
            hub.process.send_signal(stop_signal)
            with pytest.raises(ConnectionClosed) as closed:
                feed.recv(timeout=20)
        assert closed.value.rcvd is not None
        assert closed.value.rcvd.code == CLOSE_SERVICE_RESTART
        assert hub.process.wait(timeout=20) == 0
    finally:
        hub.kill()
    assert "Traceback" not in process_log(data)

    # The log is whole and ends where the hub stopped, with a checkpoint at its head.
    log = SqliteLog(hub_log_file(data))
    try:
        assert log.integrity() == (head, 1, head)
        checkpoint = log.latest_checkpoint()
        assert checkpoint is not None and checkpoint[0] == head
    finally:
        log.close()
    with HubProcess(data, tokens=hub.tokens) as restarted:
        health = httpx.get(f"{restarted.url}/v1/health").json()
        assert health["head"] == head


def test_off_loopback_without_tls_warns(tmp_path: Path) -> None:
    data = tmp_path / "hub"
    with HubProcess(data, extra_args=["--host", "0.0.0.0"]) as hub:
        assert httpx.get(f"{hub.url}/v1/health").status_code == 200
        hub.terminate()
    assert "WARNING: listening on 0.0.0.0 without TLS" in process_log(data)


def test_on_loopback_there_is_no_tls_warning(tmp_path: Path) -> None:
    data = tmp_path / "hub"
    with HubProcess(data) as hub:
        hub.terminate()
    assert "without TLS" not in process_log(data)


def test_a_tls_cert_without_its_key_is_refused(tmp_path: Path) -> None:
    cert = tmp_path / "cert.pem"
    cert.write_text("not read: the pair is checked first", "utf-8")
    command = [sys.executable, "-m", "pilkades_tui", "hub", "--port", "0"]
    command += ["--data", str(tmp_path / "hub"), "--tls-cert", str(cert)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "--tls-cert and --tls-key go together" in result.stderr
    assert "listening on" not in result.stdout


def test_a_checkpoint_plus_the_tail_rebuilds_what_the_whole_log_does(tmp_path: Path) -> None:
    """Stopped cleanly (a checkpoint at its head), restarted, worked, SIGKILLed (the
    commands after the checkpoint exist only as log rows): the next start rebuilds from
    the checkpoint plus that tail, and must serve exactly the state a replay of the
    whole log from seq 1 gives."""
    data = tmp_path / "hub"
    first = HubProcess(data).start()
    first.terminate()
    log = SqliteLog(hub_log_file(data))
    checkpoint = log.latest_checkpoint()
    log.close()
    assert checkpoint is not None

    second = HubProcess(data, tokens=first.tokens).start()
    try:
        admin = httpx.Client(
            base_url=second.url, headers={"Authorization": f"Bearer {first.tokens['admin']}"}
        )
        snapshot = admin.get("/v1/snapshot").json()
        tps = snapshot["tps"][0]
        units = [o["id"] for o in snapshot["officers"] if o["status"] == "available"][:3]
        ok = {200, 201}
        incident = admin.post(
            "/v1/incidents",
            json={
                "category": "clash",
                "tps_id": tps["id"],
                "description": "ricuh",
                "reported_by": "x",
            },
        ).json()["record"]
        actions = f"/v1/incidents/{incident['id']}/actions"
        assert (
            admin.post(actions, json={"action": "assign", "officer_ids": units}).status_code in ok
        )
        assert (
            admin.put(f"/v1/officers/{units[0]}/status", json={"status": "on_scene"}).status_code
            in ok
        )
        assert (
            admin.post(
                f"/v1/officers/{units[1]}/position", json={"lat": -7.05, "lon": 109.63}
            ).status_code
            in ok
        )
        assert (
            admin.post(actions, json={"action": "release", "officer_ids": [units[2]]}).status_code
            in ok
        )
        assert (
            admin.put(
                f"/v1/tps/{tps['id']}/status", json={"phase": "voting", "ballots_cast": 12}
            ).status_code
            in ok
        )
        assert admin.put("/v1/phase", json={"phase": "voting"}).status_code in ok
        assert admin.post(actions, json={"action": "resolve", "note": "kondusif"}).status_code in ok
        served = by_id(admin.get("/v1/snapshot").json())
        admin.close()
    finally:
        second.kill()
    assert served["seq"] > checkpoint[0]

    with HubProcess(data, tokens=first.tokens) as third:
        viewer = {"Authorization": f"Bearer {first.tokens['viewer']}"}
        rebuilt = by_id(httpx.get(f"{third.url}/v1/snapshot", headers=viewer).json())
    with EventLogReader(data) as reader:
        replayed = by_id(reader.replay().snapshot().model_dump(mode="json"))
    assert rebuilt == served
    assert replayed == served
