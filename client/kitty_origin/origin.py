"""The service methods agents call: search, bind, start a mission from a ticket, flush events.

Write order of a bind, and why:
  0. every argument is checked first (candidate, provider, resource, mission type), so a bad one
     never reaches the SaaS; nothing local is written yet (a legacy `meta.json`'s new
     `mission_id` is kept in memory),
  1. the SaaS bind (authoritative; the SaaS resolves the ticket with the tracker and answers its
     canonical key, URL, title and status; if it fails, nothing local is written),
  2. `meta.json` through the one writer, from the SaaS's answer (a crash here self-heals: the same
     origin again is a no-op on the SaaS that answers the same `origin_link_id`),
  3. the `MissionOriginBound` event into the durable outbox (telemetry) when this bind established
     the origin (a re-bind of a bound origin queues none), then a delivery attempt of the pending
     events within a small budget (`deliver_after_bind_seconds`); its failure never fails the
     bind: the events stay queued for the next bind or `flush_events()`.
A mission started from a ticket never outlives a failed bind with a link of its own: the new
link is unbound on the SaaS, or, if the SaaS cannot be reached, the mission is kept for a retry.
Confirmation stays with the caller: no function here binds as a side effect of a search, and
every bind records how its candidate was confirmed (`confirmation`, "caller" unless told).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from kitty_contracts import OriginBindResponse, OriginCandidate

from .errors import (
    APIStatusError,
    APITimeoutError,
    ContractViolationError,
    InvalidRequestError,
    OutboxError,
    SpecKittySaaSError,
)
from .feature_metadata import mission_meta_for_write, set_origin_ticket
from .missions import CreatedMission, create_mission_from_candidate, discard_mission
from .origin_steps import (
    OUTBOX_RELATIVE_PATH,
    bind_routing,
    canonical_candidate,
    checked_candidate,
    checked_mission_key,
    checked_resource,
    client_scope,
    deliver_soon,
    local_origin,
    origin_ticket,
    outbox_path,
    queue_origin_event,
    refuse_other_origin,
)
from .outbox import EventOutbox, FlushResult, flush_outbox
from .paths import StrPath, as_path
from .results import BindOriginResult, MissionFromTicketResult, SearchOriginResult
from .settings import ClientSettings
from .shapes import ContractDict
from .tracker_client import SaaSTrackerClient
from .tracker_config import resolve_tracker

__all__ = [
    "CALLER_CONFIRMED",
    "OUTBOX_RELATIVE_PATH",
    "bind_mission_origin",
    "bind_origin",
    "find_repo_root",
    "flush_events",
    "outbox_path",
    "search_origin_candidates",
    "start_mission_from_ticket",
]

# The default `confirmation`: the calling code passed this candidate, so it vouches for it.
CALLER_CONFIRMED = "caller"


def search_origin_candidates(
    repo_root: StrPath,
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
    repo_root = as_path(repo_root)
    if not query_key and not query_text:
        raise InvalidRequestError("Give a query_text or a query_key to search for.")
    with client_scope(client, settings) as saas:
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
    feature_dir: StrPath,
    candidate: OriginCandidate | Mapping[str, Any],
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
    `meta.json` gets the tracker's canonical key, URL and title as the SaaS answered them; the
    routing context is the SaaS's too (a `resource_type`/`resource_id` given here must agree).
    `confirmation` says how the developer confirmed the candidate; the result records it.

    Raises:
        InvalidRequestError: a malformed candidate or resource (nothing is sent).
        OriginAlreadyBoundError: the mission has a different origin (locally or on the SaaS).
        TicketNotFoundError, TicketOutOfScopeError: the tracker does not confirm the ticket.
        ConfigurationError: `resource_mismatch`, the SaaS bound in another container than given
            (its link stays; bind again with the search result's routing to finish).
        MissionMetaError: `meta.json` is missing or invalid.
        plus the errors of `search_origin_candidates` for routing and the SaaS call.
    """
    feature_dir = as_path(feature_dir)
    return _bind(
        feature_dir,
        checked_candidate(candidate),
        provider,
        resource_type,
        resource_id,
        client=client,
        settings=settings,
        idempotency_key=idempotency_key,
        confirmation=confirmation,
    )


def _bind(
    feature_dir: Path,
    candidate: OriginCandidate,
    provider: str,
    resource_type: object,
    resource_id: object,
    *,
    client: SaaSTrackerClient | None,
    settings: ClientSettings | None,
    idempotency_key: str | None,
    confirmation: str,
    on_bound: Callable[[OriginBindResponse], None] | None = None,
) -> BindOriginResult:
    repo_root = find_repo_root(feature_dir)
    with client_scope(client, settings) as saas:
        tracker = bind_routing(repo_root, provider, saas.settings)
        expected = checked_resource(tracker.provider, resource_type, resource_id)
        # A legacy meta.json's new mission_id stays in memory until the SaaS said yes: it is
        # written with the origin, so a refused bind leaves the file as it was.
        meta = mission_meta_for_write(feature_dir)
        refuse_other_origin(meta, candidate, tracker.provider)
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
        if on_bound is not None:
            on_bound(link)
        # 2. Local provenance from the SaaS's answer, through the one meta writer.
        ticket = origin_ticket(link, expected)
        known = local_origin(meta)
        updated = set_origin_ticket(feature_dir, ticket, mission_id=meta.mission_id)
        # 3. Telemetry, once per established origin, durably queued, then delivered if it can be.
        event_id = event_error = None
        if link.outcome.value == "created" or known is None:
            event_id, event_error = queue_origin_event(repo_root, updated, ticket, tracker, saas)
        delivered = event_id is not None and deliver_soon(repo_root, saas, event_id)
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
    feature_dir: StrPath,
    candidate: OriginCandidate | Mapping[str, Any],
    provider: str,
    resource_type: str,
    resource_id: str,
    *,
    client: SaaSTrackerClient | None = None,
    settings: ClientSettings | None = None,
    confirmation: str = CALLER_CONFIRMED,
) -> dict[str, Any]:
    """Bind and return the updated, validated `meta.json` content (see `bind_origin`)."""
    feature_dir = as_path(feature_dir)
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
    repo_root: StrPath,
    candidate: OriginCandidate | Mapping[str, Any],
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

    Every argument is checked before the mission is created, and `spec.md` is the SaaS's draft of
    the ticket (`draft_spec`: the connector's template, canonical values). If the bind fails, the new mission
    directory is removed again; when the SaaS had already linked it, the link is unbound first,
    and if that is impossible the mission is kept (the error says where) so that binding it
    again finishes the job: the SaaS never keeps a link to a mission that does not exist.

    Raises:
        InvalidRequestError, MissionCreationError, plus the errors of `bind_origin`.
    """
    repo_root = as_path(repo_root)
    chosen = checked_candidate(candidate)
    mission_type = checked_mission_key(mission_key)
    with client_scope(client, settings) as saas:
        tracker = bind_routing(repo_root, provider, saas.settings)
        checked_resource(tracker.provider, resource_type, resource_id)
        # The SaaS renders spec.md with the connector's template, from the tracker's view of the
        # ticket; a ticket it cannot confirm fails here, before anything local exists.
        draft = saas.draft_spec(
            tracker.provider,
            tracker.project_slug,
            binding_ref=tracker.binding_ref,
            external_issue_id=chosen.external_issue_id,
            external_issue_key=chosen.external_issue_key,
        )
        # The mission is named from the same canonical view as its spec.md and origin_ticket,
        # never from the caller's (possibly stale) candidate.
        canonical = canonical_candidate(chosen, draft)
        created = create_mission_from_candidate(
            repo_root,
            canonical,
            spec_markdown=draft.spec_markdown,
            mission_type=mission_type,
            target_branch=target_branch,
        )
        links: list[OriginBindResponse] = []
        try:
            bound = _bind(
                created.feature_dir,
                canonical,
                provider,
                resource_type,
                resource_id,
                client=saas,
                settings=None,
                idempotency_key=None,
                confirmation=confirmation,
                on_bound=links.append,
            )
        except BaseException as failure:
            _undo_start(created, links, saas, failure)
            raise
    return MissionFromTicketResult(
        feature_dir=created.feature_dir,
        feature_slug=bound.meta.mission_slug,
        mission_id=bound.meta.mission_id,
        origin_ticket=ContractDict(bound.origin_ticket),
        origin_link_id=bound.origin_link.origin_link_id,
        confirmation=bound.confirmation,
        event_emitted=bound.event_emitted,
        event_delivered=bound.event_delivered,
        event_id=bound.event_id,
        event_error=bound.event_error,
    )


def _undo_start(
    created: CreatedMission,
    links: list[OriginBindResponse],
    saas: SaaSTrackerClient,
    failure: BaseException,
) -> None:
    """Remove what a failed start made: its SaaS link (if any), then the mission directory."""
    if links or _effect_unknown(failure):
        try:
            saas.unbind_mission_origin(created.meta.mission_id)
        except SpecKittySaaSError as exc:
            # The SaaS may keep a link for now: keep the mission too, so binding it again (the
            # same origin is a no-op there) finishes instead of leaving an orphan link.
            failure.add_note(
                f"The mission was kept at {created.feature_dir}: its SaaS link could not be "
                f"removed ({exc.message}). Bind it again (bind_origin) to finish."
            )
            return
    discard_mission(created.feature_dir)


def _effect_unknown(failure: BaseException) -> bool:
    """Whether the SaaS may have recorded the bind although the call failed."""
    if isinstance(failure, APIStatusError):
        envelope = failure.envelope
        said_no_effect = envelope is not None and envelope.effect_certainty == "no_effect"
        return failure.status_code >= 500 and not said_no_effect
    return isinstance(failure, APITimeoutError | ContractViolationError)


def flush_events(
    repo_root: StrPath,
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
    repo_root = as_path(repo_root)
    with client_scope(client, settings) as saas:
        path = outbox_path(repo_root, saas.settings)
        try:
            with EventOutbox(path) as outbox:
                return flush_outbox(outbox, saas, batch_size=batch_size)
        except sqlite3.Error as exc:
            raise OutboxError(f"{path}: the event outbox failed ({exc})") from exc


def find_repo_root(feature_dir: Path) -> Path:
    """The nearest ancestor with a `.kittify/` directory (else `kitty-specs/..`)."""
    for candidate in feature_dir.resolve().parents:
        if (candidate / ".kittify").is_dir():
            return candidate
    return feature_dir.resolve().parent.parent
