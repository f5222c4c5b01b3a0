"""The service methods agents call: search, bind, start a mission from a ticket, flush events.

Write order of a bind, and why:
  1. the SaaS bind (authoritative; if it fails, nothing local is written),
  2. `meta.json` through the one writer (a crash here self-heals: the same origin again is a
     no-op on the SaaS that answers the same `origin_link_id`),
  3. the `MissionOriginBound` event into the durable outbox (telemetry), then a delivery attempt
     of the pending events within a small budget (`deliver_after_bind_seconds`); its failure
     never fails the bind: the events stay queued for the next bind or `flush_events()`.
Confirmation stays with the caller: no function here binds as a side effect of a search, and
every bind records how its candidate was confirmed (`confirmation`, "caller" unless told).
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from kitty_contracts import (
    ErrorCode,
    MissionMeta,
    OriginBindResponse,
    OriginCandidate,
    OriginTicket,
    Provider,
    ResourceType,
)
from pydantic import MISSING, ValidationError

from .errors import (
    ConfigurationError,
    ContractViolationError,
    InvalidRequestError,
    OutboxError,
    SpecKittySaaSError,
    error_for_code,
)
from .events import build_mission_origin_bound
from .logs import LOGGER_NAME
from .meta_store import ensure_mission_id, read_meta, set_origin_ticket
from .missions import create_mission_from_candidate, discard_mission
from .outbox import EventOutbox, FlushResult, ensure_git_ignored, flush_outbox
from .results import BindOriginResult, MissionFromTicketResult, SearchOriginResult
from .settings import ClientSettings
from .tracker_client import SaaSTrackerClient
from .tracker_config import ResolvedTracker, ensure_origin_provider, resolve_tracker

logger = logging.getLogger(LOGGER_NAME)
OUTBOX_RELATIVE_PATH = Path(".kittify") / "outbox.sqlite3"
# The default `confirmation`: the calling code passed this candidate, so it vouches for it.
CALLER_CONFIRMED = "caller"


def search_origin_candidates(
    repo_root: Path,
    query_text: str | None = None,
    query_key: str | None = None,
    limit: int = 10,
    *,
    client: SaaSTrackerClient | None = None,
    settings: ClientSettings | None = None,
) -> SearchOriginResult:
    """Search the repo's bound tracker for tickets a mission could originate from.

    `query_key` takes precedence over `query_text`; `query_used` is the query the SaaS ran.

    Raises:
        NoTrackerBindingError: "No tracker bound. Run spec-kitty tracker bind first."
        TrackerConfigError, UnsupportedProviderError: the binding is malformed or not allowed.
        InvalidRequestError: neither query given.
        UserLinkRequiredError: no linked tracker identity (link it in the Spec Kitty dashboard).
        ResourceMappingNotFoundError, InvalidQueryError, RateLimitError, APIStatusError,
        APIConnectionError, ContractViolationError.
    """
    if not query_key and not query_text:
        raise InvalidRequestError("Give a query_text or a query_key to search for.")
    with _client_scope(client, settings) as saas:
        tracker = resolve_tracker(repo_root, allow_github=saas.settings.allow_github)
        found = saas.search_issues(
            tracker.provider,
            tracker.project_slug,
            binding_ref=tracker.binding_ref if tracker.project_slug is None else None,
            query_key=query_key or None,
            query_text=None if query_key else query_text,
            limit=limit,
        ).model
    if found.provider != tracker.provider:
        raise ContractViolationError(
            f"searched {tracker.provider.value} but the SaaS answered for {found.provider.value}",
            status_code=200,
            problems=["provider"],
        )
    return SearchOriginResult(
        candidates=found.candidates,
        provider=found.provider,
        resource_type=found.resource_type,
        resource_id=found.resource_id,
        query_used=found.query_used,
    )


def bind_origin(
    feature_dir: Path,
    candidate: OriginCandidate,
    provider: str,
    resource_type: str | None = None,
    resource_id: str | None = None,
    *,
    client: SaaSTrackerClient | None = None,
    settings: ClientSettings | None = None,
    idempotency_key: str | None = None,
    confirmation: str = CALLER_CONFIRMED,
) -> BindOriginResult:
    """Bind a mission to a confirmed candidate: SaaS first, then `meta.json`, then the event.

    The same origin again is an idempotent success; a different origin is refused.
    `confirmation` says how the developer confirmed the candidate; the result records it.

    Raises:
        OriginAlreadyBoundError: the mission has a different origin (locally or on the SaaS).
        MissionMetaError: `meta.json` is missing or invalid.
        plus the errors of `search_origin_candidates` for routing and the SaaS call.
    """
    repo_root = find_repo_root(feature_dir)
    with _client_scope(client, settings) as saas:
        tracker = _bind_routing(repo_root, provider, saas.settings)
        ensure_mission_id(feature_dir)  # a legacy meta.json gets one, additively
        meta = read_meta(feature_dir)
        _refuse_other_origin(meta, candidate, tracker.provider)
        # 1. The authoritative write; on failure nothing local changes.
        link = saas.bind_mission_origin(
            tracker.provider,
            tracker.project_slug,
            binding_ref=tracker.binding_ref,
            feature_slug=meta.mission_slug,
            mission_id=meta.mission_id,
            external_issue_id=candidate.external_issue_id,
            external_issue_key=candidate.external_issue_key,
            external_issue_url=candidate.url,
            title=candidate.title,
            external_status=candidate.status,
            idempotency_key=idempotency_key,
        ).model
        # 2. Local provenance through the one meta writer.
        ticket = _origin_ticket(tracker.provider, candidate, resource_type, resource_id, link)
        updated = set_origin_ticket(feature_dir, ticket)
        # 3. Telemetry, durably queued before any delivery, then delivered if it can be soon.
        event_id, event_error = _queue_origin_event(repo_root, updated, ticket, tracker, saas)
        delivered = event_id is not None and _deliver_soon(repo_root, saas, event_id)
    return BindOriginResult(
        meta=updated,
        origin_ticket=ticket,
        origin_link=link,
        confirmation=confirmation,
        event_emitted=event_id is not None,
        event_delivered=delivered,
        event_id=event_id,
        event_error=event_error,
    )


def bind_mission_origin(
    feature_dir: Path,
    candidate: OriginCandidate,
    provider: str,
    resource_type: str,
    resource_id: str,
    *,
    client: SaaSTrackerClient | None = None,
    settings: ClientSettings | None = None,
    confirmation: str = CALLER_CONFIRMED,
) -> dict[str, Any]:
    """Bind and return the updated, validated `meta.json` content (see `bind_origin`)."""
    result = bind_origin(
        feature_dir,
        candidate,
        provider,
        resource_type,
        resource_id,
        client=client,
        settings=settings,
        confirmation=confirmation,
    )
    return result.meta.model_dump(mode="json")


def start_mission_from_ticket(
    repo_root: Path,
    candidate: OriginCandidate,
    provider: str,
    resource_type: str,
    resource_id: str,
    mission_key: str = "software-dev",
    *,
    client: SaaSTrackerClient | None = None,
    settings: ClientSettings | None = None,
    target_branch: str = "main",
    confirmation: str = CALLER_CONFIRMED,
) -> MissionFromTicketResult:
    """Create a mission from a confirmed ticket, bind it, and queue the event, in one call.

    If the bind fails, the new mission directory is removed again.

    Raises:
        MissionCreationError, plus the errors of `bind_origin`.
    """
    with _client_scope(client, settings) as saas:
        _bind_routing(repo_root, provider, saas.settings)
        created = create_mission_from_candidate(
            repo_root, candidate, mission_type=mission_key, target_branch=target_branch
        )
        try:
            bound = bind_origin(
                created.feature_dir,
                candidate,
                provider,
                resource_type,
                resource_id,
                client=saas,
                confirmation=confirmation,
            )
        except BaseException:
            discard_mission(created.feature_dir)
            raise
    return MissionFromTicketResult(
        feature_dir=created.feature_dir,
        feature_slug=bound.meta.mission_slug,
        mission_id=bound.meta.mission_id,
        origin_ticket=bound.origin_ticket,
        origin_link_id=bound.origin_link.origin_link_id,
        confirmation=bound.confirmation,
        event_emitted=bound.event_emitted,
        event_delivered=bound.event_delivered,
        event_id=bound.event_id,
        event_error=bound.event_error,
    )


def flush_events(
    repo_root: Path,
    *,
    client: SaaSTrackerClient | None = None,
    settings: ClientSettings | None = None,
    batch_size: int = 100,
) -> FlushResult:
    """Deliver the repo's queued events to the SaaS (see `outbox.flush_outbox`).

    Raises:
        OutboxError: the outbox cannot be opened or written (its events are kept).
        ConfigurationError: no token or team. SaaS failures are reported in the result.
    """
    with _client_scope(client, settings) as saas:
        path = outbox_path(repo_root, saas.settings)
        try:
            with EventOutbox(path) as outbox:
                return flush_outbox(outbox, saas, batch_size=batch_size)
        except sqlite3.Error as exc:
            raise OutboxError(f"{path}: the event outbox failed ({exc})") from exc


def outbox_path(repo_root: Path, settings: ClientSettings) -> Path:
    """The repo's outbox file (`settings.outbox_path` overrides it).

    The default, `.kittify/outbox.sqlite3`, is inside the work tree, so it is git-ignored by a
    `.kittify/.gitignore` line (its WAL files included).
    """
    if settings.outbox_path is not None:
        return settings.outbox_path
    path = repo_root / OUTBOX_RELATIVE_PATH
    if path.parent.is_dir():
        ensure_git_ignored(path)
    return path


def find_repo_root(feature_dir: Path) -> Path:
    """The nearest ancestor with a `.kittify/` directory (else `kitty-specs/..`)."""
    for candidate in feature_dir.resolve().parents:
        if (candidate / ".kittify").is_dir():
            return candidate
    return feature_dir.resolve().parent.parent


@contextmanager
def _client_scope(
    client: SaaSTrackerClient | None, settings: ClientSettings | None
) -> Iterator[SaaSTrackerClient]:
    if client is not None:
        yield client
        return
    owned = SaaSTrackerClient(settings)
    try:
        yield owned
    finally:
        owned.close()


def _bind_routing(repo_root: Path, provider: str, settings: ClientSettings) -> ResolvedTracker:
    tracker = resolve_tracker(repo_root, allow_github=settings.allow_github)
    requested = ensure_origin_provider(provider, allow_github=settings.allow_github)
    if requested != tracker.provider:
        raise ConfigurationError(
            f"The repo is bound to {tracker.provider.value}, not {requested.value}; "
            "bind a candidate from the repo's own tracker.",
            error_code="provider_mismatch",
        )
    return tracker


def _refuse_other_origin(meta: MissionMeta, candidate: OriginCandidate, provider: Provider) -> None:
    existing = meta.origin_ticket
    if existing is MISSING or not isinstance(existing, OriginTicket):
        return
    if existing.provider == provider and existing.external_issue_id == candidate.external_issue_id:
        return
    raise error_for_code(
        ErrorCode.origin_already_bound,
        f"Mission {meta.mission_slug} is already bound to {existing.external_issue_key}; a "
        f"mission has one origin ticket. Create a new mission for {candidate.external_issue_key}.",
    )


def _origin_ticket(
    provider: Provider,
    candidate: OriginCandidate,
    resource_type: str | None,
    resource_id: str | None,
    link: OriginBindResponse,
) -> OriginTicket:
    try:
        return OriginTicket(
            provider=provider,
            resource_type=ResourceType(resource_type) if resource_type else link.resource_type,
            resource_id=resource_id or link.resource_id,
            external_issue_id=candidate.external_issue_id,
            external_issue_key=candidate.external_issue_key,
            external_issue_url=candidate.url,
            title=candidate.title,
        )
    except (ValueError, ValidationError) as exc:
        raise InvalidRequestError(f"invalid origin ticket: {exc}") from exc


def _deliver_soon(repo_root: Path, saas: SaaSTrackerClient, event_id: str) -> bool:
    """Try to deliver the pending events within the small budget; whether `event_id` arrived."""
    budget = saas.settings.deliver_after_bind_seconds
    if budget <= 0:
        return False
    try:
        with EventOutbox(outbox_path(repo_root, saas.settings)) as outbox:
            flush_outbox(outbox, saas, budget_seconds=budget)
            return outbox.state_of(event_id) == "delivered"
    except (SpecKittySaaSError, sqlite3.Error, OSError) as exc:
        logger.info("events not delivered after the bind (kept queued): %s", exc)
        return False


def _queue_origin_event(
    repo_root: Path,
    meta: MissionMeta,
    ticket: OriginTicket,
    tracker: ResolvedTracker,
    saas: SaaSTrackerClient,
) -> tuple[str | None, str | None]:
    """Queue MissionOriginBound; a failure is reported in the result, never swallowed."""
    try:
        envelope = build_mission_origin_bound(
            meta,
            ticket,
            project_uuid=tracker.project_uuid,
            project_slug=tracker.repo_project_slug or tracker.project_slug,
            team_slug=saas.settings.team,
        )
        with EventOutbox(outbox_path(repo_root, saas.settings)) as outbox:
            return outbox.enqueue(envelope), None
    except (SpecKittySaaSError, sqlite3.Error, OSError) as exc:
        return None, f"{type(exc).__name__}: {exc}"
