#!/usr/bin/env python3
"""Prove the dependency floors in pyproject.toml: install every direct dependency (and
test tool) at exactly its floor (`name>=X` becomes `name==X`; what they need in turn
resolves as pip likes) into a fresh virtual environment, then run the suite there.

    python3 .ci/check_floors.py [pytest arguments]

The snapshot tests are left out: their pictures are drawn by the Textual of
constraints.txt and change with Textual's look, not with what the project needs.
Exit status: pytest's, or 2 when a requirement has no floor or cannot be installed.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv-floors"
SNAPSHOT_TESTS = "tests/console/test_snapshots.py"
FLOOR = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*>=\s*([^,;\s]+)\s*$")


def floors(pyproject: Path) -> list[str]:
    """`name==floor` for every requirement of the project and of its test extra."""
    project = tomllib.loads(pyproject.read_text("utf-8"))["project"]
    requirements = [*project["dependencies"], *project["optional-dependencies"]["test"]]
    pins = []
    for requirement in requirements:
        matched = FLOOR.match(requirement)
        if matched is None:
            raise SystemExit(f"check_floors: {requirement!r} has no single `>=` floor")
        name, _extras, version = matched.groups()
        pins.append(f"{name}=={version}")
    return pins


def run(command: list[str], env: dict[str, str] | None = None) -> int:
    print("+", " ".join(command), flush=True)
    return subprocess.run(command, cwd=ROOT, env=env).returncode


def main(pytest_args: list[str]) -> int:
    pins = floors(ROOT / "pyproject.toml")
    if run([sys.executable, "-m", "venv", "--clear", str(VENV)]) != 0:
        return 2
    python = str(VENV / "bin" / "python")
    pinned = VENV / "floors.txt"
    pinned.write_text("\n".join(pins) + "\n", "utf-8")
    if run([python, "-m", "pip", "install", "-q", "-e", ".[test]", "-c", str(pinned)]) != 0:
        return 2
    run([python, "-m", "pip", "list", "--format=freeze", "--exclude-editable"])
    environment = {**os.environ, "VIRTUAL_ENV": str(VENV)}
    environment["PATH"] = f"{VENV / 'bin'}{os.pathsep}{environment.get('PATH', '')}"
    return run(
        [python, "-m", "pytest", "-p", "no:cacheprovider", "--ignore", SNAPSHOT_TESTS]
        + pytest_args,
        env=environment,
    )


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
