"""Without a browser the browser tests skip with the fix, except under CI=true, where they fail."""

from __future__ import annotations

import pytest

from .conftest import browser_unavailable


def test_a_missing_browser_skips_with_the_fix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match=r"tools/ensure_browser\.sh"):
        browser_unavailable("no Chromium")


def test_a_missing_browser_fails_under_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="no Chromium"):
        browser_unavailable("no Chromium")
