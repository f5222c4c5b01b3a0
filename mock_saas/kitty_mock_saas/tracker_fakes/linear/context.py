"""What one request to the Linear fake works with: the world, the caller, the clock, the schema."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from typing import Any

from graphql import GraphQLSchema
from kitty_contracts import Provider

from kitty_mock_saas.tracker_fakes.world.models import Container, FakeTicket
from kitty_mock_saas.tracker_fakes.world.store import TrackerWorld

from .filters import FilterContext

__all__ = ["PROVIDER", "LinearContext", "linear_time"]

PROVIDER = Provider.linear


def linear_time(moment: datetime) -> str:
    """`moment` as Linear writes times: UTC, milliseconds, `Z`."""
    utc = moment.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


@dataclass
class LinearContext:
    """The GraphQL context of one request; `account` is the caller's account id."""

    world: TrackerWorld
    account: str
    schema: GraphQLSchema
    now: datetime = field(init=False)
    # Objects built once per request (a team is the parent of every issue on a page).
    memo: dict[Any, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.now = self.world.clock()

    @cached_property
    def filters(self) -> FilterContext:
        return FilterContext(self.schema, self.now)

    @property
    def read_clock(self) -> bool:
        """Whether an answer depended on `now` (a filter's relative time)."""
        return "filters" in self.__dict__ and self.filters.read_clock

    def teams(self) -> list[Container]:
        """Every team of the workspace, in the world's order."""
        return self.world.containers(PROVIDER)

    def team(self, team_id: str) -> Container | None:
        return self.world.container(PROVIDER, id=team_id)

    def visible(self, ticket: FakeTicket | None) -> FakeTicket | None:
        """`ticket` when the caller may see it (a deleted one is gone for everyone)."""
        if ticket is None or ticket.deleted or not ticket.visible_to(self.account):
            return None
        return ticket

    def find_issue(self, id_or_identifier: str) -> FakeTicket | None:
        """A visible issue by UUID or identifier (`WEB-123`, any case)."""
        ticket = self.world.ticket(PROVIDER, id_or_identifier.upper())
        if ticket is None:
            ticket = self.world.ticket_by_id(PROVIDER, id_or_identifier)
        return self.visible(ticket)
