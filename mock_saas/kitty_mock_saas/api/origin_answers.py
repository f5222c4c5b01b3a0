"""What the store's origin outcomes mean on the wire: the one place they become answers.

`state.origins` speaks the domain (created / existing / conflict / removed / none); this module
turns each outcome into the contract's body and status, or the error envelope.
"""

from __future__ import annotations

from typing import Any

from kitty_contracts import (
    ErrorCode,
    Operation,
    OriginBindResponse,
    OriginLink,
    OriginRefreshResponse,
    OriginStatusResponse,
    OriginStatusSyncResponse,
    OriginUnbindResponse,
    StatusCategory,
    TicketMissionsResponse,
)

from kitty_mock_saas.connectors import TrackerIssue, suggested_lane
from kitty_mock_saas.errors import ApiError
from kitty_mock_saas.ids import utc_now
from kitty_mock_saas.state import origins
from kitty_mock_saas.state.idempotency import StoredAnswer
from kitty_mock_saas.state.operations import OperationRecord


def _link_fields(link: origins.OriginLink) -> dict[str, Any]:
    return {
        "origin_link_id": link.origin_link_id,
        "bound_at": link.bound_at,
        "mission_id": link.mission_id,
        "mission_slug": link.mission_slug,
        "provider": link.provider,
        "resource_type": link.resource_type,
        "resource_id": link.resource_id,
        "external_issue_id": link.external_issue_id,
        "external_issue_key": link.external_issue_key,
        "external_issue_url": link.external_issue_url,
        "external_title": link.external_title,
        "external_status": link.external_status,
        "external_status_category": link.external_status_category,
    }


def link_body(link: origins.OriginLink) -> dict[str, Any]:
    """An `OriginLink`."""
    return OriginLink.model_validate(_link_fields(link)).model_dump(mode="json")


def error_answer(error: ApiError, idempotency_key: str | None) -> StoredAnswer:
    """An error as a final answer a write may keep under its Idempotency-Key."""
    body = error.envelope(idempotency_key=idempotency_key, request_id=None)
    return StoredAnswer(error.status, body.model_dump(mode="json"))


def bind_answer(
    result: origins.BindResult, *, mission_id: str, issue_key: str, idempotency_key: str | None
) -> StoredAnswer:
    """200 with the link (created or existing), or the 409 of a mission bound elsewhere."""
    link = result.link
    assert link is not None, "an unresolved bind has no answer"
    if result.outcome is origins.BindOutcome.CONFLICT:
        return error_answer(
            ApiError(
                ErrorCode.origin_already_bound,
                f"Mission {mission_id} is already bound to {link.external_issue_key}; a mission "
                f"has one origin ticket. Unbind it first, or create a new mission for "
                f"{issue_key[:256]}.",
            ),
            idempotency_key,
        )
    body = OriginBindResponse.model_validate(
        {**_link_fields(link), "outcome": result.outcome.value}
    ).model_dump(mode="json")
    return StoredAnswer(200, body)


def unbind_answer(mission_id: str, removed: origins.OriginLink | None) -> StoredAnswer:
    """200 saying what was removed (`not_bound` when nothing was)."""
    body = OriginUnbindResponse.model_validate(
        {
            "mission_id": mission_id,
            "outcome": "removed" if removed is not None else "not_bound",
            "removed_link": _link_fields(removed) if removed is not None else None,
            "unbound_at": utc_now(),
        }
    ).model_dump(mode="json")
    return StoredAnswer(200, body)


def no_origin(mission_id: str) -> ApiError:
    return ApiError(
        ErrorCode.origin_not_found,
        f"Mission {mission_id} has no origin ticket in this team. Bind one first.",
    )


def no_mapping_for(link: origins.OriginLink) -> ApiError:
    return ApiError(
        ErrorCode.resource_mapping_not_found,
        f"No project of this team is mapped to {link.provider} {link.resource_type} "
        f"{link.resource_id} any more, so the origin of mission {link.mission_id} cannot be "
        "refreshed. Map it again in the Spec Kitty dashboard.",
        user_action_required=True,
    )


def ticket_missions_body(
    provider: str, issue_id: str, links: list[origins.OriginLink]
) -> dict[str, Any]:
    return TicketMissionsResponse.model_validate(
        {
            "provider": provider,
            "external_issue_id": issue_id,
            "links": [_link_fields(link) for link in links],
        }
    ).model_dump(mode="json")


def operation_body(record: OperationRecord, *, poll_after_seconds: float) -> dict[str, Any]:
    """The `Operation` of a record: its result or error once closed, else when to poll again."""
    body: dict[str, Any] = {
        "operation_id": record.operation_id,
        "status": record.status,
        "created_at": record.created_at,
        "updated_at": record.updated_at,
    }
    if record.open:
        body["poll_after_seconds"] = poll_after_seconds
    if record.result is not None:
        body["result"] = record.result
    if record.error is not None:
        body["error"] = record.error
    return Operation.model_validate(body).model_dump(mode="json")


def accepted_answer(record: OperationRecord, *, poll_after_seconds: float) -> StoredAnswer:
    """202 with the new operation."""
    return StoredAnswer(202, operation_body(record, poll_after_seconds=poll_after_seconds))


def key_reused() -> ApiError:
    return ApiError(
        ErrorCode.idempotency_key_reused,
        "This Idempotency-Key was used for a different request; use a new key for a new write.",
        details=[("header.Idempotency-Key", "reused with a different body")],
    )


def refresh_body(link: origins.OriginLink, changed: list[str]) -> dict[str, Any]:
    """The refreshed link and the names of the fields that changed."""
    return OriginRefreshResponse.model_validate(
        {"link": _link_fields(link), "changed": changed, "refreshed_at": utc_now()}
    ).model_dump(mode="json")


def status_sync_body(
    mission_id: str, requested: StatusCategory, before: TrackerIssue, after: TrackerIssue
) -> dict[str, Any]:
    """The ticket's status after a write; `updated` when its category moved."""
    moved = before.status_category != after.status_category or before.status != after.status
    return OriginStatusSyncResponse.model_validate(
        {
            "mission_id": mission_id,
            "outcome": "updated" if moved else "unchanged",
            "requested_status_category": requested,
            "external_issue_id": after.external_issue_id,
            "external_issue_key": after.external_issue_key,
            "external_status": after.status,
            "external_status_category": after.status_category,
            "synced_at": utc_now(),
        }
    ).model_dump(mode="json")


def status_body(
    mission_id: str, ticket: TrackerIssue, writable: frozenset[StatusCategory]
) -> dict[str, Any]:
    """The ticket's current status, the lane it suggests and what the SaaS can write."""
    return OriginStatusResponse.model_validate(
        {
            "mission_id": mission_id,
            "external_issue_id": ticket.external_issue_id,
            "external_issue_key": ticket.external_issue_key,
            "external_status": ticket.status,
            "external_status_category": ticket.status_category,
            "suggested_wp_status": suggested_lane(ticket.status_category),
            "writable_status_categories": [c for c in StatusCategory if c in writable],
            "read_at": utc_now(),
        }
    ).model_dump(mode="json")
