"""Several hubs on one PostgreSQL store: one order, the rules across hubs, failover,
the store lost and back, migration, the report, and refusals at start."""

from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import psycopg
import pytest

from pilkades_tui.cli import main
from pilkades_tui.domain.clock import wib_now
from pilkades_tui.domain.events import OFFICER_POSITION, Event
from pilkades_tui.domain.models import Position
from pilkades_tui.feed.client import ConnectionState, FeedClient
from pilkades_tui.hub.core import answer_json, shifted_answer, shifted_json
from pilkades_tui.hub.log import IdempotencyRecord, LoggedEvent
from pilkades_tui.hub.pg_scratch import ScratchPostgres, unavailable_reason
from pilkades_tui.hub.postgres import SCHEMA_VERSION, PgLogReader, PostgresBackend
from pilkades_tui.hub.runner import HubProcess, HubServer
from tests.conftest import REQUIRE_PG_ENV
from tests.hub.client import Hub, feed
from tests.waiting import until, wait_until

pytestmark = pytest.mark.timeout(90)


@pytest.fixture
def pair(tmp_path: Path, pg_dsn: str) -> Iterator[tuple[HubServer, HubServer]]:
    """Two hubs on one store, with the same tokens."""
    first = HubServer(tmp_path / "a", store=pg_dsn, report_rate=0).start()
    second = HubServer(tmp_path / "b", store=pg_dsn, report_rate=0, tokens=first.tokens).start()
    yield first, second
    second.stop()
    first.stop()


async def follow_until(client: FeedClient, seq: int, timeout: float = 10.0) -> None:
    await until(
        lambda: client.status.seq >= seq,
        timeout,
        what=f"the console reaching seq {seq}",
        seen=lambda: f"seq {client.status.seq}, {client.status.last_error}",
    )


async def test_a_report_on_hub_a_reaches_a_console_on_hub_b_with_the_same_seq(
    pair: tuple[HubServer, HubServer],
) -> None:
    hub_a, hub_b = pair
    console = FeedClient(hub_b.url, hub_b.tokens["viewer"])
    running = asyncio.create_task(console.run())
    try:
        await console.wait_live(10)
        reporter = Hub(hub_a, "reporter")
        answer = await asyncio.to_thread(
            reporter.ok,
            "POST",
            "/v1/incidents",
            {
                "category": "crowd",
                "description": "massa di depan TPS",
                "reported_by": "Bhabin",
                "tps_id": reporter.first_tps()["id"],
            },
        )
        await follow_until(console, answer["seq"])
        assert console.state is not None
        assert console.state.seq == answer["seq"]
        assert console.state.incidents[answer["record"]["id"]].version == 1
        # hub B serves the same record, and numbers the next event after it
        later = Hub(hub_b).ok("POST", "/v1/notices", {"level": "info", "text": "apel"})
        assert later["seq"] == answer["seq"] + 1
        reporter.close()
    finally:
        await console.close()
        await running


async def test_one_officer_assigned_100_times_across_two_hubs_wins_once(
    pair: tuple[HubServer, HubServer],
) -> None:
    hub_a, hub_b = pair
    admin = Hub(hub_a)
    (officer,) = admin.available_officers(1)
    tps_id = admin.first_tps()["id"]
    body = {"category": "crowd", "description": "ricuh", "reported_by": "Bhabin", "tps_id": tps_id}
    incidents = [admin.ok("POST", "/v1/incidents", body)["record"]["id"] for _ in range(100)]
    headers = {"Authorization": f"Bearer {hub_a.tokens['dispatcher']}"}
    async with (
        httpx.AsyncClient(base_url=hub_a.url, headers=headers, timeout=30) as to_a,
        httpx.AsyncClient(base_url=hub_b.url, headers=headers, timeout=30) as to_b,
    ):

        async def assign(index: int, incident_id: str) -> httpx.Response:
            client = to_a if index % 2 == 0 else to_b
            return await client.post(
                f"/v1/incidents/{incident_id}/actions",
                json={"action": "assign", "officer_ids": [officer]},
                headers={"Idempotency-Key": str(uuid.uuid4())},
            )

        answers = await asyncio.gather(*(assign(i, inc) for i, inc in enumerate(incidents)))
    codes = sorted(answer.status_code for answer in answers)
    assert codes == [200] + [409] * 99, codes
    winner = next(answer for answer in answers if answer.status_code == 200).json()
    for hub in (hub_a, hub_b):
        snapshot = Hub(hub).snapshot()
        holding = [i for i in snapshot["incidents"] if officer in i["officer_ids"]]
        assert [i["id"] for i in holding] == [winner["record"]["id"]]
        assert snapshot["seq"] == max(Hub(hub_a).head(), Hub(hub_b).head())
    admin.close()


async def test_positions_racing_on_two_hubs_keep_one_gap_free_order_and_one_state(
    pair: tuple[HubServer, HubServer], pg_dsn: str
) -> None:
    """Positions are tried before the head is locked, and appended past the other
    hub's positions of other officers with their seqs moved up, or else taken the
    locked way. Every accepted report has its own seq and the answer its row says,
    the log has no gap, a key's stored answer is the answer given, and both hubs
    hold exactly the state the log replays to."""
    hub_a, hub_b = pair
    officers = [officer["id"] for officer in Hub(hub_a).snapshot()["officers"][:6]]
    start = Hub(hub_a).head()
    headers = {"Authorization": f"Bearer {hub_a.tokens['reporter']}"}
    keyed: dict[str, tuple[str, dict[str, object]]] = {}
    answers: list[httpx.Response] = []
    async with (
        httpx.AsyncClient(base_url=hub_a.url, headers=headers, timeout=30) as to_a,
        httpx.AsyncClient(base_url=hub_b.url, headers=headers, timeout=30) as to_b,
    ):

        async def poster(index: int) -> None:
            client = to_a if index % 2 == 0 else to_b
            for step in range(15):
                officer = officers[(index + step) % len(officers)]
                path = f"/v1/officers/{officer}/position"
                body = {"lat": -7.0 - step / 1000, "lon": 109.6 + index / 1000}
                key = f"pos-{index}-{step}" if step % 2 else None
                answer = await client.post(
                    path, json=body, headers={"Idempotency-Key": key} if key else {}
                )
                answers.append(answer)
                if key is not None:
                    keyed[key] = (path, body)

        await asyncio.gather(*(poster(i) for i in range(8)))
    assert [answer.status_code for answer in answers] == [200] * 120, answers[0].text
    seqs = sorted(answer.json()["seq"] for answer in answers)
    assert seqs == list(range(start + 1, start + 121))
    with psycopg.connect(pg_dsn) as connection:
        rows = dict(connection.execute("SELECT seq, json FROM pilkades_events").fetchall())
    for answer in answers:
        seq = answer.json()["seq"]
        assert json.loads(rows[seq])["seq"] == seq
        assert json.loads(rows[seq])["data"]["id"] == answer.json()["record"]["id"]
    replayed = PgLogReader(pg_dsn).replay()
    expected = {o: replayed.officers[o].model_dump(mode="json") for o in officers}
    for hub in (hub_a, hub_b):
        await until(lambda hub=hub: Hub(hub).head() == start + 120, 10, what="both at the head")
        held = {o["id"]: o for o in Hub(hub).snapshot()["officers"] if o["id"] in officers}
        assert held == expected
    given = {answer.request.headers.get("Idempotency-Key"): answer.json() for answer in answers}
    reporter = Hub(hub_b, "reporter")
    for key, (path, body) in keyed.items():
        assert reporter.send("POST", path, body, key).json() == given[key]
    assert Hub(hub_b).head() == start + 120


async def test_a_trial_moves_up_past_other_officers_positions_and_no_further(
    pg_dsn: str,
) -> None:
    backend = PostgresBackend(pg_dsn)

    def position(seq: int, officer: str) -> LoggedEvent:
        now = wib_now()
        fix = Position(id=officer, lat=-7.0, lon=109.6, at=now)
        event = Event(seq=seq, ts=now, type=OFFICER_POSITION, data=fix)
        return LoggedEvent(seq, OFFICER_POSITION, event.to_json(), now.isoformat())

    of_a, of_b = position(1, "A"), position(1, "B")
    answer = IdempotencyRecord("piket", "k-b", "print", 200, answer_json({"id": "B"}, 1), 1)
    try:
        assert await backend.append_past(0, [of_a], [], ["A"]) == (0, [])
        # decided at 0 too, for another officer: it goes in after A's, as seq 2
        moved = await backend.append_past(0, [of_b], [answer], ["B"])
        assert moved is not None and moved[0] == 1 and [e.json for e in moved[1]] == [of_a.json]
        # decided at 0 for A, which moved since: nothing written
        assert await backend.append_past(0, [position(1, "A")], [], ["A"]) is None
        rows = backend.read(0, 10, 10)
        assert [row.json for row in rows] == [of_a.json, shifted_json(of_b, 1).json]
        assert json.loads(rows[1].json)["seq"] == 2
        stored = backend.idempotency("piket", "k-b")
        assert stored is not None and stored.seq == 2
        assert stored.answer == shifted_answer(answer.answer, 1)
        assert json.loads(stored.answer)["seq"] == 2
        assert backend.head == 2
    finally:
        await backend.aclose()
        backend.close()


def test_a_position_key_repeated_on_the_other_hub_answers_the_first_answer(
    pair: tuple[HubServer, HubServer],
) -> None:
    hub_a, hub_b = pair
    officer = Hub(hub_a).snapshot()["officers"][0]["id"]
    path = f"/v1/officers/{officer}/position"
    first = Hub(hub_a, "reporter").send("POST", path, {"lat": -7.01, "lon": 109.61}, "fix-1")
    again = Hub(hub_b, "reporter").send("POST", path, {"lat": -7.01, "lon": 109.61}, "fix-1")
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    other = Hub(hub_b, "reporter").send("POST", path, {"lat": -7.5, "lon": 109.61}, "fix-1")
    assert other.status_code == 422
    assert Hub(hub_b).head() == first.json()["seq"]


def test_an_idempotency_key_repeated_on_the_other_hub_answers_the_first_answer(
    pair: tuple[HubServer, HubServer],
) -> None:
    hub_a, hub_b = pair
    body = {"phase": "voting"}
    first = Hub(hub_a).send("PUT", "/v1/phase", body, "phase-1")
    again = Hub(hub_b).send("PUT", "/v1/phase", body, "phase-1")
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    other = Hub(hub_b).send("PUT", "/v1/phase", {"phase": "counting"}, "phase-1")
    assert other.status_code == 422


async def test_a_console_resumes_on_hub_b_after_hub_a_is_killed_without_gap_or_duplicate(
    tmp_path: Path, pg_dsn: str
) -> None:
    hub_a = HubProcess(tmp_path / "a", store=pg_dsn, extra_args=["--report-rate", "0"]).start()
    hub_b = HubProcess(tmp_path / "b", store=pg_dsn, tokens=hub_a.tokens).start()
    console = FeedClient(f"{hub_a.url},{hub_b.url}", hub_a.tokens["viewer"], backoff_initial=0.1)
    running = asyncio.create_task(console.run())
    stop = threading.Event()
    written: list[int] = []

    def post_notices() -> None:
        # Through hub B, so the writes go on while A dies under the console.
        with httpx.Client(
            base_url=hub_b.url, headers={"Authorization": f"Bearer {hub_a.tokens['admin']}"}
        ) as client:
            index = 0
            while not stop.is_set():
                answer = client.post("/v1/notices", json={"level": "info", "text": f"n{index}"})
                assert answer.status_code == 201, answer.text
                written.append(answer.json()["seq"])
                index += 1

    poster = threading.Thread(target=post_notices)
    try:
        await console.wait_live(15)
        start_seq = console.status.seq
        poster.start()
        await until(lambda: len(written) >= 50, 20, what="50 notices through hub B")
        hub_a.kill()
        await until(lambda: len(written) >= 150, 20, what="150 notices through hub B")
        stop.set()
        await asyncio.to_thread(poster.join)
        await follow_until(console, written[-1], timeout=20)
        status = console.status
        assert console.hub_url == hub_b.url
        assert status.resumes >= 1 and status.resyncs == 0
        # every event from the snapshot on arrived exactly once: no gap, no duplicate
        assert status.events_total == written[-1] - start_seq
        assert status.state is ConnectionState.LIVE
    finally:
        stop.set()
        await console.close()
        await running
        hub_b.kill()
        hub_a.kill()


@pytest.fixture
def own_server() -> Iterator[ScratchPostgres]:
    """A PostgreSQL server of the test's own, to stop and start again."""
    reason = unavailable_reason()
    if reason is not None:
        pytest.skip(reason) if not _required() else pytest.fail(reason)
    with ScratchPostgres() as server:
        yield server


def test_health_says_failed_with_the_reason_while_the_store_is_lost_and_ok_after(
    tmp_path: Path, own_server: ScratchPostgres
) -> None:
    server = own_server
    hub = HubServer(tmp_path / "hub", store=server.create_database("health"), scenario="none")
    hub.start()
    try:
        assert _health(hub)["status"] == "ok"
        assert "reason" not in _health(hub)
        server.stop("fast")
        # No command comes meanwhile: the hub notices by itself.
        failed = wait_until(
            lambda: _with_status(_health(hub), "failed"), 10, what="health saying failed"
        )
        sentence = str(failed["reason"])
        assert "PostgreSQL store" in sentence and "unreachable" in sentence
        server.restart()
        back = wait_until(lambda: _with_status(_health(hub), "ok"), 20, what="health ok again")
        assert "reason" not in back
    finally:
        hub.stop()


def _health(hub: HubServer) -> dict[str, object]:
    return dict(httpx.get(f"{hub.url}/v1/health", timeout=5).json())


def _with_status(health: dict[str, object], status: str) -> dict[str, object] | None:
    return health if health["status"] == status else None


def test_commands_answer_503_while_the_store_is_lost_and_feeds_carry_on_after(
    tmp_path: Path, own_server: ScratchPostgres
) -> None:
    server = own_server
    dsn = server.create_database("outage")
    hub = HubServer(tmp_path / "hub", store=dsn, scenario="none").start()
    admin = Hub(hub)
    try:
        before = admin.ok("POST", "/v1/notices", {"level": "info", "text": "sebelum"})
        with feed(hub, before["seq"]) as console:
            console.frame()  # hello
            server.stop("fast")
            notice = {"level": "info", "text": "x"}
            lost = admin.send("POST", "/v1/notices", notice, "k-1")
            assert lost.status_code == 503, lost.text
            assert lost.json()["error"] == "unavailable" and lost.json()["message"]
            server.restart()
            again = wait_until(
                lambda: _not_503(admin.send("POST", "/v1/notices", notice, "k-1")),
                20,
                what="a command accepted once the store is back",
            )
            assert again.status_code == 201, again.text
            seq = again.json()["seq"]
            assert seq == before["seq"] + 1  # nothing half-written in between
            # the same feed connection, open all along, carries on after the outage
            assert [event["seq"] for event in console.events_until(seq)] == [seq]
        with psycopg.connect(dsn) as connection:
            rows = connection.execute("SELECT seq FROM pilkades_events ORDER BY seq").fetchall()
        assert [row[0] for row in rows] == list(range(1, seq + 1))
    finally:
        admin.close()
        hub.stop()


def _not_503(answer: httpx.Response) -> httpx.Response | None:
    return None if answer.status_code == 503 else answer


def _required() -> bool:
    return bool(os.environ.get(REQUIRE_PG_ENV))


def test_a_second_hub_with_another_scenario_refuses_to_start(tmp_path: Path, pg_dsn: str) -> None:
    with HubServer(tmp_path / "a", store=pg_dsn, seed=1):
        done = _hub_command(tmp_path / "b", "--store", pg_dsn, "--seed", "7", "--port", "0")
    assert done.returncode == 2
    assert "seeded from another scenario" in done.stderr and "Traceback" not in done.stderr


def test_an_unreachable_store_is_a_sentence_and_exit_2(tmp_path: Path) -> None:
    done = _hub_command(tmp_path, "--store", "postgresql://nobody@127.0.0.1:1/none", "--port", "0")
    assert done.returncode == 2
    assert "unreachable" in done.stderr and "Traceback" not in done.stderr
    done = _hub_command(tmp_path, "--store", "mysql://x@y/z", "--port", "0")
    assert done.returncode == 2 and "postgresql://" in done.stderr


def test_a_schema_from_a_newer_version_is_refused(tmp_path: Path, pg_dsn: str) -> None:
    HubServer(tmp_path / "a", store=pg_dsn, scenario="none").start().stop()
    with psycopg.connect(pg_dsn, autocommit=True) as connection:
        connection.execute("INSERT INTO pilkades_schema VALUES (%s)", (SCHEMA_VERSION + 1,))
    done = _hub_command(tmp_path / "b", "--store", pg_dsn, "--scenario", "none", "--port", "0")
    assert done.returncode == 2
    assert "newer" in done.stderr and "Traceback" not in done.stderr


def _hub_command(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "pilkades_tui", "hub", "--data", str(data), *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)


def test_migrate_copies_a_sqlite_day_into_an_empty_store_keeping_every_seq(
    tmp_path: Path, pg_dsn: str, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "sqlite"
    with HubServer(data) as old:
        admin = Hub(old)
        incident = admin.new_incident()
        keyed = admin.send("PUT", "/v1/phase", {"phase": "voting"}, "phase-key")
        before = admin.snapshot()
        admin.close()
    assert main(["hub", "migrate", "--from-data", str(data), "--store", pg_dsn]) == 0
    assert f"head {before['seq']}" in capsys.readouterr().out
    with HubServer(tmp_path / "pg", store=pg_dsn, tokens=old.tokens) as new:
        admin = Hub(new)
        after = admin.snapshot()
        assert after["seq"] == before["seq"]
        assert {i["id"] for i in after["incidents"]} == {incident["id"]}
        assert admin.send("PUT", "/v1/phase", {"phase": "voting"}, "phase-key").json() == (
            keyed.json()
        )
        assert admin.ok("POST", "/v1/notices", {"level": "info", "text": "x"})["seq"] == (
            before["seq"] + 1
        )
        admin.close()
    # a store that holds anything is never filled again
    assert main(["hub", "migrate", "--from-data", str(data), "--store", pg_dsn]) == 2
    assert "not empty" in capsys.readouterr().err


def test_the_report_reads_the_shared_log(
    pair: tuple[HubServer, HubServer], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    hub_a, hub_b = pair
    Hub(hub_a).new_incident(description="bentrok pendukung")
    Hub(hub_b).new_incident(description="massa berkumpul")
    head = Hub(hub_b).head()
    assert hub_a.store is not None
    out = tmp_path / "report.md"
    code = main(["report", "--store", hub_a.store, "--out", str(out), "--lang", "en"])
    assert code == 0, capsys.readouterr().err
    text = out.read_text("utf-8")
    # every event of both hubs, counted once
    counted = re.search(r"\*\*Events in the hub log:\*\* ([\d,.]+)", text)
    assert counted is not None and int(re.sub(r"\D", "", counted.group(1))) == head
