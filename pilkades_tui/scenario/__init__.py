"""Scenarios that seed an empty hub: the packaged `pekalongan` day, or a JSON file."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from pydantic import ValidationError

from pilkades_tui.domain.events import ProtocolError
from pilkades_tui.domain.models import Officer, Phase, Tps
from pilkades_tui.scenario import pekalongan
from pilkades_tui.scenario.pekalongan import Scenario

DEFAULT_SEED = 2022


class ScenarioError(ValueError):
    pass


def load_scenario(spec: str, at: datetime, seed: int = DEFAULT_SEED) -> Scenario | None:
    """`pekalongan`, `none`, or the path of a JSON file shaped like a snapshot
    (`phase`, `tps`, `officers`; incidents are not seeded)."""
    if spec == "none":
        return None
    if spec == "pekalongan":
        return pekalongan.build(seed, at)
    path = Path(spec)
    try:
        raw = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise ScenarioError(
            f"scenario {spec!r} is neither 'pekalongan', 'none' nor an existing file"
        ) from None
    except (OSError, ValueError) as error:
        raise ScenarioError(f"cannot read scenario file {path}: {error}") from None
    if not isinstance(raw, dict):
        raise ScenarioError(f"scenario file {path}: expected a JSON object")
    try:
        phase_raw = raw.get("phase") or {"since": at.isoformat(), "updated_at": at.isoformat()}
        phase = Phase.model_validate(phase_raw)
        tps = tuple(Tps.model_validate(item) for item in raw.get("tps", []))
        officers = tuple(Officer.model_validate(item) for item in raw.get("officers", []))
    except ValidationError as error:
        raise ScenarioError(
            f"scenario file {path}: {ProtocolError.from_validation(error)}"
        ) from None
    return Scenario(name=path.stem, seed=seed, phase=phase, tps=tps, officers=officers, electing=())
