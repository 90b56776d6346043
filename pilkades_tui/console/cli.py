"""`pilkades-tui console`."""

from __future__ import annotations

import argparse
import os
import sys

from pilkades_tui.console.canvas import default_charset
from pilkades_tui.console.config import ConfigError, resolve
from pilkades_tui.logbook import LogbookError
from pilkades_tui.settings_file import SettingsError, load_settings


def run_console(args: argparse.Namespace) -> int:
    try:
        config = resolve(
            hub=args.hub if args.hub != "http://127.0.0.1:8765" else None,
            token=args.token,
            operator=args.operator,
            data=args.data,
            theme=args.theme,
            lang=args.lang,
        )
        settings = load_settings(args.settings)
    except (ConfigError, SettingsError) as error:
        print(f"pilkades-tui console: {error}", file=sys.stderr)
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
            braille=default_charset(os.environ.get("TERM")) == "braille",
            settings=settings,
        )
    except LogbookError as error:
        print(f"pilkades-tui console: {error}", file=sys.stderr)
        return 1
    app.run()
    return 0
