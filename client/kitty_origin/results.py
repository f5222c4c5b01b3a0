"""Result models of the service layer: pydantic models that dump straight to JSON.

They read by attribute (typed) and by key in the spec's shapes (see `shapes.py`).
"""

from __future__ import annotations

from pathlib import Path

from kitty_contracts import (
    MissionMeta,
    OriginBindResponse,
    OriginCandidate,
    OriginTicket,
    Provider,
    ResourceType,
)
from pydantic import ConfigDict

from .shapes import SubscriptableResult


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

    model_config = ConfigDict(frozen=True)

    feature_dir: Path
    feature_slug: str
    mission_id: str
    origin_ticket: OriginTicket
    origin_link_id: str
    confirmation: str
    event_emitted: bool
    # Whether the event already reached the SaaS right after the bind (else it stays queued).
    event_delivered: bool = False
    event_id: str | None = None
    event_error: str | None = None
