"""Where the PostgreSQL server binaries are, and whom the server runs as."""

from __future__ import annotations

import contextlib
import os
import pwd
import re
import shutil
import stat
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

INSTALL_HINT = (
    "install Debian's `postgresql` package (as root: `bash tools/ensure_postgres.sh`, or "
    "`apt-get install postgresql`), or put a directory holding `initdb` and `postgres` on PATH"
)


class PostgresError(RuntimeError):
    """The throwaway server did not initialise, start or stop as it should."""


class PostgresNotFound(PostgresError):
    """No PostgreSQL server binaries on this machine."""


@dataclass(frozen=True)
class PostgresBinaries:
    """The directory holding `initdb` and `postgres`, and the server's major version."""

    bindir: Path
    version: str

    @property
    def initdb(self) -> Path:
        return self.bindir / "initdb"

    @property
    def postgres(self) -> Path:
        return self.bindir / "postgres"


def _version_key(directory: Path) -> tuple[int, ...]:
    """`/usr/lib/postgresql/15/bin` -> (15,); unparsable versions sort first."""
    return tuple(int(part) for part in re.findall(r"\d+", directory.parent.name)) or (-1,)


def candidate_bindirs(
    search_path: str | None = None,
    *,
    local_bin: Path = Path("/usr/local/bin"),
    debian_root: Path = Path("/usr/lib/postgresql"),
) -> list[Path]:
    """Where server binaries are looked for, in order: PATH (or `search_path`), /usr/local/bin,
    then Debian's /usr/lib/postgresql/<version>/bin from the highest version down."""
    found = shutil.which("initdb", path=search_path)
    dirs = [Path(found).parent] if found else []
    dirs.append(local_bin)
    dirs.extend(sorted(debian_root.glob("*/bin"), key=_version_key, reverse=True))
    return list(dict.fromkeys(dirs))


def find_binaries(candidates: Sequence[Path] | None = None) -> PostgresBinaries:
    """The first of `candidates` (default: `candidate_bindirs()`) holding both `initdb` and
    `postgres`; PostgresNotFound, naming what to install, when none does."""
    candidates = candidate_bindirs() if candidates is None else candidates
    for bindir in candidates:
        initdb, postgres = bindir / "initdb", bindir / "postgres"
        if os.access(initdb, os.X_OK) and os.access(postgres, os.X_OK):
            answer = subprocess.run(
                [str(postgres), "--version"], capture_output=True, text=True, timeout=30
            )
            match = re.search(r"(\d+)(?:\.\d+)?", answer.stdout)
            if answer.returncode != 0 or match is None:
                raise PostgresError(f"{postgres} --version failed: {answer.stderr.strip()}")
            return PostgresBinaries(bindir, match.group(1))
    searched = ", ".join(str(d) for d in candidates)
    raise PostgresNotFound(
        f"no PostgreSQL server binaries (initdb and postgres) in {searched}: {INSTALL_HINT}"
    )


@dataclass(frozen=True)
class RunAs:
    """The unprivileged account the server runs as when this process is root."""

    name: str
    uid: int
    gid: int

    @staticmethod
    def for_this_process() -> RunAs | None:
        """None unless root; then `postgres`, else `nobody` (initdb refuses root)."""
        if os.geteuid() != 0:
            return None
        for name in ("postgres", "nobody"):
            with contextlib.suppress(KeyError):
                entry = pwd.getpwnam(name)
                return RunAs(name, entry.pw_uid, entry.pw_gid)
        raise PostgresError("running as root and neither a `postgres` nor a `nobody` user exists")

    def check_reachable(self, directory: Path) -> None:
        """`directory` and its parents must let this account through (a TMPDIR under /root
        would not)."""
        for parent in [directory.resolve(), *directory.resolve().parents]:
            mode = parent.stat()
            if not (mode.st_mode & stat.S_IXOTH or mode.st_uid == self.uid):
                raise PostgresError(
                    f"{parent} is not searchable by the `{self.name}` user the server runs as "
                    "(PostgreSQL refuses to run as root): use a base directory under /tmp"
                )
