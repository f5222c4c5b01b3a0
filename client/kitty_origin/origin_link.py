"""Service methods on a mission's existing origin: read, refresh or unbind it, and sync the
mission's status with its origin ticket.

Unbind keeps the bind's write order: the SaaS first (authoritative: it decides who may remove
the link; idempotent, so a retry after any failure is safe), then `meta.json` through the one
writer, then the `MissionOriginUnbound` event into the same durable outbox as the bind's. A crash
between the SaaS and `meta.json` leaves it naming an origin the SaaS no longer has; unbinding
again clears it.
"""

from __future__ import annotations

from kitty_contracts import (
    OriginLink,
    OriginStatusResponse,
    OriginStatusSyncResponse,
    StatusCategory,
    UnbindOutcome,
    WorkPackageLane,
)

from .errors import OriginNotFoundError
from .feature_metadata import clear_origin_ticket, mission_meta_for_write, set_origin_ticket
from .meta_store import read_meta, read_meta_raw
from .missions import find_repo_root as repo_root_around
from .origin_steps import (
    client_scope,
    deliver_soon,
    local_origin,
    queue_unbound_event,
    ticket_of_link,
)
from .paths import StrPath, as_path
from .results import RefreshOriginResult, UnbindOriginResult
from .settings import ClientSettings
from .tracker_client import SaaSTrackerClient


def unbind_mission_origin(
    feature_dir: StrPath,
    *,
    client: SaaSTrackerClient | None = None,
    settings: ClientSettings | None = None,
    idempotency_key: str | None = None,
) -> UnbindOriginResult:
    """Remove the mission's origin: its SaaS link, then `origin_ticket` in `meta.json`.

    Idempotent: a mission without an origin is a success that removes nothing. Afterwards the
    mission may be bound to another ticket.

    Raises:
        MissionMetaError: `meta.json` is missing or invalid.
        APIStatusError, APIConnectionError, ContractViolationError: the SaaS unbind failed
            (nothing local changed).
    """
    feature_dir = as_path(feature_dir)
    meta = mission_meta_for_write(feature_dir)
    if read_meta_raw(feature_dir).get("mission_id") is None:
        # A legacy meta.json without a mission_id was never bound on the SaaS: nothing to remove
        # there, and nothing is written here.
        return UnbindOriginResult(
            meta=meta,
            outcome=UnbindOutcome.not_bound,
            removed_link=None,
            removed_origin_ticket=local_origin(meta),
        )
    with client_scope(client, settings) as saas:
        # 1. The authoritative removal; on a refusal or failure nothing local changes.
        answer = saas.unbind_mission_origin(meta.mission_id, idempotency_key=idempotency_key)
        # 2. The SaaS has no link now: local provenance follows, through the one meta writer.
        before = local_origin(meta)
        meta = clear_origin_ticket(feature_dir)
        # 3. Telemetry of a removal, durably queued, then delivered if it can be.
        event_id = event_error = None
        removed = answer.removed_link
        if answer.outcome is UnbindOutcome.removed and removed is not None:
            # The repo around the mission (else `kitty-specs/..`, as a bind finds it).
            repo_root = repo_root_around(feature_dir) or feature_dir.resolve().parent.parent
            event_id, event_error = queue_unbound_event(repo_root, meta, removed, saas)
            delivered = event_id is not None and deliver_soon(repo_root, saas, event_id)
        else:
            delivered = False
    return UnbindOriginResult(
        meta=meta,
        outcome=answer.outcome,
        removed_link=removed,
        removed_origin_ticket=before,
        event_emitted=event_id is not None,
        event_delivered=delivered,
        event_id=event_id,
        event_error=event_error,
    )


def get_mission_origin(
    feature_dir: StrPath,
    *,
    client: SaaSTrackerClient | None = None,
    settings: ClientSettings | None = None,
) -> OriginLink | None:
    """The mission's origin link as the SaaS stored it; None when it has none.

    Raises:
        MissionMetaError: `meta.json` is missing or invalid.
        APIStatusError, APIConnectionError, ContractViolationError.
    """
    feature_dir = as_path(feature_dir)
    mission_id = read_meta(feature_dir).mission_id
    with client_scope(client, settings) as saas:
        try:
            return saas.get_mission_origin(mission_id)
        except OriginNotFoundError:
            return None


def refresh_mission_origin(
    feature_dir: StrPath,
    *,
    client: SaaSTrackerClient | None = None,
    settings: ClientSettings | None = None,
) -> RefreshOriginResult:
    """Refresh the mission's origin from the tracker (through the SaaS), then `meta.json`.

    The SaaS fetches the ticket by its stable id; when its key, URL or title differ from the
    `origin_ticket` in `meta.json`, the block is rewritten through the one writer (the routing
    context is the link's). The status is not kept in `meta.json`; the result carries it.

    Raises:
        MissionMetaError: `meta.json` is missing or invalid.
        OriginNotFoundError, TicketNotFoundError, TicketOutOfScopeError, UserLinkRequiredError,
        APIStatusError, APIConnectionError, ContractViolationError (nothing local changed).
    """
    feature_dir = as_path(feature_dir)
    meta = read_meta(feature_dir)
    with client_scope(client, settings) as saas:
        answer = saas.refresh_mission_origin(meta.mission_id)
    link = answer.link
    ticket = ticket_of_link(link)
    updated = local_origin(meta) != ticket
    if updated:
        meta = set_origin_ticket(feature_dir, ticket)
    return RefreshOriginResult(
        meta=meta,
        origin_link=link,
        changed=[field.value for field in answer.changed],
        meta_updated=updated,
    )


def sync_mission_status_to_origin(
    feature_dir: StrPath,
    status: WorkPackageLane | StatusCategory | str,
    *,
    client: SaaSTrackerClient | None = None,
    settings: ClientSettings | None = None,
) -> OriginStatusSyncResponse:
    """Write the mission's `status` (a work package lane such as `for_review`, or a status
    category such as `done`) back to its origin ticket, through the SaaS.

    The SaaS decides: it finds the mission's origin link, checks the user can see the ticket, and
    writes with its tracker installation. `meta.json` keeps no status, so nothing local changes;
    the answer says the ticket's status after the write (`outcome` `updated` or `unchanged`).

    Raises:
        MissionMetaError: `meta.json` is missing or invalid.
        StatusNotSupportedError: the tracker cannot represent `status` (`allowed` says what it can).
        OriginNotFoundError, TicketNotFoundError, TicketOutOfScopeError, UserLinkRequiredError,
        InvalidRequestError, APIStatusError, APIConnectionError, ContractViolationError.
    """
    feature_dir = as_path(feature_dir)
    mission_id = read_meta(feature_dir).mission_id
    with client_scope(client, settings) as saas:
        return saas.sync_mission_origin_status(mission_id, status)


def read_origin_status(
    feature_dir: StrPath,
    *,
    client: SaaSTrackerClient | None = None,
    settings: ClientSettings | None = None,
) -> OriginStatusResponse:
    """The origin ticket's current status as the tracker answers it (through the SaaS, with the
    user's identity), the work package lane it suggests (`suggested_wp_status`) and the status
    categories the SaaS can write to it.

    Raises:
        MissionMetaError: `meta.json` is missing or invalid.
        OriginNotFoundError, TicketNotFoundError, TicketOutOfScopeError, UserLinkRequiredError,
        APIStatusError, APIConnectionError, ContractViolationError.
    """
    feature_dir = as_path(feature_dir)
    mission_id = read_meta(feature_dir).mission_id
    with client_scope(client, settings) as saas:
        return saas.get_mission_origin_status(mission_id)
