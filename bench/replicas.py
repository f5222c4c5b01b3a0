"""N replicas of the mock on one database, as N hosts behind a load balancer would run them.

Each `Replica` is a real `kitty-mock-saas serve --database URL --port P` process on 127.0.0.1
(`--state FILE` when the store is a SQLite file rather than a `postgresql://` URL: the replicas
of one host, for comparisons), in its own process group, with its output in a log file. A
`ReplicaSet` starts N of them at once and stops them together. A replica is ready when
`/__admin/health` answers 200 with `status: ok`; it is stopped by its PID (SIGTERM, SIGKILL
after a grace period) or killed outright (`kill()`: SIGKILL, no cleanup, as a host that loses
power). A replica keeps its port, so `start()` after `kill()` brings it back where the load
balancer expects it.

    with ReplicaSet(postgres_url, count=2, workdir=tmp_path) as replicas:
        a, b = replicas
        httpx.get(f"{a.url}/__admin/health")

Every wait is bounded. Whatever is still running when the interpreter exits is stopped then.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import TracebackType
from typing import Any

import httpx

HOST = "127.0.0.1"
ADMIN_TOKEN = "admin-secret"
ADMIN = {"X-Admin-Token": ADMIN_TOKEN}
START_TIMEOUT_S = 60.0
STOP_GRACE_S = 10.0
KILL_WAIT_S = 10.0
# `serve` exits 3 when its port is taken; a port chosen here is then chosen again.
PORT_TAKEN_EXIT = 3
PORT_ATTEMPTS = 3


class ReplicaError(RuntimeError):
    """A replica did not become ready in time, or exited while starting."""


def free_port() -> int:
    """A port on 127.0.0.1 free at the time of asking."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def store_args(store: str) -> list[str]:
    """`serve`'s flags for a store: `--database URL` for PostgreSQL, else `--state FILE`."""
    if store.startswith(("postgresql://", "postgres://")):
        return ["--database", store]
    return ["--state", store]


class Replica:
    """One `kitty-mock-saas serve --database URL` process; see the module docstring."""

    def __init__(
        self,
        name: str,
        store: str,
        *,
        log_path: Path,
        args: Sequence[str] = (),
        env: Mapping[str, str] | None = None,
        executable: Sequence[str] = (sys.executable, "-m", "kitty_mock_saas.cli"),
    ) -> None:
        self.name = name
        self.store = store
        self.log_path = log_path
        self.args = tuple(args)
        self.env = dict(env or {})
        self.executable = tuple(executable)
        self.port: int | None = None
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        if self.port is None:
            raise ReplicaError(f"replica {self.name} has not been started")
        return f"http://{HOST}:{self.port}"

    @property
    def pid(self) -> int | None:
        """The serve process's PID while it runs."""
        process = self.process
        return process.pid if process is not None and process.poll() is None else None

    @property
    def running(self) -> bool:
        return self.pid is not None

    def start(self) -> Replica:
        """Start the process (on the port it had before, if any) and wait until it is ready."""
        if self.running:
            return self
        for attempt in range(PORT_ATTEMPTS):
            chosen_here = self.port is None
            if chosen_here:
                self.port = free_port()
            self._spawn()
            try:
                self._wait_ready()
                _running[id(self)] = self
                return self
            except _PortTaken:
                if not chosen_here or attempt == PORT_ATTEMPTS - 1:
                    raise ReplicaError(
                        f"port {self.port} of replica {self.name} is taken"
                    ) from None
                self.port = None
        raise AssertionError("unreachable")

    def stop(self) -> None:
        """SIGTERM to the replica's process group, SIGKILL after the grace period."""
        self.terminate()
        self.wait_stopped()

    def terminate(self) -> None:
        """SIGTERM to the replica's process group, without waiting for it to end."""
        process = self.process
        _running.pop(id(self), None)
        if process is not None and process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)

    def wait_stopped(self) -> None:
        """Wait for the process to end after `terminate()`; SIGKILL after the grace period."""
        process = self.process
        if process is None or process.poll() is not None:
            return
        try:
            process.wait(timeout=STOP_GRACE_S)
        except subprocess.TimeoutExpired:
            self.kill()

    def kill(self) -> None:
        """SIGKILL to the replica's process group: no graceful stop, no flush, no atexit."""
        process = self.process
        _running.pop(id(self), None)
        if process is None or process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=KILL_WAIT_S)

    def log_tail(self, chars: int = 3000) -> str:
        """The end of the replica's stderr (its banner, tracebacks)."""
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return ""

    def _spawn(self) -> None:
        argv = [
            *self.executable,
            "serve",
            "--host",
            HOST,
            "--port",
            str(self.port),
            *store_args(self.store),
            "--admin-token",
            ADMIN_TOKEN,
            "--admin-token-file",
            str(self.log_path.with_suffix(".token")),
            *self.args,
        ]
        with self.log_path.open("ab") as log:
            self._log_offset = log.tell()
            self.process = subprocess.Popen(
                argv,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                env={**os.environ, **self.env},  # noqa: TID251 - a child process's environment
            )

    def _wait_ready(self) -> None:
        process = self.process
        assert process is not None
        deadline = time.monotonic() + START_TIMEOUT_S
        last = "no answer yet"
        while True:
            if process.poll() is not None:
                if process.returncode == PORT_TAKEN_EXIT:
                    raise _PortTaken
                raise ReplicaError(
                    f"replica {self.name} exited with {process.returncode} while starting:\n"
                    f"{self.log_tail()}"
                )
            try:
                answer = httpx.get(f"{self.url}/__admin/health", timeout=2.0)
                if answer.status_code == 200 and answer.json().get("status") == "ok":
                    return
                last = f"{answer.status_code} {answer.text[:200]}"
            except (httpx.HTTPError, ValueError) as exc:
                last = repr(exc)
            if time.monotonic() > deadline:
                self.kill()
                raise ReplicaError(
                    f"replica {self.name} was not ready within {START_TIMEOUT_S:.0f}s "
                    f"(last: {last}):\n{self.log_tail()}"
                )
            time.sleep(0.05)


class _PortTaken(Exception):
    """The port chosen for a replica was taken before it could bind it."""


class ReplicaSet:
    """`count` replicas on one database, started together and always stopped together."""

    def __init__(
        self,
        store: str,
        *,
        count: int = 2,
        workdir: Path,
        args: Sequence[str] = (),
        env: Mapping[str, str] | None = None,
    ) -> None:
        workdir.mkdir(parents=True, exist_ok=True)
        self.replicas = [
            Replica(
                f"r{n}",
                store,
                log_path=workdir / f"replica-r{n}.log",
                args=args,
                env=env,
            )
            for n in range(count)
        ]

    def start(self) -> ReplicaSet:
        """Start every replica at once, as a deployment does (whichever takes the store's lock
        first migrates and seeds the database, the others find it done), and wait until each
        is ready."""
        try:
            with ThreadPoolExecutor(len(self.replicas)) as pool:
                list(pool.map(Replica.start, self.replicas))
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        """Every replica told to stop at once, then each waited for."""
        for replica in self.replicas:
            replica.terminate()
        for replica in self.replicas:
            replica.wait_stopped()

    def __enter__(self) -> ReplicaSet:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def __iter__(self) -> Iterator[Replica]:
        return iter(self.replicas)

    def __getitem__(self, index: int) -> Replica:
        return self.replicas[index]

    def __len__(self) -> int:
        return len(self.replicas)


# Replicas still running when the interpreter exits are stopped then (an interrupted run too).
_running: dict[int, Replica] = {}


@atexit.register
def _stop_all() -> None:
    for replica in list(_running.values()):
        replica.kill()


def bind_body(mission_id: str, ticket: dict[str, Any]) -> dict[str, Any]:
    """A bind of `mission_id` to a ticket, with the display fields the client would send."""
    key = ticket["key"]
    return {
        "provider": "linear",
        "mission_id": mission_id,
        "external_issue_id": ticket["id"],
        "external_issue_key": key,
        "external_issue_url": f"https://linear.app/acme/issue/{key}",
        "external_title": ticket["title"],
        "external_status": ticket["status"],
        "mission_slug": f"070-{key.lower()}",
        "project_slug": "acme-web",
    }
