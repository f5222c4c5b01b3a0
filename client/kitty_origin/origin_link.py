"""Service methods on a mission's existing origin: read, refresh or unbind it, and sync the
mission's status with its origin ticket.

Unbind keeps the bind's write order: the SaaS first (authoritative; idempotent, so a retry after
any failure is safe), then `meta.json` through the one writer. A crash between the two leaves
`meta.json` naming an origin the SaaS no longer has; unbinding again clears it.
"""

from __future__ import annotations

from kitty_contracts import (
    OriginLink,
    OriginStatusResponse,
    OriginStatusSyncResponse,
    StatusCategory,
    WorkPackageLane,
)

from .errors import OriginNotFoundError
from .meta_store import clear_origin_ticket, ensure_mission_id, read_meta, set_origin_ticket
from .origin_steps import client_scope, local_origin, ticket_of_link
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
    with client_scope(client, settings) as saas:
        mission_id = ensure_mission_id(feature_dir)
        # 1. The authoritative removal; on failure nothing local changes.
        answer = saas.unbind_mission_origin(mission_id, idempotency_key=idempotency_key)
        # 2. Local provenance, through the one meta writer.
        before = local_origin(read_meta(feature_dir))
        meta = clear_origin_ticket(feature_dir)
    return UnbindOriginResult(
        meta=meta,
        outcome=answer.outcome,
        removed_link=answer.removed_link,
        removed_origin_ticket=before,
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
