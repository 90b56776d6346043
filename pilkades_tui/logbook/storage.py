"""An append-only TinyDB storage that a crash cannot tear.

TinyDB's default JSONStorage rewrites the whole file on every insert: slow at 10,000
entries, and a kill in the middle of the rewrite leaves a torn file. This storage
keeps the database in memory and writes one JSON line per new document, flushed and
fsynced before `insert` returns. A crash can only cut the line being written; such a
torn last line (never acknowledged to the caller) is cut off when the file is next
opened. Anything else that does not parse is corruption: the file is left untouched
and `LogbookCorrupt` says where.

Documents are immutable once written (a logbook is never edited): the documents
handed to TinyDB are read-only mappings, so an in-place update fails loudly instead
of being silently lost; removing a document raises too.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from tinydb.storages import Storage

Tables = dict[str, dict[str, Any]]


class LogbookError(Exception):
    """A logbook that cannot be used; the message is for a person."""


class LogbookCorrupt(LogbookError):
    pass


class LogbookBusy(LogbookError):
    pass


def _encode(document: Mapping[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def _id_order(doc_id: str) -> tuple[int, str]:
    return (int(doc_id), "") if doc_id.isdigit() else (0, doc_id)


class AppendOnlyStorage(Storage):
    def __init__(self, path: str | Path, **_ignored: object) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._file = open(self.path, "a+b")  # noqa: SIM115 - held open for the storage's life
        try:
            # One writer at a time: two consoles appending to one file would break the chain.
            fcntl.flock(self._file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._file.close()
            raise LogbookBusy(
                f"the logbook {self.path} is open in another console; close that one first"
            ) from None
        try:
            self._tables = self._load()
        except LogbookError:
            self._file.close()
            raise

    def _load(self) -> Tables:
        self._file.seek(0)
        data = self._file.read()
        tables: Tables = {}
        good_end = 0
        lines = data.split(b"\n")
        for number, line in enumerate(lines, start=1):
            is_last = number == len(lines)
            if is_last:
                if line.strip():
                    # No newline after it: the write of this line never finished.
                    break
                continue
            try:
                record = json.loads(line)
                table, doc_id, document = record["t"], str(record["id"]), record["d"]
                if not isinstance(document, dict):
                    raise TypeError("document is not an object")
            except (ValueError, KeyError, TypeError) as error:
                raise LogbookCorrupt(
                    f"the logbook {self.path} is damaged at line {number} ({error}); "
                    "it was left as it is for inspection"
                ) from None
            rows = tables.setdefault(table, {})
            if doc_id in rows:
                raise LogbookCorrupt(
                    f"the logbook {self.path} holds document {doc_id} twice (line {number}); "
                    "it was left as it is for inspection"
                )
            rows[doc_id] = MappingProxyType(document)
            good_end += len(line) + 1
        if good_end < len(data):
            self._file.truncate(good_end)
            os.fsync(self._file.fileno())
        return tables

    def read(self) -> Tables | None:
        # TinyDB builds a new dict for a table it changes and puts it in the mapping we
        # return; copying the outer mapping keeps our own tables as they were written.
        return dict(self._tables) or None

    def write(self, data: Tables) -> None:
        added: list[tuple[str, str, dict[str, Any]]] = []
        for name, rows in data.items():
            held = self._tables.get(name, {})
            if held.keys() - rows.keys():
                raise LogbookError("a logbook entry cannot be removed")
            for doc_id in sorted(rows.keys() - held.keys(), key=_id_order):
                added.append((name, doc_id, dict(rows[doc_id])))
        if not added:
            return
        payload = "".join(
            _encode({"t": name, "id": doc_id, "d": document}) + "\n"
            for name, doc_id, document in added
        ).encode("utf-8")
        self._file.seek(0, os.SEEK_END)
        self._file.write(payload)
        self._file.flush()
        os.fsync(self._file.fileno())
        for name, doc_id, document in added:
            self._tables.setdefault(name, {})[doc_id] = MappingProxyType(document)

    def close(self) -> None:
        with contextlib.suppress(OSError):
            fcntl.flock(self._file.fileno(), fcntl.LOCK_UN)
        self._file.close()
