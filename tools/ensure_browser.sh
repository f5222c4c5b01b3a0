#!/usr/bin/env bash
# Install what the browser tests (tests/dashboard/) need; safe to run again and again.
#
#   bash tools/ensure_browser.sh [PYTHON]      PYTHON defaults to .venv/bin/python
#
# 1. Chromium from Debian (/usr/bin/chromium), with apt-get when running as root.
# 2. The Playwright driver (pip package, pinned in pyproject.toml) into PYTHON's environment.
# Playwright's own browser download is never used: the tests drive the system Chromium.
# When the browser cannot be installed here, this says why and exits 0; the tests then skip
# with the same reason, except under CI=true, where they fail.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${1:-$ROOT/.venv/bin/python}"
CHROMIUM=/usr/bin/chromium

if [[ -x "$CHROMIUM" ]]; then
    :
elif [[ "$(id -u)" -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "ensure_browser: installing chromium with apt-get" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq chromium >/dev/null
else
    echo "ensure_browser: no $CHROMIUM and cannot install it (needs root and apt-get):" \
        "the browser tests will skip (or fail under CI=true)" >&2
fi

# The pin lives in pyproject.toml's dev dependencies; one source of truth for the version.
PIN="$(grep -oE '"playwright==[^"]+"' "$ROOT/pyproject.toml" | tr -d '"' || true)"
if ! "$PYTHON" -c "import playwright.sync_api" >/dev/null 2>&1; then
    echo "ensure_browser: installing ${PIN:-playwright} into $PYTHON" >&2
    "$PYTHON" -m pip install --quiet "${PIN:-playwright}"
fi
