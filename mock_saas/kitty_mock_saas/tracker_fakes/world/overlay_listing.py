"""The reads SQLite plans badly over an overlay's views, said per side.

An ORDER BY ... LIMIT or a DISTINCT over a join of the views makes SQLite materialize the whole
tickets view (~0.3 s at 50,000 tickets); these say the same per side (the overlay's own rows,
the base rows it does not hide), so each side is read in its index's order and merged. They
give what the world's own statements give over the views (a test holds them to it), on both
backends.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from kitty_contracts import Provider

from kitty_mock_saas.store.dialect import SQLITE

from .models import FakeTicket
from .overlay_schema import GONE
from .overlay_store import OWN_TICKETS
from .rows import TICKET_COLUMNS, ticket_from_row

if TYPE_CHECKING:
    from .schema import WorldStore

__all__ = ["OverlayListing"]


class OverlayListing:
    """The listing reads of `OverlayWorld` (a mixin before `TrackerWorld`, whose reads these
    replace)."""

    if TYPE_CHECKING:
        _store: WorldStore
        _base_schema: str

        def _rows(self, sql: str, params: dict[str, Any] | tuple[Any, ...] = ()) -> list[Any]: ...
        def _own_rowids(self) -> frozenset[int]: ...
        def _not_shadowed(self, alias: str) -> str: ...

    def tickets(
        self,
        provider: Provider | None = None,
        container_key: str | None = None,
        *,
        limit: int = 50,
        offset: int = 0,
    ) -> list[FakeTicket]:
        """As `TrackerWorld.tickets`: a page, newest first."""
        joined = "JOIN c ON c.rowid = t.container_rowid WHERE " + (
            "(t.provider = :provider OR :provider IS NULL) "
            "AND (c.key = :container OR :container IS NULL)"
        )
        rows = self._rows(
            "WITH c AS MATERIALIZED (SELECT rowid, key, external_id FROM containers) "
            f"SELECT t.rowid, {TICKET_COLUMNS} FROM {OWN_TICKETS} t {joined} AND t.{GONE} = 0 "
            f"UNION ALL SELECT t.rowid, {TICKET_COLUMNS} FROM {self._base_schema}.tickets t "
            f"{joined} "
            f"AND {self._not_shadowed('t')} "
            "ORDER BY 1 DESC LIMIT :limit OFFSET :offset",
            {
                "provider": provider.value if provider else None,
                "container": container_key,
                "limit": limit,
                "offset": offset,
            },
        )
        return [ticket_from_row(row[1:]) for row in rows]

    def count_tickets(
        self,
        provider: Provider | None = None,
        container_key: str | None = None,
        *,
        synthetic: bool | None = None,
    ) -> int:
        """As `TrackerWorld.count_tickets`: the base's count (its indexes) minus the base
        tickets the overlay hides, plus the overlay's own."""
        # CROSS: on SQLite, every ticket in table order, not through the container index.
        join = "CROSS JOIN" if self._store.dialect is SQLITE else "JOIN"
        joined = (
            f"{join} c ON c.rowid = t.container_rowid WHERE "
            "(t.provider = :provider OR :provider IS NULL) "
            "AND (c.key = :container OR :container IS NULL) "
            "AND (t.synthetic = :synthetic OR :synthetic IS NULL)"
        )
        rows = self._rows(
            "WITH c AS MATERIALIZED (SELECT rowid, key FROM containers) SELECT "
            f"(SELECT count(*) FROM {OWN_TICKETS} t {joined} AND t.{GONE} = 0) "
            f"+ (SELECT count(*) FROM {self._base_schema}.tickets t {joined}) "
            f"- (SELECT count(*) FROM {self._base_schema}.tickets t {joined} AND "
            + self._store.dialect.in_json_list("t.rowid", ":hidden", integers=True)
            + ")",
            {
                "provider": provider.value if provider else None,
                "container": container_key,
                "synthetic": None if synthetic is None else int(synthetic),
                "hidden": json.dumps(sorted(self._own_rowids())),
            },
        )
        return int(rows[0][0])

    def containers_overview(self) -> list[dict[str, Any]]:
        """As `TrackerWorld.containers_overview`: each container with its ticket count."""
        rows = self._rows(
            "SELECT c.provider, c.key, c.external_id, c.name, c.site_url, "
            f"(SELECT count(*) FROM {OWN_TICKETS} o WHERE o.container_rowid = c.rowid "
            f"AND o.{GONE} = 0) + (SELECT count(*) FROM {self._base_schema}.tickets b "
            f"WHERE b.container_rowid = c.rowid AND {self._not_shadowed('b')}) "
            "FROM containers c ORDER BY c.rowid"
        )
        names = ("provider", "key", "id", "name", "site_url", "ticket_count")
        return [dict(zip(names, row, strict=True)) for row in rows]

    def commented_keys(self, provider: Provider, container_id: str) -> list[str]:
        """As `Comments.commented_keys`: from the comments to their tickets."""
        rows = self._rows(
            "SELECT t.key FROM tickets t WHERE t.rowid IN "
            "(SELECT ticket_rowid FROM comments WHERE provider = :provider) "
            # `+`: not through the container's many tickets (SQLite would pick that index).
            "AND +t.container_rowid = (SELECT rowid FROM containers WHERE provider = :provider "
            "AND external_id = :id) ORDER BY t.key",
            {"provider": provider.value, "id": container_id},
        )
        return [str(row[0]) for row in rows]
