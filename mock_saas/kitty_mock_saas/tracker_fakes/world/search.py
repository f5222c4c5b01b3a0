"""Free-text search of the world: `WorldSearch`, a mixin of `TrackerWorld`.

The text index (tantivy) returns the best rowids of one container in well under a millisecond
at 1,000,000 tickets; the database then loads just those rows. Restricted tickets hidden from
the searching account are few, so they are matched here and left out of the index's count.
"""

from __future__ import annotations

import json
from typing import Literal

from kitty_contracts import Provider

from kitty_mock_saas.store import Dialect

from .models import SearchHits
from .rows import TICKET_COLUMNS, TICKET_FROM, ticket_from_row
from .text_index import matches_every_word, namespace, query_words
from .text_sync import TextIndexSync

__all__ = ["SearchField", "WorldSearch"]

SearchField = Literal["all", "title"]

_TICKET_COLUMNS = TICKET_COLUMNS
_TICKET_FROM = TICKET_FROM
_ticket = ticket_from_row


class WorldSearch(TextIndexSync):
    """The searching half of `TrackerWorld` (a mixin over the store's connection)."""

    _sql: _SearchSql

    def search(
        self,
        provider: Provider,
        container_id: str | None,
        text: str,
        *,
        account_id: str,
        limit: int,
        offset: int = 0,
        field: SearchField = "all",
        pull_requests: bool | None = False,
    ) -> SearchHits:
        """Tickets of one container (None: every container of `provider`) matching every
        word of `text`, best (BM25, the title weighing ten times the body) first.

        Deleted and transferred tickets never match; tickets restricted away from
        `account_id` are invisible. `pull_requests`: False issues only, True only pull
        requests, None both.
        """
        words = query_words(text)
        with self._lock:
            rowids = self._container_rowids_of(provider, container_id)
            kinds = [False, True] if pull_requests is None else [pull_requests]
            namespaces = [namespace(r, pull_request=kind) for r in rowids for kind in kinds]
            self._see_other_writers()
            query = self._text.query(words, namespaces, "text" if field == "all" else "title")
            if query is None:
                return SearchHits(tickets=[], total=0)
            # Restricted tickets are few: those hidden from this account are matched here, so
            # the index's count and pages can leave them out.
            invisible = {
                rowid
                for rowid, title, body in self._hidden_from(account_id, rowids, pull_requests)
                if matches_every_word(words, title, body if field == "all" else None)
            }
            wanted = offset + limit
            fetch = max(wanted, 1)
            while True:
                rowids, total = self._text.top(query, fetch)
                visible = [rowid for rowid in rowids if rowid not in invisible]
                if len(visible) >= wanted or len(rowids) < fetch:
                    break
                fetch += len(rowids) - len(visible)
            page = visible[offset:wanted]
            by_rowid = {
                row[0]: _ticket(row[1:]) for row in self._rows(self._sql.hits, (json.dumps(page),))
            }
        return SearchHits(tickets=[by_rowid[r] for r in page], total=total - len(invisible))

    def _container_rowids_of(self, provider: Provider, container_id: str | None) -> list[int]:
        return list(
            self._remembered(
                ("container_rowids", provider, container_id),
                lambda: self._read_container_rowids(provider, container_id),
            )
        )

    def _read_container_rowids(
        self, provider: Provider, container_id: str | None
    ) -> tuple[int, ...]:
        rows = self._rows(
            "SELECT rowid FROM containers WHERE provider = :provider "
            "AND (external_id = :container OR :container IS NULL) ORDER BY rowid",
            {"provider": provider.value, "container": container_id},
        )
        return tuple(row[0] for row in rows)

    def _hidden_from(
        self, account_id: str, container_rowids: list[int], pull_requests: bool | None
    ) -> tuple[tuple[int, str, str | None], ...]:
        """The searchable tickets of these containers restricted away from `account_id`."""
        return self._remembered(
            ("hidden_from", account_id, tuple(container_rowids), pull_requests),
            lambda: self._read_hidden_from(account_id, container_rowids, pull_requests),
        )

    def _read_hidden_from(
        self, account_id: str, container_rowids: list[int], pull_requests: bool | None
    ) -> tuple[tuple[int, str, str | None], ...]:
        rows = self._rows(
            self._sql.hidden,
            {
                "containers": json.dumps(container_rowids),
                "account": account_id,
                "prs": None if pull_requests is None else int(pull_requests),
            },
        )
        return tuple(rows)


class _SearchSql:
    """The search's statements that need the dialect, spelled once per world."""

    def __init__(self, dialect: Dialect) -> None:
        self.hits = (
            f"SELECT t.rowid, {_TICKET_COLUMNS} FROM {_TICKET_FROM} WHERE "
            + dialect.in_json_list("t.rowid", "?", integers=True)
        )
        # The searchable restricted tickets of some containers hidden from one account.
        self.hidden = (
            "SELECT t.rowid, t.title, t.body_markdown FROM tickets t WHERE "
            + dialect.in_json_list("t.container_rowid", ":containers", integers=True)
            + " AND t.restricted_to IS NOT NULL AND t.deleted = 0 AND t.transferred_to IS NULL "
            "AND (t.is_pull_request = :prs OR :prs IS NULL) AND NOT "
            + dialect.json_array_has("t.restricted_to", ":account")
        )
