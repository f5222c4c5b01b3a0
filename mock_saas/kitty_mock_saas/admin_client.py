"""A typed Python door to the admin API (contracts/admin.yaml), bound to one sandbox.

    admin = MockAdmin(httpx.Client(base_url=url), sandbox="ci-42")
    admin.faults.rate_limit(count=2, operation="bindMissionOrigin")
    assert admin.journal.count(operation="bindMissionOrigin", status=429) == 2
    admin.tickets.update("linear", "WEB-123", title="Add passkeys", status_category="done")
    admin.reset()

Every call raises `AdminError` when the mock refuses it; the answers are the admin contract's.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

from .admin_token import DOCUMENTED_DEFAULT
from .faults import WireFault
from .sandboxes import SANDBOX_HEADER

# The admin token of the mock in process; a served mock makes a random one unless given.
DEFAULT_ADMIN_TOKEN = DOCUMENTED_DEFAULT


class AdminError(RuntimeError):
    """The mock refused an admin call; `status` and `body` are its answer."""

    def __init__(self, status: int, body: Any) -> None:
        super().__init__(f"admin call refused with {status}: {body}")
        self.status = status
        self.body = body


class _Calls:
    def __init__(self, http: httpx.Client, headers: Mapping[str, str]) -> None:
        self._http = http
        self._headers = dict(headers)

    def call(self, method: str, path: str, body: Any = None, **params: Any) -> Any:
        response = self._http.request(
            method,
            f"/__admin{path}",
            json=body,
            params={k: v for k, v in params.items() if v is not None} or None,
            headers=self._headers,
        )
        payload = response.json() if response.content else None
        if response.status_code >= 400:
            raise AdminError(response.status_code, payload)
        return payload


def _scope(count: int, operation: str | None, user: str | None, **params: Any) -> dict[str, Any]:
    return {
        "count": count,
        **{k: v for k, v in params.items() if v is not None},
        **({"operation": operation} if operation else {}),
        **({"user": user} if user else {}),
    }


class Faults:
    """Inject faults into the contract's routes; `operation` (an operationId) and `user` (a user
    id) narrow one to those requests; `count` is how many requests it hits."""

    def __init__(self, calls: _Calls) -> None:
        self._calls = calls

    def _add(self, kind: str, params: Any) -> list[dict[str, Any]]:
        faults: list[dict[str, Any]] = self._calls.call("POST", "/faults", {kind: params})["faults"]
        return faults

    def rate_limit(
        self,
        count: int = 1,
        *,
        retry_after_seconds: float = 1,
        operation: str | None = None,
        user: str | None = None,
    ) -> list[dict[str, Any]]:
        """429 `rate_limited` with Retry-After."""
        return self._add(
            "rate_limit", _scope(count, operation, user, retry_after_seconds=retry_after_seconds)
        )

    def error(
        self,
        status: int = 500,
        count: int = 1,
        *,
        operation: str | None = None,
        user: str | None = None,
    ) -> list[dict[str, Any]]:
        """A 500, 502, 503 or 504 with the catalogue's code for it."""
        return self._add("error", _scope(count, operation, user, status=status))

    def outage(
        self,
        count: int = 1,
        *,
        retry_after_seconds: float | None = None,
        operation: str | None = None,
        user: str | None = None,
    ) -> list[dict[str, Any]]:
        """503 `service_unavailable`."""
        return self._add(
            "outage", _scope(count, operation, user, retry_after_seconds=retry_after_seconds)
        )

    def latency(
        self,
        ms: int,
        count: int = 1,
        *,
        jitter_ms: int = 0,
        operation: str | None = None,
        user: str | None = None,
    ) -> list[dict[str, Any]]:
        """Answer `ms` (± up to `jitter_ms`) later."""
        return self._add("latency", _scope(count, operation, user, ms=ms, jitter_ms=jitter_ms))

    def async_bind(self) -> list[dict[str, Any]]:
        """Binds answer 202 with an operation to poll, until the faults are cleared."""
        return self._add("async_bind", True)

    def wire(
        self,
        kind: WireFault,
        count: int = 1,
        *,
        operation: str | None = None,
        user: str | None = None,
        **params: Any,
    ) -> list[dict[str, Any]]:
        """`connection_reset`, `empty_response`, `truncated_body`, `slow_drip`
        (`bytes_per_second=`), `malformed_json` or `contract_violation`."""
        return self._add(kind, _scope(count, operation, user, **params))

    def connection_reset(self, count: int = 1, **scope: str) -> list[dict[str, Any]]:
        """TCP RST before any answer (the handler does not run)."""
        return self.wire("connection_reset", count, **scope)

    def empty_response(self, count: int = 1, **scope: str) -> list[dict[str, Any]]:
        """The connection closed without a status line (the handler does not run)."""
        return self.wire("empty_response", count, **scope)

    def truncated_body(self, count: int = 1, **scope: str) -> list[dict[str, Any]]:
        """The real answer's head and half its body, then a close (the handler ran)."""
        return self.wire("truncated_body", count, **scope)

    def slow_drip(
        self, bytes_per_second: int, count: int = 1, **scope: str
    ) -> list[dict[str, Any]]:
        """The real answer, its body at `bytes_per_second`."""
        return self.wire("slow_drip", count, bytes_per_second=bytes_per_second, **scope)

    def malformed_json(self, count: int = 1, **scope: str) -> list[dict[str, Any]]:
        """A 200 whose body is cut-off JSON."""
        return self.wire("malformed_json", count, **scope)

    def contract_violation(self, count: int = 1, **scope: str) -> list[dict[str, Any]]:
        """A 200 with a JSON body that breaks the operation's schema."""
        return self.wire("contract_violation", count, **scope)

    def list(self) -> list[dict[str, Any]]:
        faults: list[dict[str, Any]] = self._calls.call("GET", "/faults")["faults"]
        return faults

    def clear(self) -> int:
        return int(self._calls.call("DELETE", "/faults")["cleared"])


class Journal:
    """The requests the mock received (newest first), queried by any of: `method`, `path`,
    `operation`, `status`, `user`, `headers={"Idempotency-Key": ...}`, `body={"mission_id": ...}`
    (dots reach into nested objects)."""

    def __init__(self, calls: _Calls) -> None:
        self._calls = calls

    def _query(self, criteria: dict[str, Any]) -> dict[str, Any]:
        query = {k: v for k, v in criteria.items() if v is not None and v != {}}
        answer: dict[str, Any] = self._calls.call("POST", "/journal/find", query)
        return answer

    def count(
        self,
        *,
        method: str | None = None,
        path: str | None = None,
        operation: str | None = None,
        status: int | None = None,
        user: str | None = None,
        headers: Mapping[str, str] | None = None,
        body: Mapping[str, Any] | None = None,
    ) -> int:
        return int(
            self._query(
                {
                    "method": method,
                    "path": path,
                    "operation": operation,
                    "status": status,
                    "user": user,
                    "headers": headers,
                    "body": body,
                    "limit": 1,
                }
            )["count"]
        )

    def find(
        self,
        *,
        method: str | None = None,
        path: str | None = None,
        operation: str | None = None,
        status: int | None = None,
        user: str | None = None,
        headers: Mapping[str, str] | None = None,
        body: Mapping[str, Any] | None = None,
        limit: int = 100,
    ) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = self._query(
            {
                "method": method,
                "path": path,
                "operation": operation,
                "status": status,
                "user": user,
                "headers": headers,
                "body": body,
                "limit": limit,
            }
        )["requests"]
        return found

    def clear(self) -> int:
        return int(self._calls.call("DELETE", "/journal")["cleared"])


_UNSET: Any = object()


class Tickets:
    """The tickets of the embedded tracker fakes, named by provider and key (`IAM-42`,
    `WEB-123`, `acme/web#3`) or stable id (`10342`); changed as the tracker's users would change
    them. Search, bind and refresh see a change at once; `reset()` undoes every change."""

    def __init__(self, calls: _Calls) -> None:
        self._calls = calls

    def _call(self, method: str, provider: str, ticket: str, body: Any = None) -> dict[str, Any]:
        answer: dict[str, Any] = self._calls.call(
            method, "/ticket", body, provider=provider, ticket=ticket
        )
        return answer

    def get(self, provider: str, ticket: str) -> dict[str, Any]:
        """The ticket as the world holds it (`WorldTicket`), deleted ones too."""
        return self._call("GET", provider, ticket)

    def update(
        self,
        provider: str,
        ticket: str,
        *,
        title: str | None = None,
        body: str | None = _UNSET,
        status_category: str | None = None,
        status_name: str | None = None,
        restricted_to: list[str] | None = _UNSET,
        deleted: bool | None = None,
    ) -> dict[str, Any]:
        """Change what is given (`body=None` clears the description, `restricted_to=None` shows
        it to everyone); returns the ticket after the change."""
        changes: dict[str, Any] = {
            name: value
            for name, value in (
                ("title", title),
                ("status_category", status_category),
                ("status_name", status_name),
                ("deleted", deleted),
            )
            if value is not None
        }
        if body is not _UNSET:
            changes["body"] = body
        if restricted_to is not _UNSET:
            changes["restricted_to"] = restricted_to
        return self._call("PATCH", provider, ticket, changes)

    def delete(self, provider: str, ticket: str) -> dict[str, Any]:
        """Delete it (a tombstone: the tracker answers not found from now on)."""
        return self._call("DELETE", provider, ticket)


class MockAdmin:
    """The admin API of one mock, acting on one sandbox (the default state for None)."""

    def __init__(
        self,
        http: httpx.Client,
        *,
        sandbox: str | None = None,
        admin_token: str = DEFAULT_ADMIN_TOKEN,
    ) -> None:
        headers = {"X-Admin-Token": admin_token}
        if sandbox is not None:
            headers[SANDBOX_HEADER] = sandbox
        self.sandbox = sandbox
        self._calls = _Calls(http, headers)
        self.faults = Faults(self._calls)
        self.journal = Journal(self._calls)
        self.tickets = Tickets(self._calls)

    def reset(self) -> None:
        """Back to the seeded state: state, journal and faults (snapshots are kept)."""
        self._calls.call("POST", "/reset")

    def snapshot(self, name: str) -> dict[str, Any]:
        saved: dict[str, Any] = self._calls.call("PUT", f"/snapshots/{name}")
        return saved

    def restore(self, name: str) -> dict[str, Any]:
        restored: dict[str, Any] = self._calls.call("POST", f"/snapshots/{name}/restore")
        return restored

    def state(self) -> dict[str, Any]:
        state: dict[str, Any] = self._calls.call("GET", "/state")
        return state

    def origin_links(self, limit: int = 200) -> list[dict[str, Any]]:
        links: list[dict[str, Any]] = self._calls.call("GET", "/origin-links", limit=limit)[
            "origin_links"
        ]
        return links

    def events(self, event_type: str | None = None, limit: int = 200) -> dict[str, Any]:
        found: dict[str, Any] = self._calls.call(
            "GET", "/events", event_type=event_type, limit=limit
        )
        return found

    def create_sandbox(self, name: str | None = None) -> str:
        body = {"name": name} if name else {}
        return str(self._calls.call("POST", "/sandboxes", body)["name"])

    def set_origin_providers(self, team: str, providers: list[str]) -> list[str]:
        """Set the team's origin provider policy; the policy now."""
        answer = self._calls.call(
            "PUT", f"/teams/{team}/origin-providers", {"origin_providers": providers}
        )
        return list(answer["origin_providers"])

    def delete_sandbox(self, name: str) -> None:
        self._calls.call("DELETE", f"/sandboxes/{name}")

    def sandboxes(self) -> list[dict[str, Any]]:
        listed: list[dict[str, Any]] = self._calls.call("GET", "/sandboxes")["sandboxes"]
        return listed
