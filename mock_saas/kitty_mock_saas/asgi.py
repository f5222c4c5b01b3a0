"""Entry point for uvicorn worker processes: settings come from the environment the CLI set."""

from __future__ import annotations

from fastapi import FastAPI

from .app import create_app
from .settings import MockSettings


def app_from_env() -> FastAPI:
    """`uvicorn --factory kitty_mock_saas.asgi:app_from_env` (what `serve --workers N` runs)."""
    return create_app(MockSettings.from_env())
