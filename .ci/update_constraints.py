#!/usr/bin/env python3
"""Write constraints.txt: the exact versions the tests run on (the README's run-tests
command installs with `-c constraints.txt`), so a new release of a dependency, say
Textual redrawing the snapshot tests, cannot break the suite without a change here.

It freezes the environment it runs in, minus the project itself. To move to newer
releases on purpose:

    python3 -m venv /tmp/fresh && . /tmp/fresh/bin/activate
    pip install -e ".[test]"             # the newest releases the floors allow
    python .ci/update_constraints.py     # then run the suite, update snapshots if needed
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADER = """\
# The versions the tests run on: `pip install -e ".[test]" -c constraints.txt`.
# Written by .ci/update_constraints.py from a working environment; the floors the
# project accepts are in pyproject.toml (checked by .ci/check_floors.py).
"""


def frozen() -> list[str]:
    output = subprocess.run(
        [sys.executable, "-m", "pip", "freeze", "--exclude-editable"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return sorted(
        (line for line in output.splitlines() if line and not line.startswith("#")),
        key=str.lower,
    )


def main() -> int:
    pins = [line for line in frozen() if not line.lower().startswith("pilkades-tui")]
    if not pins:
        print(
            "update_constraints: nothing installed here; activate the venv first", file=sys.stderr
        )
        return 2
    (ROOT / "constraints.txt").write_text(HEADER + "\n".join(pins) + "\n", "utf-8")
    print(f"constraints.txt: {len(pins)} pins")
    return 0


if __name__ == "__main__":
    sys.exit(main())
