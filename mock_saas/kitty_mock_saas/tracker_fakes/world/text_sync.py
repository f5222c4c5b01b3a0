"""How the world's text index keeps up with its database: `TextIndexSync`, a mixin of
`TrackerWorld`.

The database commits first and the index catches up from its highest rowid and the
`text_changes` log, so a crash in between only delays indexing until the next write or start.
An SQLite file's index lies beside it, shared by its processes, and trims the log it applied. On
PostgreSQL each process keeps its own in memory and, before a search, catches up with what other
replicas committed since it last looked (the store's version says whether anything did); the log
is trimmed once old, and a replica that fell behind the trim rebuilds its index (`text_log.py`).
"""

from __future__ import annotations

from collections.abc import Iterator

from kitty_mock_saas.store.postgres import PostgresStore

from .edits import INDEX_COLUMNS, indexed_ticket
from .rows import WorldParts
from .text_index import IndexedTicket, TicketTextIndex
from .text_log import SharedTextLog, TrimmedPast

__all__ = ["TextIndexSync"]

_INDEX_BATCH = 10_000


class TextIndexSync(WorldParts):
    """The text-index half of `TrackerWorld` (a mixin over the store's connection)."""

    # The `text_changes` log every replica of a PostgreSQL world applies; None on SQLite.
    _shared_log: SharedTextLog | None = None
    # True when this index is the world's only one (SQLite): it trims the log it applied.
    _sole_index: bool

    def _catch_up_text_index(self) -> None:
        """Index every ticket the database has and the text index does not yet, then every
        ticket changed (edited, deleted, created and then reset away) since the last
        `text_changes` entry the index applied: at start-up this repairs what a crash between
        the database's commit and the index's left; on PostgreSQL it also brings in what other
        replicas wrote."""
        with self._lock:
            if self._sole_index:
                # Another process's reset may have dropped documents this searcher still sees.
                self._see_other_writers()
            # Read before the index catches up: a commit after this point changes it again.
            version = self._store.data_version(fresh=True)
            shared = self._shared_log
            with self._store.read() as db:
                newest = db.execute("SELECT coalesce(max(rowid), 0) FROM tickets").fetchone()[0]
                last_change = db.execute(
                    shared.END if shared else "SELECT coalesce(max(seq), 0) FROM text_changes"
                ).fetchone()[0]
            try:
                added, changed = self._index_tickets_and_log(newest, last_change)
            except TrimmedPast:
                # The log lost entries this replica's index never applied: a new index, built
                # from the tickets as they are now, misses none of them.
                self._text = TicketTextIndex(None)
                added, changed = self._index_tickets_and_log(newest, last_change)
            if (added or changed) and self._sole_index:
                self._index_committed()
                version = self._store.data_version(fresh=True)
            self._data_version = version
            if shared is not None and isinstance(self._store, PostgresStore):
                shared.trim_when_due(self._store, self.clock())

    def _index_tickets_and_log(self, newest: int, last_change: int) -> tuple[int, int]:
        """Index the tickets above the index's highest rowid (up to at least `newest`), then
        apply the log up to at least `last_change`; how many tickets each step touched."""
        # A new private index reads every ticket as it is now, the log's changes included.
        fresh = not self._sole_index and self._text.indexed_through() == 0
        added = changed = 0
        if newest > self._text.indexed_through():
            added = self._text.add(self._unindexed)
        if last_change > self._text.changes_through():
            changed = self._text.apply_changes(
                (lambda _floor: (last_change, [], [])) if fresh else self._changed_since
            )
        return added, changed

    def _index_committed(self) -> None:
        """Tell the world the (shared, file-backed) text index committed."""
        with self._write() as db:
            # Other processes of this world see a new data_version and reload the index.
            db.execute(
                "INSERT INTO text_index_commits (id, generation) VALUES (1, 1) "
                "ON CONFLICT (id) DO UPDATE SET generation = generation + 1"
            )
            # Applied: the log keeps only what the index has not seen. (Replicas each apply it
            # at their own pace: theirs is trimmed by age, `text_log.py`.)
            db.execute("DELETE FROM text_changes WHERE seq <= ?", (self._text.changes_through(),))

    def _changed_since(self, floor: int) -> tuple[int, list[int], list[IndexedTicket]]:
        """The log's last entry, the rowids changed after `floor` up to it, and the documents
        of those still in the database (a rowid without one was reset away)."""
        through = self._rows("SELECT coalesce(max(seq), ?) FROM text_changes", (floor,))[0][0]
        changed = [
            int(r[0])
            for r in self._rows(
                "SELECT DISTINCT ticket_rowid FROM text_changes WHERE seq > ? AND seq <= ?",
                (floor, through),
            )
        ]
        documents = self._changed_documents(floor, through, changed)
        # Read last: a trim committed before the reads above is seen here.
        if self._shared_log is not None:
            with self._store.read() as db:
                if self._shared_log.trimmed_through(db) > floor:
                    raise TrimmedPast
        return int(through), changed, documents

    def _changed_documents(
        self, floor: int, through: int, changed: list[int]
    ) -> list[IndexedTicket]:
        """The documents of the tickets the log changed after `floor` up to `through`."""
        rows = self._rows(
            f"SELECT {INDEX_COLUMNS} FROM tickets WHERE rowid IN "
            "(SELECT DISTINCT ticket_rowid FROM text_changes WHERE seq > ? AND seq <= ?)",
            (floor, through),
        )
        return [indexed_ticket(r) for r in rows]

    def _unindexed(self, floor: int) -> Iterator[list[IndexedTicket]]:
        """The tickets above rowid `floor`, a batch at a time (each batch its own read, so
        neither backend holds a cursor over the whole table)."""
        progress = self._index_progress
        total = done = 0
        if progress is not None:
            total = self._rows("SELECT count(*) FROM tickets WHERE rowid > ?", (floor,))[0][0]
        while rows := self._rows(
            f"SELECT {INDEX_COLUMNS} FROM tickets WHERE rowid > ? ORDER BY rowid LIMIT ?",
            (floor, _INDEX_BATCH),
        ):
            yield [indexed_ticket(r) for r in rows]
            floor = rows[-1][0]
            done += len(rows)
            if progress is not None:
                progress(done, total)

    def _see_other_writers(self) -> None:
        """Bring the text index up to what others committed since we last looked: reload the
        shared index (its writer indexed it), or catch a private one up from the database."""
        version = self._store.data_version()
        if version != self._data_version:
            if self._sole_index:
                self._data_version = version
                self._text.refresh()
            else:
                self._catch_up_text_index()
