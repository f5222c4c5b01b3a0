"""Process and port helpers of the throwaway server (Linux /proc)."""

from __future__ import annotations

import contextlib
import socket
from pathlib import Path

HOST = "127.0.0.1"


def free_port() -> int:
    """A port on 127.0.0.1 free at the time of asking."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def _stat_fields(pid: int | str) -> list[str]:
    """/proc/PID/stat after the command name: state, ppid, ..."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def working_in(directory: Path) -> list[int]:
    """The PIDs of the processes whose working directory is `directory`: a PostgreSQL server's
    postmaster and backends all work in its data directory, and no other process does."""
    target = directory.resolve()
    found: list[int] = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "cwd").resolve(strict=True) == target:
                    found.append(int(entry.name))
            except OSError:
                continue  # ended meanwhile, or not ours to look at
    return found


def alive(pid: int) -> bool:
    """True while `pid` runs; a zombie (it holds no shared memory any more) counts as ended."""
    with contextlib.suppress(OSError, IndexError):
        return _stat_fields(pid)[0] != "Z"
    return False
