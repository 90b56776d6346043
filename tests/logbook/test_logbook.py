"""The logbook on a real file: chain, fold, verify, damage, one writer, CLI, crashes."""

from __future__ import annotations

import csv
import io
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pilkades_tui import cli
from pilkades_tui.logbook import (
    Kind,
    Logbook,
    LogbookBusy,
    LogbookCorrupt,
    LogbookError,
    Outcome,
)
from pilkades_tui.paths import logbook_file


def fill(path: Path) -> None:
    with Logbook.open(path) as book:
        first = book.append_decision(
            operator="Iptu Budi", action="assign", subject="INC-7", officer_ids=["KJN-P1"]
        )
        book.record_outcome(first, Outcome.QUEUED, why="hub unreachable")
        book.record_outcome(first, Outcome.ACCEPTED, hub_seq=120)
        second = book.append_decision(operator="Iptu Budi", action="resolve", subject="INC-7")
        book.record_outcome(second, "rejected", why="conflict: resolved by another dispatcher")
        book.append_log(
            operator="Iptu Budi", category="coordination", note="Panitia Pilkades Rowokembu"
        )
        book.append_handover(operator="Iptu Budi", to_operator="Ipda Sari", note="2 open")


def lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def write_lines(path: Path, records: list[dict]) -> None:
    path.write_text("".join(json.dumps(r) + "\n" for r in records))


def test_entries_fold_outcomes_and_survive_reopening(tmp_path: Path) -> None:
    path = tmp_path / "logbook.json"
    fill(path)
    with Logbook.open(path) as book:
        assert len(book) == 7
        assert book.verify().ok
        entries = book.entries()
    assert [e.kind for e in entries] == [Kind.DECISION, Kind.DECISION, Kind.LOG, Kind.HANDOVER]
    assign, resolve, log, handover = entries
    assert assign.outcome is Outcome.ACCEPTED and assign.hub_seq == 120
    assert resolve.outcome is Outcome.REJECTED and "another dispatcher" in (resolve.why or "")
    assert log.category == "coordination"
    assert handover.to_operator == "Ipda Sari"
    assert assign.at.utcoffset().total_seconds() == 7 * 3600


def test_bad_arguments_are_refused(tmp_path: Path) -> None:
    with Logbook.open(tmp_path / "logbook.json") as book:
        with pytest.raises(ValueError, match="unknown category"):
            book.append_log(operator="x", category="gossip", note="n")
        with pytest.raises(ValueError, match="no logbook entry"):
            book.record_outcome(5, "accepted")
        number = book.append_log(operator="x", category="other", note="n")
        with pytest.raises(ValueError, match="not a decision"):
            book.record_outcome(number, "accepted")


@pytest.mark.parametrize(
    ("tamper", "broken"),
    [
        (lambda rs: rs[2]["d"].update(note="edited later"), 3),
        (lambda rs: rs.pop(1), 2),
        # A copy of record 4 slipped in before it: the copy itself fits, the original no longer.
        (lambda rs: rs.insert(3, json.loads(json.dumps(rs[3]))), 5),
        (lambda rs: rs.__setitem__(slice(2, 4), [rs[3], rs[2]]), 3),
        (lambda rs: rs[4]["d"].update(outcome="accepted"), 5),
    ],
    ids=["changed", "removed", "inserted", "reordered", "outcome-changed"],
)
def test_verify_names_the_first_broken_record(tmp_path: Path, tamper, broken: int) -> None:
    path = tmp_path / "logbook.json"
    fill(path)
    records = lines(path)
    tamper(records)
    # Keep TinyDB document ids unique so the file still loads: tampering is in the content.
    for position, record in enumerate(records, start=1):
        record["id"] = str(position)
    write_lines(path, records)
    with Logbook.open(path) as book:
        result = book.verify()
    assert not result.ok
    assert result.first_broken == broken


def test_a_torn_last_line_is_dropped_but_damage_elsewhere_stops(tmp_path: Path) -> None:
    path = tmp_path / "logbook.json"
    fill(path)
    whole = path.read_bytes()
    path.write_bytes(whole + b'{"t":"entries","id":"8","d":{"kind":')
    with Logbook.open(path) as book:
        assert len(book) == 7 and book.verify().ok
        book.append_log(operator="x", category="other", note="after the crash")
    with Logbook.open(path) as book:
        assert len(book) == 8 and book.verify().ok

    damaged = tmp_path / "damaged" / "logbook.json"
    damaged.parent.mkdir()
    text = whole.decode().splitlines()
    text[2] = text[2][:40]
    damaged.write_text("\n".join(text) + "\n")
    before = damaged.read_bytes()
    with pytest.raises(LogbookCorrupt, match="line 3"):
        Logbook.open(damaged)
    assert damaged.read_bytes() == before  # kept for inspection


def test_binary_garbage_and_directories_are_clear_errors(tmp_path: Path) -> None:
    garbage = tmp_path / "logbook.json"
    garbage.write_bytes(b"\xff\xfe\x00garbage\n")
    with pytest.raises(LogbookError):
        Logbook.open(garbage)
    assert garbage.read_bytes() == b"\xff\xfe\x00garbage\n"
    (tmp_path / "dir.json").mkdir()
    with pytest.raises(LogbookError, match="not a file"):
        Logbook.open(tmp_path / "dir.json")


def test_one_console_at_a_time(tmp_path: Path) -> None:
    path = tmp_path / "logbook.json"
    with Logbook.open(path), pytest.raises(LogbookBusy, match="another console"):
        Logbook.open(path)
    with Logbook.open(path) as book:
        assert len(book) == 0


def test_cli_show_verify_export(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fill(logbook_file(tmp_path))
    assert cli.main(["logbook", "verify", "--data", str(tmp_path)]) == 0
    assert "chain intact" in capsys.readouterr().out
    assert cli.main(["logbook", "show", "--data", str(tmp_path)]) == 0
    shown = capsys.readouterr().out
    assert "assign INC-7 KJN-P1" in shown and "accepted" in shown and "Ipda Sari" in shown
    assert cli.main(["logbook", "export", "--data", str(tmp_path), "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [row["kind"] for row in rows] == ["decision", "decision", "log", "handover"]
    out = tmp_path / "export.json"
    assert cli.main(["logbook", "export", "--data", str(tmp_path), "--out", str(out)]) == 0
    assert json.loads(out.read_text())[0]["hub_seq"] == 120

    records = lines(logbook_file(tmp_path))
    records[1]["d"]["why"] = "nothing to see"
    write_lines(logbook_file(tmp_path), records)
    assert cli.main(["logbook", "verify", "--data", str(tmp_path)]) == 3
    assert "first broken record 2" in capsys.readouterr().err
    assert cli.main(["logbook", "show", "--data", str(tmp_path / "nowhere")]) == 1


@pytest.mark.timeout(90)
def test_sigkill_at_random_moments_never_loses_an_acknowledged_entry(tmp_path: Path) -> None:
    path = tmp_path / "logbook.json"
    appender = Path(__file__).with_name("appender.py")
    rng = random.Random(11)
    acknowledged: set[int] = set()
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).parents[2]))
    for _round in range(15):
        process = subprocess.Popen(
            [sys.executable, str(appender), str(path)], stdout=subprocess.PIPE, text=True, env=env
        )
        time.sleep(0.25 + rng.random() * 0.3)
        process.send_signal(signal.SIGKILL)
        out, _ = process.communicate()
        for line in out.splitlines():
            acknowledged.add(int(line.split()[1]))
        with Logbook.open(path) as book:
            result = book.verify()
            assert result.ok, result.reason
            numbers = {record["n"] for record in book.records()}
        assert acknowledged <= numbers
    assert len(acknowledged) > 15
