"""Fixtures for the upstream-CLI interop tests: the pinned CLI venv and the mock SaaS process."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.interop.mock_server import RunningMock, running_mock
from tests.interop.upstream_cli import UpstreamUnavailableError, ensure_upstream_venv


@pytest.fixture(scope="session")
def upstream_python() -> Path:
    """Python of the cached `spec-kitty-cli` venv.

    Without a route to PyPI the tests skip locally; under `CI=true` that is a failure, because CI
    must prove the interop for real.
    """
    try:
        return ensure_upstream_venv()
    except UpstreamUnavailableError as exc:
        if os.environ.get("CI", "").lower() == "true":  # noqa: TID251 - test configuration
            pytest.fail(f"upstream CLI could not be installed: {exc}")
        pytest.skip(f"upstream CLI could not be installed (no PyPI?): {exc}")


@pytest.fixture(scope="module")
def mock_saas(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningMock]:
    with running_mock(tmp_path_factory.mktemp("mock-saas")) as mock:
        yield mock
