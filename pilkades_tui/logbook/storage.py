"""An append-only TinyDB storage that a crash cannot tear, and a table that appends in O(1).

TinyDB's default JSONStorage rewrites the whole file on every insert: slow at 10,000
entries, and a kill in the middle of the rewrite leaves a torn file. This storage keeps
the database in memory and writes one JSON line per new document, fsynced before the
insert returns. The first line is a header naming the format, so a file that is not a
logbook is refused instead of being taken for a damaged one.

TinyDB's own `Table.insert` reads the whole table, rebuilds it twice and hands it to
`write()`, which costs O(n) per insert even when only one line is written. `AppendTable`
(used by `LogbookDB` through TinyDB's `table_class` extension point) hands the new
documents to `AppendOnlyStorage.append_new` instead, which numbers them itself.

Only TinyDB's public interface is used (the `Storage` base class, `TinyDB.table_class`,
`Table.storage`, `Table.name`, `Table.clear_cache`): none of its private attributes, so
a TinyDB release that reworks its internals cannot silently break the record of
decisions. The storage, not the table, owns document numbering for that reason.

A crash can only cut the line being written. Such a torn last line (never acknowledged
to the caller) is ignored on read; a writer sets its bytes aside in a file next to the
logbook before cutting it off, so nothing is destroyed. Anything else that does not
parse is corruption: the file is left untouched and `LogbookCorrupt` says where.

Documents are immutable once written (a logbook is never edited): updates and removals
raise `LogbookError`, and the documents handed to TinyDB are read-only mappings.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, NoReturn

from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Table

from pilkades_tui.files import fsync_directory

Tables = dict[str, dict[str, Any]]

FORMAT = "pilkades-tui logbook"
VERSION = 1


class LogbookError(Exception):
    """A logbook that cannot be used; the message is for a person."""


class LogbookCorrupt(LogbookError):
    pass


class LogbookBusy(LogbookError):
    pass


def encode_line(document: Mapping[str, Any]) -> bytes:
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return (text + "\n").encode("utf-8")


HEADER_LINE = encode_line({"format": FORMAT, "version": VERSION})
# How every record line starts (keys are sorted): a torn last line must start so too.
RECORD_START = b'{"d":{'


def _id_order(doc_id: str) -> tuple[int, str]:
    return (int(doc_id), "") if doc_id.isdigit() else (0, doc_id)


def parse_lines(path: Path, data: bytes, start: int = 0) -> tuple[Tables, int]:
    """The tables held by a logbook file's bytes, and where its complete lines end.

    Bytes after the last newline are a torn write and are not part of the result.
    `start` (a line boundary after the header) skips a prefix that was read before.
    """
    good_end = data.rfind(b"\n") + 1
    torn = data[max(good_end, start) :]
    expected_start = RECORD_START if good_end else HEADER_LINE
    # Some file systems leave zeros where a write was cut by a power loss.
    plausible = expected_start.startswith(torn[: len(expected_start)]) or not torn.strip(b"\0")
    if not plausible:
        raise LogbookCorrupt(
            f"{path} ends in an incomplete line that is not a logbook record; "
            "it was left as it is for inspection"
        )
    if good_end <= start:
        return {}, start
    lines = data[start:good_end].split(b"\n")[:-1]
    first_number = data.count(b"\n", 0, start) + 1
    if start == 0:
        _check_header(path, lines.pop(0))
        first_number += 1
    tables: Tables = {}
    for number, line in enumerate(lines, start=first_number):
        try:
            record = json.loads(line)
            table, doc_id, document = record["t"], record["id"], record["d"]
            if not isinstance(document, dict) or not isinstance(table, str):
                raise TypeError("not a logbook record")
            if not isinstance(doc_id, str) or not doc_id.isdigit():
                raise TypeError(f"bad document id {doc_id!r}")
        except (ValueError, KeyError, TypeError) as error:
            raise LogbookCorrupt(
                f"the logbook {path} is damaged at line {number} ({error}); "
                "it was left as it is for inspection"
            ) from None
        rows = tables.setdefault(table, {})
        if doc_id in rows:
            raise LogbookCorrupt(
                f"the logbook {path} holds document {doc_id} twice (line {number}); "
                "it was left as it is for inspection"
            )
        rows[doc_id] = MappingProxyType(document)
    return tables, good_end


def _check_header(path: Path, line: bytes) -> None:
    if line + b"\n" == HEADER_LINE:
        return
    try:
        header = json.loads(line)
    except ValueError:
        header = None
    if isinstance(header, dict) and header.get("format") == FORMAT:
        raise LogbookCorrupt(
            f"the logbook {path} has format version {header.get('version')!r}; "
            f"this program reads version {VERSION}. It was left as it is"
        )
    raise LogbookCorrupt(
        f"{path} is not a pilkades-tui logbook (its first line is not the logbook "
        "header); it was left as it is for inspection"
    )


def read_file(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise LogbookError(f"there is no logbook at {path}") from None
    except IsADirectoryError:
        raise LogbookError(f"the logbook path {path} is a folder, not a file") from None
    except PermissionError:
        raise LogbookError(f"the logbook {path} cannot be read: permission denied") from None


class AppendOnlyStorage(Storage):
    """JSON lines, appended and fsynced. `read_only=True` neither locks nor repairs:
    it can look at a logbook a running console is writing."""

    def __init__(self, path: str | Path, *, read_only: bool = False, **_ignored: object) -> None:
        self.path = Path(path)
        self.read_only = read_only
        self.set_aside: Path | None = None  # where a torn last line was kept, if any
        self._tables: Tables = {}
        # The next free document id of each table, once asked for: kept up to date by
        # every append, so numbering a new document never scans its table again.
        self._next_ids: dict[str, int] = {}
        self._fd = -1
        self._unusable: str | None = None
        # Length and running SHA-256 of the bytes read at open plus those appended since:
        # while the file still starts with exactly them, a verify need not parse them again.
        self._end = 0
        self._digest = hashlib.sha256()
        if read_only:
            data = read_file(self.path)
            self._tables, good_end = parse_lines(self.path, data)
            self._remember_loaded(data, good_end)
            return
        self._open_for_writing()

    def _open_for_writing(self) -> None:
        if self.path.is_dir():
            raise LogbookError(f"the logbook path {self.path} is a folder, not a file")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        created = not self.path.exists()
        flags = os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_CLOEXEC
        try:
            self._fd = os.open(self.path, flags, 0o600)
        except PermissionError:
            raise LogbookError(
                f"the logbook {self.path} cannot be opened: permission denied"
            ) from None
        try:
            # One writer at a time: two consoles appending to one file would fork the chain.
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(self._fd)
            raise LogbookBusy(
                f"the logbook {self.path} is open in another console; close that one first"
            ) from None
        try:
            self._load(created)
        except BaseException:
            self.close()
            raise

    def _load(self, created: bool) -> None:
        data = os.pread(self._fd, os.fstat(self._fd).st_size, 0)
        if created or HEADER_LINE.startswith(data):
            # A new file, or one whose header write was cut short: nothing was ever in it.
            os.ftruncate(self._fd, 0)
            self._write_all(HEADER_LINE)
            os.fsync(self._fd)
            fsync_directory(self.path.parent)
            self._remember_loaded(HEADER_LINE, len(HEADER_LINE))
            return
        self._tables, good_end = parse_lines(self.path, data)
        self._remember_loaded(data, good_end)
        if good_end < len(data):
            self._set_aside(data[good_end:], good_end)
            os.ftruncate(self._fd, good_end)
            os.fsync(self._fd)

    def _remember_loaded(self, data: bytes, length: int) -> None:
        self._end = length
        self._digest = hashlib.sha256(data[:length])

    def known_prefix(self) -> tuple[int, bytes]:
        """(length, SHA-256) of the file's bytes as this storage read and wrote them."""
        return self._end, self._digest.digest()

    def _set_aside(self, torn: bytes, offset: int) -> None:
        folder, name = self.path.parent, self.path.name
        number = 0
        while (folder / f"{name}.torn-{offset}-{number}").exists():
            number += 1
        target = folder / f"{name}.torn-{offset}-{number}"
        with open(target, "xb") as file:
            file.write(torn)
            file.flush()
            os.fsync(file.fileno())
        fsync_directory(folder)
        self.set_aside = target

    def _write_all(self, payload: bytes) -> None:
        view = memoryview(payload)
        while view:
            view = view[os.write(self._fd, view) :]

    def _refuse(self, what: str) -> NoReturn:
        raise LogbookError(f"the logbook {self.path} is read-only here; cannot {what}")

    def append(self, rows: Iterable[tuple[str, str, Mapping[str, Any]]]) -> None:
        """Write new documents (table, id, document) and return once they are on disk."""
        if self.read_only:
            self._refuse("append")
        if self._unusable:
            raise LogbookError(
                f"the logbook {self.path} cannot take more entries: {self._unusable}; "
                "restart the console (the file is kept and a half line is set aside)"
            )
        added = [(table, doc_id, dict(document)) for table, doc_id, document in rows]
        for table, doc_id, _document in added:
            if doc_id in self._tables.get(table, {}):
                raise LogbookError(f"logbook document {doc_id} already exists")
        payload = b"".join(
            encode_line({"t": table, "id": doc_id, "d": document})
            for table, doc_id, document in added
        )
        try:
            self._write_all(payload)
            os.fsync(self._fd)
        except OSError as error:
            # Cut a half-written line off now, or the next append would glue onto it.
            try:
                os.ftruncate(self._fd, self._end)
            except OSError:
                self._unusable = f"a write failed ({error.strerror}) and could not be undone"
            raise LogbookError(
                f"could not write to the logbook {self.path}: {error.strerror}"
            ) from error
        self._end += len(payload)
        self._digest.update(payload)
        for table, doc_id, document in added:
            self._tables.setdefault(table, {})[doc_id] = MappingProxyType(document)
            if table in self._next_ids:
                self._next_ids[table] = max(self._next_ids[table], int(doc_id) + 1)

    def next_id(self, table: str) -> int:
        """The id the next new document of `table` gets: one past the highest in use."""
        if table not in self._next_ids:
            self._next_ids[table] = max(map(int, self._tables.get(table, {})), default=0) + 1
        return self._next_ids[table]

    def append_new(self, table: str, documents: Iterable[Mapping[str, Any]]) -> list[int]:
        """Number new documents of `table`, write them (fsynced) and return their ids.

        Nothing is numbered until the write succeeds: a failed append uses up no id.
        """
        rows: list[tuple[str, str, Mapping[str, Any]]] = []
        for offset, document in enumerate(documents):
            if not isinstance(document, Mapping):
                raise ValueError("Document is not a Mapping")
            rows.append((table, str(self.next_id(table) + offset), document))
        self.append(rows)
        return [int(doc_id) for _table, doc_id, _document in rows]

    def read(self) -> Tables | None:
        # TinyDB puts a new dict for a table it changes into the mapping we return;
        # copying the outer mapping keeps our own tables as they were written.
        return dict(self._tables) or None

    def write(self, data: Tables) -> None:
        """TinyDB's generic path (plain `Table`): only new documents are accepted."""
        added: list[tuple[str, str, Mapping[str, Any]]] = []
        # TinyDB's drop_table/drop_tables write the tables without the dropped ones.
        if any(self._tables[name] for name in self._tables.keys() - data.keys()):
            raise LogbookError("a logbook table cannot be dropped")
        for name, rows in data.items():
            held = self._tables.get(name, {})
            if held.keys() - rows.keys():
                raise LogbookError("a logbook entry cannot be removed")
            for doc_id in held:
                if rows[doc_id] is not held[doc_id] and rows[doc_id] != held[doc_id]:
                    raise LogbookError("a logbook entry cannot be changed")
            for doc_id in sorted(rows.keys() - held.keys(), key=_id_order):
                added.append((name, doc_id, rows[doc_id]))
        if added:
            self.append(added)

    def close(self) -> None:
        if self._fd >= 0:
            with contextlib.suppress(OSError):
                fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = -1


class AppendTable(Table):
    """A TinyDB table whose inserts append one line instead of rewriting the table.

    A `Document` passed in is numbered like any other mapping: ids follow file order.
    """

    def _append_storage(self) -> AppendOnlyStorage:
        storage = self.storage
        if not isinstance(storage, AppendOnlyStorage):
            raise TypeError("AppendTable needs an AppendOnlyStorage")
        return storage

    def insert(self, document: Mapping[str, Any]) -> int:
        if not isinstance(document, Mapping):
            raise ValueError("Document is not a Mapping")
        (doc_id,) = self._append_storage().append_new(self.name, [document])
        self.clear_cache()
        return doc_id

    def insert_multiple(self, documents: Iterable[Mapping[str, Any]]) -> list[int]:
        doc_ids = self._append_storage().append_new(self.name, documents)
        self.clear_cache()
        return doc_ids

    def _immutable(self, *_args: object, **_kwargs: object) -> NoReturn:
        raise LogbookError("logbook entries are never changed or removed; append a new one")

    update = _immutable
    update_multiple = _immutable
    upsert = _immutable
    remove = _immutable
    truncate = _immutable


class LogbookDB(TinyDB):
    table_class = AppendTable
