"""Result models of the service layer: plain pydantic models that dump straight to JSON."""

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
from pydantic import BaseModel, ConfigDict


class SearchOriginResult(BaseModel):
    """Candidates for a mission origin, with the routing context they were searched in.

    Nothing is bound by a search: the developer confirms a candidate first, always.
    """

    model_config = ConfigDict(frozen=True)

    candidates: list[OriginCandidate]
    provider: Provider
    resource_type: ResourceType
    resource_id: str
    query_used: str


class BindOriginResult(BaseModel):
    """What a bind did: the SaaS link, the updated local metadata, and the event."""

    model_config = ConfigDict(frozen=True)

    meta: MissionMeta
    origin_ticket: OriginTicket
    origin_link: OriginBindResponse
    event_emitted: bool
    event_id: str | None = None
    event_error: str | None = None


class MissionFromTicketResult(BaseModel):
    """A mission started from a ticket: where it is, its slug, and its origin."""

    model_config = ConfigDict(frozen=True)

    feature_dir: Path
    feature_slug: str
    mission_id: str
    origin_ticket: OriginTicket
    origin_link_id: str
    event_emitted: bool
    event_id: str | None = None
    event_error: str | None = None
