"""`pilkades-tui report` end to end on files: the three formats, both languages, a
broken logbook chain, bad input, the handover."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest

from pilkades_tui.cli import main
from pilkades_tui.domain.clock import wib_now
from pilkades_tui.hub.log import SqliteLog
from pilkades_tui.logbook import Logbook
from pilkades_tui.paths import outbox_file
from pilkades_tui.report.source import ProgressBar
from tests.report.report_day import at, morning

VOID = {"meta", "br", "hr", "img", "input", "link", "wbr"}


class TagBalance(HTMLParser):
    """Fails on a closing tag that does not match the open one."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.seen: set[str] = set()
        self.fetches: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.seen.add(tag)
        for name, value in attrs:
            remote = (value or "").startswith(("http:", "https:", "//"))
            if name in ("src", "href") or (remote and name != "xmlns"):
                self.fetches.append(f"{tag} {name}={value}")
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, (tag, self.stack[-5:])
        self.stack.pop()


@pytest.fixture
def day_dir(tmp_path: Path) -> Path:
    data = tmp_path / "hub"
    morning().write_log(data)
    return data


def make_logbook(path: Path) -> Path:
    with Logbook.open(path) as book:
        first = book.append_decision(
            operator="Iptu Budi", action="assign", subject="A", officer_ids=["U1"],
            note="Kirim unit terdekat", at=at("07:15"),
        )  # fmt: skip
        book.record_outcome(first, "accepted", hub_seq=12, at=at("07:15"))
        book.append_log(
            operator="Iptu Budi", category="coordination", note="Panitia Kajen dihubungi",
            at=at("07:45"),
        )  # fmt: skip
    return path


def run(*argv: str) -> int:
    return main(["report", *argv])


def test_html_is_self_contained_and_well_formed(day_dir: Path, tmp_path: Path) -> None:
    book = make_logbook(tmp_path / "logbook.json")
    out = tmp_path / "anev.html"
    assert run("--data", str(day_dir), "--logbook", str(book), "--format", "html",
               "--out", str(out)) == 0  # fmt: skip
    text = out.read_text("utf-8")
    parser = TagBalance()
    parser.feed(text)
    parser.close()
    assert parser.stack == []
    assert {"svg", "rect", "table", "style"} <= parser.seen
    assert "script" not in parser.seen and parser.fetches == []
    assert "Laporan Anev" in text and "Waktu tanggap" in text
    assert "Kirim unit terdekat" in text and "rantai utuh, 3 catatan" in text
    assert '<div class="alert"' not in text
    assert "@media print" in text


def test_markdown_tables_line_up_and_english_is_english(day_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "anev.md"
    assert run("--data", str(day_dir), "--format", "md", "--lang", "en", "--out", str(out)) == 0
    text = out.read_text("utf-8")
    assert text.startswith("# Anev report")
    assert "## Response times" in text and "Waktu tanggap" not in text
    table_lines = [line for line in text.splitlines() if line.startswith("|")]
    assert table_lines
    block: list[str] = []
    for line in [*text.splitlines(), ""]:
        if line.startswith("|"):
            block.append(line)
            continue
        if block:
            widths = {row.replace("\\|", "").count("|") for row in block}
            assert len(widths) == 1, block
            assert set(block[1].replace("|", "").split()) == {"---"}
            block = []
    assert "| P1 | acknowledged | 1 | 3m00s | 3m00s | 3m00s |" in text


def test_csv_is_one_file_per_table_with_raw_values(day_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "anev-csv"
    assert run("--data", str(day_dir), "--format", "csv", "--out", str(out)) == 0
    names = {p.name for p in out.iterdir()}
    assert {"incidents_by_category.csv", "response_by_priority.csv", "sla_breaches.csv",
            "tps_flagged.csv", "unit_workload.csv", "decisions.csv"} <= names  # fmt: skip

    def rows(name: str) -> list[list[str]]:
        return list(csv.reader(io.StringIO((out / name).read_text("utf-8-sig"))))

    response = rows("response_by_priority.csv")
    assert response[0][:3] == ["Prioritas", "Tahap tanggap", "n"]
    assert ["P1", "tiba di lokasi", "1", "1260", "1260", "1260"] in response
    breaches = rows("sla_breaches.csv")
    assert [row[0] for row in breaches[1:]] == ["A", "B", "B"]
    assert ["B", "P2", "Kajen", "target tiba di lokasi", "3600", "6000", "true"] in breaches
    # A second run replaces the folder whole.
    (out / "stray.csv").write_text("x")
    assert run("--data", str(day_dir), "--format", "csv", "--out", str(out)) == 0
    assert not (out / "stray.csv").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_a_broken_chain_is_reported_at_the_top(
    day_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = make_logbook(tmp_path / "logbook.json")
    book.write_text(book.read_text("utf-8").replace("Panitia Kajen", "Panitia Bojong"), "utf-8")
    out = tmp_path / "anev.html"
    assert run("--data", str(day_dir), "--logbook", str(book), "--format", "html",
               "--out", str(out)) == 3  # fmt: skip
    text = out.read_text("utf-8")
    alert = text.index('<div class="alert"')
    assert alert < text.index("<section>")
    assert "RANTAI LOGBOOK RUSAK" in text[alert:] and "catatan 3 dari 3" in text
    assert "LOGBOOK CHAIN BROKEN" in capsys.readouterr().err
    md = tmp_path / "anev.md"
    assert run("--data", str(day_dir), "--logbook", str(book), "--out", str(md)) == 3
    assert md.read_text("utf-8").split("\n")[2].startswith("> **PERINGATAN: RANTAI LOGBOOK RUSAK")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--from", "09:00", "--to", "08:00"], "wrong way round"),
        (
            ["--from", "2026-11-29T09:00:00+07:00", "--to", "2026-11-29T08:00:00+07:00"],
            "wrong way round",
        ),  # fmt: skip
        (["--from", "03:00", "--to", "04:00"], "empty"),
        (["--from", "noon"], "RFC 3339"),
        (["--logbook", "missing.json"], "no logbook"),
        (["--format", "csv"], "--out FOLDER"),
    ],
)
def test_bad_input_exits_non_zero_and_writes_nothing(
    day_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    message: str,
) -> None:
    out = tmp_path / "anev.md"
    out.write_text("the previous report")
    argv = [str(tmp_path / a) if a.endswith(".json") else a for a in argv]
    extra = [] if "--format" in argv else ["--out", str(out)]
    assert run("--data", str(day_dir), *argv, *extra) == 1
    assert message in capsys.readouterr().err
    assert out.read_text() == "the previous report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["anev.md", "hub"]


def test_a_missing_or_foreign_log_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("--data", str(tmp_path / "nowhere"), "--out", str(tmp_path / "a.md")) == 1
    assert "no hub log" in capsys.readouterr().err
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "hub.sqlite3").write_bytes(b"not a database at all" * 100)
    assert run("--data", str(foreign), "--out", str(tmp_path / "a.md")) == 1
    assert "cannot read the hub log" in capsys.readouterr().err
    empty = tmp_path / "empty"
    empty.mkdir()
    SqliteLog.in_data_dir(empty).close()
    assert run("--data", str(empty), "--out", str(tmp_path / "a.md")) == 1
    assert "no events yet" in capsys.readouterr().err
    assert not (tmp_path / "a.md").exists()


def test_handover_lists_what_the_next_officer_inherits(
    day_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    now = wib_now()
    book = tmp_path / "logbook.json"
    with Logbook.open(book) as logbook:
        logbook.append_decision(operator="Iptu Budi", action="acknowledge", subject="B",
                                at=now - timedelta(hours=2))  # fmt: skip
        logbook.append_handover(operator="Iptu Budi", to_operator="Ipda Sari",
                                at=now - timedelta(hours=1))  # fmt: skip
        logbook.append_decision(operator="Ipda Sari", action="escalate", subject="B",
                                note="massa bertambah", at=now - timedelta(minutes=5))  # fmt: skip
    outbox_file(day_dir).write_text(
        json.dumps(
            {
                "format": "pilkades-tui outbox",
                "version": 1,
                "commands": [
                    {"key": "k1", "method": "POST", "path": "/v1/incidents/B/actions",
                     "body": {"action": "escalate", "to": "polres"},
                     "created_at": now.isoformat(), "attempts": 2,
                     "last_error": "hub unreachable", "description": "eskalasi B ke Polres"},
                    {"key": "k2", "method": "DELETE", "path": "/etc", "body": {},
                     "created_at": "", "attempts": 0, "description": ""},
                ],
            }
        )
    )  # fmt: skip
    assert run("--data", str(day_dir), "--logbook", str(book), "--handover") == 0
    text = capsys.readouterr().out
    assert text.startswith("# Serah terima piket")
    open_section = text.split("## Kejadian yang masih terbuka")[1].split("##")[0]
    assert "| B | P2 |" in open_section and "| A |" not in open_section
    assert "Tidak ada." in text.split("## Satuan yang sedang bertugas di luar")[1].split("##")[0]
    queued = text.split("## Perintah yang masih antre")[1].split("##")[0]
    assert "eskalasi B ke Polres" in queued and "hub unreachable" in queued
    assert "not a hub command" in text  # the second, foreign entry is named, not hidden
    shift = text.split("## Keputusan shift ini")[1]
    assert "massa bertambah" in shift and "Ipda Sari" in shift
    assert "acknowledge" not in shift  # before the handover: the previous shift's


def test_progress_bar_draws_only_on_a_terminal() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen = Terminal()
    bar = ProgressBar("log", screen)
    bar(500, 1000)
    bar(1000, 1000)
    bar.done()
    assert "50%" in screen.getvalue() and "100%" in screen.getvalue()
    assert screen.getvalue().endswith("\r\x1b[2K")
    piped = io.StringIO()
    quiet = ProgressBar("log", piped)
    quiet(1000, 1000)
    quiet.done()
    assert piped.getvalue() == ""
