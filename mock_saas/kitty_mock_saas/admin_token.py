"""The admin token of a served mock: given, or random when none is, and kept in a file for the
pytest plugin (`--kitty-saas=http://127.0.0.1:PORT` reads it) and scripts.

The file is `~/.cache/kitty-mock-saas/admin-token-<port>` unless told otherwise, owner-only
(0600 in a 0700 directory), written at start and removed at a clean stop.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

# What the mock in process (tests, `make demo`) uses; a served mock never defaults to it.
DOCUMENTED_DEFAULT = "admin-secret"


def new_admin_token() -> str:
    return f"kma-{secrets.token_urlsafe(18)}"


def token_file(port: int, directory: Path | None = None) -> Path:
    """Where the mock serving on `port` keeps its admin token."""
    base = directory if directory is not None else Path.home() / ".cache" / "kitty-mock-saas"
    return base / f"admin-token-{port}"


def write_token_file(path: Path, token: str) -> None:
    """Owner-only from the start (no moment where another user may read it)."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(token + "\n")
    os.chmod(path, 0o600)  # an older file keeps its mode through O_TRUNC


def read_token_file(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8").strip() or None
    except OSError:
        return None


def remove_token_file(path: Path, token: str) -> None:
    """Remove it unless another mock on the port has written its own since."""
    if read_token_file(path) == token:
        with contextlib.suppress(OSError):
            path.unlink()
