"""`SaaSTrackerClient`: issue search, origin bind, operation polling and event batches.

Requests are built by the generated `kitty_saas_api` endpoint builders and sent through one
`Exchange` (retries, token refresh, wall-clock deadline, bounded answers); every answer is
validated against the contract once and returned as a `kitty_contracts` model, or raised as a
`SpecKittySaaSError`.
"""

from __future__ import annotations

import random as _random
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol, Self, TypeVar

import httpx
from kitty_contracts import (
    EventBatchRequest,
    EventBatchResponse,
    IssueSearchResponse,
    Operation,
    OriginBindResponse,
    OriginLink,
    OriginRefreshResponse,
    OriginStatusResponse,
    OriginStatusSyncResponse,
    OriginUnbindResponse,
    Provider,
    SpecDraftResponse,
    StatusCategory,
    TicketMissionsResponse,
    WorkPackageLane,
)
from kitty_contracts.validation import ComponentName, validator
from kitty_saas_api import models as wire
from kitty_saas_api.api.events import ingest_event_batch
from kitty_saas_api.api.tracker import bind_mission_origin as bind_api
from kitty_saas_api.api.tracker import draft_spec_from_issue as spec_draft_api
from kitty_saas_api.api.tracker import get_mission_origin as read_origin_api
from kitty_saas_api.api.tracker import get_mission_origin_status as read_status_api
from kitty_saas_api.api.tracker import get_operation as operation_api
from kitty_saas_api.api.tracker import list_ticket_missions as ticket_missions_api
from kitty_saas_api.api.tracker import refresh_mission_origin as refresh_api
from kitty_saas_api.api.tracker import search_issues as search_api
from kitty_saas_api.api.tracker import sync_mission_origin_status as sync_status_api
from kitty_saas_api.api.tracker import unbind_mission_origin as unbind_api
from kitty_saas_api.models.provider import check_provider
from kitty_saas_api.types import UNSET

from .errors import (
    APIStatusError,
    ConfigurationError,
    ContractViolationError,
    InvalidRequestError,
    status_refusal,
)
from .exchange import Answer, Exchange
from .logs import configure_logging
from .meta_store import ensure_mission_id
from .missions import find_repo_root, mission_dir
from .settings import ClientSettings
from .shapes import ContractDict
from .tracker_config import ensure_origin_provider
from .transport import build_wire_client

SYNC_PROTOCOL = "2.0"


class _WireModel(Protocol):
    """A generated `kitty_saas_api` model: built from, and sent as, a JSON-shaped dict."""

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self: ...

    def to_dict(self) -> dict[str, Any]: ...


W = TypeVar("W", bound=_WireModel)


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _new_idempotency_key() -> str:
    return f"kitty-{uuid.uuid4().hex}"


class SaaSTrackerClient:
    """The client of the SaaS tracker API. Holds no Jira, Linear or GitHub credential.

    Transport, clocks, sleep and randomness are injected, so tests run instantly::

        http = httpx.Client(transport=httpx.MockTransport(handler))
        with SaaSTrackerClient(settings, http_client=http, sleep=lambda _: None) as client:
            found = client.search_issues("linear", "acme-web", query_text="Clerk auth")
    """

    def __init__(
        self,
        settings: ClientSettings | None = None,
        *,
        http_client: httpx.Client | None = None,
        transport: httpx.BaseTransport | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        random: Callable[[], float] = _random.random,
        now: Callable[[], datetime] = _utcnow,
        new_idempotency_key: Callable[[], str] = _new_idempotency_key,
        repo_root: Path | None = None,
    ) -> None:
        """`repo_root` locates `kitty-specs/<feature_slug>/meta.json` when a bind is given no
        `mission_id` (default: the repo around the current directory)."""
        try:
            self.settings = settings if settings is not None else ClientSettings.from_env()
        except ValueError as exc:
            raise ConfigurationError(f"invalid SPEC_KITTY_* setting: {exc}") from exc
        self._repo_root = repo_root
        configure_logging(self.settings.log_level)
        self._wire = build_wire_client(self.settings, http_client=http_client, transport=transport)
        self._exchange = Exchange(
            self.settings, self._wire, monotonic=monotonic, sleep=sleep, random=random, now=now
        )
        self._new_key = new_idempotency_key

    def __enter__(self) -> SaaSTrackerClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the wire client (an injected `httpx.Client` stays open: it is the caller's)."""
        self._wire.close()

    # -- public operations -------------------------------------------------------------------

    def search_issues(
        self,
        provider: Provider | str,
        project_slug: str | None,
        *,
        query_text: str | None = None,
        query_key: str | None = None,
        limit: int = 10,
        binding_ref: str | None = None,
        prefer: str | None = None,
    ) -> ContractDict[IssueSearchResponse]:
        """Search the tracker container mapped to the project with the user's linked identity.

        `query_key` takes precedence: when given, `query_text` is not sent. The result is the
        spec's dict (``result["candidates"]``) and carries the typed answer (``result.model``).

        Raises:
            UnsupportedProviderError: GitHub without `allow_github`, or no origin provider
                (nothing is sent); ProviderRejectedError: the team's policy refuses it.
            InvalidRequestError: no query, a bad limit or routing key (nothing is sent).
            UserLinkRequiredError, ResourceMappingNotFoundError, InvalidQueryError,
            RateLimitError, APIStatusError, APIConnectionError, ContractViolationError.
        """
        provider = self._origin_provider(provider)
        fields: dict[str, Any] = {"provider": provider.value, "limit": limit}
        if project_slug is not None:
            fields["project_slug"] = project_slug
        if binding_ref is not None:
            fields["binding_ref"] = binding_ref
        if query_key is not None:
            fields["query_key"] = query_key
        elif query_text is not None:
            fields["query_text"] = query_text
        body = _request_body(wire.IssueSearchRequest, "IssueSearchRequest", fields)
        team = self._team()
        answer = self._exchange.call(
            "issue search",
            search_api._get_kwargs(body=body, x_team_slug=team, prefer=_unset(prefer)),
            deadline=self._deadline(self.settings.search_deadline_seconds),
        )
        _expect(answer, {200})
        return ContractDict(
            self._exchange.parse(IssueSearchResponse, "IssueSearchResponse", answer)
        )

    def draft_spec(
        self,
        provider: Provider | str,
        project_slug: str | None,
        *,
        external_issue_id: str,
        external_issue_key: str | None = None,
        binding_ref: str | None = None,
        prefer: str | None = None,
    ) -> SpecDraftResponse:
        """The first `spec.md` of a mission, rendered by the SaaS from the tracker's current view
        of the ticket (by its stable id, with the user's linked identity); nothing is stored.

        The answer carries the canonical key, URL, title and status the draft was rendered from.

        Raises:
            TicketNotFoundError, TicketOutOfScopeError, UserLinkRequiredError,
            ResourceMappingNotFoundError, ProviderRejectedError, UnsupportedProviderError
            (GitHub without `allow_github`; nothing is sent), InvalidRequestError (nothing is
            sent), APIStatusError, APIConnectionError, ContractViolationError.
        """
        provider = self._origin_provider(provider)
        fields: dict[str, Any] = {
            "provider": provider.value,
            "external_issue_id": external_issue_id,
        }
        if external_issue_key is not None:
            fields["external_issue_key"] = external_issue_key
        if project_slug is not None:
            fields["project_slug"] = project_slug
        if binding_ref is not None:
            fields["binding_ref"] = binding_ref
        body = _request_body(wire.SpecDraftRequest, "SpecDraftRequest", fields)
        answer = self._exchange.call(
            "spec draft",
            spec_draft_api._get_kwargs(body=body, x_team_slug=self._team(), prefer=_unset(prefer)),
            deadline=self._deadline(self.settings.search_deadline_seconds),
        )
        _expect(answer, {200})
        result = self._exchange.parse(SpecDraftResponse, "SpecDraftResponse", answer)
        if result.external_issue_id != external_issue_id or result.provider != provider:
            raise ContractViolationError(
                "the spec draft answer names another ticket than the request",
                status_code=answer.status_code,
                problems=[f"provider={result.provider.value} issue={result.external_issue_id}"],
            )
        return result

    def bind_mission_origin(
        self,
        provider: Provider | str,
        project_slug: str | None,
        *,
        feature_slug: str,
        external_issue_id: str,
        external_issue_key: str,
        external_issue_url: str,
        title: str,
        mission_id: str | None = None,
        external_status: str = "",
        binding_ref: str | None = None,
        idempotency_key: str | None = None,
        prefer: str | None = None,
    ) -> ContractDict[OriginBindResponse]:
        """Create (or find) the authoritative MissionOriginLink on the SaaS.

        One `Idempotency-Key` is used for every retry of this call; a 202 is polled until the
        operation completes, fails, or the write deadline passes. The same origin again answers
        with the same `origin_link_id`. Without `mission_id`, it is read from the mission's
        `meta.json` (`kitty-specs/<feature_slug>/` of the client's repo; a legacy file without
        one gets one minted). The result is the spec's dict (``result["origin_link_id"]``,
        ``result["bound_at"]``) and carries the typed answer (``result.model``).

        The SaaS resolves the ticket itself (by `external_issue_id`, with the user's linked
        identity): the answer carries the tracker's canonical key, URL, title and status, which
        may differ from the ones given here.

        Raises:
            OriginAlreadyBoundError: the mission has a different origin.
            TicketNotFoundError, TicketOutOfScopeError: the tracker does not confirm the ticket
                in the mapped container (nothing was stored).
            UserLinkRequiredError, ProviderRejectedError, UnsupportedProviderError (GitHub
                without `allow_github`; nothing is sent).
            MissionMetaError: no `mission_id` given and the mission's `meta.json` is unusable.
            InvalidRequestError, APIStatusError, APIConnectionError, ContractViolationError.
        """
        provider = self._origin_provider(provider)
        if mission_id is None:
            mission_id = self._mission_id_of(feature_slug)
        fields: dict[str, Any] = {
            "provider": provider.value,
            "mission_id": mission_id,
            "external_issue_id": external_issue_id,
            "external_issue_key": external_issue_key,
            "external_issue_url": external_issue_url,
            "external_title": title,
            "external_status": external_status,
            "mission_slug": feature_slug,
        }
        if binding_ref is not None:
            fields["binding_ref"] = binding_ref
        if project_slug is not None:
            fields["project_slug"] = project_slug
        body = _request_body(wire.OriginBindRequest, "OriginBindRequest", fields)
        key = idempotency_key or self._new_key()
        team = self._team()
        deadline = self._deadline(self.settings.write_deadline_seconds)
        answer = self._exchange.call(
            "origin bind",
            bind_api._get_kwargs(
                body=body, x_team_slug=team, idempotency_key=key, prefer=_unset(prefer)
            ),
            deadline=deadline,
        )
        _expect(answer, {200, 202})
        if answer.status_code == 202:
            operation = self._exchange.parse(Operation, "Operation", answer)
            result = self._exchange.await_operation(
                operation, deadline, lambda op_id: self.get_operation(op_id, deadline=deadline)
            )
        else:
            result = self._exchange.parse(OriginBindResponse, "OriginBindResponse", answer)
        if result.mission_id != mission_id or result.external_issue_id != external_issue_id:
            raise ContractViolationError(
                "the bind answer names another mission or issue than the request",
                status_code=answer.status_code,
                problems=[f"mission_id={result.mission_id} issue={result.external_issue_id}"],
            )
        return ContractDict(result)

    def unbind_mission_origin(
        self,
        mission_id: str,
        *,
        idempotency_key: str | None = None,
        prefer: str | None = None,
    ) -> OriginUnbindResponse:
        """Remove the mission's origin link on the SaaS; a mission without one is a success.

        `outcome` is `removed` (with `removed_link`) or `not_bound`. One `Idempotency-Key` for
        every retry.

        Raises:
            InvalidRequestError: `mission_id` is not a ULID (nothing is sent).
            APIStatusError, APIConnectionError, ContractViolationError.
        """
        body = _request_body(
            wire.OriginUnbindRequest, "OriginUnbindRequest", {"mission_id": mission_id}
        )
        key = idempotency_key or self._new_key()
        answer = self._exchange.call(
            "origin unbind",
            unbind_api._get_kwargs(
                body=body, x_team_slug=self._team(), idempotency_key=key, prefer=_unset(prefer)
            ),
            deadline=self._deadline(self.settings.write_deadline_seconds),
        )
        _expect(answer, {200})
        result = self._exchange.parse(OriginUnbindResponse, "OriginUnbindResponse", answer)
        if result.mission_id != mission_id:
            raise ContractViolationError(
                "the unbind answer names another mission than the request",
                status_code=answer.status_code,
                problems=[f"mission_id={result.mission_id}"],
            )
        return result

    def refresh_mission_origin(self, mission_id: str) -> OriginRefreshResponse:
        """Have the SaaS fetch the origin ticket again and store its current key, URL, title and
        status; `changed` names what differed.

        Raises:
            OriginNotFoundError, TicketNotFoundError, TicketOutOfScopeError, UserLinkRequiredError.
            InvalidRequestError: `mission_id` is not a ULID (nothing is sent).
            APIStatusError, APIConnectionError, ContractViolationError.
        """
        body = _request_body(
            wire.OriginRefreshRequest, "OriginRefreshRequest", {"mission_id": mission_id}
        )
        answer = self._exchange.call(
            "origin refresh",
            refresh_api._get_kwargs(body=body, x_team_slug=self._team()),
            deadline=self._deadline(self.settings.write_deadline_seconds),
        )
        _expect(answer, {200})
        result = self._exchange.parse(OriginRefreshResponse, "OriginRefreshResponse", answer)
        if result.link.mission_id != mission_id:
            raise ContractViolationError(
                "the refresh answer names another mission than the request",
                status_code=answer.status_code,
                problems=[f"mission_id={result.link.mission_id}"],
            )
        return result

    def get_mission_origin(self, mission_id: str) -> OriginLink:
        """The mission's origin link as the SaaS stored it.

        Raises:
            OriginNotFoundError: the mission has no origin link in the team.
            InvalidRequestError: `mission_id` is not a ULID (nothing is sent).
            APIStatusError, APIConnectionError, ContractViolationError.
        """
        _check("Ulid", mission_id, "mission_id")
        answer = self._exchange.call(
            "origin read",
            read_origin_api._get_kwargs(mission_id, x_team_slug=self._team()),
            deadline=self._deadline(self.settings.search_deadline_seconds),
        )
        _expect(answer, {200})
        return self._exchange.parse(OriginLink, "OriginLink", answer)

    def sync_mission_origin_status(
        self, mission_id: str, status: WorkPackageLane | StatusCategory | str
    ) -> OriginStatusSyncResponse:
        """Have the SaaS move the mission's origin ticket to `status` (a work package lane such
        as `for_review`, or a status category such as `done`); the answer is the ticket's status
        after the write and `outcome` `updated` or `unchanged`.

        Raises:
            StatusNotSupportedError: the ticket's tracker cannot represent that status (also an
                UnprocessableEntityError and a CapabilityNotSupportedError).
            OriginNotFoundError, TicketNotFoundError, TicketOutOfScopeError, UserLinkRequiredError.
            InvalidRequestError: `mission_id` is not a ULID or `status` no lane or category
                (nothing is sent).
            APIStatusError, APIConnectionError, ContractViolationError.
        """
        body = _request_body(
            wire.OriginStatusSyncRequest,
            "OriginStatusSyncRequest",
            {"mission_id": mission_id, "status": str(status)},
        )
        try:
            answer = self._exchange.call(
                "origin status sync",
                sync_status_api._get_kwargs(body=body, x_team_slug=self._team()),
                deadline=self._deadline(self.settings.write_deadline_seconds),
            )
        except APIStatusError as error:
            refusal = status_refusal(error)
            if refusal is not None:
                raise refusal from error
            raise
        _expect(answer, {200})
        result = self._exchange.parse(OriginStatusSyncResponse, "OriginStatusSyncResponse", answer)
        _same_mission(result.mission_id, mission_id, answer)
        return result

    def get_mission_origin_status(self, mission_id: str) -> OriginStatusResponse:
        """The origin ticket's status as the tracker answers it now (through the SaaS, with the
        user's linked identity), the work package lane it suggests and the status categories the
        SaaS can write to it.

        Raises:
            OriginNotFoundError, TicketNotFoundError, TicketOutOfScopeError, UserLinkRequiredError.
            InvalidRequestError: `mission_id` is not a ULID (nothing is sent).
            APIStatusError, APIConnectionError, ContractViolationError.
        """
        _check("Ulid", mission_id, "mission_id")
        answer = self._exchange.call(
            "origin status read",
            read_status_api._get_kwargs(mission_id=mission_id, x_team_slug=self._team()),
            deadline=self._deadline(self.settings.search_deadline_seconds),
        )
        _expect(answer, {200})
        result = self._exchange.parse(OriginStatusResponse, "OriginStatusResponse", answer)
        _same_mission(result.mission_id, mission_id, answer)
        return result

    def list_ticket_missions(
        self, provider: Provider | str, external_issue_id: str, *, limit: int = 50
    ) -> TicketMissionsResponse:
        """The team's missions that originate from one ticket (by its stable id), newest first.

        Raises:
            InvalidRequestError: an unknown provider, an empty id or a bad limit (nothing is sent).
            APIStatusError, APIConnectionError, ContractViolationError.
        """
        _check("Provider", str(provider), "provider")
        if not 1 <= len(external_issue_id) <= 256 or not 1 <= limit <= 100:
            raise InvalidRequestError("external_issue_id needs 1..256 characters, limit 1..100")
        answer = self._exchange.call(
            "ticket missions",
            ticket_missions_api._get_kwargs(
                provider=check_provider(str(provider)),
                external_issue_id=external_issue_id,
                limit=limit,
                x_team_slug=self._team(),
            ),
            deadline=self._deadline(self.settings.search_deadline_seconds),
        )
        _expect(answer, {200})
        return self._exchange.parse(TicketMissionsResponse, "TicketMissionsResponse", answer)

    def get_operation(self, operation_id: str, *, deadline: float | None = None) -> Operation:
        """The current state of an asynchronous operation."""
        team = self._team()
        answer = self._exchange.call(
            "operation poll",
            operation_api._get_kwargs(operation_id, x_team_slug=team),
            deadline=deadline or self._deadline(self.settings.search_deadline_seconds),
        )
        _expect(answer, {200})
        return self._exchange.parse(Operation, "Operation", answer)

    def send_event_batch(
        self,
        events: EventBatchRequest | Sequence[Mapping[str, Any]],
        *,
        deadline_seconds: float | None = None,
    ) -> EventBatchResponse:
        """Deliver one batch (gzip JSON, sync protocol 2.0); one result per event, in order.

        `deadline_seconds` shortens the events deadline (e.g. a delivery budget after a bind).
        """
        if isinstance(events, EventBatchRequest):
            fields: dict[str, Any] = events.model_dump(mode="json")
        else:
            fields = {"events": [dict(e) for e in events]}
        body = _request_body(wire.EventBatchRequest, "EventBatchRequest", fields)
        answer = self._exchange.call(
            "event batch",
            ingest_event_batch._get_kwargs(
                body=body, x_spec_kitty_sync_protocol=SYNC_PROTOCOL, content_encoding="gzip"
            ),
            deadline=self._deadline(
                min(self.settings.events_deadline_seconds, deadline_seconds)
                if deadline_seconds is not None
                else self.settings.events_deadline_seconds
            ),
        )
        _expect(answer, {200})
        return self._exchange.parse(EventBatchResponse, "EventBatchResponse", answer)

    # -- internals ---------------------------------------------------------------------------

    def _team(self) -> str:
        if not self.settings.team:
            raise ConfigurationError(
                "No Spec Kitty team configured: set SPEC_KITTY_TEAM or pass team= in the settings."
            )
        return self.settings.team

    def _origin_provider(self, provider: Provider | str) -> Provider:
        # The same opt-in as the service layer: no path reaches GitHub without it.
        return ensure_origin_provider(str(provider), allow_github=self.settings.allow_github)

    def _mission_id_of(self, feature_slug: str) -> str:
        if (
            not feature_slug
            or Path(feature_slug).name != feature_slug
            or feature_slug in {".", ".."}
        ):
            raise InvalidRequestError(
                f"feature_slug {feature_slug!r} is not a mission directory name"
            )
        root = self._repo_root or find_repo_root(Path.cwd())
        if root is None:
            raise InvalidRequestError(
                "No mission_id given and no spec-kitty repo (.kittify/) around the current "
                "directory: pass mission_id= or SaaSTrackerClient(repo_root=...)."
            )
        return ensure_mission_id(mission_dir(root, feature_slug))

    def _deadline(self, seconds: float) -> float:
        return self._exchange.monotonic() + seconds


def _unset(value: str | None) -> Any:
    return UNSET if value is None else value


def _expect(answer: Answer, statuses: set[int]) -> None:
    if answer.status_code not in statuses:
        error = ContractViolationError(
            f"HTTP {answer.status_code} is not a documented success status here",
            status_code=answer.status_code,
            problems=[f"expected one of {sorted(statuses)}"],
        )
        error.request_id = answer.request_id
        raise error


def _same_mission(answered: str, asked: str, answer: Answer) -> None:
    if answered != asked:
        raise ContractViolationError(
            "the answer names another mission than the request",
            status_code=answer.status_code,
            problems=[f"mission_id={answered}"],
        )


def _check(component: ComponentName, value: str, name: str) -> None:
    if any(True for _ in validator(component).iter_errors(value)):
        raise InvalidRequestError(f"{name} {value[:100]!r} is not a valid {component}")


def _request_body(wire_model: type[W], component: ComponentName, fields: dict[str, Any]) -> W:
    """The request body, checked once against the contract and built once as the wire model.

    Raises:
        InvalidRequestError: the fields break the contract (nothing is sent).
    """
    try:
        problems = [error.message for error in validator(component).iter_errors(fields)]
        if problems:
            raise InvalidRequestError(f"invalid {component}: {'; '.join(problems)}")
        return wire_model.from_dict(fields)
    except (ValueError, KeyError, TypeError, RecursionError) as exc:
        if isinstance(exc, InvalidRequestError):
            raise
        raise InvalidRequestError(f"invalid {component}: {str(exc)[:500]}") from exc
