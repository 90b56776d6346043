"""The logbook on real files: chain, fold, verify, damage, one writer, CLI, crashes."""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from pilkades_tui import cli
from pilkades_tui.domain.clock import WIB
from pilkades_tui.logbook import (
    AppendOnlyStorage,
    Kind,
    Logbook,
    LogbookBusy,
    LogbookCorrupt,
    LogbookError,
    Outcome,
    read_records,
)
from pilkades_tui.paths import logbook_file

REPO = Path(__file__).parents[2]
START = datetime(2026, 11, 29, 7, 0, tzinfo=WIB)


def fill(path: Path) -> None:
    """Seven records: 2 decisions, 3 outcomes, a free log and a handover."""
    with Logbook.open(path) as book:
        first = book.append_decision(
            operator="Iptu Budi",
            action="assign",
            subject="INC-7",
            officer_ids=["KJN-P1"],
            at=START,
        )
        book.record_outcome(first, Outcome.QUEUED, why="hub unreachable", at=START)
        book.record_outcome(first, Outcome.ACCEPTED, hub_seq=120, at=START + timedelta(minutes=1))
        second = book.append_decision(
            operator="Iptu Budi", action="resolve", subject="INC-7", at=START + timedelta(hours=1)
        )
        book.record_outcome(
            second, "rejected", why="conflict: resolved by another dispatcher", at=START
        )
        book.append_log(
            operator="Iptu Budi",
            category="coordination",
            note="Panitia Pilkades Rowokembu: kotak suara tiba 06.40",
            drill=True,
            at=START + timedelta(hours=2),
        )
        book.append_handover(
            operator="Iptu Budi",
            to_operator="Ipda Sari",
            note="2 open",
            at=START + timedelta(hours=3),
        )


def file_lines(path: Path) -> tuple[str, list[dict[str, Any]]]:
    header, *rest = path.read_text().splitlines()
    return header, [json.loads(line) for line in rest]


def write_lines(path: Path, header: str, records: list[dict[str, Any]]) -> None:
    path.write_text(header + "\n" + "".join(json.dumps(r) + "\n" for r in records))


def test_entries_fold_outcomes_and_survive_reopening(tmp_path: Path) -> None:
    path = tmp_path / "logbook.json"
    fill(path)
    with Logbook.open(path) as book:
        assert len(book) == 7
        assert book.verify().ok
        entries = book.entries()
        later = book.entries_since(START + timedelta(minutes=30))
    assert [e.kind for e in entries] == [Kind.DECISION, Kind.DECISION, Kind.LOG, Kind.HANDOVER]
    assign, resolve, log, handover = entries
    assert assign.outcome is Outcome.ACCEPTED and assign.hub_seq == 120
    assert assign.outcome_at == START + timedelta(minutes=1)
    assert resolve.outcome is Outcome.REJECTED and "another dispatcher" in (resolve.why or "")
    assert log.category == "coordination" and log.drill and not assign.drill
    assert handover.to_operator == "Ipda Sari" and handover.operator == "Iptu Budi"
    assert assign.at.utcoffset() == timedelta(hours=7)
    assert [e.n for e in later] == [resolve.n, log.n, handover.n]


def test_a_queued_decision_is_pending_until_answered(tmp_path: Path) -> None:
    with Logbook.open(tmp_path / "logbook.json") as book:
        number = book.append_decision(
            operator="x", action="acknowledge", subject="INC-1", details={"key": "k-1"}
        )
        assert [e.n for e in book.pending()] == [number]
        book.record_outcome(number, Outcome.QUEUED, why="hub unreachable")
        assert book.pending()[0].extra["key"] == "k-1"
        book.record_outcome(number, Outcome.ACCEPTED, hub_seq=3)
        assert book.pending() == []


def test_bad_arguments_are_refused(tmp_path: Path) -> None:
    with Logbook.open(tmp_path / "logbook.json") as book:
        with pytest.raises(ValueError, match="unknown category"):
            book.append_log(operator="x", category="gossip", note="n")
        with pytest.raises(ValueError, match="no logbook entry"):
            book.record_outcome(5, "accepted")
        number = book.append_log(operator="x", category="other", note="n")
        with pytest.raises(ValueError, match="not a decision"):
            book.record_outcome(number, "accepted")
        with pytest.raises(ValueError):
            book.record_outcome(number, "maybe")
        assert len(book) == 1


def test_entries_cannot_be_changed_or_removed_through_tinydb(tmp_path: Path) -> None:
    with Logbook.open(tmp_path / "logbook.json") as book:
        book.append_log(operator="x", category="other", note="n")
        table = book._db.table("entries")
        with pytest.raises(LogbookError, match="never changed"):
            table.update({"note": "rewritten"})
        with pytest.raises(LogbookError, match="never changed"):
            table.remove(doc_ids=[1])
        with pytest.raises(LogbookError, match="never changed"):
            table.truncate()
    with Logbook.open(tmp_path / "logbook.json") as book:
        assert book.entries()[0].note == "n" and book.verify().ok


def test_an_append_writes_one_line_without_a_whole_table_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "logbook.json"
    fill(path)

    def no_rewrite(self: AppendOnlyStorage, data: object) -> None:
        raise AssertionError("an append must not go through Storage.write")

    monkeypatch.setattr(AppendOnlyStorage, "write", no_rewrite)
    before = path.read_bytes()
    with Logbook.open(path) as book:
        book.append_log(operator="x", category="briefing", note="apel pagi")
    after = path.read_bytes()
    assert after.startswith(before) and after[len(before) :].count(b"\n") == 1


Tamper = Callable[[list[dict[str, Any]]], None]


@pytest.mark.parametrize(
    ("tamper", "broken"),
    [
        (lambda rs: rs[2]["d"].update(note="edited later"), 3),
        (lambda rs: rs.pop(1), 2),
        # A copy of record 4 slipped in before it: the copy itself fits, the original no longer.
        (lambda rs: rs.insert(3, json.loads(json.dumps(rs[3]))), 5),
        (lambda rs: rs.__setitem__(slice(2, 4), [rs[3], rs[2]]), 3),
        (lambda rs: rs[4]["d"].update(outcome="accepted"), 5),
        (lambda rs: rs[6]["d"].update(kind="nonsense"), 7),
    ],
    ids=["changed", "removed", "inserted", "reordered", "outcome-changed", "kind-changed"],
)
def test_verify_names_the_first_broken_record(
    tmp_path: Path, tamper: Tamper, broken: int, capsys: pytest.CaptureFixture[str]
) -> None:
    path = logbook_file(tmp_path)
    fill(path)
    header, records = file_lines(path)
    tamper(records)
    # Keep TinyDB document ids in file order so the file still loads: tampering is in content.
    for position, record in enumerate(records, start=1):
        record["id"] = str(position)
    write_lines(path, header, records)
    assert cli.main(["logbook", "verify", "--data", str(tmp_path)]) == 3
    err = capsys.readouterr().err
    assert f"first broken record: {broken} of" in err
    assert f"records 1 to {broken - 1} are intact" in err
    if broken < 7:  # a record turned into nonsense cannot be folded: the console stops on it
        with Logbook.open(path) as book:
            result = book.verify()
        assert not result.ok and result.first_broken == broken
        assert f"record {broken} (" in result.reason
    else:
        with pytest.raises(LogbookCorrupt, match="malformed record 7"):
            Logbook.open(path)


def test_verify_sees_a_change_made_while_the_book_is_open(tmp_path: Path) -> None:
    path = tmp_path / "logbook.json"
    fill(path)
    with Logbook.open(path) as book:
        assert book.verify().ok  # the verified prefix is remembered from here
        book.append_log(operator="x", category="other", note="after the first verify")
        assert book.verify().ok and book.verify().records == 8
        text = path.read_text().replace("Rowokembu", "Rowokembo")
        with open(path, "r+", encoding="utf-8") as file:  # same length, in place
            file.write(text)
        result = book.verify()
    assert not result.ok and result.first_broken == 6
    assert "was changed" in result.reason


def test_a_torn_last_line_is_set_aside_but_damage_elsewhere_stops(tmp_path: Path) -> None:
    path = tmp_path / "logbook.json"
    fill(path)
    whole = path.read_bytes()
    torn = b'{"d":{"kind":"decision","at":"2026-'
    path.write_bytes(whole + torn)
    with Logbook.open(path, read_only=True) as reader:  # a reader ignores it, changes nothing
        assert len(reader) == 7
    assert path.read_bytes() == whole + torn
    with Logbook.open(path) as book:
        assert len(book) == 7 and book.verify().ok
        assert book.set_aside is not None and book.set_aside.read_bytes() == torn
        book.append_log(operator="x", category="other", note="after the crash")
    with Logbook.open(path) as book:
        assert len(book) == 8 and book.verify().ok and book.set_aside is None
    with open(path, "ab") as file:  # a power cut can leave zeros instead of the line
        file.write(b"\0" * 300)
    with Logbook.open(path) as book:
        assert len(book) == 8 and book.verify().ok and book.set_aside is not None

    damaged = tmp_path / "damaged" / "logbook.json"
    damaged.parent.mkdir()
    text = whole.decode().splitlines()
    text[3] = text[3][:40]
    damaged.write_text("\n".join(text) + "\n")
    before = damaged.read_bytes()
    with pytest.raises(LogbookCorrupt, match="line 4"):
        Logbook.open(damaged)
    assert damaged.read_bytes() == before  # kept for inspection


def test_files_that_are_not_logbooks_are_refused_and_kept(tmp_path: Path) -> None:
    from tinydb import TinyDB

    cases = {
        "tinydb-default.json": None,  # written below by TinyDB's own storage
        "garbage.json": b"\xff\xfe\x00garbage\n",
        "no-newline.json": b"just some notes without a newline",
        "future.json": b'{"format":"pilkades-tui logbook","version":9}\n',
    }
    with TinyDB(tmp_path / "tinydb-default.json") as plain:
        plain.insert({"note": "an older logbook"})
    for name, content in cases.items():
        path = tmp_path / name
        if content is not None:
            path.write_bytes(content)
        before = path.read_bytes()
        with pytest.raises(LogbookError) as caught:
            Logbook.open(path)
        assert str(path) in str(caught.value)
        assert path.read_bytes() == before, name
        assert not list(tmp_path.glob(f"{name}.torn-*"))
    (tmp_path / "dir.json").mkdir()
    with pytest.raises(LogbookError, match="folder"):
        Logbook.open(tmp_path / "dir.json")


def test_a_header_cut_short_is_a_new_logbook(tmp_path: Path) -> None:
    path = tmp_path / "logbook.json"
    path.write_bytes(b'{"format":"pilk')
    with Logbook.open(path) as book:
        assert len(book) == 0
        book.append_log(operator="x", category="other", note="first")
    with Logbook.open(path) as book:
        assert len(book) == 1 and book.verify().ok


def test_one_writer_at_a_time_but_readers_may_look(tmp_path: Path) -> None:
    path = tmp_path / "logbook.json"
    with Logbook.open(path) as writer:
        writer.append_log(operator="x", category="other", note="n")
        with pytest.raises(LogbookBusy, match="another console"):
            Logbook.open(path)
        with Logbook.open(path, read_only=True) as reader:
            assert len(reader) == 1 and reader.verify().ok
            with pytest.raises(LogbookError, match="read-only"):
                reader.append_log(operator="x", category="other", note="n")
            writer.append_log(operator="x", category="other", note="written while read")
            writer.append_log(operator="x", category="other", note="and another")
            assert reader.verify().ok and reader.verify().records == 3
            path.write_text(path.read_text().replace("and another", "and one more"))
            result = reader.verify()
            assert not result.ok and result.first_broken == 3
    with Logbook.open(path) as book:
        assert len(book) == 3
    with pytest.raises(LogbookError, match="no logbook"):
        Logbook.open(tmp_path / "absent.json", read_only=True)


def test_a_failed_write_leaves_no_half_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "logbook.json"
    fill(path)
    real_write = os.write

    def disk_full_halfway(fd: int, data: bytes) -> int:
        real_write(fd, bytes(data[: len(data) // 2]))
        raise OSError(errno.ENOSPC, "No space left on device")

    with Logbook.open(path) as book:
        monkeypatch.setattr(os, "write", disk_full_halfway)
        with pytest.raises(LogbookError, match="No space left"):
            book.append_log(operator="x", category="other", note="lost")
        monkeypatch.setattr(os, "write", real_write)
        assert len(book) == 7
        book.append_log(operator="x", category="other", note="kept")
    with Logbook.open(path) as book:
        assert [e.note for e in book.entries()][-1] == "kept"
        assert len(book) == 8 and book.verify().ok
    assert [record["id"] for record in file_lines(path)[1]] == [str(n) for n in range(1, 9)]


def test_cli_show_verify_export(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fill(logbook_file(tmp_path))
    assert cli.main(["logbook", "verify", "--data", str(tmp_path)]) == 0
    assert "7 records, chain intact" in capsys.readouterr().out
    assert cli.main(["logbook", "show", "--data", str(tmp_path)]) == 0
    shown = capsys.readouterr().out
    assert "assign INC-7 KJN-P1" in shown and "accepted hub seq 120" in shown
    assert "Ipda Sari" in shown and "[LATIHAN/DRILL]" in shown
    assert cli.main(["logbook", "export", "--data", str(tmp_path), "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [row["kind"] for row in rows] == ["decision", "decision", "log", "handover"]
    assert rows[1]["outcome"] == "rejected" and "another dispatcher" in rows[1]["why"]
    out = tmp_path / "export.json"
    assert cli.main(["logbook", "export", "--data", str(tmp_path), "--out", str(out)]) == 0
    assert json.loads(out.read_text())[0]["hub_seq"] == 120
    with Logbook.open(logbook_file(tmp_path), read_only=True) as book:
        assert json.loads(book.export("json")) == json.loads(out.read_text())

    assert cli.main(["logbook", "show", "--data", str(tmp_path / "nowhere")]) == 1
    assert "no logbook" in capsys.readouterr().err


def test_cli_verify_exit_status_in_a_subprocess(tmp_path: Path) -> None:
    path = tmp_path / "elsewhere.json"
    fill(path)
    header, records = file_lines(path)
    records[1]["d"]["why"] = "nothing to see"
    write_lines(path, header, records)
    command = [sys.executable, "-m", "pilkades_tui", "logbook", "verify", "--file", str(path)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, cwd=REPO)
    assert done.returncode == 3
    assert "first broken record: 2 of 7" in done.stderr and "changed" in done.stderr


@pytest.mark.timeout(60)
def test_sigkill_at_random_moments_never_loses_an_acknowledged_entry(tmp_path: Path) -> None:
    path = tmp_path / "logbook.json"
    appender = Path(__file__).with_name("appender.py")
    rng = random.Random(11)
    acknowledged: dict[int, str] = {}
    env = dict(os.environ, PYTHONPATH=str(REPO))
    for round_number in range(20):
        mode = ["--short-writes"] if round_number % 2 else []
        process = subprocess.Popen(
            [sys.executable, str(appender), str(path), *mode],
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        assert process.stdout is not None
        assert process.stdout.readline().startswith("ready")
        time.sleep(rng.random() * 0.15)
        process.send_signal(signal.SIGKILL)
        out, _ = process.communicate(timeout=10)
        for line in out.splitlines():
            kind, number = line.split()
            acknowledged[int(number)] = kind
        with Logbook.open(path) as book:
            result = book.verify()
            assert result.ok, result.reason
            records = {record["n"]: record for record in book.records()}
        for number, kind in acknowledged.items():
            assert number in records, f"acknowledged record {number} is missing"
            record = records[number]
            if kind == "D":
                assert record["kind"] == "decision" and record["subject"] == f"INC-{number}"
            else:
                assert record["kind"] == "outcome" and record["hub_seq"] == record["ref"]
    assert len(acknowledged) > 100
    # Kills in the middle of a line happened, and each torn line was kept aside, not lost.
    assert list(tmp_path.glob("logbook.json.torn-*"))


def test_the_storage_also_serves_a_plain_tinydb_table(tmp_path: Path) -> None:
    from tinydb import TinyDB

    path = tmp_path / "plain.json"
    with TinyDB(path, storage=AppendOnlyStorage) as db:  # TinyDB's own Table: whole-table writes
        db.insert({"a": 1})
        db.insert_multiple([{"a": 2}, {"a": 3}])
        with pytest.raises(LogbookError, match="cannot be removed"):
            db.remove(doc_ids=[2])
    assert len(path.read_text().splitlines()) == 4  # header + one line per document
    with TinyDB(path, storage=AppendOnlyStorage) as db:
        assert [doc["a"] for doc in db.all()] == [1, 2, 3]


def test_records_cut_off_the_end_while_open_are_noticed(tmp_path: Path) -> None:
    path = tmp_path / "logbook.json"
    fill(path)
    with Logbook.open(path) as book:
        header, records = file_lines(path)
        write_lines(path, header, records[:5])
        result = book.verify()
    assert not result.ok and result.first_broken == 6
    assert "cut off" in result.reason
    with Logbook.open(path) as book:  # a fresh look cannot know: the hub's log is the check
        assert book.verify().ok and book.verify().records == 5


def test_a_write_that_cannot_be_undone_stops_further_appends(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "logbook.json"
    fill(path)
    real_write = os.write

    def half_then_fail(fd: int, data: bytes) -> int:
        real_write(fd, bytes(data[: len(data) // 2]))
        raise OSError(errno.EIO, "Input/output error")

    def cannot_truncate(fd: int, length: int) -> None:
        raise OSError(errno.EIO, "Input/output error")

    with Logbook.open(path) as book:
        monkeypatch.setattr(os, "write", half_then_fail)
        monkeypatch.setattr(os, "ftruncate", cannot_truncate)
        with pytest.raises(LogbookError, match="Input/output error"):
            book.append_log(operator="x", category="other", note="lost")
        monkeypatch.undo()
        with pytest.raises(LogbookError, match="restart the console"):
            book.append_log(operator="x", category="other", note="would glue on")
    with Logbook.open(path) as book:  # the half line is set aside on the next open
        assert len(book) == 7 and book.verify().ok and book.set_aside is not None


def test_inserts_use_no_private_part_of_tinydb(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A TinyDB release that renames its internals cannot change how entries are numbered."""
    from tinydb.table import Table

    def private(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the logbook must not call a private method of TinyDB's Table")

    for name in ("_get_next_id", "_read_table", "_update_table"):
        monkeypatch.setattr(Table, name, private)
    path = tmp_path / "logbook.json"
    fill(path)
    with Logbook.open(path) as book:
        table = book._db.table("entries")
        assert table.insert_multiple([{"x": 1}, {"x": 2}]) == [8, 9]
        assert table.insert({"x": 3}) == 10
        assert book.append_log(operator="x", category="other", note="after") == 8
    ids = [json.loads(line)["id"] for line in path.read_text().splitlines()[1:]]
    assert ids == [str(number) for number in range(1, 12)]


def test_a_failed_append_uses_up_no_document_id(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "logbook.json"
    fill(path)
    with Logbook.open(path) as book:
        table = book._db.table("entries")

        def disk_full(fd: int, data: bytes) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(os, "write", disk_full)
        with pytest.raises(LogbookError, match="No space left"):
            table.insert({"x": 1})
        monkeypatch.undo()
        assert table.insert({"x": 2}) == 8


def test_tables_cannot_be_dropped_through_tinydb(tmp_path: Path) -> None:
    path = tmp_path / "logbook.json"
    fill(path)
    before = path.read_bytes()
    with Logbook.open(path) as book:
        with pytest.raises(LogbookError, match="cannot be dropped"):
            book._db.drop_table("entries")
        with pytest.raises(LogbookError, match="cannot be dropped"):
            book._db.drop_tables()
    assert path.read_bytes() == before
    with Logbook.open(path) as book:
        assert len(book) == 7 and book.verify().ok


def test_a_logbook_written_by_release_0_1_0_still_reads_verifies_and_grows(
    tmp_path: Path,
) -> None:
    """The on-disk format is a promise: this file was written by the first release."""
    path = tmp_path / "logbook.json"
    path.write_bytes((Path(__file__).parent / "written-by-0.1.0.logbook.json").read_bytes())
    with Logbook.open(path, read_only=True) as book:
        assert book.verify().ok and len(book) == 4
        assert [entry.kind for entry in book.entries()] == [
            Kind.DECISION,
            Kind.LOG,
            Kind.HANDOVER,
        ]
        assert book.entries()[0].outcome is Outcome.ACCEPTED
        assert book.entries()[0].extra == {"expected_version": 2, "key": "k-1"}
    with Logbook.open(path) as book:
        assert book.append_log(operator="Ipda Sari", category="briefing", note="apel") == 5
        assert book.verify().ok
    last = json.loads(path.read_text().splitlines()[-1])
    assert last["id"] == "5" and last["t"] == "entries"


def test_the_logbook_and_the_command_client_share_one_outcome_type(tmp_path: Path) -> None:
    from pilkades_tui.feed.results import Outcome as CommandOutcome

    assert Outcome is CommandOutcome
    with Logbook.open(tmp_path / "logbook.json") as book:
        number = book.append_decision(operator="x", action="assign", subject="INC-1")
        with pytest.raises(ValueError, match="as 'rejected'"):
            book.record_outcome(number, CommandOutcome.CONFLICT)
        book.record_outcome(number, CommandOutcome.REJECTED, why="conflict: unit busy")
        assert book.entries()[0].outcome is CommandOutcome.REJECTED
    assert len(read_records(tmp_path / "logbook.json")) == 2
