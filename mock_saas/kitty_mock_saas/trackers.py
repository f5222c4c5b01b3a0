"""The mock's door to the trackers: resource mapping → connector → canonical candidates.

Routes never branch on provider; every tracker goes through the same connector interface, and
every connector failure becomes one contract error here.
"""

from __future__ import annotations

import re
import threading
from typing import Any

from kitty_contracts import ErrorCode, OriginCandidate, Provider, StatusCategory

from .connectors import ConnectorRegistry, ContainerRef, TaskTrackerConnector, TrackerIssue
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
from .errors import ApiError
from .state.directory import ResourceMapping
from .tracker_fakes import EmbeddedFakes, FakeFaults, FakeTicket, TrackerWorld
from .tracker_fakes.world.edits import TicketChanges
from .tracker_fakes.world.overlay import OverlayWorld

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
        fakes: EmbeddedFakes,
        containers: dict[tuple[str, str], ContainerRef],
    ) -> None:
        self._registry = registry
        self._fakes = fakes
        self._world = fakes.world
        self._containers = containers

    def _current(self) -> Trackers:
        """The trackers that answer now (a sandbox's own once it edited its world)."""
        return self

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
        current = self._current()
        container = current._containers[(mapping.provider, mapping.container_key)]
        return current._registry.connector(Provider(mapping.provider), container, credential)

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
        if self._registry.is_embedded(Provider(mapping.provider)):
            self._own_world()  # a write changes the world: a sandbox writes to its overlay
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
        return self._current()._world

    def routes(self) -> dict[str, str]:
        """Per provider, where its requests go: the embedded fake or a configured URL."""
        return {p.value: where for p, where in self._registry.routes().items()}

    def provider_faults(self, provider: str) -> FakeFaults | None:
        """The fault switches of the provider's in-process fake; None for a real tracker."""
        current = self._current()
        if not current._registry.is_embedded(Provider(provider)):
            return None
        return current._fakes.faults.get(Provider(provider))

    def containers(self) -> list[dict[str, Any]]:
        return list(self.world.containers_overview())

    def tickets(self, *, container: str | None, limit: int) -> list[dict[str, Any]]:
        return list(self.world.tickets_overview(container=container, limit=limit))

    def ticket(self, provider: str, ticket: str) -> FakeTicket:
        """The ticket of an embedded fake by key, else by id (tombstones included).

        Raises: ApiError validation_failed for a provider served by a configured tracker,
        not_found when the world has no such ticket.
        """
        tracker = Provider(provider)
        if not self._registry.is_embedded(tracker):
            where = self._registry.routes()[tracker]
            raise ApiError(
                ErrorCode.validation_failed,
                f"{_NAMES[provider]} is served by the tracker configured in task_trackers.yaml "
                f"({where}), not by the mock's embedded fake; change its tickets there.",
                details=[("query.provider", "not an embedded tracker")],
            )
        world = self.world
        found = world.ticket(tracker, ticket) or world.ticket_by_id(tracker, ticket)
        if found is None:
            raise ApiError(
                ErrorCode.not_found,
                f"The embedded {_NAMES[provider]} has no ticket with key or id {ticket[:256]!r}.",
                details=[("query.ticket", "no such ticket")],
            )
        return found

    def edit_ticket(self, provider: str, ticket: str, changes: TicketChanges) -> FakeTicket:
        """Apply `changes` to a ticket of an embedded fake (see `ticket` for the refusals)."""
        found = self.ticket(provider, ticket)
        edited = self._own_world().edit_ticket(found.provider, found.key, changes)
        assert edited is not None  # it was there a moment ago; tickets are never removed
        return edited

    def _own_world(self) -> TrackerWorld:
        """The world edits go to (a sandbox's overlay, opened on its first edit)."""
        return self._world

    def revert_edits(self) -> int:
        """Every edited ticket back as seeded (the mock's reset)."""
        return self.world.revert_edits()

    def for_sandbox(self, world_place: str) -> Trackers:
        """A sandbox's trackers: these until its first edit, then its overlay over this world
        at `world_place` (`OverlayWorld`: a file beside the sandbox's state, ":memory:", or a
        schema of a PostgreSQL world's database)."""
        return SandboxTrackers(self, world_place)

    def release(self) -> None:
        """Close a sandbox's own world, leaving it where it is (nothing for the mock's own)."""

    def drop(self) -> None:
        """Close and delete a sandbox's own world (nothing for the mock's own trackers)."""

    async def aclose(self) -> None:
        await self._registry.aclose()


class SandboxTrackers(Trackers):
    """A sandbox reads the mock's world until it edits a ticket; the first edit makes its overlay
    world (`OverlayWorld`: the mock's world plus the sandbox's own rows, which alone it stores)
    and from then on the sandbox's fakes serve that, its edits unseen by the default state and
    other sandboxes. The sandbox's other worker processes, and on PostgreSQL its other
    replicas, switch to the overlay on their next request (`OverlayWorld.made`)."""

    def __init__(self, parent: Trackers, world_place: str) -> None:
        super().__init__(parent._registry, parent._fakes, parent._containers)
        self._parent = parent
        self._place = world_place
        self._own: Trackers | None = None
        self._lock = threading.Lock()
        # Who asks whether the overlay is made: this sandbox, not one of its name before it.
        self._asker = object()

    def _current(self) -> Trackers:
        if self._own is None and OverlayWorld.made(
            self._place, base=self._base(), asker=self._asker
        ):
            with self._lock:
                if self._own is None:
                    made = OverlayWorld(self._place, base=self._base(), create=False)
                    self._own = self._adopt(made)
        return self._own or self._parent._current()

    def _own_world(self) -> TrackerWorld:
        with self._lock:
            if self._own is None:
                self._own = self._adopt(OverlayWorld(self._place, base=self._base()))
            return self._own._world

    def _base(self) -> TrackerWorld:
        return self._parent._current()._world

    def _adopt(self, world: TrackerWorld) -> Trackers:
        registry = self._parent._registry
        embedded = tuple(p for p in registry.providers if registry.is_embedded(p))
        fakes = EmbeddedFakes(world, providers=embedded)
        return Trackers(fakes.rebind(registry), fakes, self._containers)

    def revert_edits(self) -> int:
        """The sandbox's own edits dropped (a sandbox that never edited has none); it then sees
        the mock's world as it is now."""
        current = self._current()
        return current._world.revert_edits() if current is self._own else 0

    def release(self) -> None:
        with self._lock:
            if self._own is not None:
                self._own._world.close()
                self._own = None

    def drop(self) -> None:
        self.release()
        OverlayWorld.forget(self._place, base=self._base())

    async def aclose(self) -> None:
        """The parent's registry is the mock's; a sandbox's own fakes hold no sockets."""
