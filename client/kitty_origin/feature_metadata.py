"""The mutation helpers of `meta.json`, one module of metadata writers: each reads, changes one
thing and writes through the canonical writer (`meta_store.write_meta`) under the mission lock.

They are additive: every key they do not own stays as it is, and a legacy `meta.json` without a
`mission_id` is completed (with the id a caller already used, e.g. in a SaaS bind) rather than
refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from kitty_contracts import MissionMeta, OriginTicket
from kitty_contracts.validation import openapi_document, validator

from .errors import MissionMetaError
from .meta_store import (
    meta_path,
    mission_lock,
    read_meta_raw,
    update_meta,
    validate_meta,
    write_meta,
)
from .paths import StrPath, as_path
from .ulid import is_ulid, new_ulid

__all__ = [
    "clear_origin_ticket",
    "ensure_mission_id",
    "mission_meta_for_write",
    "set_origin_ticket",
]


@cache
def _provider_of_resource_type() -> dict[str, str]:
    """The contract's `ResourceType.x-provider`: which tracker each container kind belongs to."""
    return dict(openapi_document()["components"]["schemas"]["ResourceType"]["x-provider"])


def _existing_mission_id(feature_dir: Path, raw: Mapping[str, Any]) -> str | None:
    existing = raw.get("mission_id")
    if existing is None:
        return None
    if not isinstance(existing, str) or not is_ulid(existing):
        raise MissionMetaError(
            f"{meta_path(feature_dir)}: field `mission_id` is not a ULID: {existing!r}"
        )
    return existing


def mission_meta_for_write(feature_dir: Path) -> MissionMeta:
    """The mission's metadata as a SaaS write will name it, without writing anything: a legacy
    `meta.json` without a `mission_id` gets one minted in memory only (write it with the result
    of the SaaS call, `set_origin_ticket(..., mission_id=)`).

    Raises:
        MissionMetaError: meta.json is missing, unreadable, or invalid.
    """
    raw = read_meta_raw(feature_dir)
    mission_id = _existing_mission_id(feature_dir, raw) or new_ulid()
    return validate_meta({**raw, "mission_id": mission_id}, where=str(meta_path(feature_dir)))


def ensure_mission_id(feature_dir: StrPath, mission_id: str | None = None) -> str:
    """The mission's `mission_id`; a legacy `meta.json` without one gets `mission_id` (or a new
    one), additively.

    Raises:
        MissionMetaError: meta.json is missing, unreadable, or invalid once the id is added.
    """
    feature_dir = as_path(feature_dir)
    with mission_lock(feature_dir):
        raw = read_meta_raw(feature_dir)
        existing = _existing_mission_id(feature_dir, raw)
        if existing is not None:
            return existing
        minted = mission_id or new_ulid()
        write_meta(feature_dir, {**raw, "mission_id": minted})
        return minted


def checked_origin_ticket(ticket: OriginTicket | Mapping[str, Any]) -> dict[str, Any]:
    """The block as JSON, checked against `OriginTicket` and the contract's provider ↔ resource
    type pairing (a Jira origin never lives in a Linear team).

    Raises:
        MissionMetaError: the ticket breaks the contract.
    """
    if isinstance(ticket, OriginTicket):
        block: Any = ticket.model_dump(mode="json")
    elif isinstance(ticket, Mapping):
        block = dict(ticket)
    else:
        raise MissionMetaError(
            f"origin_ticket must be an OriginTicket or a mapping, not {type(ticket).__name__}"
        )
    problems = [e.message for e in validator("OriginTicket").iter_errors(block)]
    if problems:
        raise MissionMetaError(f"origin_ticket is invalid: {'; '.join(problems)}")
    owner = _provider_of_resource_type().get(block["resource_type"])
    if owner != block["provider"]:
        raise MissionMetaError(
            f"origin_ticket is invalid: resource_type {block['resource_type']} belongs to "
            f"{owner}, not to provider {block['provider']}"
        )
    return dict(block)


def set_origin_ticket(
    feature_dir: StrPath,
    ticket: OriginTicket | Mapping[str, Any],
    *,
    mission_id: str | None = None,
) -> MissionMeta:
    """Set the `origin_ticket` block (the model or its dict), keeping every other key as it is.

    Additive on a legacy `meta.json`: one without a `mission_id` gets `mission_id` (the one the
    SaaS link was made with) or a new one. A `mission_id` that differs from the file's is refused.

    Raises:
        MissionMetaError: meta.json is missing or invalid, or the ticket breaks `OriginTicket` or
            pairs a provider with another provider's resource type.
    """
    feature_dir = as_path(feature_dir)
    block = checked_origin_ticket(ticket)

    def apply(raw: dict[str, Any]) -> dict[str, Any]:
        existing = _existing_mission_id(feature_dir, raw)
        if existing is not None and mission_id not in (None, existing):
            raise MissionMetaError(
                f"{meta_path(feature_dir)}: names mission {existing}, not {mission_id}"
            )
        return {**raw, "mission_id": existing or mission_id or new_ulid(), "origin_ticket": block}

    return update_meta(feature_dir, apply)


def clear_origin_ticket(feature_dir: StrPath) -> MissionMeta:
    """Remove the `origin_ticket` block (if any), keeping every other key as it is.

    Raises:
        MissionMetaError: meta.json is missing or invalid.
    """
    feature_dir = as_path(feature_dir)

    def apply(raw: dict[str, Any]) -> dict[str, Any]:
        return {key: value for key, value in raw.items() if key != "origin_ticket"}

    return update_meta(feature_dir, apply)
