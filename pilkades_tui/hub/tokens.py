"""Hub tokens: name, role and the token's SHA-256, never the token in clear.

The file (paths.tokens_file) is rewritten atomically (temp file, fsync, rename) with
owner-only permissions. A running hub re-reads it when it changes, so `token add` and
`token revoke` take effect without a restart.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Protocol

from pilkades_tui.files import make_private_folder, write_atomically
from pilkades_tui.paths import tokens_file

ROLES = ("viewer", "reporter", "dispatcher", "admin")
ROLE_RANK = {role: rank for rank, role in enumerate(ROLES)}
TOKEN_PREFIX = "pkt_"


class TokenError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class TokenEntry:
    name: str
    role: str
    sha256: str
    created_at: str

    def may(self, role: str) -> bool:
        return ROLE_RANK[self.role] >= ROLE_RANK[role]


class TokenBook(Protocol):
    """Where a hub's tokens live: the data folder's file (`TokenStore`) or the shared
    PostgreSQL store (`postgres.PgTokenStore`)."""

    @property
    def path(self) -> object: ...

    def entries(self) -> list[TokenEntry]: ...

    def lookup(self, token: str) -> TokenEntry | None: ...

    def add(self, name: str, role: str, now: datetime, token: str | None = None) -> str: ...

    def revoke(self, name: str) -> bool: ...

    def close(self) -> None: ...


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


class TokenStore:
    """The token file of one data folder."""

    def __init__(self, data_dir: Path) -> None:
        self.path = tokens_file(data_dir)
        self._by_hash: dict[str, TokenEntry] = {}
        self._stamp: tuple[int, int] | None = None

    # ---- reading ---------------------------------------------------------

    def entries(self) -> list[TokenEntry]:
        self._refresh()
        return sorted(self._by_hash.values(), key=lambda entry: entry.name)

    def lookup(self, token: str) -> TokenEntry | None:
        self._refresh()
        return self._by_hash.get(token_hash(token))

    def _refresh(self) -> None:
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            self._by_hash = {}
            self._stamp = None
            return
        stamp = (stat.st_mtime_ns, stat.st_size)
        if stamp == self._stamp:
            return
        self._by_hash = {entry.sha256: entry for entry in self._read()}
        self._stamp = stamp

    def _read(self) -> list[TokenEntry]:
        try:
            raw = json.loads(self.path.read_text("utf-8"))
        except FileNotFoundError:
            return []
        except (OSError, ValueError) as error:
            raise TokenError(f"cannot read the token file {self.path}: {error}") from None
        items = raw.get("tokens", []) if isinstance(raw, dict) else None
        if not isinstance(items, list):
            raise TokenError(f"token file {self.path}: expected {{'tokens': [...]}}")
        entries: list[TokenEntry] = []
        for item in items:
            try:
                entry = TokenEntry(
                    name=str(item["name"]),
                    role=str(item["role"]),
                    sha256=str(item["sha256"]),
                    created_at=str(item.get("created_at", "")),
                )
            except (KeyError, TypeError):
                raise TokenError(
                    f"token file {self.path}: an entry lacks name/role/sha256"
                ) from None
            if entry.role not in ROLE_RANK:
                raise TokenError(f"token file {self.path}: unknown role {entry.role!r}")
            entries.append(entry)
        return entries

    # ---- changing --------------------------------------------------------

    def add(self, name: str, role: str, now: datetime, token: str | None = None) -> str:
        """Store a new token for `name` and return it (the only time it is seen)."""
        if role not in ROLE_RANK:
            raise TokenError(f"unknown role {role!r} (one of {', '.join(ROLES)})")
        if not name.strip():
            raise TokenError("a token needs a name")
        entries = self._read()
        if any(entry.name == name for entry in entries):
            raise TokenError(f"a token named {name!r} exists; revoke it first")
        token = token or new_token()
        digest = token_hash(token)
        if any(entry.sha256 == digest for entry in entries):
            raise TokenError("that token is already issued under another name")
        entries.append(TokenEntry(name, role, digest, now.isoformat()))
        self._write(entries)
        return token

    def revoke(self, name: str) -> bool:
        entries = self._read()
        kept = [entry for entry in entries if entry.name != name]
        if len(kept) == len(entries):
            return False
        self._write(kept)
        return True

    def close(self) -> None:
        """Nothing to release: the file is opened only while read or written."""

    def _write(self, entries: list[TokenEntry]) -> None:
        make_private_folder(self.path.parent)
        payload = {
            "tokens": [
                {
                    "name": entry.name,
                    "role": entry.role,
                    "sha256": entry.sha256,
                    "created_at": entry.created_at,
                }
                for entry in entries
            ]
        }
        write_atomically(self.path, json.dumps(payload, indent=2), private=True)
        self._stamp = None
