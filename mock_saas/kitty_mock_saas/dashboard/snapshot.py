"""One consistent read of everything the dashboard shows, through the mock's own state functions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence, Sized
from dataclasses import dataclass
from typing import Any

from kitty_mock_saas.runtime import MockRuntime
from kitty_mock_saas.state import activity, directory, events, origins

Row = Mapping[str, Any]

# Paths the dashboard itself requests; hidden from the request log so polling does not bury the
# client's traffic (the log still records them).
OWN_PATH_PREFIXES = ("/dashboard/", "/docs", "/favicon.ico")
OWN_PATHS = ("/",)


@dataclass(frozen=True)
class Container:
    """A tracker project / team / repository with its first tickets and its total count."""

    provider: str
    key: str
    name: str
    ticket_count: int
    tickets: Sequence[Row]


@dataclass(frozen=True)
class DashboardSnapshot:
    """What the page renders; built fresh on every poll (the mock's state is small)."""

    teams: Sequence[Row]
    users: Sequence[Row]
    resource_mappings: Sequence[Row]
    containers: list[Container]
    origin_links: Sequence[Row]
    event_receipts: Sequence[Row]
    event_missions: dict[str, str]
    requests: Sequence[Row]
    faults: Sequence[Row]
    row_limit: int

    def shown(self, rows: Sized) -> str:
        """How many rows a list shows: `50+` when the list was cut at the row limit."""
        return f"{len(rows)}+" if len(rows) >= self.row_limit else str(len(rows))

    @property
    def ticket_total(self) -> int:
        return sum(c.ticket_count for c in self.containers)

    def receipt_count(self, status: str) -> int:
        return sum(1 for r in self.event_receipts if r.get("status") == status)


def is_own_request(path: str) -> bool:
    """True for the dashboard's and the API reference's own page, fragment and asset requests."""
    return path in OWN_PATHS or path.startswith(OWN_PATH_PREFIXES)


def _mission_of(event: Row) -> str:
    """The mission an event is about: the payload's slug when it names one, else the aggregate."""
    payload = event.get("payload")
    if isinstance(payload, Mapping):
        slug = payload.get("mission_slug")
        if isinstance(slug, str) and slug:
            return slug
    aggregate = event.get("aggregate_id")
    return aggregate if isinstance(aggregate, str) else ""


def take_snapshot(
    runtime: MockRuntime,
    *,
    tickets_per_container: int = 8,
    rows: int = 50,
) -> DashboardSnapshot:
    """Read the state: `tickets_per_container` newest tickets each, `rows` newest of each log."""
    overview = directory.overview(runtime.db)
    containers = [
        Container(
            provider=str(c["provider"]),
            key=str(c["key"]),
            name=str(c["name"]),
            ticket_count=int(c["ticket_count"]),
            tickets=[
                t
                for t in runtime.trackers.tickets(container=c["key"], limit=tickets_per_container)
                if t.get("provider") == c["provider"]
            ],
        )
        for c in runtime.trackers.containers()
    ]
    receipts = events.list_receipts(runtime.db, rows)
    # Receipts carry no mission; the stored event (accepted, or the original of a duplicate) does.
    stored = events.list_events(runtime.db, limit=max(rows * 4, 200))
    missions = {
        str(e["event"].get("event_id")): _mission_of(e["event"])
        for e in stored
        if isinstance(e.get("event"), Mapping)
    }
    log_size = runtime.settings.request_log_size
    requests = [r for r in runtime.request_log.recent(log_size) if not is_own_request(r["path"])][
        :rows
    ]
    return DashboardSnapshot(
        teams=overview["teams"],
        users=overview["users"],
        resource_mappings=overview["resource_mappings"],
        containers=containers,
        origin_links=origins.list_links(runtime.db, rows),
        event_receipts=receipts,
        event_missions=missions,
        requests=requests,
        faults=activity.active_faults(runtime.db),
        row_limit=rows,
    )
