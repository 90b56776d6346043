"""`pilkades-tui scenario template|check|export`: the files a real election is made of."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pilkades_tui.domain.clock import wib_now
from pilkades_tui.scenario.export import (
    ExportError,
    scenario_rows,
    template_rows,
    write_folder,
)
from pilkades_tui.scenario.folder import Problem, check_folder
from pilkades_tui.scenario.geography import packaged, packaged_text
from pilkades_tui.scenario.i18n import Words

EXIT_BAD_INPUT = 2
PACKAGED = ("pekalongan",)


def print_problems(problems: list[Problem], words: Words, heading: str | None = None) -> None:
    """Every problem on its own line on stderr, then how many: the officer fixes them
    all in one pass."""
    if heading:
        print(heading, file=sys.stderr)
    for problem in problems:
        print(f"- {problem.describe(words)}", file=sys.stderr)
    print(words("summary.problems", count=len(problems)), file=sys.stderr)


def run_scenario(args: argparse.Namespace) -> int:
    words = Words(args.lang)
    try:
        if args.scenario_command == "template":
            geography = packaged()
            written = write_folder(
                args.out, args.format, template_rows(geography), packaged_text(), with_help=True
            )
        elif args.scenario_command == "export":
            if args.name not in PACKAGED:
                print(words("export.unknown", name=args.name), file=sys.stderr)
                return EXIT_BAD_INPUT
            from pilkades_tui.scenario import DEFAULT_SEED
            from pilkades_tui.scenario.pekalongan import build

            geography = packaged()
            scenario = build(args.seed if args.seed is not None else DEFAULT_SEED, wib_now())
            written = write_folder(
                args.out,
                args.format,
                scenario_rows(scenario, geography),
                packaged_text(),
                with_help=False,
            )
        else:
            return _check(args.folder, words)
    except ExportError as error:
        print(words(error.key, **error.params), file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as error:
        print(words("sheet.unreadable", error=error.strerror or error), file=sys.stderr)
        return EXIT_BAD_INPUT
    print(words("template.written", files=", ".join(str(path) for path in written)))
    return 0


def _check(folder: Path, words: Words) -> int:
    scenario, problems = check_folder(folder, wib_now())
    if scenario is None:
        print_problems(problems, words)
        return EXIT_BAD_INPUT
    geography = scenario.geography
    assert geography is not None
    print(
        words(
            "summary.ok",
            folder=folder,
            tps=len(scenario.tps),
            villages=len(scenario.electing),
            officers=len(scenario.officers),
            regencies=len(geography.regencies),
        )
    )
    return 0
