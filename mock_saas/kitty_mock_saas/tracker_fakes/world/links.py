"""Links between tickets: Jira issue links, Linear issue relations. Adding one records a `linked`
event on both tickets; links writes added are deleted by the mock's reset."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from kitty_contracts import Provider

from .events import append_events
from .ids import link_id
from .models import EventKind, TicketLink
from .rows import WorldParts, ticket_rowid

__all__ = ["Links"]

_COLUMNS = "k.rowid, k.provider, a.key, b.key, k.kind, k.author, k.created_at"
_FROM = (
    "ticket_links k JOIN tickets a ON a.rowid = k.from_rowid JOIN tickets b ON b.rowid = k.to_rowid"
)


class Links(WorldParts):
    """The links half of `TrackerWorld` (a mixin over the store's connection)."""

    def links(self, provider: Provider, key: str) -> list[TicketLink]:
        """The links from or to the ticket with `key`, oldest first."""
        rows = self._rows(
            f"SELECT {_COLUMNS} FROM {_FROM} WHERE k.provider = :provider "
            "AND (a.key = :key OR b.key = :key) ORDER BY k.rowid",
            {"provider": provider.value, "key": key},
        )
        return [_link(row) for row in rows]

    def link(self, provider: Provider, link_id_: str) -> TicketLink | None:
        """The link with this provider id, or None."""
        for row in self._rows(
            f"SELECT {_COLUMNS} FROM {_FROM} WHERE k.provider = ?", (provider.value,)
        ):
            found = _link(row)
            if found.id == link_id_:
                return found
        return None

    def add_link(
        self,
        provider: Provider,
        from_key: str,
        to_key: str,
        kind: str,
        *,
        author: str | None,
        now: datetime | None = None,
    ) -> TicketLink:
        """Link two tickets of `provider` (the same link twice is one link).

        Raises LookupError for an unknown ticket, ValueError for a ticket linked to itself or a
        blank kind.
        """
        if from_key == to_key:
            raise ValueError(f"{from_key} cannot be linked to itself")
        if not kind.strip():
            raise ValueError("a link needs a kind")
        at = now or self.clock()
        with self._write() as db:
            ends = [ticket_rowid(db, provider, key) for key in (from_key, to_key)]
            for key, rowid in zip((from_key, to_key), ends, strict=True):
                if rowid is None:
                    raise LookupError(f"no {provider.value} ticket {key!r}")
            source, target = ends
            existing = db.execute(
                "SELECT rowid FROM ticket_links WHERE from_rowid = ? AND to_rowid = ? AND kind = ?",
                (source, target, kind),
            ).fetchone()
            if existing is None:
                rowid = int(
                    db.execute(
                        "INSERT INTO ticket_links (provider, from_rowid, to_rowid, kind, author, "
                        "created_at, written) VALUES (?, ?, ?, ?, ?, ?, 1) RETURNING rowid",
                        (provider.value, source, target, kind, author, at.isoformat()),
                    ).fetchall()[0][0]
                )
                for own, other, direction in ((source, to_key, "to"), (target, from_key, "from")):
                    assert own is not None
                    details = {"kind": kind, "direction": direction, "key": other}
                    append_events(
                        db, provider, own, [(EventKind.linked, details)], actor=author, at=at
                    )
            else:
                rowid = int(existing[0])
        found = self.link(provider, link_id(provider, rowid))
        assert found is not None  # just added or found
        return found

    def remove_link(self, provider: Provider, link_id_: str, *, actor: str | None = None) -> bool:
        """Remove a link; False when there is none with this id."""
        found = self.link(provider, link_id_)
        if found is None:
            return False
        at = self.clock()
        with self._write() as db:
            source = ticket_rowid(db, provider, found.from_key)
            target = ticket_rowid(db, provider, found.to_key)
            db.execute(
                "DELETE FROM ticket_links WHERE from_rowid = ? AND to_rowid = ? AND kind = ?",
                (source, target, found.kind),
            )
            for own, other, direction in (
                (source, found.to_key, "to"),
                (target, found.from_key, "from"),
            ):
                assert own is not None
                details = {"kind": found.kind, "direction": direction, "key": other}
                append_events(
                    db, provider, own, [(EventKind.unlinked, details)], actor=actor, at=at
                )
        return True


def _link(row: tuple[Any, ...]) -> TicketLink:
    provider = Provider(row[1])
    return TicketLink(
        provider=provider,
        id=link_id(provider, int(row[0])),
        from_key=str(row[2]),
        to_key=str(row[3]),
        kind=str(row[4]),
        author=row[5],
        created_at=datetime.fromisoformat(row[6]),
    )
