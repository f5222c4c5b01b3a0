"""The throwaway PostgreSQL server (bench/throwaway_postgres) and its pytest fixtures."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest

from bench.throwaway_postgres import (
    PostgresError,
    PostgresNotFound,
    ThrowawayPostgres,
    find_binaries,
)
from bench.throwaway_postgres.binaries import candidate_bindirs
from bench.throwaway_postgres.processes import alive, working_in
from tests.conftest import ROOT
from tests.postgres_server import postgres_unavailable


def _count(url: str) -> int:
    with psycopg.connect(url) as connection:
        row = connection.execute("SELECT count(*) FROM kept").fetchone()
    assert row is not None
    return int(row[0])


def test_two_databases_are_empty_and_separate(postgres_server: ThrowawayPostgres) -> None:
    first = postgres_server.create_database()
    second = postgres_server.create_database()
    assert first != second
    with psycopg.connect(first, autocommit=True) as connection:
        connection.execute("CREATE TABLE only_here (x int)")
    with psycopg.connect(second) as connection:
        tables = connection.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
        ).fetchone()
        collation = connection.execute("SHOW lc_collate").fetchone()
    assert tables == (0,)
    assert collation == ("C",)  # text sorts by bytes, as in SQLite
    postgres_server.drop_database(first.rsplit("/", 1)[1])
    with pytest.raises(psycopg.OperationalError, match="does not exist"):
        psycopg.connect(first).close()


def test_restart_and_crash_keep_port_and_committed_rows() -> None:
    """The same directory and port after a fast restart and after SIGKILL; nothing committed
    is lost; close() leaves no process and no directory."""
    server = ThrowawayPostgres()
    try:
        server.start()
        port, url = server.port, server.create_database("kept_db")
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute("CREATE TABLE kept (x int)")
            connection.execute("INSERT INTO kept VALUES (1)")
        first_pid = server.pid
        server.restart()
        assert (server.port, _count(url)) == (port, 1)
        assert server.pid != first_pid

        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute("INSERT INTO kept VALUES (2)")
            postmaster = server.pid
            processes = working_in(server.data_dir)
            server.kill()
        assert postmaster in processes
        assert len(processes) > 2  # the postmaster, this connection's backend, the checkpointer...
        assert not any(alive(pid) for pid in processes)
        with pytest.raises(psycopg.OperationalError):
            psycopg.connect(url, connect_timeout=2).close()
        server.start()
        assert (server.port, _count(url)) == (port, 2)
        last_processes = working_in(server.data_dir)
        assert server.pid in last_processes
    finally:
        server.close()
    assert not any(alive(pid) for pid in last_processes)
    assert not server.root.exists()


OWNER = """
import os, sys
from bench.throwaway_postgres import ThrowawayPostgres
server = ThrowawayPostgres().start()
print(server.pid, server.root, flush=True)
sys.stdin.read()
"""


@pytest.mark.skipif(shutil.which("setpriv") is None, reason="needs util-linux setpriv")
def test_a_server_whose_owner_is_killed_shuts_down() -> None:
    """kill -9 of the process that started it (a crashed xdist worker) leaves no server."""
    owner = subprocess.Popen(
        [sys.executable, "-c", OWNER],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    postmaster, root = 0, ""
    try:
        assert owner.stdout is not None
        pid_text, root = owner.stdout.readline().split()
        postmaster = int(pid_text)
        assert alive(postmaster)
        owner.kill()
        owner.wait(timeout=10)
        deadline = time.monotonic() + 20
        while alive(postmaster) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not alive(postmaster)
    finally:
        owner.kill()
        owner.wait(timeout=10)
        if postmaster and alive(postmaster):
            os.kill(postmaster, signal.SIGKILL)  # the server this test started, left orphaned
        if root:
            shutil.rmtree(root, ignore_errors=True)


def test_a_taken_port_on_restart_is_a_clear_error() -> None:
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen(1)
        server = ThrowawayPostgres()
        server.port = squatter.getsockname()[1]
        try:
            with pytest.raises(PostgresError, match=f"port {server.port} is taken"):
                server.start()
            assert not server.running
        finally:
            server.close()
    assert not server.root.exists()


@pytest.mark.skipif(os.geteuid() != 0, reason="only root must hand the server to another user")
def test_as_root_the_server_runs_unprivileged(postgres_server: ThrowawayPostgres) -> None:
    pid = postgres_server.pid
    assert pid is not None
    status = Path(f"/proc/{pid}/status").read_text()
    (uid_line,) = [line for line in status.splitlines() if line.startswith("Uid:")]
    assert uid_line.split()[1] != "0"


def test_debian_versions_are_tried_highest_first(tmp_path: Path) -> None:
    for version in ("9.6", "15", "16"):
        (tmp_path / version / "bin").mkdir(parents=True)
    dirs = candidate_bindirs("", local_bin=tmp_path / "local", debian_root=tmp_path)
    assert dirs == [tmp_path / "local", *(tmp_path / v / "bin" for v in ("16", "15", "9.6"))]


def test_missing_binaries_name_what_to_install(tmp_path: Path) -> None:
    (tmp_path / "initdb").touch(mode=0o755)  # postgres itself is missing
    with pytest.raises(PostgresNotFound, match="Debian's `postgresql` package") as missing:
        find_binaries([tmp_path])
    assert str(tmp_path) in str(missing.value)
    assert "tools/ensure_postgres.sh" in str(missing.value)


def test_missing_binaries_skip_the_tests_except_under_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    missing = PostgresNotFound("no PostgreSQL server binaries: install postgresql")
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="install postgresql"):
        postgres_unavailable(missing)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="install postgresql"):
        postgres_unavailable(missing)


@pytest.mark.parametrize("turn", [1, 2])
def test_each_test_gets_an_empty_database(
    turn: int, postgres_url: str, request: pytest.FixtureRequest
) -> None:
    """Both turns leave a table behind; the other turn would see it in a shared database."""
    assert request.node.get_closest_marker("postgres") is not None
    with psycopg.connect(postgres_url, autocommit=True) as connection:
        count = connection.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
        ).fetchone()
        connection.execute(f"CREATE TABLE left_behind_{turn} (x int)")
    assert count == (0,)


def test_a_lost_admin_connection_is_opened_again(postgres_server: ThrowawayPostgres) -> None:
    postgres_server.create_database()  # the admin connection is open now
    with psycopg.connect(postgres_server.url(), autocommit=True) as other:
        ended = other.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE pid <> pg_backend_pid() AND backend_type = 'client backend'"
        ).fetchall()
    assert ended
    assert postgres_server.create_database().startswith(postgres_server.url("db_"))
