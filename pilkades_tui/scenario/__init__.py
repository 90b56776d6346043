"""Scenarios that seed an empty hub: the packaged `pekalongan` day, a scenario folder
(spreadsheets and boundaries, see docs/data.md), or a JSON file shaped like a snapshot."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from pilkades_tui.domain.models import Officer, Phase, Tps
from pilkades_tui.scenario import pekalongan
from pilkades_tui.scenario.folder import Problem, ScenarioProblems, read_folder
from pilkades_tui.scenario.i18n import SCENARIO_MESSAGES, SCENARIO_PREFIX, Words
from pilkades_tui.scenario.pekalongan import Scenario

DEFAULT_SEED = 2022

# A ScenarioError carries `problems`: every reason, each with its file and place.
ScenarioError = ScenarioProblems

__all__ = ["DEFAULT_SEED", "Scenario", "ScenarioError", "load_scenario"]


class ScenarioFile(BaseModel):
    """The JSON scenario file: the parts of a snapshot that seed a hub."""

    model_config = ConfigDict(extra="ignore")

    phase: Phase | None = None
    tps: list[Tps] = Field(default_factory=list)
    officers: list[Officer] = Field(default_factory=list)


class Reason:
    """Why pydantic refused a value, said in the officer's language when the catalogue
    knows the error type (else in pydantic's English)."""

    def __init__(self, kind: str, message: str, context: dict[str, object] | None) -> None:
        self.kind = kind
        self.message = message
        self.context = context or {}

    def __format__(self, spec: str) -> str:
        return self.message

    def said(self, words: Words) -> str:
        key = f"reason.{self.kind}"
        if f"{SCENARIO_PREFIX}{key}" not in SCENARIO_MESSAGES:
            return self.message
        try:
            return words(key, **self.context)
        except (KeyError, IndexError):
            return self.message


def _record_name(raw: object, location: tuple[int | str, ...]) -> tuple[str, str]:
    """('tps[3] (id KJN-01)', 'lat') from a pydantic error location."""
    if len(location) >= 2 and isinstance(location[1], int):
        part, index = str(location[0]), location[1]
        record = f"{part}[{index}]"
        items = raw.get(part) if isinstance(raw, dict) else None
        item = items[index] if isinstance(items, list) and index < len(items) else None
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            record += f" (id {item['id']})"
        return record, ".".join(str(step) for step in location[2:]) or "-"
    return str(location[0]) if location else "-", ".".join(str(s) for s in location[1:]) or "-"


def read_json_scenario(path: Path, at: datetime, seed: int) -> Scenario:
    try:
        raw = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise ScenarioProblems(
            [Problem("json.unreadable", params={"file": str(path), "error": reason})]
        ) from None
    if not isinstance(raw, dict):
        raise ScenarioProblems([Problem("json.not_object", params={"file": str(path)})])
    try:
        parsed = ScenarioFile.model_validate(raw)
    except ValidationError as error:
        problems = []
        for item in error.errors():
            record, where = _record_name(raw, tuple(item.get("loc", ())))
            problems.append(
                Problem(
                    "json.record",
                    params={
                        "file": str(path),
                        "place": record if where == "-" else f"{record} → {where}",
                        "reason": Reason(item["type"], str(item.get("msg", "")), item.get("ctx")),
                    },
                )
            )
        raise ScenarioProblems(problems) from None
    phase = parsed.phase or Phase(since=at, updated_at=at)
    return Scenario(
        name=path.stem,
        seed=seed,
        phase=phase,
        tps=tuple(parsed.tps),
        officers=tuple(parsed.officers),
        electing=(),
    )


def load_scenario(spec: str, at: datetime, seed: int = DEFAULT_SEED) -> Scenario | None:
    """`pekalongan`, `none`, a scenario folder, or the path of a JSON file shaped like a
    snapshot (`phase`, `tps`, `officers`; incidents are not seeded). Raises
    ScenarioError with every problem found."""
    if spec == "none":
        return None
    if spec == "pekalongan":
        return pekalongan.build(seed, at)
    path = Path(spec)
    if path.is_dir():
        return read_folder(path, at)
    if not path.is_file():
        raise ScenarioProblems([Problem("json.unknown_spec", params={"spec": spec})])
    return read_json_scenario(path, at, seed)
