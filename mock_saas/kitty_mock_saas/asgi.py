"""Entry point for uvicorn worker processes: settings come from the environment the CLI set."""

from __future__ import annotations

from fastapi import FastAPI

from .app import create_app
from .request_log import enable_request_log
from .settings import MockSettings


def app_from_env() -> FastAPI:
    """`uvicorn --factory kitty_mock_saas.asgi:app_from_env` (what `serve --workers N` runs)."""
    settings = MockSettings.from_env()
    if settings.log_requests:
        enable_request_log()
    return create_app(settings)
