"""The Anev report counts incidents by the channel they came in on."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from pilkades_tui.cli import main
from pilkades_tui.report.figures import DayFigures
from tests.report.report_day import INITIAL, Day, morning


def channelled_morning() -> Day:
    """The hand-built morning (A, B, C with no channel) plus three reports that say how
    they came in: two from the field page, one by phone."""
    day = morning()
    for incident_id, clock, channel in (
        ("D", "08:30", "field_page"),
        ("E", "08:35", "phone"),
        ("F", "08:40", "field_page"),
    ):
        day.report(incident_id, clock, category="crowd", priority=3, tps_id="T4",
                   district="Kajen", village="Kajen", channel=channel)  # fmt: skip
    return day


def test_by_channel_counts_each_channel_and_the_unrecorded() -> None:
    data = DayFigures(INITIAL).feed_all(channelled_morning().events).result()
    assert data.by_channel == [("unknown", 3), ("field_page", 2), ("phone", 1)]


def test_the_channel_table_reads_in_words_in_both_languages(tmp_path: Path) -> None:
    data_dir = tmp_path / "hub"
    channelled_morning().write_log(data_dir)
    out = tmp_path / "csv"
    assert main(["report", "--data", str(data_dir), "--format", "csv", "--out", str(out)]) == 0
    rows = list(csv.reader(io.StringIO((out / "incidents_by_channel.csv").read_text("utf-8-sig"))))
    assert rows == [
        ["Saluran laporan", "Jumlah"],
        ["tidak tercatat", "3"],
        ["lapor lapangan", "2"],
        ["telepon", "1"],
    ]
    english = tmp_path / "anev.md"
    args = ["report", "--data", str(data_dir), "--lang", "en", "--out", str(english)]
    assert main(args) == 0
    text = english.read_text("utf-8")
    assert "| Reporting channel | Count |" in text
    assert "| field page | 2 |" in text and "| not recorded | 3 |" in text
