"""Creating tickets, as `POST /issue`, `POST .../issues` and `issueCreate` do: the next number
of the container, an id shaped like the seed's, a `created` event; the mock's reset deletes
created tickets again (with their comments and events)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from kitty_contracts import Provider, StatusCategory

from .accounts import Accounts
from .changes import check_priority, check_title, default_status
from .events import append_events
from .ids import ticket_id_candidates
from .labels import ensure_labels
from .models import EventKind, FakeTicket
from .rows import INSERT_COLUMNS, ticket_row

__all__ = ["TicketCreation", "ticket_key"]


def ticket_key(provider: Provider, container_key: str, number: int) -> str:
    """The human key of ticket `number`: `IAM-42`, `WEB-123`, `acme/web#7`."""
    separator = "#" if provider is Provider.github else "-"
    return f"{container_key}{separator}{number}"


class TicketCreation(Accounts):
    """The creating half of `TrackerWorld` (a mixin over the store's connection)."""

    def create_ticket(
        self,
        provider: Provider,
        container_key: str,
        *,
        title: str,
        body_markdown: str | None,
        author: str | None,
        labels: Sequence[str] = (),
        assignee: str | None = None,
        priority: int | None = None,
        parent_key: str | None = None,
        status_category: StatusCategory = StatusCategory.todo,
        status_name: str | None = None,
        now: datetime | None = None,
    ) -> FakeTicket:
        """A new ticket in the container with key `container_key`, reported by `author`.

        Raises LookupError for an unknown container, author, assignee or parent (which must be
        a ticket of the same provider), ValueError for a blank title or a priority off Linear's
        0-4 scale.
        """
        check_title(title)
        check_priority(priority)
        self._require_account(provider, author)
        self._require_account(provider, assignee)
        if parent_key is not None and self.ticket(provider, parent_key) is None:
            raise LookupError(f"no {provider.value} ticket {parent_key!r}")
        default_name, reason = default_status(provider, status_category)
        at = now or self.clock()
        with self._write() as db:
            found = db.execute(
                "SELECT rowid, external_id, key FROM containers WHERE provider = ? AND key = ?",
                (provider.value, container_key),
            ).fetchone()
            if found is None:
                raise LookupError(f"no {provider.value} container {container_key!r}")
            container_rowid, container_id, key_prefix = found
            number = db.execute(
                "SELECT coalesce(max(number), 0) + 1 FROM tickets WHERE container_rowid = ?",
                (container_rowid,),
            ).fetchone()[0]
            key = ticket_key(provider, key_prefix, number)
            ticket_id = next(
                candidate
                for candidate in ticket_id_candidates(provider, key, number)
                if db.execute(
                    "SELECT 1 FROM tickets WHERE provider = ? AND external_id = ?",
                    (provider.value, candidate),
                ).fetchone()
                is None
            )
            ticket = FakeTicket(
                provider=provider,
                container_key=key_prefix,
                container_id=container_id,
                number=number,
                id=ticket_id,
                key=key,
                title=title,
                body_markdown=body_markdown,
                status_name=status_name or default_name,
                status_category=status_category,
                created_at=at,
                updated_at=at,
                state_reason=reason,
                labels=tuple(ensure_labels(db, provider, container_rowid, labels)),
                assignee=assignee,
                reporter=author,
                priority=priority,
                parent_key=parent_key,
            )
            marks = ", ".join("?" * (INSERT_COLUMNS.count(",") + 2))
            rowid = db.execute(
                f"INSERT INTO tickets ({INSERT_COLUMNS}, written) VALUES ({marks}) RETURNING rowid",
                (*ticket_row(ticket, container_rowid), 1),
            ).fetchall()[0][0]
            append_events(
                db,
                provider,
                int(rowid),
                [
                    (EventKind.created, {}),
                    *((EventKind.labeled, {"label": label}) for label in ticket.labels),
                    *([(EventKind.assigned, {"assignee": assignee})] if assignee else []),
                ],
                actor=author,
                at=at,
            )
        self._catch_up_text_index()
        return ticket
