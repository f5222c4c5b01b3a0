"""The mock's door to the trackers: resource mapping → connector → canonical candidates.

Routes never branch on provider; every tracker goes through the same connector interface, and
every connector failure becomes one contract error here.
"""

from __future__ import annotations

import re
from typing import Any

from kitty_contracts import ErrorCode, OriginCandidate, Provider, StatusCategory

from .connectors import (
    ConnectorRegistry,
    ContainerRef,
    TaskTrackerConnector,
    TrackerIssue,
    TrackerWorld,
)
from .connectors.errors import (
    AuthenticationFailedError,
    CapabilityNotSupportedError,
    ConnectorError,
    InvalidQueryError,
    NotFoundError,
    OutOfScopeError,
    PermissionDeniedError,
    ProviderTimeoutError,
    ProviderUnavailableError,
    RateLimitedError,
)
from .connectors.fakes._common import FakeFaults
from .errors import ApiError
from .state.directory import ResourceMapping

_NAMES = {"jira": "Jira", "linear": "Linear", "github": "GitHub"}
_NOUNS = {"jira": "project", "linear": "team", "github": "repository"}
_EXPECTED = re.compile(r"\((expected [^)]+)\)\.?$")


def to_api_error(error: ConnectorError, provider: str, field: str) -> ApiError:
    """The contract error for a connector failure (search and bind share it)."""
    name = _NAMES.get(provider, provider)
    if isinstance(error, InvalidQueryError):
        # The detail names what was expected ("expected TEAM-123"); the message says it all.
        expected = _EXPECTED.search(error.message)
        issue = expected.group(1) if expected else error.message
        return ApiError(ErrorCode.invalid_query, error.message, details=[(field, issue)])
    if isinstance(error, RateLimitedError):
        wait = error.retry_after if error.retry_after is not None else 5.0
        return ApiError(
            ErrorCode.rate_limited,
            f"The {name} rate limit is exhausted. Retry in {wait:g} seconds.",
            retry_after_seconds=wait,
            source="provider",
        )
    if isinstance(error, AuthenticationFailedError | PermissionDeniedError):
        return ApiError(
            ErrorCode.user_link_required,
            f"{name} refused your linked identity. Re-link your {name} account in the Spec Kitty "
            "dashboard (Settings → Connected accounts).",
            user_action_required=True,
            source="provider",
        )
    if isinstance(error, ProviderTimeoutError):
        return ApiError(
            ErrorCode.provider_timeout,
            f"{name} did not answer in time. Retry shortly.",
            source="provider",
        )
    if isinstance(error, ProviderUnavailableError):
        return ApiError(
            ErrorCode.provider_unavailable,
            f"{name} is unavailable: {error.message}",
            source="provider",
        )
    return ApiError(
        ErrorCode.provider_unavailable,
        f"{name} answered unexpectedly: {error.message}",
        source="provider",
    )


class Trackers:
    """Connectors over the tracker world (the in-process fakes by default)."""

    def __init__(
        self,
        registry: ConnectorRegistry,
        world: TrackerWorld,
        containers: dict[tuple[str, str], ContainerRef],
    ) -> None:
        self._registry = registry
        self._world = world
        self._containers = containers

    async def resolve(
        self, mapping: ResourceMapping, credential: str, *, issue_id: str, key_hint: str | None
    ) -> TrackerIssue:
        """The ticket with stable id `issue_id` as the tracker sees it now, for this user.

        Raises: ApiError ticket_not_found (missing, deleted, invisible to the credential),
        ticket_out_of_scope (another container, or moved there), or the provider failure's code.
        """
        name = _NAMES.get(mapping.provider, mapping.provider)
        where = f"{_NOUNS.get(mapping.provider, 'container')} {mapping.container_key}"
        field = "body.external_issue_id"
        try:
            return await self._connector(mapping, credential).fetch_issue_by_id(
                issue_id, key_hint=key_hint
            )
        except NotFoundError as error:
            raise ApiError(
                ErrorCode.ticket_not_found,
                f"{name} has no issue {issue_id[:256]!r} that your linked identity can see in "
                f"{where} (missing, deleted or restricted). Search again and bind a candidate it "
                "returns.",
                details=[(field, "not found in the mapped container")],
            ) from error
        except OutOfScopeError as error:
            moved = f" (it moved to {error.moved_to})" if error.moved_to else ""
            noun = _NOUNS.get(mapping.provider, "container")
            raise ApiError(
                ErrorCode.ticket_out_of_scope,
                f"{name} issue {(key_hint or issue_id)[:256]} is not in {where}, which is mapped "
                f"to project {mapping.project_slug!r}{moved}. Bind a ticket of {where}, or map "
                f"the other {noun} to its own project.",
                details=[(field, "outside the mapped container")],
            ) from error
        except ConnectorError as error:
            raise to_api_error(error, mapping.provider, field) from error

    def _connector(self, mapping: ResourceMapping, credential: str | None) -> TaskTrackerConnector:
        """The mapped container's connector acting as `credential`; None: the installation."""
        container = self._containers[(mapping.provider, mapping.container_key)]
        return self._registry.connector(Provider(mapping.provider), container, credential)

    def writable(self, mapping: ResourceMapping) -> frozenset[StatusCategory]:
        """The status categories the mapped tracker can take."""
        return self._connector(mapping, None).capabilities.writable_status_categories

    async def write_status(
        self, mapping: ResourceMapping, ticket: TrackerIssue, status: StatusCategory
    ) -> TrackerIssue:
        """Move `ticket` (resolved for the user just before) to `status`, as the installation.

        The SaaS writes with the tracker installation's own credential: a user's identity
        decides what that user may see, not what the SaaS may change. The ticket is fetched
        again as the installation, by its current key, and must still be the same ticket.
        Raises: ApiError validation_failed (the tracker cannot represent `status`),
        ticket_not_found (the installation cannot see it), or the provider failure's code.
        """
        name = _NAMES.get(mapping.provider, mapping.provider)
        connector = self._connector(mapping, None)
        try:
            current = await connector.fetch_issue(ticket.external_issue_key)
            if current.external_issue_id != ticket.external_issue_id:
                raise NotFoundError(f"{ticket.external_issue_key} names another issue now")
            return await connector.set_status(current, status)
        except CapabilityNotSupportedError as error:
            can = sorted(c.value for c in connector.capabilities.writable_status_categories)
            raise ApiError(
                ErrorCode.validation_failed,
                f"{name} cannot represent the status {status.value} on "
                f"{ticket.external_issue_key}; it can take {', '.join(can) or 'none'}. "
                "Sync one of those, or leave the ticket as it is.",
                details=[("body.status", f"{name} can take: {', '.join(can) or 'none'}")],
            ) from error
        except NotFoundError as error:
            raise ApiError(
                ErrorCode.ticket_not_found,
                f"The Spec Kitty installation in {name} cannot see "
                f"{ticket.external_issue_key}, so its status was not written. Ask a {name} "
                "admin to give the Spec Kitty app access to it.",
                details=[("body.mission_id", "origin ticket invisible to the installation")],
            ) from error
        except (AuthenticationFailedError, PermissionDeniedError) as error:
            # Not the user's link: only a tracker admin can repair the installation.
            raise ApiError(
                ErrorCode.provider_unavailable,
                f"{name} refused the Spec Kitty installation's credential; nothing was written. "
                f"Ask a {name} admin to reinstall the Spec Kitty app.",
                source="provider",
            ) from error
        except ConnectorError as error:
            raise to_api_error(error, mapping.provider, "body.status") from error

    async def search(
        self,
        mapping: ResourceMapping,
        credential: str,
        *,
        query_key: str | None,
        query_text: str | None,
        limit: int,
    ) -> list[OriginCandidate]:
        """Exact-key lookup when a key is given (it wins), else relevance-ranked free text."""
        try:
            connector = self._connector(mapping, credential)
            if query_key is not None:
                return list(await connector.search_by_key(query_key))
            assert query_text is not None
            page = await connector.search_text(query_text, limit=limit)
            return list(page.candidates)[:limit]
        except (NotFoundError, OutOfScopeError):
            return []
        except ConnectorError as error:
            field = "body.query_key" if query_key is not None else "body.query_text"
            raise to_api_error(error, mapping.provider, field) from error

    @property
    def world(self) -> TrackerWorld:
        """The ticket world the fakes serve (and tests and the dashboard look into)."""
        return self._world

    def provider_faults(self, provider: str) -> FakeFaults | None:
        """The fault switches of the provider's in-process fake; None for a real tracker."""
        return self._registry.faults.get(Provider(provider))

    def containers(self) -> list[dict[str, Any]]:
        return list(self._world.containers_overview())

    def tickets(self, *, container: str | None, limit: int) -> list[dict[str, Any]]:
        return list(self._world.tickets_overview(container=container, limit=limit))

    async def aclose(self) -> None:
        await self._registry.aclose()
