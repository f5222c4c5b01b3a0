"""Paths as callers pass them: a `str` or any `os.PathLike`, made a `Path` at the public edge."""

from __future__ import annotations

import os
from pathlib import Path

# What every public function taking a file or directory accepts.
StrPath = str | os.PathLike[str]


def as_path(value: StrPath) -> Path:
    """`value` as a `Path` (a `Path` is returned as is)."""
    return value if isinstance(value, Path) else Path(value)
