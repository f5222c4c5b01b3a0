"""`SaaSTrackerClient`: issue search, spec drafts, origin bind, operation polling and event
batches here; the calls on an existing origin link in `origin_link_calls`.

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
from typing import Any

import httpx
from kitty_contracts import (
    EventBatchRequest,
    EventBatchResponse,
    IssueSearchResponse,
    Operation,
    OriginBindResponse,
    Provider,
    SpecDraftResponse,
)
from kitty_saas_api import models as wire
from kitty_saas_api.api.events import ingest_event_batch
from kitty_saas_api.api.tracker import bind_mission_origin as bind_api
from kitty_saas_api.api.tracker import draft_spec_from_issue as spec_draft_api
from kitty_saas_api.api.tracker import get_operation as operation_api
from kitty_saas_api.api.tracker import search_issues as search_api

from .call_steps import expect, request_body, unset
from .errors import (
    ConfigurationError,
    ContractViolationError,
    InvalidRequestError,
    MissionMetaError,
)
from .events import MISSION_ORIGIN_BOUND, MISSION_ORIGIN_UNBOUND
from .exchange import Exchange
from .feature_metadata import ensure_mission_id, mission_meta_for_write
from .logs import configure_logging
from .meta_store import META_FILENAME, read_meta_raw
from .missions import find_repo_root, mission_dir
from .origin_link_calls import OriginLinkCalls
from .paths import StrPath, as_path
from .settings import ClientSettings
from .shapes import ContractDict
from .tracker_config import ensure_origin_provider
from .transport import build_wire_client

SYNC_PROTOCOL = "2.0"
# Events that name an origin provider: the client's opt-in holds for them too.
ORIGIN_EVENTS = frozenset({MISSION_ORIGIN_BOUND, MISSION_ORIGIN_UNBOUND})


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _new_idempotency_key() -> str:
    return f"kitty-{uuid.uuid4().hex}"


class SaaSTrackerClient(OriginLinkCalls):
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
        repo_root: StrPath | None = None,
    ) -> None:
        """`repo_root` locates `kitty-specs/<feature_slug>/meta.json` when a bind is given no
        `mission_id` (default: the repo around the current directory)."""
        try:
            self.settings = settings if settings is not None else ClientSettings.from_env()
        except ValueError as exc:
            raise ConfigurationError(f"invalid SPEC_KITTY_* setting: {exc}") from exc
        self._repo_root = None if repo_root is None else as_path(repo_root)
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
        body = request_body(wire.IssueSearchRequest, "IssueSearchRequest", fields)
        team = self._team()
        answer = self._exchange.call(
            "issue search",
            search_api._get_kwargs(body=body, x_team_slug=team, prefer=unset(prefer)),
            deadline=self._deadline(self.settings.search_deadline_seconds),
        )
        expect(answer, {200})
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
        body = request_body(wire.SpecDraftRequest, "SpecDraftRequest", fields)
        answer = self._exchange.call(
            "spec draft",
            spec_draft_api._get_kwargs(body=body, x_team_slug=self._team(), prefer=unset(prefer)),
            deadline=self._deadline(self.settings.search_deadline_seconds),
        )
        expect(answer, {200})
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
        repo_root: Path | None = None,
    ) -> ContractDict[OriginBindResponse]:
        """Create (or find) the authoritative MissionOriginLink on the SaaS.

        One `Idempotency-Key` is used for every retry of this call; a 202 is polled until the
        operation completes, fails, or the write deadline passes. The same origin again answers
        with the same `origin_link_id`. Without `mission_id`, it is read from the mission's
        `meta.json` (`kitty-specs/<feature_slug>/` under `repo_root`, else the client's
        `repo_root`, else the repo around the current directory); a legacy file without one gets
        one minted, written there only after the SaaS answered success. The result is the spec's dict (``result["origin_link_id"]``,
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
            MissionMetaError: no `mission_id` given and no mission named `feature_slug`, or its
                `meta.json` is unusable.
            InvalidRequestError, APIStatusError, APIConnectionError, ContractViolationError.
        """
        provider = self._origin_provider(provider)
        unrecorded: Path | None = None  # a legacy mission whose minted id is written on success
        if mission_id is None:
            mission_id, unrecorded = self._mission_id_of(feature_slug, repo_root)
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
        body = request_body(wire.OriginBindRequest, "OriginBindRequest", fields)
        key = idempotency_key or self._new_key()
        team = self._team()
        deadline = self._deadline(self.settings.write_deadline_seconds)
        answer = self._exchange.call(
            "origin bind",
            bind_api._get_kwargs(
                body=body, x_team_slug=team, idempotency_key=key, prefer=unset(prefer)
            ),
            deadline=deadline,
        )
        expect(answer, {200, 202})
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
        if unrecorded is not None:
            ensure_mission_id(unrecorded, mission_id)
        return ContractDict(result)

    def get_operation(self, operation_id: str, *, deadline: float | None = None) -> Operation:
        """The current state of an asynchronous operation."""
        team = self._team()
        answer = self._exchange.call(
            "operation poll",
            operation_api._get_kwargs(operation_id, x_team_slug=team),
            deadline=deadline or self._deadline(self.settings.search_deadline_seconds),
        )
        expect(answer, {200})
        return self._exchange.parse(Operation, "Operation", answer)

    def send_event_batch(
        self,
        events: EventBatchRequest | Sequence[Mapping[str, Any]],
        *,
        deadline_seconds: float | None = None,
    ) -> EventBatchResponse:
        """Deliver one batch (gzip JSON, sync protocol 2.0); one result per event, in order.

        `deadline_seconds` shortens the events deadline (e.g. a delivery budget after a bind).

        Raises:
            UnsupportedProviderError: an origin event names a provider the client does not
                allow (GitHub without `allow_github`); nothing is sent.
            InvalidRequestError, APIStatusError, APIConnectionError, ContractViolationError.
        """
        if isinstance(events, EventBatchRequest):
            fields: dict[str, Any] = events.model_dump(mode="json")
        else:
            fields = {"events": [dict(e) for e in events]}
        for event in fields["events"]:
            payload = event.get("payload") if isinstance(event, dict) else None
            if event.get("event_type") in ORIGIN_EVENTS and isinstance(payload, dict):
                self._origin_provider(str(payload.get("provider")))
        body = request_body(wire.EventBatchRequest, "EventBatchRequest", fields)
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
        expect(answer, {200})
        return self._exchange.parse(EventBatchResponse, "EventBatchResponse", answer)

    # -- internals ---------------------------------------------------------------------------

    def _origin_provider(self, provider: Provider | str) -> Provider:
        # The same opt-in as the service layer: no path reaches GitHub without it.
        return ensure_origin_provider(str(provider), allow_github=self.settings.allow_github)

    def _mission_id_of(self, feature_slug: str, repo_root: Path | None) -> tuple[str, Path | None]:
        """The mission's id, and its directory when the id was minted here (not yet written)."""
        if (
            not feature_slug
            or Path(feature_slug).name != feature_slug
            or feature_slug in {".", ".."}
        ):
            raise InvalidRequestError(
                f"feature_slug {feature_slug!r} is not a mission directory name"
            )
        root = repo_root or self._repo_root or find_repo_root(Path.cwd())
        if root is None:
            raise InvalidRequestError(
                "No mission_id given and no spec-kitty repo (.kittify/) around the current "
                "directory: pass repo_root=, mission_id= or SaaSTrackerClient(repo_root=...)."
            )
        directory = mission_dir(root, feature_slug)
        if not (directory / META_FILENAME).is_file():
            raise MissionMetaError(
                f"No mission named {feature_slug!r} in {root / 'kitty-specs'} "
                "(no kitty-specs/<slug>/meta.json there)."
            )
        minted = read_meta_raw(directory).get("mission_id") is None
        return mission_meta_for_write(directory).mission_id, directory if minted else None
