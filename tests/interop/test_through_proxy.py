"""The same spec-kitty-cli 3.2.7 scenarios, through the validating proxy in front of the mock.

Every test of `test_upstream_cli` runs again with the CLI (and the scenarios' admin calls) talking
to `kitty-mock-saas proxy`; the last test reads the proxy's journal and its report on exit: the
unmodified CLI against our mock produces no contract violation, in either direction.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from kitty_mock_saas.process import MockProcess, start_mock

from tests.interop.mock_server import RunningMock, running_mock
from tests.interop.test_upstream_cli import *  # noqa: F403 - the scenarios, run once more


@pytest.fixture(scope="module")
def proxied(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[RunningMock, MockProcess, Path]]:
    logs = tmp_path_factory.mktemp("proxied")
    report = logs / "proxy-report.json"
    with running_mock(logs) as mock:
        proxy = start_mock("--upstream", mock.base_url, "--report", str(report), command="proxy")
        try:
            yield RunningMock(proxy.url, mock.process, mock.log_path), proxy, report
        finally:
            proxy.stop()


@pytest.fixture(scope="module")
def mock_saas(proxied: tuple[RunningMock, MockProcess, Path]) -> RunningMock:
    return proxied[0]


def test_zz_the_cli_flow_through_the_proxy_breaks_no_contract(
    proxied: tuple[RunningMock, MockProcess, Path],
) -> None:
    _, proxy, report_path = proxied
    journal = httpx.get(f"{proxy.url}/__proxy/journal", timeout=10).json()
    assert journal["exchanges"] >= 10
    assert journal["violating_exchanges"] == 0, json.dumps(journal["violations"], indent=2)
    proxy.stop()
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert report["exchanges"] == journal["exchanges"]  # its own pages are not exchanges
    assert report["violations"] == []
