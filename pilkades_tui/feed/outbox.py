"""The outbox: decisions the hub could not take yet, kept on disk until it can.

Each queued command keeps the Idempotency-Key it was first sent with, and is
re-sent with that same key and body until the hub gives a definite answer
(accepted, rejected or conflict). The hub answers a repeated key with its first
answer and makes no second change, so a command that reached the hub just before
the connection dropped is not applied twice. Commands go out in the order they were
decided: a later decision on an incident often depends on an earlier one, and a
queued follow-up expecting the record version the officer saw is moved on to the
version his own earlier command produced (see `_rebase_after`).

The file is rewritten whole on each change, to a temporary file that is fsynced and
then renamed over the old one, so a crash at any moment leaves either the old list
or the new one, never a torn file. An unreadable file is never overwritten.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Protocol

from pilkades_tui.feed.backoff import Backoff
from pilkades_tui.feed.results import CommandResult, Outcome
from pilkades_tui.files import write_atomically

FILE_FORMAT = "pilkades-tui outbox"
FILE_VERSION = 1
METHODS = frozenset({"POST", "PUT"})


class OutboxError(Exception):
    """The outbox file cannot be read; it is left as it is for inspection."""


@dataclass
class QueuedCommand:
    key: str  # the Idempotency-Key, the same on every try
    method: str
    path: str  # below the hub URL, e.g. /v1/incidents/INC-7/actions
    body: dict[str, Any]
    created_at: str  # RFC 3339, when the officer decided
    attempts: int = 0
    last_error: str | None = None
    description: str = ""  # for a person: "assign KJN-001 to INC-7"
    # The officer who decided (X-Pilkades-Operator), not whoever is at the desk when it
    # finally goes out; None in files written before the header existed.
    operator: str | None = None

    @classmethod
    def from_json(cls, raw: object, where: str) -> QueuedCommand:
        if not isinstance(raw, dict):
            raise OutboxError(f"{where}: a queued command is a JSON object")
        fields = {
            "key": str,
            "method": str,
            "path": str,
            "body": dict,
            "created_at": str,
            "attempts": int,
            "description": str,
        }
        for name, kind in fields.items():
            if not isinstance(raw.get(name), kind):
                raise OutboxError(f"{where}.{name}: missing or not a {kind.__name__}")
        if raw["method"] not in METHODS or not raw["path"].startswith("/v1/"):
            raise OutboxError(f"{where}: not a hub command ({raw['method']} {raw['path']})")
        last_error = raw.get("last_error")
        if last_error is not None and not isinstance(last_error, str):
            raise OutboxError(f"{where}.last_error: not a string")
        operator = raw.get("operator")
        if operator is not None and not isinstance(operator, str):
            raise OutboxError(f"{where}.operator: not a string")
        return cls(
            key=raw["key"],
            method=raw["method"],
            path=raw["path"],
            body=raw["body"],
            created_at=raw["created_at"],
            attempts=raw["attempts"],
            last_error=last_error,
            description=raw["description"],
            operator=operator,
        )


class CommandSender(Protocol):
    async def replay(self, command: QueuedCommand) -> CommandResult: ...


Send = Callable[[QueuedCommand], Awaitable[CommandResult]]


def write_atomic(path: Path, data: bytes) -> None:
    """Replace `path` with `data` so that a crash leaves the old or the new content;
    the outbox holds reports and names, so it is its owner's only."""
    write_atomically(path, data, private=True)


class Outbox:
    def __init__(
        self,
        path: Path,
        commands: list[QueuedCommand] | None = None,
        *,
        on_change: Callable[[Outbox], None] | None = None,
    ) -> None:
        self.path = path
        self._commands: list[QueuedCommand] = list(commands or [])
        self.on_change = on_change
        self.sending: str | None = None  # key of the command on the wire right now
        self.retry_at: float | None = None  # time.monotonic() of the next try, when waiting
        self._wake = asyncio.Event()
        self._running = False
        # Record versions our own accepted commands produced, by command path.
        self._own_versions: dict[str, set[int]] = {}

    @classmethod
    def open(cls, path: Path, *, on_change: Callable[[Outbox], None] | None = None) -> Outbox:
        """Load the outbox at `path` (paths.outbox_file(data_dir)); none yet is empty."""
        for leftover in path.parent.glob(f".{path.name}.*.tmp"):
            # A write interrupted before its rename: never the authoritative copy.
            with contextlib.suppress(OSError):
                leftover.unlink()
        try:
            text = path.read_bytes()
        except FileNotFoundError:
            return cls(path, on_change=on_change)
        except OSError as error:
            raise OutboxError(f"cannot read the outbox {path}: {error.strerror}") from None
        try:
            raw = json.loads(text)
        except (ValueError, UnicodeDecodeError) as error:
            raise OutboxError(
                f"the outbox {path} is not valid JSON ({error}); it was left as it is"
            ) from None
        if not isinstance(raw, dict) or raw.get("format") != FILE_FORMAT:
            raise OutboxError(f"{path} is not a pilkades-tui outbox; it was left as it is")
        if raw.get("version") != FILE_VERSION:
            raise OutboxError(
                f"the outbox {path} has version {raw.get('version')!r}; "
                f"this console reads version {FILE_VERSION}"
            )
        items = raw.get("commands")
        if not isinstance(items, list):
            raise OutboxError(f"the outbox {path} has no command list; it was left as it is")
        commands = [
            QueuedCommand.from_json(item, f"{path.name}: commands[{index}]")
            for index, item in enumerate(items)
        ]
        return cls(path, commands, on_change=on_change)

    # ---- the list --------------------------------------------------------

    def items(self) -> list[QueuedCommand]:
        """The queued commands, oldest first (a copy: change them through the outbox)."""
        return list(self._commands)

    def __len__(self) -> int:
        return len(self._commands)

    def __contains__(self, key: object) -> bool:
        return any(command.key == key for command in self._commands)

    def get(self, key: str) -> QueuedCommand | None:
        for command in self._commands:
            if command.key == key:
                return command
        return None

    def add(self, command: QueuedCommand) -> None:
        """Queue a command (written to disk before this returns) and try to send at once."""
        if command.key in self:
            raise ValueError(f"a command with key {command.key} is already queued")
        self._commands.append(command)
        self._save()
        self.retry_now()

    def drop(self, key: str) -> bool:
        """The officer gave up on a queued command. If it is on the wire right now
        (`sending`), the hub may still take it; its result is reported as usual."""
        kept = [command for command in self._commands if command.key != key]
        if len(kept) == len(self._commands):
            return False
        self._commands = kept
        self._save()
        return True

    def retry_now(self) -> None:
        """Cut the current wait short (the feed is live again, or a new decision came)."""
        self._wake.set()

    def _rebase_after(self, done: QueuedCommand, result: CommandResult) -> None:
        """Carry our own accepted changes into the commands queued behind them.

        Decided offline, "acknowledge", "note" then "assign" on one incident carry the
        version the officer saw; once the first is applied the others would be a 409
        against the officer's own changes. A record's version grows by one per change,
        so each accepted command of ours moved its record from `v - 1` to `v`. A
        command never sent yet (attempts == 0: the hub has not seen its key, so its
        body may still change) that expected version `e` on the same record now
        expects the end of the unbroken run of our own changes from `e`. A change by
        anyone else breaks the run, and the command still comes back a 409.
        """
        produced = (result.record or {}).get("version")
        if not isinstance(produced, int):
            return
        ours = self._own_versions.setdefault(done.path, set())
        ours.add(produced)
        for waiting in self._commands:
            expected = waiting.body.get("expected_version")
            if waiting.attempts or waiting.path != done.path or not isinstance(expected, int):
                continue
            while expected + 1 in ours:
                expected += 1
            waiting.body["expected_version"] = expected

    def _save(self) -> None:
        document = {
            "format": FILE_FORMAT,
            "version": FILE_VERSION,
            "commands": [asdict(command) for command in self._commands],
        }
        write_atomic(self.path, json.dumps(document, ensure_ascii=False, indent=1).encode())
        if self.on_change is not None:
            self.on_change(self)

    # ---- sending ---------------------------------------------------------

    async def run(
        self,
        sender: CommandSender | Send,
        on_result: Callable[[str, CommandResult], None] | None = None,
        *,
        backoff_initial: float = 1.0,
        backoff_max: float = 30.0,
    ) -> None:
        """Send queued commands, oldest first, until cancelled. `sender` is a
        HubCommands (its `replay`) or any coroutine function taking a QueuedCommand
        and answering QUEUED while the hub is out of reach."""
        if self._running:
            raise RuntimeError("Outbox.run() is already running")
        send: Send = sender.replay if hasattr(sender, "replay") else sender  # type: ignore[union-attr,assignment]
        backoff = Backoff(backoff_initial, backoff_max)
        self._running = True
        try:
            while True:
                self._wake.clear()
                if not self._commands:
                    await self._wake.wait()
                    continue
                command = self._commands[0]
                self.sending = command.key
                try:
                    result = await send(command)
                finally:
                    self.sending = None
                if result.outcome is Outcome.QUEUED:
                    if command.key in self:
                        command.attempts += 1
                        command.last_error = result.message
                        self._save()
                    delay = backoff.next_delay()
                    self.retry_at = time.monotonic() + delay
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._wake.wait(), delay)
                    self.retry_at = None
                    continue
                backoff.reset()
                if command.key in self:
                    self._commands = [c for c in self._commands if c.key != command.key]
                    if result.outcome is Outcome.ACCEPTED:
                        self._rebase_after(command, result)
                    self._save()
                if on_result is not None:
                    on_result(command.key, result)
        finally:
            self._running = False
