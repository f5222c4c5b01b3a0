"""The mock's own web pages: a live dashboard of its state at `/` and the API reference at `/docs`.

Read-only, server-rendered, and self-contained: every asset is served from this package.
"""

from __future__ import annotations

from .routes import dashboard_routes, mount_dashboard

__all__ = ["dashboard_routes", "mount_dashboard"]
