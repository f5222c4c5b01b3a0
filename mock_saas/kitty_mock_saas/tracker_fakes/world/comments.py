"""Comments on tickets. Adding one touches the ticket's `updated_at` (as all three trackers
do) and records a `commented` event; the mock's reset deletes the comments writes added and
puts edited seeded comments back."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from kitty_contracts import Provider

from .accounts import Accounts
from .events import append_events
from .ids import comment_id
from .models import Comment, EventKind
from .rows import save_original, ticket_rowid

__all__ = ["Comments", "revert_comments"]

_COLUMNS = "m.provider, m.external_id, t.key, m.author, m.body_markdown, m.created_at, m.updated_at"
_FROM = "comments m JOIN tickets t ON t.rowid = m.ticket_rowid"


class Comments(Accounts):
    """The comments half of `TrackerWorld` (a mixin over the store's connection)."""

    def comments(self, provider: Provider, key: str) -> list[Comment]:
        """The comments of one ticket, oldest first."""
        rows = self._rows(
            f"SELECT {_COLUMNS} FROM {_FROM} WHERE t.provider = ? AND t.key = ? ORDER BY m.rowid",
            (provider.value, key),
        )
        return [_comment(row) for row in rows]

    def commented_keys(self, provider: Provider, container_id: str) -> list[str]:
        """The keys of the tickets of one container that have a comment (a text search that
        covers comments looks at these beside the text index, which holds no comments)."""
        # From the few comments to their tickets (by rowid), never through a container's many
        # tickets.
        rows = self._rows(
            "SELECT DISTINCT t.key FROM tickets t WHERE t.rowid IN "
            "(SELECT m.ticket_rowid FROM comments m WHERE m.provider = :provider) AND "
            "t.container_rowid = (SELECT rowid FROM containers WHERE provider = :provider "
            "AND external_id = :id) ORDER BY t.key",
            {"provider": provider.value, "id": container_id},
        )
        return [str(row[0]) for row in rows]

    def comment(self, provider: Provider, comment_id: str) -> Comment | None:
        """The comment with this provider id, or None."""
        rows = self._rows(
            f"SELECT {_COLUMNS} FROM {_FROM} WHERE m.provider = ? AND m.external_id = ?",
            (provider.value, comment_id),
        )
        return _comment(rows[0]) if rows else None

    def add_comment(
        self,
        provider: Provider,
        key: str,
        author: str | None,
        body_markdown: str,
        *,
        now: datetime | None = None,
        seeded: bool = False,
    ) -> Comment:
        """Add a comment by account `author` to the ticket with `key`.

        Raises LookupError for an unknown ticket or author. `seeded` marks it as part of the
        default world: it then leaves the ticket's `updated_at` and events alone.
        """
        self._require_account(provider, author)
        at = now or self.clock()
        with self._write() as db:
            rowid = ticket_rowid(db, provider, key)
            if rowid is None:
                raise LookupError(f"no {provider.value} ticket {key!r}")
            added = db.execute(
                "INSERT INTO comments (provider, ticket_rowid, external_id, author, "
                "body_markdown, created_at, updated_at, written) VALUES (?, ?, '', ?, ?, ?, ?, ?) "
                "RETURNING rowid",
                (
                    provider.value,
                    rowid,
                    author,
                    body_markdown,
                    at.isoformat(),
                    at.isoformat(),
                    int(not seeded),
                ),
            ).fetchall()[0][0]
            new_id = comment_id(provider, int(added))
            db.execute("UPDATE comments SET external_id = ? WHERE rowid = ?", (new_id, added))
            if not seeded:
                save_original(db, rowid)
                db.execute(
                    "UPDATE tickets SET updated_at = ? WHERE rowid = ?", (at.isoformat(), rowid)
                )
                append_events(
                    db,
                    provider,
                    rowid,
                    [(EventKind.commented, {"comment_id": new_id})],
                    actor=author,
                    at=at,
                )
        found = self.comment(provider, new_id)
        assert found is not None  # just added
        return found

    def edit_comment(
        self,
        provider: Provider,
        comment_id: str,
        body_markdown: str,
        *,
        now: datetime | None = None,
    ) -> Comment | None:
        """Replace a comment's body; None when there is no such comment."""
        at = now or self.clock()
        with self._write() as db:
            row = db.execute(
                "SELECT rowid, body_markdown, updated_at FROM comments "
                "WHERE provider = ? AND external_id = ?",
                (provider.value, comment_id),
            ).fetchone()
            if row is None:
                return None
            db.execute(
                "UPDATE comments SET original = coalesce(original, ?), body_markdown = ?, "
                "updated_at = ? WHERE rowid = ?",
                (
                    json.dumps({"body_markdown": row[1], "updated_at": row[2]}),
                    body_markdown,
                    at.isoformat(),
                    row[0],
                ),
            )
        return self.comment(provider, comment_id)


def revert_comments(db: Any) -> None:
    """Delete the comments writes added; put edited ones back (inside the reset's write)."""
    db.execute("DELETE FROM comments WHERE written = 1")
    for rowid, original in db.execute(
        "SELECT rowid, original FROM comments WHERE original IS NOT NULL"
    ).fetchall():
        before = json.loads(original)
        db.execute(
            "UPDATE comments SET body_markdown = ?, updated_at = ?, original = NULL "
            "WHERE rowid = ?",
            (before["body_markdown"], before["updated_at"], rowid),
        )


def _comment(row: tuple[Any, ...]) -> Comment:
    return Comment(
        provider=Provider(row[0]),
        id=str(row[1]),
        ticket_key=str(row[2]),
        author=row[3],
        body_markdown=str(row[4]),
        created_at=datetime.fromisoformat(row[5]),
        updated_at=datetime.fromisoformat(row[6]),
    )
