"""A drill stays a drill: a log served with --exercise gives a report marked as one."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from pilkades_tui import cli


def report(data: Path, out: Path, *extra: str) -> str:
    assert cli.main(["report", "--data", str(data), "--format", "md", "--out", str(out),
                     *extra]) == 0  # fmt: skip
    return out.read_text()


def post_incident(url: str, token: str, tps_id: str) -> None:
    answer = httpx.post(
        f"{url}/v1/incidents",
        headers={"Authorization": f"Bearer {token}", "Idempotency-Key": "drill-1"},
        json={"category": "crowd", "tps_id": tps_id, "description": "latihan",
              "reported_by": "Bhabinkamtibmas"},
    )  # fmt: skip
    assert answer.status_code == 201, answer.text


@pytest.mark.parametrize("exercise", [True, False])
def test_report_of_a_drill_log_says_drill(hub_factory, tmp_path: Path, exercise: bool) -> None:
    data = tmp_path / f"hub-{exercise}"
    hub = hub_factory(data_dir=data, exercise=exercise)
    assert hub.core is not None
    post_incident(hub.url, hub.tokens["reporter"], sorted(hub.core.state.tps)[0])
    from_file = report(data, tmp_path / "file.md")
    from_hub = report(data, tmp_path / "hub.md", "--hub", hub.url, "--token",
                      hub.tokens["viewer"])  # fmt: skip
    for text in (from_file, from_hub):
        assert ("LATIHAN" in text) is exercise


def test_the_indonesian_report_says_protocol_values_in_words(hub_factory, tmp_path: Path) -> None:
    data = tmp_path / "hub"
    hub = hub_factory(data_dir=data)
    assert hub.core is not None
    post_incident(hub.url, hub.tokens["reporter"], sorted(hub.core.state.tps)[0])
    text = report(data, tmp_path / "id.md", "--lang", "id")
    open_rows = [line for line in text.splitlines() if "INC-000001" in line]
    assert open_rows, text
    row = open_rows[0]
    assert "| baru |" in row and "| Polsek |" in row and "kerumunan massa" in row
    assert "| new |" not in text and "| none |" not in text
    # Reports are counted by verification: the new one has not been checked yet.
    assert "| belum dicek | 1 |" in text
