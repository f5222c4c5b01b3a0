"""What every request of the fake Jira goes through first: injected faults, the rate limit,
the credential, and the API version; plus Jira's error bodies."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from kitty_mock_saas.tracker_fakes._common import FakeFaults, request_token

from .render import Call
from .world_view import JiraWorld

__all__ = ["Handler", "JiraGate", "error", "field_errors", "not_found_route"]

Handler = Callable[[Request, Call], Awaitable[Response]]
_VERSIONS = ("2", "3", "latest")
# Sites remembered (one per address the fake is reached at; bounded against made-up Hosts).
_SITES = 64


def error(status: int, *messages: str, headers: dict[str, str] | None = None) -> JSONResponse:
    """Jira's `ErrorCollection` with `errorMessages`."""
    return JSONResponse(
        {"errorMessages": list(messages), "errors": {}}, status_code=status, headers=headers
    )


def field_errors(errors: dict[str, str], status: int = 400) -> JSONResponse:
    """Jira's `ErrorCollection` naming the fields at fault."""
    return JSONResponse({"errorMessages": [], "errors": errors}, status_code=status)


def not_found_route(request: Request) -> JSONResponse:
    """What Jira's REST layer answers for a path it has no resource for (its own sentence, in
    the error body every documented operation uses)."""
    return error(404, f"null for uri: {request.url}")


class JiraGate:
    """Faults, rate limit and authentication, in that order (as a proxy in front would)."""

    def __init__(self, jira: JiraWorld, faults: FakeFaults) -> None:
        self.jira, self.faults = jira, faults
        self._sites: dict[tuple[Any, ...], str] = {}

    def wrap(self, handler: Handler, *, anonymous: bool = False) -> Callable[..., Any]:
        async def endpoint(request: Request) -> Response:
            refused = self._refusal(request)
            if refused is not None:
                return refused
            version = request.path_params.get("version", "3")
            cloud_id = request.path_params.get("cloud_id")
            if version not in _VERSIONS or (
                cloud_id is not None and cloud_id != self.jira.cloud_id()
            ):
                return not_found_route(request)
            token = request_token(request)
            account = self.jira.account_for_token(token) if token else None
            if account is None and not anonymous:
                return error(401, "Client must be authenticated to access this resource.")
            site = self._site(request)
            if cloud_id is not None:
                site = f"{site}/ex/jira/{cloud_id}"
            return await handler(request, Call(site, version, account or ""))

        return endpoint

    def _site(self, request: Request) -> str:
        """The request's base URL without its trailing slash: what Starlette builds from the
        scheme, server, Host and root path (remembered: building it costs more than the lookup)."""
        scope = request.scope
        root = scope.get("app_root_path", scope.get("root_path", ""))
        key = (scope.get("scheme"), scope.get("server"), root, request.headers.get("host"))
        site = self._sites.get(key)
        if site is None:
            if len(self._sites) >= _SITES:
                self._sites.clear()
            site = self._sites[key] = str(request.base_url).rstrip("/")
        return site

    def _refusal(self, request: Request) -> Response | None:
        failure = self.faults.next_failure()
        if failure is not None:
            return error(failure, "Injected failure")
        if not self.faults.take_rate_limit():
            return None
        reset = datetime.fromtimestamp(
            self.jira.world.clock().timestamp() + self.faults.retry_after, UTC
        ).strftime("%Y-%m-%dT%H:%MZ")
        return error(
            429,
            "Rate limit exceeded.",
            headers={
                "Retry-After": str(self.faults.retry_after),
                "X-RateLimit-Limit": "100",
                "X-RateLimit-Remaining": "0",
                "X-RateLimit-Reset": reset,
                "RateLimit-Reason": "jira-burst-based",
            },
        )
