"""`pilkades-tui report`: the Anev report, or with --handover the shift handover.

Exit status: 0 written; 1 bad input (missing or unreadable log or logbook, empty
period, period the wrong way round, unreachable hub); 3 written, but a logbook's
chain is broken (the report says so at its top). Nothing is written on failure.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from pathlib import Path

from pilkades_tui.domain.clock import wib_now
from pilkades_tui.domain.models import Snapshot
from pilkades_tui.domain.state import ElectionState
from pilkades_tui.hub.log import EventLogReader, LogError
from pilkades_tui.i18n import Catalogue
from pilkades_tui.logbook import Entry, LogbookError, fold, read_records
from pilkades_tui.paths import default_data_dir, hub_log_file, logbook_file, outbox_file
from pilkades_tui.report.document import Document, build_report
from pilkades_tui.report.figures import DayFigures, ReportData, ReportError, TimeSpec, check_order
from pilkades_tui.report.logbooks import read_logbooks
from pilkades_tui.report.source import FileSource, ProgressBar, replay_hub
from pilkades_tui.report.writers import (
    to_csv_tables,
    to_html,
    to_markdown,
    write_file,
    write_folder,
)
from pilkades_tui.settings_file import SettingsError, load_settings

EXIT_BAD_INPUT = 1
EXIT_BROKEN_CHAIN = 3


def _specs(args: argparse.Namespace) -> tuple[TimeSpec | None, TimeSpec | None]:
    start = TimeSpec.parse(args.start, "--from") if args.start else None
    end = TimeSpec.parse(args.end, "--to") if args.end else None
    if start is not None and end is not None:
        if start.moment is not None and end.moment is not None:
            check_order(start.moment, end.moment)
        elif start.clock is not None and end.clock is not None and start.clock >= end.clock:
            raise ReportError(
                f"the period is the wrong way round: --from {args.start} is not before "
                f"--to {args.end}"
            )
    return start, end


def collect(args: argparse.Namespace, data_dir: Path) -> ReportData:
    """Read the logbooks (first: a missing one fails before the long read), then stream
    the hub's events through the figures."""
    start, end = _specs(args)
    logbooks = read_logbooks(list(args.logbook))
    try:
        settings = load_settings(getattr(args, "settings", None))
    except SettingsError as error:
        raise ReportError(str(error)) from error
    progress = ProgressBar("log")
    try:
        if args.hub:
            if not args.token:
                raise ReportError("--hub needs --token (a viewer token is enough)")
            figures = DayFigures(start=start, end=end, settings=settings)
            replay = replay_hub(args.hub, args.token, figures.feed, progress)
            if replay.phase is not None:
                figures.assume_phase(replay.phase)
            exercise = replay.exercise
        else:
            source = FileSource(data_dir)
            try:
                figures = DayFigures(source.initial_phase, start=start, end=end, settings=settings)
                figures.feed_all(source.events(progress))
                exercise = source.exercise
            finally:
                source.close()
    finally:
        progress.done()
    data = figures.result(logbooks)
    data.drill = exercise or any(d.drill for book in logbooks for d in book.decisions)
    return data


def render(document: Document, fmt: str, out: Path | None) -> None:
    if fmt == "csv":
        if out is None:
            raise ReportError("--format csv writes one file per table: give --out FOLDER")
        write_folder(out, to_csv_tables(document))
        return
    text = to_html(document) if fmt == "html" else to_markdown(document)
    if out is None:
        sys.stdout.write(text)
    else:
        write_file(out, text)


def run_report(args: argparse.Namespace) -> int:
    data_dir: Path = args.data or default_data_dir()
    words = Catalogue(args.lang)
    try:
        if args.handover:
            return _run_handover(args, data_dir, words)
        data = collect(args, data_dir)
        render(build_report(data, words, wib_now()), args.format, args.out)
    except ReportError as error:
        print(f"pilkades-tui report: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as error:
        print(f"pilkades-tui report: cannot write {args.out}: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.out is not None:
        print(f"report written to {args.out}", file=sys.stderr)
    if data.broken_logbooks:
        for book in data.broken_logbooks:
            print(
                f"pilkades-tui report: LOGBOOK CHAIN BROKEN: {book.path} at record "
                f"{book.first_broken}: {book.reason}",
                file=sys.stderr,
            )
        return EXIT_BROKEN_CHAIN
    return 0


def _run_handover(args: argparse.Namespace, data_dir: Path, words: Catalogue) -> int:
    from pilkades_tui.report.handover import build_handover, handover_summary, read_outbox

    now = wib_now()
    paths = list(args.logbook) or [p for p in (logbook_file(data_dir),) if p.is_file()]
    books = read_logbooks(paths)
    problems = [
        words("broken.line", path=b.path, first=b.first_broken, records=b.records, reason=b.reason)
        for b in books
        if not b.intact
    ]
    entries = sorted((e for path in paths for e in read_entries(path)), key=lambda e: e.at)
    state = current_state(args, data_dir)
    queued, outbox_problem = read_outbox(outbox_file(data_dir))
    if outbox_problem:
        problems.append(words("outbox.unreadable", error=outbox_problem))
    start = TimeSpec.parse(args.start, "--from").on(now.date()) if args.start else None
    handover = handover_summary(state, entries, queued, now, shift_start=start, problems=problems)
    render(build_handover(handover, words), args.format, args.out)
    return EXIT_BROKEN_CHAIN if any(not b.intact for b in books) else 0


def read_entries(path: Path) -> list[Entry]:
    try:
        return fold(read_records(path))
    except (LogbookError, OSError, KeyError, TypeError, ValueError) as error:
        raise ReportError(f"cannot read the logbook {path}: {error}") from None


def current_state(args: argparse.Namespace, data_dir: Path) -> ElectionState:
    """The state now: the hub's snapshot with --hub, else the data folder's log replayed."""
    if args.hub:
        import httpx  # only here: the report over a file does not pay for importing it

        if not args.token:
            raise ReportError("--hub needs --token (a viewer token is enough)")
        try:
            answer = httpx.get(
                args.hub.rstrip("/") + "/v1/snapshot",
                headers={"Authorization": f"Bearer {args.token}"},
                timeout=10.0,
            )
        except httpx.HTTPError as error:
            raise ReportError(f"cannot reach the hub at {args.hub}: {error}") from None
        if answer.status_code != 200:
            raise ReportError(f"the hub at {args.hub} answered {answer.status_code}")
        try:
            return ElectionState.from_snapshot(Snapshot.model_validate_json(answer.content))
        except ValueError as error:
            raise ReportError(f"the hub's snapshot is unreadable: {error}") from None
    if not hub_log_file(data_dir).is_file():
        raise ReportError(f"no hub log at {hub_log_file(data_dir)}")
    try:
        with EventLogReader(data_dir) as reader:
            return reader.replay()
    except (LogError, sqlite3.Error) as error:
        raise ReportError(f"cannot read the hub log in {data_dir}: {error}") from None
