"""Shared test fixtures: repository paths and the ../shared reference data."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def shared_dir() -> Path | None:
    """`../shared` beside the checkout, or `KITTY_SHARED_DIR`; None when neither exists."""
    configured = os.environ.get("KITTY_SHARED_DIR")  # noqa: TID251 - test configuration
    candidate = Path(configured) if configured else ROOT.parent / "shared"
    return candidate if candidate.is_dir() else None


@pytest.fixture(scope="session")
def shared() -> Path:
    """The shared reference data; a hard failure under CI, a skip elsewhere."""
    found = shared_dir()
    if found is None:
        message = "../shared (or KITTY_SHARED_DIR) is missing: provider schemas cannot be read"
        if os.environ.get("CI", "").lower() == "true":  # noqa: TID251 - test configuration
            pytest.fail(message)
        pytest.skip(message)
    return found
