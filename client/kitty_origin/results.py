"""Result models of the service layer: pydantic models that dump straight to JSON.

They read by attribute (typed) and by key in the spec's shapes (see `shapes.py`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from kitty_contracts import (
    MissionMeta,
    OriginBindResponse,
    OriginCandidate,
    OriginLink,
    OriginTicket,
    Provider,
    ResourceType,
    UnbindOutcome,
)
from pydantic import ConfigDict, PlainSerializer, PlainValidator

from .shapes import ContractDict, SubscriptableResult


def _origin_ticket_dict(value: Any) -> ContractDict[OriginTicket]:
    if isinstance(value, ContractDict) and isinstance(value.model, OriginTicket):
        return value
    if not isinstance(value, OriginTicket):
        value = OriginTicket.model_validate(value)
    return ContractDict(value)


# An `origin_ticket` block as a plain dict that keeps its validated model (JSON round trips too).
OriginTicketDict = Annotated[
    ContractDict[OriginTicket],
    PlainValidator(_origin_ticket_dict),
    PlainSerializer(dict, return_type=dict[str, Any]),
]


class SearchOriginResult(SubscriptableResult):
    """Candidates for a mission origin, with the routing context they were searched in.

    Nothing is bound by a search: the developer confirms a candidate first, always.
    """

    model_config = ConfigDict(frozen=True)

    candidates: list[OriginCandidate]
    provider: Provider
    resource_type: ResourceType
    resource_id: str
    query_used: str


class BindOriginResult(SubscriptableResult):
    """What a bind did: the SaaS link, the updated local metadata, and the event."""

    model_config = ConfigDict(frozen=True)

    meta: MissionMeta
    origin_ticket: OriginTicket
    origin_link: OriginBindResponse
    # How the developer confirmed the candidate ("prompt", "--confirm WEB-123", "caller").
    confirmation: str
    event_emitted: bool
    # Whether the event already reached the SaaS right after the bind (else it stays queued).
    event_delivered: bool = False
    event_id: str | None = None
    event_error: str | None = None


class MissionFromTicketResult(SubscriptableResult):
    """A mission started from a ticket: where it is, its slug, and its origin."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    feature_dir: Path
    feature_slug: str
    mission_id: str
    # The spec's `dict` (``json.dumps`` works, ``["external_issue_key"]``), with the typed block
    # alongside (``.model``, and its attributes).
    origin_ticket: OriginTicketDict
    origin_link_id: str
    confirmation: str
    event_emitted: bool
    # Whether the event already reached the SaaS right after the bind (else it stays queued).
    event_delivered: bool = False
    event_id: str | None = None
    event_error: str | None = None


class UnbindOriginResult(SubscriptableResult):
    """What an unbind removed: the SaaS's link (if it had one) and the local `origin_ticket`."""

    model_config = ConfigDict(frozen=True)

    meta: MissionMeta
    # `removed` or `not_bound` (the SaaS had no link: nothing to remove there).
    outcome: UnbindOutcome
    removed_link: OriginLink | None
    # The `origin_ticket` block `meta.json` had before, if any.
    removed_origin_ticket: OriginTicket | None
    # `MissionOriginUnbound`, queued when the SaaS answered `removed` (as a bind's event).
    event_emitted: bool = False
    event_delivered: bool = False
    event_id: str | None = None
    event_error: str | None = None


class RefreshOriginResult(SubscriptableResult):
    """A refreshed origin: the SaaS's link now, what changed there, and whether `meta.json` did."""

    model_config = ConfigDict(frozen=True)

    meta: MissionMeta
    origin_link: OriginLink
    # The link's fields the tracker had changed (`external_title`, `external_status`, ...).
    changed: list[str]
    # Whether `origin_ticket` in `meta.json` was rewritten (its key, URL or title differed).
    meta_updated: bool
