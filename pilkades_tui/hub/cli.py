"""`pilkades-tui hub` and `pilkades-tui token`."""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path
from urllib.parse import urlsplit

import segno
import uvicorn

from pilkades_tui.domain.clock import wib_now
from pilkades_tui.files import FolderUnwritable
from pilkades_tui.hub.log import LogError
from pilkades_tui.hub.ratelimit import RateLimit
from pilkades_tui.hub.server import (
    HubOptions,
    bind_socket,
    build_hub,
    is_loopback,
    open_tokens,
    uvicorn_config,
    warn,
)
from pilkades_tui.hub.store import STORE_ENV, StoreArgumentError, safe_dsn, store_dsn
from pilkades_tui.hub.tokens import TokenError
from pilkades_tui.paths import default_data_dir, hub_log_file, tokens_file
from pilkades_tui.scenario import ScenarioError
from pilkades_tui.scenario.cli import EXIT_BAD_INPUT, print_problems
from pilkades_tui.scenario.i18n import Words
from pilkades_tui.settings_file import SettingsError, load_settings

EXIT_FAILED = 1
EXIT_DATA_FOLDER = 2  # the data folder cannot hold the log: full, read-only, refused
EXIT_BAD_STORE = 2  # --store unusable: unreachable, not a DSN, newer schema, other scenario
BURST_SECONDS = 3.0  # a token's burst is this many seconds of its sustained rate


def _data_dir(args: argparse.Namespace) -> Path:
    data: Path | None = getattr(args, "data", None)
    return data if data is not None else default_data_dir()


def store_of(args: argparse.Namespace) -> str | None:
    return store_dsn(getattr(args, "store", None))


def run_hub(args: argparse.Namespace) -> int:
    data_dir = _data_dir(args)
    cert: Path | None = args.tls_cert
    key: Path | None = args.tls_key
    if (cert is None) != (key is None):
        warn("--tls-cert and --tls-key go together")
        return EXIT_FAILED
    settings_path: Path | None = getattr(args, "settings", None)
    rate: float = getattr(args, "report_rate", 100.0)
    try:
        store = store_of(args)
    except StoreArgumentError as error:
        warn(str(error))
        return EXIT_BAD_STORE
    try:
        settings = load_settings(settings_path)
        options = HubOptions(
            data_dir=data_dir,
            scenario=args.scenario,
            seed=args.seed,
            exercise=args.exercise,
            settings=settings,
            rate_limit=RateLimit(rate, rate * BURST_SECONDS),
            store=store,
        )
        app, core = build_hub(options)
        tokens = open_tokens(options)
        has_tokens = bool(tokens.entries())
        tokens.close()
    except FolderUnwritable as error:
        warn(str(error))
        return EXIT_DATA_FOLDER
    except ScenarioError as error:
        # The same list `scenario check` prints: the officer fixes it all in one pass.
        words = Words(getattr(args, "lang", "id"))
        print_problems(error.problems, words, heading=words("hub.refused"))
        return EXIT_BAD_INPUT
    except LogError as error:
        warn(str(error))
        return EXIT_BAD_STORE if store is not None else EXIT_FAILED
    except (SettingsError, TokenError, OSError) as error:
        warn(str(error))
        return EXIT_FAILED
    try:
        sock = bind_socket(args.host, args.port)
    except OSError as error:
        warn(f"cannot listen on {args.host}:{args.port}: {error.strerror or error}")
        return EXIT_FAILED
    scheme = "https" if cert is not None else "http"
    host = f"[{args.host}]" if ":" in args.host else args.host
    port = sock.getsockname()[1]
    if not is_loopback(args.host) and cert is None:
        warn(
            f"WARNING: listening on {args.host} without TLS. Tokens and reports cross the "
            "network in clear; give --tls-cert and --tls-key, or keep the hub on loopback "
            "behind an SSH tunnel or a TLS proxy."
        )
    if not has_tokens:
        where = "--store DSN" if store is not None else f"--data {data_dir}"
        warn(f"no tokens yet: issue one with `pilkades-tui token add NAME --role ROLE {where}`")
    warn(f"log {options.store_label} at seq {core.durable}, mode {core.mode.value}")
    # The runner and scripts read this line for the port (port 0 picks a free one).
    print(f"pilkades-tui hub: listening on {scheme}://{host}:{port}", flush=True)
    server = uvicorn.Server(uvicorn_config(app, quiet=False, tls_cert=cert, tls_key=key))
    # uvicorn re-raises the signal that stopped it once its graceful shutdown is done
    # (feeds closed 1012, log written): SIGTERM then reads like Ctrl-C, and both end
    # here with status 0 instead of a traceback or a death by signal.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()
    return 0


def field_link(hub_url: str, token: str) -> str:
    """The field page with the token in the fragment: the browser never sends a
    fragment to a server, and the page moves it into its own storage at once."""
    return f"{hub_url.rstrip('/')}/lapor#token={token}"


def check_field_link(args: argparse.Namespace) -> str | None:
    """Why `--qr` cannot be printed as asked, or None."""
    if args.role != "reporter":
        return (
            f"--qr makes a sign-in code for a field phone; give --role reporter, not "
            f"{args.role} (a photo of the code is the token)"
        )
    parts = urlsplit(args.hub_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"--hub-url {args.hub_url!r}: give the hub's address, e.g. https://10.0.0.5:8765"
    return None


def print_field_link(hub_url: str, token: str) -> None:
    link = field_link(hub_url, token)
    code = segno.make(link, error="m")
    print("Scan with the phone's camera, or open the link, to sign in to the field page:")
    code.terminal(out=sys.stdout, compact=True)
    print(link)
    host = urlsplit(hub_url).hostname or ""
    if is_loopback(host):
        print(
            f"note: {host} is this machine's loopback, which a phone cannot reach; "
            "give --hub-url with the address the phones use"
        )
    elif urlsplit(hub_url).scheme != "https":
        print("note: without https the phone's browser refuses GPS positions to the page")


def run_token(args: argparse.Namespace) -> int:
    data_dir = _data_dir(args)
    try:
        dsn = store_of(args)
        store = open_tokens(HubOptions(data_dir=data_dir, store=dsn))
    except (StoreArgumentError, LogError) as error:
        print(f"pilkades-tui token: {error}", file=sys.stderr)
        return EXIT_BAD_STORE
    where = tokens_file(data_dir) if dsn is None else store.path
    try:
        if args.token_command == "add":
            if getattr(args, "qr", False):
                problem = check_field_link(args)
                if problem is not None:
                    print(f"pilkades-tui token: {problem}", file=sys.stderr)
                    return EXIT_BAD_INPUT
            token = store.add(args.name, args.role, wib_now())
            print(f"token for {args.name} ({args.role}), stored hashed in {where}.")
            if getattr(args, "qr", False):
                print_field_link(args.hub_url, token)
            print("It is shown this once; hand it over now.")
            print(token)
            return 0
        if args.token_command == "list":
            entries = store.entries()
            if not entries:
                print(f"no tokens in {where}")
            for entry in entries:
                print(f"{entry.name}\t{entry.role}\t{entry.created_at}")
            return 0
        if args.token_command == "revoke":
            if store.revoke(args.name):
                print(f"revoked {args.name}")
                return 0
            print(f"no token named {args.name}", file=sys.stderr)
            return EXIT_FAILED
    except TokenError as error:
        print(f"pilkades-tui token: {error}", file=sys.stderr)
        return EXIT_FAILED
    except LogError as error:
        print(f"pilkades-tui token: {error}", file=sys.stderr)
        return EXIT_BAD_STORE
    print(f"pilkades-tui token: unknown action {args.token_command}", file=sys.stderr)
    return EXIT_FAILED


def run_migrate(args: argparse.Namespace) -> int:
    """`pilkades-tui hub migrate --from-data DIR --store DSN`."""
    try:
        dsn = store_of(args)
    except StoreArgumentError as error:
        warn(str(error))
        return EXIT_BAD_STORE
    if dsn is None:
        warn(f"migrate needs --store DSN (or {STORE_ENV}): the PostgreSQL store to fill")
        return EXIT_BAD_STORE
    source: Path = args.from_data
    if not hub_log_file(source).is_file():
        warn(f"no hub log to copy at {hub_log_file(source)}")
        return EXIT_BAD_STORE
    from pilkades_tui.hub.postgres import migrate_sqlite

    try:
        copied = migrate_sqlite(source, dsn)
    except (LogError, TokenError) as error:
        warn(str(error))
        return EXIT_BAD_STORE
    print(
        f"copied {copied.events} events (head {copied.head}), {copied.answers} idempotency "
        f"records and {copied.tokens} tokens from {hub_log_file(source)} to {safe_dsn(dsn)}"
    )
    return 0
