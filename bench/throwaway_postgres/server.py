"""`ThrowawayPostgres`: one PostgreSQL server in its own temporary directory (see __init__)."""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import IO

import psycopg
from psycopg import sql

from .binaries import PostgresBinaries, PostgresError, RunAs, find_binaries
from .processes import HOST, alive, free_port, working_in

SUPERUSER = "postgres"
INITDB_TIMEOUT_S = 120.0
START_TIMEOUT_S = 60.0
STOP_GRACE_S = 10.0
KILL_WAIT_S = 10.0
# Tests and benchmarks need speed, not durability against a power cut: fsync off is safe against
# any process crash. synchronous_commit stays on, so a SIGKILLed server loses no acknowledged write.
SETTINGS = {
    "listen_addresses": HOST,
    "max_connections": "300",
    "shared_buffers": "32MB",
    "fsync": "off",
    "full_page_writes": "off",
    "timezone": "UTC",
    "log_timezone": "UTC",
    "log_line_prefix": "%m [%p] ",
}


class ThrowawayPostgres:
    """One PostgreSQL server in its own temporary directory; see the module docstring."""

    def __init__(
        self,
        binaries: PostgresBinaries | None = None,
        *,
        base_dir: Path | None = None,
        settings: dict[str, str] | None = None,
    ) -> None:
        self.binaries = binaries or find_binaries()
        self.run_as = RunAs.for_this_process()
        base = base_dir or Path(tempfile.gettempdir())
        if self.run_as is not None:
            self.run_as.check_reachable(base)
        self.root = Path(tempfile.mkdtemp(prefix="kitty-pg-", dir=base))
        self.data_dir = self.root / "data"
        self.socket_dir = self.root / "socket"
        self.log_path = self.root / "server.log"
        self.settings = {**SETTINGS, **(settings or {})}
        self.port: int | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._admin: psycopg.Connection[tuple[object, ...]] | None = None
        self._lock = threading.Lock()
        self._unclean = False
        self._setpriv = shutil.which("setpriv")
        _live.add(self)

    # -- lifecycle ---------------------------------------------------------------------------

    @property
    def pid(self) -> int | None:
        """The postmaster's PID while it runs."""
        process = self._process
        return process.pid if process is not None and process.poll() is None else None

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def start(self) -> ThrowawayPostgres:
        """Initialise the directory on first use, then start the server and wait until it
        accepts connections. A port chosen here is kept for every later start."""
        if self.running:
            return self
        if not self.data_dir.exists():
            self._initdb()
        for attempt in range(3):
            chosen_here = self.port is None
            if chosen_here:
                self.port = free_port()
            try:
                self._spawn_and_wait()
                return self
            except _PortTaken:
                if not chosen_here or attempt == 2:
                    raise PostgresError(
                        f"port {self.port} is taken by another process; see {self.log_path}"
                    ) from None
                self.port = None
        raise AssertionError("unreachable")

    def stop(self) -> None:
        """Fast shutdown (SIGINT: clients disconnected, data flushed), SIGKILL after the grace
        period. SIGTERM would be PostgreSQL's smart shutdown, which waits for every client."""
        self._close_admin()
        process = self._process
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=STOP_GRACE_S)
        except subprocess.TimeoutExpired:
            self.kill()
            return
        self._unclean = False

    def kill(self) -> None:
        """SIGKILL the postmaster and its children, as a crash would end them; the next start
        runs crash recovery on the same directory."""
        self._close_admin()
        process = self._process
        if process is None or process.poll() is not None:
            return
        # A process on its way out no longer shows its working directory: those seen before
        # the kill are waited for too.
        before = working_in(self.data_dir)
        process.kill()
        process.wait(timeout=KILL_WAIT_S)
        # Each backend leads its own session, and one may have been forked just now: every
        # process working in the data directory is this server's.
        deadline = time.monotonic() + KILL_WAIT_S
        while left := [pid for pid in {*before, *working_in(self.data_dir)} if alive(pid)]:
            if time.monotonic() > deadline:
                raise PostgresError(f"backends {left} still alive {KILL_WAIT_S}s after SIGKILL")
            for pid in left:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            time.sleep(0.02)
        self._unclean = True

    def restart(self) -> None:
        """Stop (fast) and start again on the same directory and port."""
        self.stop()
        self.start()

    def close(self) -> None:
        """Stop the server and remove its directory. After a kill the server is started and
        stopped once more so that it releases the shared memory the crash left behind."""
        try:
            if self._unclean and not self.running:
                with contextlib.suppress(PostgresError):
                    self.start()
            self.stop()
        finally:
            _live.discard(self)
            shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> ThrowawayPostgres:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # -- databases ---------------------------------------------------------------------------

    def url(self, database: str = "postgres") -> str:
        if self.port is None:
            raise PostgresError("the server has not been started")
        return f"postgresql://{SUPERUSER}@{HOST}:{self.port}/{database}"

    def create_database(self, name: str | None = None, *, template: str = "template0") -> str:
        """A new database, a copy of `template`, and its URL; named `db_<random>` unless `name`
        is given. A prepared template (say, one database migrated once) is copied the same way,
        as long as nobody is connected to it."""
        name = name or f"db_{uuid.uuid4().hex[:12]}"
        statement = sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
            sql.Identifier(name), sql.Identifier(template)
        )
        self._execute(statement)
        return self.url(name)

    @contextlib.contextmanager
    def database(self, *, template: str = "template0") -> Iterator[str]:
        """The URL of a new database (a copy of `template`), dropped afterwards; the server is
        started first both times, so a user that stopped it (a fault test) leaves nothing."""
        self.start()
        url = self.create_database(template=template)
        try:
            yield url
        finally:
            self.start()
            self.drop_database(url.rsplit("/", 1)[1])

    def drop_database(self, name: str) -> None:
        """Drop `name`, disconnecting whoever is still connected to it."""
        self._execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )

    def _execute(self, statement: sql.Composed) -> None:
        """Run `statement` on the admin connection, connecting again once when the server went
        away under it (restarted by someone else, say)."""
        with self._lock:
            for attempt in (1, 2):
                if self._admin is None or self._admin.closed or self._admin.broken:
                    self._admin = psycopg.connect(self.url(), autocommit=True, connect_timeout=10)
                try:
                    self._admin.execute(statement)
                    return
                except psycopg.OperationalError:
                    if attempt == 2 or not self._admin.broken:
                        raise

    def _close_admin(self) -> None:
        with self._lock:
            if self._admin is not None:
                self._admin.close()
                self._admin = None

    # -- processes ---------------------------------------------------------------------------

    def _run(self, command: list[str], *, log: IO[bytes] | None) -> subprocess.Popen[bytes]:
        """Start `command` in its own session, in the server's directory, as the unprivileged
        account when root, with a fixed environment (no PG* variable of the caller's)."""
        return subprocess.Popen(
            command,
            cwd=self.root,
            env={"LC_ALL": "C", "PATH": str(self.binaries.bindir)},
            stdin=subprocess.DEVNULL,
            stdout=log if log is not None else subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            user=self.run_as.uid if self.run_as else None,
            group=self.run_as.gid if self.run_as else None,
            extra_groups=[] if self.run_as else None,
        )

    def _initdb(self) -> None:
        if self.run_as is not None:
            os.chown(self.root, self.run_as.uid, self.run_as.gid)
        command = [
            str(self.binaries.initdb),
            f"--pgdata={self.data_dir}",
            f"--username={SUPERUSER}",
            "--auth=trust",
            # Byte order for text, as SQLite compares it: both backends sort alike.
            "--locale=C",
            "--encoding=UTF8",
            "--no-sync",
        ]
        initdb = self._run(command, log=None)
        try:
            output, _ = initdb.communicate(timeout=INITDB_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            initdb.kill()
            initdb.wait()
            raise PostgresError(f"initdb did not finish within {INITDB_TIMEOUT_S:.0f}s") from None
        if initdb.returncode != 0:
            text = output.decode(errors="replace").strip()
            raise PostgresError(f"initdb failed (exit {initdb.returncode}):\n{text}")
        (self.data_dir / "pg_hba.conf").write_text(
            "# Trust, for the local socket and 127.0.0.1 only.\n"
            "local all all trust\n"
            f"host all all {HOST}/32 trust\n"
        )
        self.socket_dir.mkdir(mode=0o700)
        if self.run_as is not None:
            os.chown(self.socket_dir, self.run_as.uid, self.run_as.gid)

    def _spawn_and_wait(self) -> None:
        settings = {
            **self.settings,
            "port": str(self.port),
            "unix_socket_directories": str(self.socket_dir),
        }
        command = [str(self.binaries.postgres), "-D", str(self.data_dir)]
        if self._setpriv is not None:
            # Should this process die without closing the server (kill -9, a crashed xdist
            # worker), the server gets SIGINT, a fast shutdown, instead of running on orphaned.
            command = [self._setpriv, "--pdeathsig", "INT", *command]
        for key, value in settings.items():
            command += ["-c", f"{key}={value}"]
        with self.log_path.open("ab") as log:
            offset = log.tell()
            self._process = self._run(command, log=log)
        self._wait_ready(offset)

    def _wait_ready(self, log_offset: int) -> None:
        assert self._process is not None
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            if self._process.poll() is not None:
                output = self._log_since(log_offset)
                if "could not bind" in output or "Address already in use" in output:
                    raise _PortTaken
                raise PostgresError(
                    f"postgres exited with {self._process.returncode} while starting:\n{output}"
                )
            try:
                # Through the socket in our own directory: no other server can answer there.
                psycopg.connect(
                    host=str(self.socket_dir), port=self.port, user=SUPERUSER, connect_timeout=2
                ).close()
                return
            except psycopg.OperationalError as error:
                last = str(error).strip()
            if time.monotonic() > deadline:
                self.kill()
                raise PostgresError(
                    f"postgres on port {self.port} accepted no connection within "
                    f"{START_TIMEOUT_S:.0f}s (last: {last}); log:\n{self._log_since(log_offset)}"
                )
            time.sleep(0.05)

    def _log_since(self, offset: int) -> str:
        with self.log_path.open("rb") as log:
            log.seek(offset)
            return log.read().decode(errors="replace").strip()


class _PortTaken(Exception):
    """The port chosen for the server was taken before it could bind it."""


# Servers still open when the interpreter exits are closed then (an interrupted run included).
_live: set[ThrowawayPostgres] = set()


@atexit.register
def _close_all() -> None:
    for server in list(_live):
        server.close()
