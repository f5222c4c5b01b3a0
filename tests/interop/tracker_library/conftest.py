"""Fixtures for the spec-kitty-tracker interop suite: the library's venv, the three fakes as
processes over one world file, and a runner that calls the library's operations.

Per-provider modules (`test_jira.py`, `test_linear.py`, `test_github.py`) use::

    def test_get(library: LibraryRunner) -> None:
        run = library(Provider.jira, [Operation("get_issue", {"ref": {"id": "10342"}})])
        assert run["get_issue"].value["title"] == "Rotate signing keys for SSO"

`hosted_library(provider, operations, **params)` does the same with the library's hosted
connector (`create_hosted_connector`) through a stand-in for Nango's proxy; discovery
(`discover_workspaces`, `discover_resources`) runs only there. `world` is the fakes' own world (the same file), reset to the seeded state around each test that
asks for it, so a test can check what the library's writes did.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
from kitty_contracts import Provider
from kitty_mock_saas.tracker_fakes.world import TrackerWorld

from tests.interop.tracker_library.harness import (
    LibraryRun,
    LibraryUnavailableError,
    Operation,
    RunningFakes,
    default_config,
    default_hosted_params,
    ensure_library_venv,
    nango_connections,
    run_library,
    running_fakes,
)
from tests.interop.tracker_library.nango_standin import NangoStandIn, running_nango

LibraryRunner = Callable[..., LibraryRun]


@pytest.fixture(scope="session")
def library_python() -> Path:
    """Python of the cached `spec-kitty-tracker` venv.

    Without a route to PyPI the tests skip locally; under `CI=true` that is a failure, because CI
    must prove the interop for real.
    """
    try:
        return ensure_library_venv()
    except LibraryUnavailableError as exc:
        if os.environ.get("CI", "").lower() == "true":  # noqa: TID251 - test configuration
            pytest.fail(f"spec-kitty-tracker could not be installed: {exc}")
        pytest.skip(f"spec-kitty-tracker could not be installed (no PyPI?): {exc}")


@pytest.fixture(scope="session")
def tracker_fakes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningFakes]:
    """`kitty-mock-saas tracker-fake` for Jira, Linear and GitHub, on 127.0.0.1."""
    with running_fakes(tmp_path_factory.mktemp("tracker-fakes")) as fakes:
        yield fakes


@pytest.fixture
def world(tracker_fakes: RunningFakes) -> Iterator[TrackerWorld]:
    """The fakes' world, as seeded before and after the test."""
    with TrackerWorld(tracker_fakes.world_path) as shared:
        shared.revert_edits()
        try:
            yield shared
        finally:
            shared.revert_edits()


@pytest.fixture
def library(library_python: Path, tracker_fakes: RunningFakes) -> LibraryRunner:
    """`library(provider, operations, **config_overrides)`: the operations' outcomes, run by
    the library's own connector configured for that provider's fake (alice's token)."""

    def run(provider: Provider, operations: Sequence[Operation], **overrides: Any) -> LibraryRun:
        config: Mapping[str, Any] = {**default_config(tracker_fakes, provider), **overrides}
        return run_library(library_python, provider, config, operations)

    return run


@pytest.fixture(scope="session")
def nango(tracker_fakes: RunningFakes) -> Iterator[NangoStandIn]:
    """Nango's proxy, holding alice's connection to each fake (`acme-alice`)."""
    with running_nango(nango_connections(tracker_fakes)) as standin:
        yield standin


@pytest.fixture
def hosted_library(library_python: Path, nango: NangoStandIn) -> LibraryRunner:
    """`hosted_library(provider, operations, **params)`: the operations' outcomes, run by the
    library's hosted connector (its `*HostedParams` from `params`) over alice's Nango
    connection; `nango_secret_key=...` or `connection_id=...` override the connection."""

    def run(provider: Provider, operations: Sequence[Operation], **params: Any) -> LibraryRun:
        hosted = {
            "connection_id": params.pop("connection_id", "acme-alice"),
            "provider_config_key": provider.value,
            "nango_secret_key": params.pop("nango_secret_key", nango.secret_key),
            "nango_base_url": nango.base_url,
        }
        config = {**default_hosted_params(provider), **params}
        return run_library(library_python, provider, config, operations, hosted=hosted)

    return run
