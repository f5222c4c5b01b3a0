"""Browser fixtures: the system Chromium driven by Playwright, against the mock as a live server.

`tools/ensure_browser.sh` installs the browser (`make test` runs it first). Without a browser
these tests skip with the reason, except under `CI=true`, where a missing browser is a failure.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn
from urllib.parse import urlsplit

import pytest
from kitty_mock_saas.process import running_mock

from tests.conftest import ROOT

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Route

OUTPUT_DIR = ROOT / "test-output"
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
# Quiet, deterministic, offline-friendly: nothing the browser does on its own reaches a network.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_HOSTS = {"127.0.0.1"}


def browser_unavailable(reason: str) -> NoReturn:
    """Skip with the fix; under CI=true (where the browser must be there) fail instead."""
    message = f"{reason}; run tools/ensure_browser.sh (as root) to install it"
    if os.environ.get("CI", "").lower() == "true":  # noqa: TID251 - test configuration
        pytest.fail(message)
    pytest.skip(message)


def chromium_path() -> str | None:
    """The system Chromium, if installed."""
    for candidate in CHROMIUM_CANDIDATES:
        if Path(candidate).is_file():
            return candidate
    return shutil.which("chromium")


# Package scope: Playwright's sync API keeps an asyncio loop running in the main thread while it
# is open, which would break every async test collected after the dashboard's.
@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """Headless system Chromium (Playwright never downloads a browser of its own here)."""
    executable = chromium_path()
    if executable is None:
        browser_unavailable("no Chromium at /usr/bin/chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        browser_unavailable("the Playwright driver (pip package playwright) is not installed")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture(scope="session")
def mock_url() -> Iterator[str]:
    """The base URL of a fresh mock process (in-memory state) for this test session."""
    with running_mock("--state", ":memory:") as mock:
        yield mock.url


class OffHostRequests(list[str]):
    """URLs the page tried to load from anywhere but the local mock (they were blocked)."""


@pytest.fixture
def offline_context(browser: Browser) -> Iterator[tuple[BrowserContext, OffHostRequests]]:
    """A browser context where every request off 127.0.0.1 is blocked and recorded."""
    attempted = OffHostRequests()
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    context.set_default_timeout(10_000)

    def guard(route: Route) -> None:
        url = route.request.url
        if url.startswith("data:") or urlsplit(url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            attempted.append(url)
            route.abort()

    context.route("**/*", guard)
    try:
        yield context, attempted
    finally:
        context.close()


@pytest.fixture(scope="session")
def output_dir() -> Path:
    """Where screenshots go (gitignored)."""
    OUTPUT_DIR.mkdir(exist_ok=True)
    return OUTPUT_DIR
