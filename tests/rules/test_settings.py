"""Rule settings: defaults, the documented example file, and bad files rejected."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from pilkades_tui.domain.models import Category, Risk
from pilkades_tui.domain.rules import DEFAULT_SETTINGS, RuleSettings, TimerKind, priority_for
from pilkades_tui.domain.rules.settings import PrioritySettings
from pilkades_tui.settings_file import SettingsError, load_settings, parse_settings

DOCS = Path(__file__).resolve().parents[2] / "docs"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "settings.toml"
    path.write_text(text, "utf-8")
    return path


def test_documented_example_file_is_exactly_the_defaults() -> None:
    assert load_settings(DOCS / "settings.example.toml") == DEFAULT_SETTINGS


def test_defaults_named_in_the_issue() -> None:
    s = DEFAULT_SETTINGS
    assert (s.spread.min_incidents, s.spread.radius_km, s.spread.window_minutes) == (3, 3.0, 30)
    assert s.checkpoints.voting_open == dt.time(7, 0)
    assert s.targets.p1.minutes == 15 and s.targets.p1.rural_minutes == 20
    assert s.targets.p2.minutes == 60 and s.targets.p3.within == "shift"
    assert s.targets.p4.within == "none"
    assert s.staffing.pattern(Risk.HIGH).per_one_tps == 2.0
    assert s.staffing.pattern(Risk.LOW).per_one_tps == pytest.approx(0.4)


def test_a_file_names_only_what_it_changes(tmp_path: Path) -> None:
    settings = load_settings(
        write(
            tmp_path,
            """
            [spread]
            radius_km = 5
            [timers.p1]
            not_moving = "off"
            [targets.p1]
            within = "none"
            [checkpoints]
            voting_open = 07:15:00
            """,
        )
    )
    assert settings.spread.radius_km == 5.0
    assert settings.spread.window_minutes == 30  # kept
    assert settings.timers.p1.stages(TimerKind.NOT_MOVING) is None
    assert settings.timers.p1.stages(TimerKind.UNACKNOWLEDGED) is not None  # kept
    assert settings.targets.p1.within == "none"
    assert settings.checkpoints.voting_open == dt.time(7, 15)


def test_no_file_means_the_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("pilkades_tui.settings_file.config_dir", lambda: tmp_path)
    assert load_settings() == DEFAULT_SETTINGS
    write(tmp_path, "[spread]\nmin_incidents = 4\n")
    assert load_settings().spread.min_incidents == 4


@pytest.mark.parametrize(
    ("text", "key", "says"),
    [
        ("[spread]\nradius = 3\n", "spread.radius", "unknown setting"),
        ("colour = 'red'\n", "colour", "unknown setting"),
        ("[spread]\nradius_km = -1\n", "spread.radius_km", "greater than 0"),
        ("[checkpoints]\nvoting_open = 06:00:00\n", "checkpoints", "voting_open (06:00)"),
        ("[checkpoints]\nbox_returned = '12:00'\n", "checkpoints", "box_returned"),
        (
            "[timers.p2]\nunacknowledged = {warning = 10, alarm = 5}\n",
            "timers.p2.unacknowledged",
            "alarm",
        ),
        ("[timers.p2]\nno_contact = 'of'\n", "timers.p2.no_contact", "'off'"),
        ("[targets]\nshift_changes = [19:00:00, 07:00:00]\n", "targets", "increasing"),
        ("[staffing.high]\nofficers = -2\n", "staffing.high.officers", "greater than or"),
        ("[priority.categories]\nrumour = 2\n", "priority.categories.rumour", "crowd"),
        ("spread = 5\n", "spread", "Input should be a table ([section] or { key = value })"),
        ("[timers]\np1 = 'off'\n", "timers.p1", "Input should be a table"),
        ("[staffing]\nalert_risks = ['extreme']\n", "staffing.alert_risks[0]", "'high'"),
    ],
)
def test_bad_settings_name_the_file_and_the_key(
    tmp_path: Path, text: str, key: str, says: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(SettingsError) as caught:
        load_settings(path)
    assert caught.value.path == path
    assert caught.value.key == key
    assert says in caught.value.message
    assert str(path) in str(caught.value) and key in str(caught.value)
    assert "instance of" not in caught.value.message  # no Python class names


def test_broken_toml_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="not valid TOML.*line 1"):
        parse_settings("[spread\n", tmp_path / "x.toml")
    with pytest.raises(SettingsError, match="cannot read"):
        load_settings(tmp_path / "absent.toml")


def test_priority_overrides_extend_the_built_in_table() -> None:
    plain = PrioritySettings()
    assert priority_for(Category.CROWD, Risk.LOW, plain) == 2
    assert priority_for(Category.CROWD, Risk.HIGH, plain) == 1
    assert priority_for(Category.HOAX, None, plain) == 3
    hoax_low = PrioritySettings(categories={Category.HOAX: 4})
    assert priority_for(Category.HOAX, Risk.MEDIUM, hoax_low) == 4
    assert priority_for(Category.HOAX, Risk.HIGH, hoax_low) == 3
    assert priority_for(Category.CROWD, Risk.HIGH, hoax_low) == 1  # untouched entry
    flat = PrioritySettings(raise_at_high_risk=False)
    assert priority_for(Category.CROWD, Risk.HIGH, flat) == 2


def test_settings_are_frozen() -> None:
    with pytest.raises(ValueError):
        RuleSettings().spread.radius_km = 1.0  # type: ignore[misc]
