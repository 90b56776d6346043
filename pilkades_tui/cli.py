"""The `pilkades-tui` command: parse arguments, hand over to the part that does the work.

Each subcommand names the function that runs it as "module:function"; the module is
imported only when that subcommand runs, so `pilkades-tui token list` does not pay
for importing Textual.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from pilkades_tui import __version__
from pilkades_tui.console.layouts import CHOICES as LAYOUT_CHOICES

EXIT_NOT_BUILT = 2

ROLES = ("viewer", "reporter", "dispatcher", "admin")


def _add_data(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data",
        type=Path,
        default=None,
        help="folder for the hub log, tokens and logbook (default: the user data folder)",
    )


def _add_store(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument(
        "--store",
        default=None,
        metavar="DSN",
        help=f"postgresql://USER@HOST/DB: {what} in PostgreSQL, shared by several hubs "
        "(default: PILKADES_STORE, else the SQLite file in --data)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pilkades-tui",
        description="Live command center for securing Pilkades serentak.",
    )
    parser.add_argument("--version", action="version", version=f"pilkades-tui {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    hub = commands.add_parser("hub", help="run the hub: HTTP + WebSocket feed on one port")
    hub.add_argument("--host", default="127.0.0.1")
    hub.add_argument("--port", type=int, default=8765)
    _add_data(hub)
    hub.add_argument(
        "--scenario",
        default="pekalongan",
        help="pekalongan, none, a scenario folder (docs/data.md) or a JSON file; "
        "seeds an empty log only",
    )
    hub.add_argument("--lang", choices=("id", "en"), default="id", help="language of messages")
    hub.add_argument("--seed", type=int, default=2022, help="scenario seed")
    hub.add_argument("--tls-cert", type=Path, default=None)
    hub.add_argument("--tls-key", type=Path, default=None)
    hub.add_argument("--exercise", action="store_true", help="run as a drill (mode: exercise)")
    hub.add_argument(
        "--report-rate",
        type=float,
        default=100.0,
        help="sustained reports per second per token (burst 3x); 0 switches the limit off",
    )
    hub.add_argument("--settings", type=Path, default=None, help="rule settings file (TOML)")
    _add_store(hub, "the event log and tokens")
    hub.set_defaults(run="pilkades_tui.hub.cli:run_hub")
    hub_actions = hub.add_subparsers(dest="hub_action", metavar="ACTION")
    migrate = hub_actions.add_parser(
        "migrate", help="copy a SQLite hub log (events, idempotency, tokens) into an empty store"
    )
    migrate.add_argument(
        "--from-data", type=Path, required=True, metavar="DIR", help="the data folder to copy"
    )
    _add_store(migrate, "the empty store to fill")
    migrate.set_defaults(run="pilkades_tui.hub.cli:run_migrate")

    scenario = commands.add_parser(
        "scenario", help="a real election's files: template, check, export (docs/data.md)"
    )
    scenario_commands = scenario.add_subparsers(
        dest="scenario_command", metavar="ACTION", required=True
    )
    template = scenario_commands.add_parser("template", help="write the files to fill")
    template.add_argument("--out", type=Path, required=True)
    template.add_argument("--format", choices=("xlsx", "csv"), default="xlsx")
    check = scenario_commands.add_parser("check", help="list every problem of a folder")
    check.add_argument("folder", type=Path)
    export = scenario_commands.add_parser("export", help="write a packaged scenario as a folder")
    export.add_argument("name", help="pekalongan")
    export.add_argument("--out", type=Path, required=True)
    export.add_argument("--format", choices=("xlsx", "csv"), default="csv")
    export.add_argument("--seed", type=int, default=None, help="scenario seed (2022)")
    for action in (template, check, export):
        action.add_argument("--lang", choices=("id", "en"), default="id")
    scenario.set_defaults(run="pilkades_tui.scenario.cli:run_scenario")

    token = commands.add_parser("token", help="issue, list and revoke hub tokens")
    token_commands = token.add_subparsers(dest="token_command", metavar="ACTION", required=True)
    token_add = token_commands.add_parser("add", help="issue a token (printed once, last line)")
    token_add.add_argument("name")
    token_add.add_argument("--role", choices=ROLES, required=True)
    token_add.add_argument(
        "--qr",
        action="store_true",
        help="also print the field page's sign-in link and its QR code (reporter tokens)",
    )
    token_add.add_argument(
        "--hub-url",
        default="http://127.0.0.1:8765",
        help="the hub's address as the phones reach it, for the --qr link",
    )
    _add_data(token_add)
    _add_store(token_add, "tokens")
    token_list = token_commands.add_parser("list", help="names and roles, never tokens")
    _add_data(token_list)
    _add_store(token_list, "tokens")
    token_revoke = token_commands.add_parser("revoke", help="revoke a token by name")
    token_revoke.add_argument("name")
    _add_data(token_revoke)
    _add_store(token_revoke, "tokens")
    token.set_defaults(run="pilkades_tui.hub.cli:run_token")

    console = commands.add_parser("console", help="the duty officer's live console")
    # Every console option defaults to None, "not given": the environment and the
    # config file may then say, and only after them the default (console/config.py).
    console.add_argument(
        "--hub",
        default=None,
        help="hub URL, or several of one shared store separated by commas (URL1,URL2): "
        "the next is followed when one is lost (or PILKADES_HUB; default "
        "http://127.0.0.1:8765)",
    )
    console.add_argument("--token", default=None, help="or PILKADES_TOKEN, or the config file")
    console.add_argument("--operator", default=None, help="your name, as the logbook records it")
    _add_data(console)
    console.add_argument("--theme", default=None)
    console.add_argument("--lang", choices=("id", "en"), default=None)
    console.add_argument(
        "--layout", choices=LAYOUT_CHOICES, default=None, help="panes on screen (default auto)"
    )
    console.add_argument("--settings", type=Path, default=None, help="rule settings file (TOML)")
    console.set_defaults(run="pilkades_tui.console.cli:run_console")

    demo = commands.add_parser("demo", help="hub + simulated election day + console, on loopback")
    demo.add_argument(
        "--data",
        type=Path,
        default=None,
        help="keep the hub log and logbook here (default: a new temporary folder)",
    )
    demo.add_argument(
        "--speed", type=float, default=20.0, help="simulated seconds per real second (20)"
    )
    demo.add_argument("--seed", type=int, default=2022)
    demo.add_argument("--operator", default="Perwira Piket")
    demo.add_argument("--theme", default=None)
    demo.add_argument("--lang", choices=("id", "en"), default=None)
    demo.add_argument("--layout", choices=LAYOUT_CHOICES, default="auto")
    demo.add_argument("--exercise", action="store_true", help="run the demo as a drill")
    demo.add_argument("--settings", type=Path, default=None, help="rule settings file (TOML)")
    demo.set_defaults(run="pilkades_tui.demo:run_demo")

    simulate = commands.add_parser("simulate", help="play an election day against a hub")
    simulate.add_argument("--hub", default="http://127.0.0.1:8765")
    simulate.add_argument("--token", required=True, help="an admin token")
    simulate.add_argument("--speed", type=float, default=60.0)
    simulate.add_argument("--seed", type=int, default=2022)
    simulate.add_argument(
        "--start", default=None, help="simulated WIB time to start at, e.g. 06:45"
    )
    simulate.add_argument(
        "--until",
        choices=("preparation", "voting", "counting", "recap", "done"),
        default=None,
        help="stop once the kabupaten reaches this phase (default: play the whole day)",
    )
    simulate.add_argument(
        "--field-page",
        type=float,
        default=0.0,
        metavar="SHARE",
        help="share (0-1) of the Bhabinkamtibmas' reports sent from the field page (/lapor)",
    )
    simulate.set_defaults(run="pilkades_tui.sim.cli:run_simulate")

    report = commands.add_parser("report", help="Anev report and shift handover")
    _add_data(report)
    _add_store(report, "the hub log read")
    report.add_argument("--logbook", type=Path, action="append", default=[])
    report.add_argument("--from", dest="start", default=None)
    report.add_argument("--to", dest="end", default=None)
    report.add_argument("--format", choices=("html", "md", "csv"), default="md")
    report.add_argument("--out", type=Path, default=None)
    report.add_argument("--hub", default=None)
    report.add_argument("--token", default=None)
    report.add_argument("--handover", action="store_true")
    report.add_argument("--lang", choices=("id", "en"), default="id")
    report.add_argument(
        "--settings", type=Path, default=None, help="rule settings file (TOML), as the hub's"
    )
    report.set_defaults(run="pilkades_tui.report.cli:run_report")

    logbook = commands.add_parser("logbook", help="show, verify or export a console logbook")
    logbook.add_argument("action", choices=("show", "verify", "export"))
    _add_data(logbook)
    logbook.add_argument("--format", choices=("json", "csv"), default="json")
    logbook.add_argument("--out", type=Path, default=None, help="export to this file")
    logbook.add_argument(
        "--file", type=Path, default=None, help="a logbook file (instead of the one in --data)"
    )
    logbook.set_defaults(run="pilkades_tui.logbook.cli:run_logbook")
    return parser


def _resolve(target: str) -> Callable[[argparse.Namespace], int] | None:
    module_name, _, function_name = target.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        if error.name == module_name:
            return None
        raise
    return getattr(module, function_name, None)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    runner = _resolve(args.run)
    if runner is None:
        print(f"pilkades-tui {args.command}: not built yet in this version.", file=sys.stderr)
        return EXIT_NOT_BUILT
    return runner(args)


if __name__ == "__main__":
    raise SystemExit(main())
