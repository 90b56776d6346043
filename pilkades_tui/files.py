"""Writing files so that a crash leaves the old content or the new, never half of one,
and so that what the project writes is private to its owner: the record of the day
(reports, names, officer positions) must not be readable by every local account."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from pathlib import Path

PRIVATE_FOLDER = 0o700
PRIVATE_FILE = 0o600


class FolderUnwritable(Exception):
    """A folder the project writes to cannot take the write: disk full, read-only,
    refused. The text is one sentence naming the folder and the cause."""


def unwritable_reason(folder: Path, errno_code: int | None, detail: str) -> str:
    """One sentence naming `folder` and why it cannot be written. `errno_code` is the
    OS's reason when known; `detail` is said when no better word is known."""
    if errno_code in (errno.ENOSPC, errno.EDQUOT):
        return f"disk full: no space left in the data folder {folder}"
    if errno_code == errno.EROFS or _on_read_only_mount(folder):
        return f"the data folder {folder} is on a read-only file system"
    if errno_code in (errno.EACCES, errno.EPERM):
        return f"the data folder {folder} is not writable: permission denied"
    return f"the data folder {folder} cannot be written: {detail}"


def folder_unwritable(folder: Path, error: OSError) -> FolderUnwritable:
    return FolderUnwritable(unwritable_reason(folder, error.errno, error.strerror or str(error)))


def _on_read_only_mount(folder: Path) -> bool:
    for candidate in (folder, *folder.parents):
        try:
            return bool(os.statvfs(candidate).f_flag & os.ST_RDONLY)
        except OSError:
            continue
    return False


def make_private_folder(folder: Path) -> None:
    """Create `folder` and every missing parent readable by their owner only (`mkdir`'s
    `parents=True` would give the parents the umask's mode). A folder that exists is
    left as its owner made it."""
    missing: list[Path] = []
    for candidate in (folder, *folder.parents):
        if candidate.exists():
            break
        missing.append(candidate)
    for candidate in reversed(missing):
        with contextlib.suppress(FileExistsError):  # made meanwhile by another process
            candidate.mkdir(mode=PRIVATE_FOLDER)
            os.chmod(candidate, PRIVATE_FOLDER)  # mkdir's mode is cut by the umask


def private_opener(path: str, flags: int) -> int:
    """`open(..., opener=private_opener)`: a file it creates is its owner's only."""
    return os.open(path, flags, PRIVATE_FILE)


def make_private_file(path: Path) -> None:
    """Create `path` empty if missing, and make it (new or not) its owner's only."""
    make_private_folder(path.parent)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_CLOEXEC, PRIVATE_FILE)
    try:
        os.fchmod(descriptor, PRIVATE_FILE)
    finally:
        os.close(descriptor)


def fsync_directory(folder: Path) -> None:
    """Make a rename or a new name in `folder` durable (a power cut could undo it)."""
    descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def write_atomically(path: Path, data: bytes | str, *, private: bool = False) -> None:
    """Replace `path` with `data` through a temporary file in the same folder, fsynced
    and renamed. `private` files (tokens, the outbox) are readable by their owner only;
    the others (reports to hand over) by everyone the folder lets in."""
    make_private_folder(path.parent)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(handle, PRIVATE_FILE if private else 0o644)
        with os.fdopen(handle, "wb") as file:
            file.write(payload)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    fsync_directory(path.parent)
