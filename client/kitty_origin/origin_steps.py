"""The steps of a bind the service methods share: checks before the authoritative write, the
local origin ticket from the SaaS's answer, and the event afterwards.

Everything a caller passes is checked before the SaaS is asked to record anything, so a bad
argument never leaves a link behind; what is recorded locally is what the SaaS answered.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from kitty_contracts import (
    ErrorCode,
    EventEnvelope,
    MissionMeta,
    OriginBindResponse,
    OriginCandidate,
    OriginLink,
    OriginTicket,
    Provider,
    ResourceType,
    SpecDraftResponse,
)
from kitty_contracts.validation import openapi_document, validator
from pydantic import MISSING, ValidationError

from .errors import ConfigurationError, InvalidRequestError, SpecKittySaaSError, error_for_code
from .events import build_mission_origin_bound, build_mission_origin_unbound
from .logs import LOGGER_NAME
from .outbox import EventOutbox, ensure_git_ignored, flush_outbox
from .settings import ClientSettings
from .tracker_client import SaaSTrackerClient
from .tracker_config import ResolvedTracker, ensure_origin_provider, resolve_tracker

logger = logging.getLogger(LOGGER_NAME)
OUTBOX_RELATIVE_PATH = Path(".kittify") / "outbox.sqlite3"


@cache
def resource_type_of(provider: Provider) -> ResourceType:
    """The container kind `provider`'s origins live in (the contract's `ResourceType.x-provider`)."""
    kinds = openapi_document()["components"]["schemas"]["ResourceType"]["x-provider"]
    return next(ResourceType(kind) for kind, owner in kinds.items() if owner == provider.value)


@dataclass(frozen=True)
class ExpectedResource:
    """The routing context the caller expects the SaaS to bind in (None: take the SaaS's)."""

    resource_type: ResourceType
    resource_id: str | None


@contextmanager
def client_scope(
    client: SaaSTrackerClient | None, settings: ClientSettings | None
) -> Iterator[SaaSTrackerClient]:
    """The caller's client, or one owned (and closed) for the block."""
    if client is not None:
        yield client
        return
    owned = SaaSTrackerClient(settings)
    try:
        yield owned
    finally:
        owned.close()


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


def bind_routing(repo_root: Path, provider: str, settings: ClientSettings) -> ResolvedTracker:
    """The repo's tracker, if `provider` is it and may be an origin.

    Raises: NoTrackerBindingError, TrackerConfigError, UnsupportedProviderError,
    ConfigurationError (`provider_mismatch`).
    """
    tracker = resolve_tracker(repo_root, allow_github=settings.allow_github)
    requested = ensure_origin_provider(str(provider), allow_github=settings.allow_github)
    if requested != tracker.provider:
        raise ConfigurationError(
            f"The repo is bound to {tracker.provider.value}, not {requested.value}; "
            "bind a candidate from the repo's own tracker.",
            error_code="provider_mismatch",
        )
    return tracker


def checked_candidate(candidate: OriginCandidate | Mapping[str, Any]) -> OriginCandidate:
    """The candidate as the contract's model. Raises: InvalidRequestError."""
    if isinstance(candidate, OriginCandidate):
        raw: Any = candidate.model_dump(mode="json", exclude_unset=True)
    elif isinstance(candidate, Mapping):
        raw = dict(candidate)
    else:
        raise InvalidRequestError(
            f"candidate must be an OriginCandidate or a mapping, not {type(candidate).__name__}"
        )
    problems = [e.message for e in validator("OriginCandidate").iter_errors(raw)]
    if problems:
        raise InvalidRequestError(f"invalid candidate: {'; '.join(problems)}")
    try:
        return OriginCandidate.model_validate(raw)
    except ValidationError as exc:
        raise InvalidRequestError(f"invalid candidate: {exc}") from exc


def checked_resource(
    provider: Provider, resource_type: object, resource_id: object
) -> ExpectedResource:
    """The caller's routing context, checked against the provider (None parts: the SaaS's).

    Raises: InvalidRequestError (not a resource type, not this provider's, an empty id).
    """
    wanted = resource_type_of(provider)
    if resource_type not in (None, ""):
        try:
            given = ResourceType(str(getattr(resource_type, "value", resource_type)))
        except ValueError:
            raise InvalidRequestError(
                f"resource_type {resource_type!r} is not one of "
                f"{', '.join(t.value for t in ResourceType)}"
            ) from None
        if given != wanted:
            raise InvalidRequestError(
                f"resource_type {given.value} does not belong to {provider.value} "
                f"(its origins live in a {wanted.value})"
            )
    if resource_id in (None, ""):
        return ExpectedResource(wanted, None)
    if not isinstance(resource_id, str) or len(resource_id) > 256:
        raise InvalidRequestError("resource_id must be a string of at most 256 characters")
    return ExpectedResource(wanted, resource_id)


def checked_mission_key(mission_key: object) -> str:
    """The mission type to create, one spec-kitty knows (`MissionType`).

    Raises: InvalidRequestError."""
    if not validator("MissionType").is_valid(mission_key):
        known = ", ".join(openapi_document()["components"]["schemas"]["MissionType"]["enum"])
        raise InvalidRequestError(
            f"mission_key {str(mission_key)[:64]!r} is not a mission type spec-kitty knows "
            f"({known})"
        )
    return str(mission_key)


def canonical_candidate(chosen: OriginCandidate, draft: SpecDraftResponse) -> OriginCandidate:
    """The confirmed candidate with the tracker's current key, title, URL and status (the SaaS's
    draft), so a mission's slug and name agree with its `spec.md` and `origin_ticket`."""
    return chosen.model_copy(
        update={
            "external_issue_key": draft.external_issue_key,
            "title": draft.external_title,
            "url": draft.external_issue_url,
            "status": draft.external_status,
            "status_category": draft.external_status_category,
        }
    )


def refuse_other_origin(meta: MissionMeta, candidate: OriginCandidate, provider: Provider) -> None:
    """Raises OriginAlreadyBoundError when `meta.json` names another origin (nothing is sent)."""
    existing = local_origin(meta)
    if existing is None:
        return
    if existing.provider == provider and existing.external_issue_id == candidate.external_issue_id:
        return
    raise error_for_code(
        ErrorCode.origin_already_bound,
        f"Mission {meta.mission_slug} is already bound to {existing.external_issue_key}; a "
        f"mission has one origin ticket. Unbind it first, or create a new mission for "
        f"{candidate.external_issue_key}.",
    )


def local_origin(meta: MissionMeta) -> OriginTicket | None:
    existing = meta.origin_ticket
    return existing if existing is not MISSING and isinstance(existing, OriginTicket) else None


def origin_ticket(link: OriginBindResponse, expected: ExpectedResource) -> OriginTicket:
    """The `origin_ticket` block from the SaaS's answer: its canonical key, URL and title.

    Raises: ConfigurationError (`resource_mismatch`) when the SaaS bound in another container
    than the caller said.
    """
    if link.resource_type != expected.resource_type or expected.resource_id not in (
        None,
        link.resource_id,
    ):
        raise ConfigurationError(
            f"The SaaS bound the mission in {link.resource_type.value} {link.resource_id}, not "
            f"in {expected.resource_type.value} {expected.resource_id}: pass the resource_type "
            "and resource_id of the search result (or none).",
            error_code="resource_mismatch",
        )
    return ticket_of_link(link)


def ticket_of_link(link: OriginBindResponse | OriginLink) -> OriginTicket:
    """The `origin_ticket` block a SaaS link stands for (the tracker's canonical values)."""
    return OriginTicket(
        provider=link.provider,
        resource_type=link.resource_type,
        resource_id=link.resource_id,
        external_issue_id=link.external_issue_id,
        external_issue_key=link.external_issue_key,
        external_issue_url=link.external_issue_url,
        title=link.external_title,
    )


def queue_origin_event(
    repo_root: Path,
    meta: MissionMeta,
    ticket: OriginTicket,
    tracker: ResolvedTracker,
    saas: SaaSTrackerClient,
) -> tuple[str | None, str | None]:
    """Queue MissionOriginBound; a failure is reported in the result, never swallowed."""
    return _enqueue(
        repo_root,
        saas,
        lambda: build_mission_origin_bound(
            meta,
            ticket,
            project_uuid=tracker.project_uuid,
            project_slug=tracker.repo_project_slug or tracker.project_slug,
            team_slug=saas.settings.team,
        ),
    )


def queue_unbound_event(
    repo_root: Path, meta: MissionMeta, removed: OriginLink, saas: SaaSTrackerClient
) -> tuple[str | None, str | None]:
    """Queue MissionOriginUnbound for a link the SaaS removed; a failure is reported."""
    try:
        tracker: ResolvedTracker | None = resolve_tracker(repo_root, allow_github=True)
    except SpecKittySaaSError:
        tracker = None  # the binding changed since: the event names no project
    return _enqueue(
        repo_root,
        saas,
        lambda: build_mission_origin_unbound(
            meta,
            removed,
            project_uuid=tracker.project_uuid if tracker else None,
            project_slug=(tracker.repo_project_slug or tracker.project_slug) if tracker else None,
            team_slug=saas.settings.team,
        ),
    )


def _enqueue(
    repo_root: Path, saas: SaaSTrackerClient, build: Callable[[], EventEnvelope]
) -> tuple[str | None, str | None]:
    try:
        envelope = build()
        with EventOutbox(outbox_path(repo_root, saas.settings)) as outbox:
            return outbox.enqueue(envelope), None
    except (SpecKittySaaSError, sqlite3.Error, OSError) as exc:
        return None, f"{type(exc).__name__}: {exc}"


def deliver_soon(repo_root: Path, saas: SaaSTrackerClient, event_id: str) -> bool:
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
