"""`pilkades-tui console`."""

from __future__ import annotations

import argparse
import os
import sys

from pilkades_tui.console.canvas import default_charset
from pilkades_tui.console.config import ConfigError, ConsoleConfig, resolve
from pilkades_tui.logbook import LogbookError
from pilkades_tui.settings_file import SettingsError, load_settings


def config_from_args(args: argparse.Namespace) -> ConsoleConfig:
    """The console's settings: the options given on the command line (None: not given)
    first, then the environment, the config file and the defaults."""
    return resolve(
        hub=args.hub,
        token=args.token,
        operator=args.operator,
        data=args.data,
        theme=args.theme,
        lang=args.lang,
        layout=args.layout,
    )


def run_console(args: argparse.Namespace) -> int:
    try:
        config = config_from_args(args)
        settings = load_settings(args.settings)
    except (ConfigError, SettingsError) as error:
        for problem in str(error).splitlines():
            print(f"pilkades-tui console: {problem}", file=sys.stderr)
        return 2
    from pilkades_tui.console.app import PilkadesApp  # Textual only when the console runs

    try:
        app = PilkadesApp(
            hub_url=config.hub,
            token=config.token,
            operator=config.operator,
            data_dir=config.data_dir,
            theme=config.theme,
            lang=config.lang,
            layout=config.layout,
            braille=default_charset(os.environ.get("TERM")) == "braille",
            settings=settings,
        )
    except LogbookError as error:
        print(f"pilkades-tui console: {error}", file=sys.stderr)
        return 1
    app.run()
    return 0
