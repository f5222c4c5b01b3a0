"""`OverlayWorld`: a sandbox's tracker world that reads the base world and stores only its own
edits, so 64 sandboxes cost what they changed, not 64 copies of the world.

Over an SQLite world the overlay is a small SQLite file (or memory) with the base world
ATTACHed read-only (`overlay_store`); over a PostgreSQL world it is a schema in the base's
database (`overlay_postgres`), shared by every replica. Either way the views and triggers of
`overlay_schema` make its connection look like a world connection, so every `TrackerWorld`
method runs on it unchanged. A sandbox therefore sees base changes made
after it was created for every row it did not edit; a row it edited (or created, or deleted) is
its own from then on. Its reset (`revert_edits`) drops the overlay: the sandbox sees the base
as it is now, and the base world's own reset never touches an overlay.

Free text: the base world's tantivy index answers for the base, a small index of the overlay's
own rows for the sandbox (beside the file; on PostgreSQL each replica's own, in memory, kept in
step by the overlay's `text_changes`). Base hits of rows the overlay holds are dropped
(their base text is stale for this sandbox); own rows matching every word are added. Ranking
merges both lists by score: own hits are scored with BM25 (k1 1.2, b 0.75, like tantivy) from
the base index's document count and per-term document frequencies, so an edited ticket ranks
about where the base would rank the same text; only length normalization is left out (an own
document counts as of average length). The total is the base's minus the base matches the
overlay hides, plus the own matches.
"""

from __future__ import annotations

import json
import math
import shutil
import threading
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Sequence
from datetime import datetime
from pathlib import Path

from kitty_contracts import Provider

from kitty_mock_saas.store.postgres import PostgresStore
from kitty_mock_saas.store.sqlite import SqliteStore

from .edits import INDEX_COLUMNS, indexed_ticket
from .models import SearchHits
from .overlay_listing import OverlayListing
from .overlay_postgres import PostgresOverlayStore, overlay_exists
from .overlay_schema import (
    GONE,
    INDEXED_TABLE,
    OVERLAID_TABLES,
    OWN_ROWID_BASE,
    own_table,
    shadowed,
)
from .overlay_store import BASE_SCHEMA, MEMORY, OWN_TICKETS, OverlayStore
from .rows import TICKET_COLUMNS, TICKET_FROM, ticket_from_row
from .schema import WorldStore
from .store import SearchField, TrackerWorld, _SearchSql
from .text_index import (
    TITLE_WEIGHT,
    IndexedTicket,
    QueryWord,
    TicketTextIndex,
    analyze,
    matches_every_word,
    namespace,
    query_words,
)

__all__ = ["OverlayWorld"]

# BM25 term saturation, as tantivy scores.
_K1 = 1.2


class OverlayWorld(OverlayListing, TrackerWorld):
    """A sandbox's world over `base` (the mock's own world, open in this process): reads see
    the base plus the overlay's own rows, writes go to the overlay only.

    `place` is where the overlay lives: over an SQLite world a file (or ":memory:"), over a
    PostgreSQL world a schema of its database. `create`: make it if it is not there yet (the
    sandbox's first edit); else open the one another process or replica made.

    Usage::

        own = OverlayWorld("/tmp/state.sandboxes/ci-1.sqlite3.world", base=world)
        own.edit_ticket(Provider.jira, "IAM-42", TicketChanges.of(title="Only here"))
        own.revert_edits()   # drops the overlay: the base as it is now
    """

    def __init__(
        self,
        place: str | Path,
        *,
        base: TrackerWorld,
        create: bool = True,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        # Not TrackerWorld.__init__: the overlay's tables are generated from the base's, not
        # made by the world's migrations.
        base_store = base._store
        self.path = str(place)
        self.base = base
        self.clock = clock or base.clock
        self._lock = threading.RLock()  # guards the text index, as in TrackerWorld
        store: OverlayStore | PostgresOverlayStore
        if isinstance(base_store, SqliteStore):
            store = OverlayStore(self.path, base=base_store)
            self._base_schema = BASE_SCHEMA
            self._sole_index = True  # one index beside the file, shared by its processes
            text = None if self.path == MEMORY else Path(f"{self.path}.text")
        elif isinstance(base_store, PostgresStore):
            store = PostgresOverlayStore(self.path, base=base_store, create=create)
            self._base_schema = base_store.schema
            self._sole_index = False  # each replica's own, in memory
            text = None
        else:  # pragma: no cover - the world's stores are these two
            raise TypeError(f"no overlay world over {base!r}")
        self._store: WorldStore = store
        self._tickets = store.tables[INDEXED_TABLE]
        self._sql = _SearchSql(store.dialect)
        self._text = TicketTextIndex(text)
        self._data_version = self._store.data_version(fresh=True)
        self._index_progress = None
        self._catch_up_text_index()
        if self._sole_index and self.path != MEMORY:
            # Complete: the world's other processes may open it now (`made`).
            _ready(self.path).touch()

    def __repr__(self) -> str:
        return f"OverlayWorld({self.path!r}, base={self.base!r})"

    @staticmethod
    def made(place: str, *, base: TrackerWorld, asker: Hashable) -> bool:
        """Whether the overlay at `place` over `base` is made, by this process or another (or
        another replica). `asker` (its identity) tells a sandbox made anew from the one before."""
        base_store = base._store
        if isinstance(base_store, PostgresStore):
            return overlay_exists(base_store, place, asker)
        return place != MEMORY and _ready(place).exists()

    @staticmethod
    def forget(place: str, *, base: TrackerWorld) -> None:
        """Delete an overlay file over `base` and its index (nothing for ":memory:"; an
        overlay schema is dropped with its sandbox's state, in the same transaction)."""
        if place == MEMORY or not isinstance(base._store, SqliteStore):
            return
        _ready(place).unlink(missing_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(place + suffix).unlink(missing_ok=True)
        shutil.rmtree(f"{place}.text", ignore_errors=True)

    def __enter__(self) -> OverlayWorld:
        return self

    # -- the overlay's own rows ----------------------------------------------------------------

    def revert_edits(self) -> int:
        """Drop the overlay: the sandbox sees the base world as it is now. Returns how many
        tickets it had edited, created or deleted."""
        with self._write() as db:
            count = int(db.execute(f"SELECT count(*) FROM {OWN_TICKETS}").fetchone()[0])
            db.execute(f"INSERT INTO text_changes (ticket_rowid) SELECT rowid FROM {OWN_TICKETS}")
            for name in OVERLAID_TABLES:
                db.execute(f"DELETE FROM {own_table(name)}")
            db.execute("DELETE FROM ticket_originals")
        self._catch_up_text_index()
        return count

    def copy_to(self, path: str) -> TrackerWorld:
        """Refused: an overlay holds only its own rows; copy the base world, or make another
        overlay over it."""
        raise TypeError(f"{self!r} is an overlay; copy its base world instead")

    def _own_rowids(self) -> frozenset[int]:
        """The base tickets this overlay hides: those it holds its own version (or deletion)
        of, and those whose unique key one of its rows took."""
        taken = " UNION ".join(
            f"SELECT b.rowid FROM {OWN_TICKETS} o JOIN {self._base_schema}.tickets b ON "
            + " AND ".join(f'b."{c}" = o."{c}"' for c in columns)
            for columns in self._tickets.unique
        )
        return self._remembered(
            ("own_rowids",),
            lambda: frozenset(
                int(r[0])
                for r in self._rows(
                    f"SELECT rowid FROM {OWN_TICKETS} WHERE rowid < ?"
                    + (f" UNION {taken}" if taken else ""),
                    (OWN_ROWID_BASE,),
                )
            ),
        )

    def _not_shadowed(self, alias: str) -> str:
        """The condition that base ticket `alias` is seen through the overlay."""
        return f"NOT ({shadowed(self._tickets, alias)})"

    # -- the overlay's text index ------------------------------------------------------------

    def _catch_up_text_index(self) -> None:
        """Apply the overlay's `text_changes` (every write of an own ticket row logs one) to its
        own index; base tickets are the base index's."""
        with self._lock:
            if self._sole_index:
                self._see_other_writers()
            version = self._store.data_version(fresh=True)
            last = self._rows("SELECT coalesce(max(seq), 0) FROM text_changes")[0][0]
            if (
                last > self._text.changes_through()
                and self._text.apply_changes(self._changed_since)
                and self._sole_index
            ):
                self._index_committed()
                version = self._store.data_version(fresh=True)
            self._data_version = version

    def _changed_documents(
        self, floor: int, through: int, changed: list[int]
    ) -> list[IndexedTicket]:
        """The overlay's own rows among `changed` (base rows are the base index's)."""
        rows = self._rows(
            f"SELECT {INDEX_COLUMNS} FROM {OWN_TICKETS} WHERE {GONE} = 0 AND "
            + self._store.dialect.in_json_list("rowid", "?", integers=True),
            (json.dumps(changed),),
        )
        return [indexed_ticket(r) for r in rows]

    # -- search --------------------------------------------------------------------------------

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
        """As `TrackerWorld.search`, over the base's hits and the overlay's own (see the module
        docstring for how the two rankings merge)."""
        words = query_words(text)
        index_field = "text" if field == "all" else "title"
        with self._lock:
            containers = self._container_rowids_of(provider, container_id)
            kinds = [False, True] if pull_requests is None else [pull_requests]
            namespaces = [namespace(r, pull_request=kind) for r in containers for kind in kinds]
            self._see_other_writers()
            invisible = {
                rowid
                for rowid, title, body in self._hidden_from(account_id, containers, pull_requests)
                if matches_every_word(words, title, body if field == "all" else None)
            }
            shadowed = self._own_rowids()
            own = self._own_matches(words, namespaces, index_field, invisible)
            base_hits, base_total = self._base_matches(
                words, namespaces, index_field, offset + limit, shadowed | invisible
            )
            hidden_base = self._base_matching(words, set(namespaces), field, shadowed | invisible)
            merged = sorted(base_hits + own, key=lambda hit: (-hit[0], hit[1]))
            page = [rowid for _score, rowid in merged[offset : offset + limit]]
            by_rowid = {
                row[0]: ticket_from_row(row[1:])
                for row in self._rows(
                    f"SELECT t.rowid, {TICKET_COLUMNS} FROM {TICKET_FROM} WHERE "
                    + self._store.dialect.in_json_list("t.rowid", "?", integers=True),
                    (json.dumps(page),),
                )
            }
        total = base_total - hidden_base + len(own)
        # A base hit whose row a reset of the base removed since its index answered is left out.
        tickets = [by_rowid[r] for r in page if r in by_rowid]
        return SearchHits(tickets=tickets, total=max(total, 0))

    def _own_matches(
        self,
        words: Sequence[QueryWord],
        namespaces: Sequence[str],
        index_field: str,
        invisible: set[int],
    ) -> list[tuple[float, int]]:
        """(score with the base's statistics, rowid) of every own row matching the query."""
        query = self._text.query(words, namespaces, index_field)
        if query is None:
            return []
        count = self._rows(f"SELECT count(*) FROM {OWN_TICKETS}")[0][0]
        rowids, _ = self._text.top(query, max(1, int(count)))
        rowids = [r for r in rowids if r not in invisible]
        if not rowids:
            return []
        rows = self._rows(
            f"SELECT rowid, container_rowid, is_pull_request, title, coalesce(body_markdown, '') "
            f"FROM {OWN_TICKETS} WHERE "
            + self._store.dialect.in_json_list("rowid", "?", integers=True),
            (json.dumps(rowids),),
        )
        documents = {
            row[0]: _tokens(
                namespace(row[1], pull_request=bool(row[2])), row[3], row[4], index_field
            )
            for row in rows
        }
        terms = {term for tokens in documents.values() for term in tokens}
        with self.base._lock:
            self.base._see_other_writers()
            documents_in_base, frequency = self.base._text.term_statistics(index_field, terms)
        return [
            (_bm25(words, documents[r], documents_in_base, frequency), r)
            for r in rowids
            if r in documents
        ]

    def _base_matches(
        self,
        words: Sequence[QueryWord],
        namespaces: Sequence[str],
        index_field: str,
        wanted: int,
        hidden: set[int] | frozenset[int],
    ) -> tuple[list[tuple[float, int]], int]:
        """The base index's best `wanted` (score, rowid) hits the overlay does not hide, and the
        base's total count of matches."""
        base = self.base
        with base._lock:
            base._see_other_writers()
            query = base._text.query(words, namespaces, index_field)
            if query is None:
                return [], 0
            fetch = max(wanted, 1) + len(hidden)
            while True:
                scored, total = base._text.scored_top(query, fetch)
                visible = [(score, rowid) for score, rowid in scored if rowid not in hidden]
                if len(visible) >= wanted or len(scored) < fetch:
                    return visible[:wanted], total
                fetch += len(scored) - len(visible)

    def _base_matching(
        self,
        words: Sequence[QueryWord],
        namespaces: set[str],
        field: SearchField,
        rowids: Iterable[int],
    ) -> int:
        """How many of these base tickets the base index counts as matches (the overlay hides
        them), judged from the base rows."""
        rows = self._rows(
            "SELECT container_rowid, is_pull_request, title, body_markdown "
            f"FROM {self._base_schema}.tickets WHERE deleted = 0 AND transferred_to IS NULL AND "
            + self._store.dialect.in_json_list("rowid", "?", integers=True),
            (json.dumps(sorted(rowids)),),
        )
        return sum(
            1
            for row in rows
            if namespace(row[0], pull_request=bool(row[1])) in namespaces
            and matches_every_word(words, row[2], row[3] if field == "all" else None)
        )


def _tokens(space: str, title: str, body: str, index_field: str) -> Counter[str]:
    """The namespaced tokens of one document as the index counts them (the title ten times)."""
    title_tokens = analyze(title)
    tokens = title_tokens if index_field == "title" else title_tokens * TITLE_WEIGHT + analyze(body)
    return Counter(f"{space}_{token}" for token in tokens)


def _bm25(
    words: Sequence[QueryWord], tokens: Counter[str], documents: int, frequency: dict[str, int]
) -> float:
    """BM25 of one document for `words`, with the base index's statistics and the document
    taken as of average length (each matching term: idf * tf * (k1 + 1) / (tf + k1))."""
    score = 0.0
    for word in words:
        for term, tf in tokens.items():
            token = term.split("_", 1)[1]
            if token == word.token or (word.prefix and token.startswith(word.token)):
                df = frequency.get(term, 0)
                idf = math.log(1 + (documents - df + 0.5) / (df + 0.5))
                score += idf * tf * (_K1 + 1) / (tf + _K1)
    return score


def _ready(path: str) -> Path:
    """The marker of a complete overlay file."""
    return Path(f"{path}.ready")
