"""Naming the PostgreSQL store (`--store DSN` / PILKADES_STORE) without importing its
driver: the commands that take --store read this first, psycopg only if one is given."""

from __future__ import annotations

import os
from urllib.parse import urlsplit, urlunsplit

STORE_ENV = "PILKADES_STORE"
STORE_SCHEMES = ("postgresql", "postgres")


class StoreArgumentError(ValueError):
    pass


def is_store_url(text: str | None) -> bool:
    return bool(text) and urlsplit(str(text)).scheme in STORE_SCHEMES


def safe_dsn(dsn: str) -> str:
    """The DSN without its password, for sentences and logs."""
    parts = urlsplit(dsn)
    if parts.password is None:
        return dsn
    netloc = parts.netloc.rsplit("@", 1)[1]
    user = parts.username or ""
    return urlunsplit((parts.scheme, f"{user}:***@{netloc}", parts.path, parts.query, ""))


def store_dsn(given: str | None) -> str | None:
    """--store, else PILKADES_STORE, else None (the SQLite file in --data)."""
    dsn = given or os.environ.get(STORE_ENV) or None
    if dsn is None:
        return None
    if not is_store_url(dsn):
        raise StoreArgumentError(
            "--store must be a PostgreSQL address such as postgresql://USER@HOST/DB, "
            f"not {safe_dsn(dsn)!r}"
        )
    return dsn
