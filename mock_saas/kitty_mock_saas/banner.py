"""What `kitty-mock-saas serve` says when it starts: where everything is and who may call it.

Every line fits in 80 columns (CI logs do not wrap it mid-phrase); long values continue on the
next line under their column.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from kitty_contracts import Provider

from .fixtures import Fixtures
from .settings import MEMORY, MockSettings
from .state.db import database_label
from .versions import version_line

WIDTH = 80
_LABEL = 14


@dataclass(frozen=True)
class AdminTokenInfo:
    token: str
    source: str  # "--admin-token", "KITTY_MOCK_ADMIN_TOKEN" or "generated"
    file: str | None


def _rows(label: str, value: str) -> list[str]:
    lines = textwrap.wrap(
        value,
        width=WIDTH,
        initial_indent=f"  {label:<{_LABEL - 2}}",
        subsequent_indent=" " * _LABEL,
        break_on_hyphens=False,
    )
    return lines or [f"  {label}"]


def _users(fixtures: Fixtures) -> list[str]:
    rows = []
    for user in fixtures.users:
        teams = [t for t in user.teams if not t.endswith("-private")] or user.teams
        missing = [p.value for p in Provider if p not in user.links]
        note = f"; no {', '.join(missing)} link" if missing else ""
        rows.append(f"Bearer {user.token}: {user.email}, team {', '.join(teams)}{note}")
    return rows


def _projects(fixtures: Fixtures) -> list[str]:
    return [
        f"{m.team}/{m.project_slug} -> {m.provider.value} {m.container}"
        for m in fixtures.resource_mappings
    ]


def render_banner(
    *,
    url: str,
    settings: MockSettings,
    fixtures: Fixtures,
    workers: int,
    trackers: dict[str, str],
    admin: AdminTokenInfo,
    trackers_source: str,
) -> str:
    if settings.database_url is not None:
        state = f"PostgreSQL {database_label(settings.database_url)} (shared by its replicas)"
    elif settings.state_path == MEMORY:
        state = "in memory (lost at exit; --state FILE keeps it)"
    else:
        state = settings.state_path
    corpus = (
        f"{settings.corpus:,} synthetic tickets + the seeded ones"
        if settings.corpus
        else "the seeded tickets only (--corpus N adds N)"
    )
    where = f"; also in {admin.file}" if admin.file else ""
    lines = textwrap.wrap(version_line(), width=WIDTH, subsequent_indent=" " * _LABEL)
    lines += _rows("API", f"{url}/api/v1/ (X-Team-Slug: acme)")
    lines += _rows("dashboard", f"{url}/")
    lines += _rows("reference", f"{url}/docs (SaaS), {url}/docs/admin (admin API)")
    lines += _rows("health", f"{url}/__admin/health")
    lines += _rows("admin token", f"{admin.token} ({admin.source}{where})")
    lines += _rows("state", f"{state}; {workers} worker(s)")
    lines += _rows("corpus", corpus)
    for index, user in enumerate(_users(fixtures)):
        lines += _rows("users" if index == 0 else "", user)
    for index, project in enumerate(_projects(fixtures)):
        lines += _rows("projects" if index == 0 else "", project)
    for index, (provider, route) in enumerate(trackers.items()):
        lines += _rows("trackers" if index == 0 else "", f"{provider}: {route}")
    lines += _rows("", f"({trackers_source})")
    if settings.log_requests:
        lines += _rows("requests", "one line each below (--log-requests)")
    lines.append("Ctrl-C stops it.")
    return "\n".join(lines)
