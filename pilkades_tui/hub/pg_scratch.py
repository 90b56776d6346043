"""A throwaway PostgreSQL server for tests and benches, from Debian's `postgresql` binaries.

    with ScratchPostgres() as server:
        dsn = server.create_database("day1")

`initdb` in a fresh temporary folder, `pg_ctl start` on a free loopback port (no unix
socket), trust authentication for the loopback only, `pg_ctl stop -m immediate` at the
end. PostgreSQL refuses to run as root, so when this process is root (as CI is) the
server runs as the `postgres` system user through `runuser`, and its folder is handed
to that user. `available()` says why no server can be made (no binaries), so a caller
can decide to skip or to fail.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path
from types import TracebackType

SERVER_USER = "postgres"


class ScratchError(RuntimeError):
    pass


def bin_dir() -> Path | None:
    """The newest /usr/lib/postgresql/*/bin holding initdb and pg_ctl."""
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin"), key=lambda path: int(Path(path).parent.name)
    )
    for candidate in reversed(candidates):
        folder = Path(candidate)
        if (folder / "initdb").exists() and (folder / "pg_ctl").exists():
            return folder
    found = shutil.which("pg_ctl")
    return Path(found).resolve().parent if found else None


def unavailable_reason() -> str | None:
    if bin_dir() is None:
        return "no PostgreSQL server binaries (apt-get install postgresql)"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam(SERVER_USER)
        except KeyError:
            return f"running as root and there is no {SERVER_USER!r} user to run the server as"
        if shutil.which("runuser") is None:
            return "running as root and runuser is missing"
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class ScratchPostgres:
    def __init__(self) -> None:
        self.port = 0
        self.user = SERVER_USER if os.geteuid() == 0 else pwd.getpwuid(os.geteuid()).pw_name
        self._folder: Path | None = None
        self._bin: Path | None = None

    @property
    def data_dir(self) -> Path:
        assert self._folder is not None
        return self._folder / "data"

    def _run(self, *command: str) -> subprocess.CompletedProcess[str]:
        assert self._bin is not None
        argv = [str(self._bin / command[0]), *command[1:]]
        if os.geteuid() == 0:
            argv = ["runuser", "-u", SERVER_USER, "--", *argv]
        return subprocess.run(argv, capture_output=True, text=True, check=False, timeout=120)

    def start(self) -> ScratchPostgres:
        reason = unavailable_reason()
        if reason is not None:
            raise ScratchError(reason)
        self._bin = bin_dir()
        self._folder = Path(tempfile.mkdtemp(prefix="pilkades-pg-"))
        if os.geteuid() == 0:
            entry = pwd.getpwnam(SERVER_USER)
            os.chown(self._folder, entry.pw_uid, entry.pw_gid)
        os.chmod(self._folder, 0o700)
        done = self._run(
            "initdb", "-D", str(self.data_dir), "-U", self.user, "-A", "trust", "-E", "UTF8"
        )
        if done.returncode != 0:
            raise ScratchError(f"initdb failed: {done.stderr.strip()}")
        self.port = _free_port()
        self._pg_ctl_start()
        return self

    def dsn(self, database: str = "postgres") -> str:
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        """A new empty database; its DSN."""
        import psycopg

        with psycopg.connect(self.dsn(), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.dsn(name)

    def drop_database(self, name: str) -> None:
        """Drop a database, closing whatever is still connected to it."""
        import psycopg

        with psycopg.connect(self.dsn(), autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self, mode: str = "immediate") -> None:
        if self._folder is None:
            return
        self._run("pg_ctl", "-D", str(self.data_dir), "-m", mode, "-w", "stop")

    def restart(self) -> None:
        """Start again on the same folder and port (after `stop`)."""
        self._pg_ctl_start()

    def _pg_ctl_start(self) -> None:
        assert self._folder is not None
        # fsync and synchronous_commit stay on: tests must see the durability the
        # operations guide asks for, not a faster server than production.
        options = (
            f"-c port={self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' "
            "-c fsync=on -c synchronous_commit=on -c max_connections=200"
        )
        log = self._folder / "server.log"
        done = self._run(
            "pg_ctl", "-D", str(self.data_dir), "-o", options, "-l", str(log),
            "-w", "-t", "60", "start",
        )  # fmt: skip
        if done.returncode != 0:
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise ScratchError(f"pg_ctl start failed: {done.stderr.strip()} {tail}")

    def close(self) -> None:
        self.stop()
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None

    def __enter__(self) -> ScratchPostgres:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()
