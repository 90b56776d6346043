"""The README's pictures are the console as it is: made again here, they must come out
byte for byte as committed (`python -m pilkades_tui.console.screenshots docs/images`
makes them after a change of the console's look)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pilkades_tui.console.screenshots import SHOTS, demo_state, take_all
from pilkades_tui.demo import OPENING_REPORTS

pytestmark = pytest.mark.timeout(120)

IMAGES = Path(__file__).resolve().parents[2] / "docs" / "images"
README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_demo_morning_is_busy_and_the_same_every_time() -> None:
    state, now = demo_state()
    again, then = demo_state()
    assert now == then
    assert again.snapshot().model_dump() == state.snapshot().model_dump()
    assert len(state.incidents) >= OPENING_REPORTS
    assert any(incident.officer_ids for incident in state.incidents.values())  # a unit sent
    assert all(tps.last_report_at is not None for tps in state.tps.values())


async def test_the_committed_pictures_are_current(tmp_path: Path) -> None:
    made = await take_all(tmp_path)
    assert [path.name for path in made] == [f"{shot.name}.svg" for shot in SHOTS]
    for path in made:
        committed = IMAGES / path.name
        assert committed.exists(), f"{committed} is missing: run the screenshots script"
        assert path.read_bytes() == committed.read_bytes(), (
            f"{path.name} differs from docs/images: the console's look changed; run "
            "`python -m pilkades_tui.console.screenshots docs/images` and look at it"
        )


def test_the_readme_opens_with_the_pictures_after_the_commands() -> None:
    lines = README.read_text(encoding="utf-8").splitlines()
    tests_command = lines.index("# run-tests") + 1
    pictures = [n for n, line in enumerate(lines) if "docs/images/" in line]
    assert pictures and min(pictures) > tests_command
    for shot in SHOTS:
        assert any(f"docs/images/{shot.name}.svg" in lines[n] for n in pictures), shot.name
