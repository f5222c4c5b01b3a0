"""The SaaS and admin calls the replica tests make over HTTP, and the data they send.

Plain httpx against real sockets, with the client SDK's own per-attempt timeouts, so that a
replica that hangs on its database shows up as a timeout here as it would in the client.
"""

from __future__ import annotations

from typing import Any

import httpx
from kitty_contracts.validation import validator
from kitty_mock_saas.ids import ulid
from kitty_origin.settings import ClientSettings

from bench.replicas import ADMIN, Replica

ALICE = {"Authorization": "Bearer tok-alice", "X-Team-Slug": "acme"}
BIND = "/api/v1/tracker/mission-origin/bind/"
SEARCH = "/api/v1/tracker/issue-search/"
EVENTS = "/api/v1/events/batch/"
# Linear WEB tickets of the seeded world that alice may see and bind.
WEB_TICKETS = [f"WEB-{n}" for n in range(118, 130)]
SANDBOX = "X-Kitty-Sandbox"

_defaults = ClientSettings()
TIMEOUT = httpx.Timeout(_defaults.timeout_seconds, connect=_defaults.connect_timeout_seconds)


def client() -> httpx.Client:
    """A client for any replica (absolute URLs), with the SDK's per-attempt timeouts."""
    return httpx.Client(timeout=TIMEOUT)


def linear_ticket(replica: Replica, key: str, *, sandbox: str | None = None) -> dict[str, Any]:
    """A ticket of the tracker world (a sandbox's, if named) as the admin API shows it (its
    stable `id` included)."""
    answer = httpx.get(
        f"{replica.url}/__admin/ticket",
        params={"provider": "linear", "ticket": key},
        headers={**ADMIN, **({SANDBOX: sandbox} if sandbox else {})},
        timeout=TIMEOUT,
    )
    assert answer.status_code == 200, answer.text
    ticket: dict[str, Any] = answer.json()
    return ticket


def new_mission_id() -> str:
    return ulid()


def origin_event(event_id: str, mission_id: str, ticket: dict[str, Any]) -> dict[str, Any]:
    """A MissionOriginBound event as `spec-kitty sync` sends it."""
    key = ticket["key"]
    return {
        "event_id": event_id,
        "event_type": "MissionOriginBound",
        "aggregate_id": mission_id,
        "aggregate_type": "Mission",
        "schema_version": "3.0.0",
        "timestamp": "2026-04-01T09:30:01Z",
        "payload": {
            "mission_slug": f"070-{key.lower()}",
            "mission_id": mission_id,
            "provider": "linear",
            "external_issue_id": ticket["id"],
            "external_issue_key": key,
            "external_issue_url": f"https://linear.app/acme/issue/{key}",
            "title": ticket["title"],
        },
    }


def admin_get(replica: Replica, path: str, *, sandbox: str | None = None, **params: Any) -> Any:
    headers = {**ADMIN, **({SANDBOX: sandbox} if sandbox else {})}
    answer = httpx.get(
        f"{replica.url}/__admin/{path}", headers=headers, params=params, timeout=TIMEOUT
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


def admin_request(
    replica: Replica,
    path: str,
    body: Any = None,
    *,
    sandbox: str | None = None,
    method: str = "POST",
) -> httpx.Response:
    headers = {**ADMIN, **({SANDBOX: sandbox} if sandbox else {})}
    return httpx.request(
        method, f"{replica.url}/__admin/{path}", headers=headers, json=body, timeout=TIMEOUT
    )


def origin_links(replica: Replica, *, sandbox: str | None = None) -> list[dict[str, Any]]:
    """Every origin link the replica's store holds (the admin API's largest page)."""
    links: list[dict[str, Any]] = admin_get(replica, "origin-links", sandbox=sandbox, limit=1000)[
        "origin_links"
    ]
    assert len(links) < 1000, "more links than one page: the check would miss some"
    return links


def stored_event_ids(replica: Replica, *, sandbox: str | None = None) -> list[str]:
    events = admin_get(replica, "events", sandbox=sandbox, limit=1000)["events"]
    assert len(events) < 1000, "more events than one page: the check would miss some"
    return [str(item["event"]["event_id"]) for item in events]


def envelope(answer: httpx.Response) -> dict[str, Any]:
    """The answer's error envelope, checked against the contract's schema."""
    body: dict[str, Any] = answer.json()
    assert envelope_problems(body) == [], (answer.status_code, body)
    return body


def envelope_problems(body: Any) -> list[str]:
    """Why `body` is not the contract's `ErrorEnvelope` (empty when it is)."""
    return [error.message for error in validator("ErrorEnvelope").iter_errors(body)]


def unavailable_effect(status: int | None, body: Any) -> str | None:
    """For the contract's 503 `service_unavailable` (in its envelope), its `effect_certainty`:
    `no_effect` (nothing was written: what a replica answers while its database is away), or
    `unknown` (the database went away while a write committed); None for any other answer."""
    if (
        status != 503
        or envelope_problems(body) != []
        or body["error_code"] != "service_unavailable"
    ):
        return None
    return str(body["effect_certainty"])
