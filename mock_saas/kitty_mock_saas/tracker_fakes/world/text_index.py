"""`TicketTextIndex`: the tracker world's free-text index, in tantivy, keyed by SQLite rowid.

SQLite stays the source of truth; this index only answers "which rowids, best first". Each
ticket is one document whose tokens carry their namespace (`3_billing`: container rowid 3,
issues; `3p_billing`: its pull requests), so a search in one container reads that container's
postings only, never a filter over every container's. The title counts ten times (its tokens
are repeated), as the earlier FTS5 ranking weighted title over body; BM25 does the rest.
Tickets that can never match (deleted, transferred) are indexed without text, so the highest
indexed rowid always says how far the index has caught up with SQLite's new rows; a marker
document (rowid 0) holds the last entry of SQLite's `text_changes` log applied, committed with the
documents it changed, so edits and deletions catch up too. A directory written with another
layout (`LAYOUT`) is dropped and rebuilt from SQLite.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import tantivy
from tantivy import Occur, Query

__all__ = [
    "IndexedTicket",
    "QueryWord",
    "TicketTextIndex",
    "analyze",
    "matches_every_word",
    "namespace",
    "query_words",
]

# Bump when the schema or the tokens change: older directories are rebuilt.
LAYOUT = "3"
_LAYOUT_FILE = "kitty-layout"
TITLE_WEIGHT = 10
# Enough for a prefix like `sign*` in a tracker's vocabulary; bounds the query's width.
PREFIX_EXPANSIONS = 64
WRITER_HEAP_BYTES = 100_000_000
# Another process indexing a corpus chunk holds the writer lock for seconds at most.
WRITER_LOCK_TIMEOUT_S = 60.0

_ANALYZER = (
    tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
    .filter(tantivy.Filter.remove_long(40))
    .filter(tantivy.Filter.lowercase())
    .filter(tantivy.Filter.ascii_fold())
    .filter(tantivy.Filter.stemmer("english"))
    .build()
)


def namespace(container_rowid: int, *, pull_request: bool) -> str:
    """The namespace of a container's issues (`3`) or pull requests (`3p`)."""
    return f"{container_rowid}p" if pull_request else str(container_rowid)


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("rowid", fast=True)
    # Only on the marker document (rowid 0): the last `text_changes.seq` applied.
    builder.add_integer_field("changes_through", fast=True)
    # Pre-analyzed, namespaced tokens: the whitespace tokenizer only splits them.
    builder.add_text_field("text", tokenizer_name="whitespace", index_option="freq")
    builder.add_text_field("title", tokenizer_name="whitespace", index_option="freq")
    return builder.build()


_SCHEMA = _schema()


def analyze(text: str) -> list[str]:
    """The index's tokens of `text`: words, lowercased, accents folded, English-stemmed."""
    return _ANALYZER.analyze(text)


@dataclass(frozen=True, slots=True)
class QueryWord:
    """One analyzed word of a query; `prefix` when the user wrote `word*`."""

    token: str
    prefix: bool = False


def query_words(text: str) -> list[QueryWord]:
    """Every word of `text` as index tokens; a trailing `*` makes its last token a prefix.

    Only words are kept, so user text can never carry query syntax into the engine.
    """
    words: list[QueryWord] = []
    for match in re.finditer(r"\w+\*?", text, re.UNICODE):
        word = match.group(0)
        tokens = analyze(word.rstrip("*"))
        words += [QueryWord(token) for token in tokens[:-1]]
        if tokens:
            words.append(QueryWord(tokens[-1], prefix=word.endswith("*")))
    return words


def matches_every_word(words: Sequence[QueryWord], title: str, body: str | None) -> bool:
    """Whether a ticket with this text matches every word, as the index decides (`body` None:
    the title only); for checking the few tickets that need it without asking the index."""
    tokens = set(analyze(title)) | set(analyze(body or ""))
    return all(
        any(token.startswith(word.token) for token in tokens)
        if word.prefix
        else word.token in tokens
        for word in words
    )


@dataclass(frozen=True, slots=True)
class IndexedTicket:
    """What the index needs of one ticket; `searchable` False for tombstones and moved ones."""

    rowid: int
    namespace: str
    title: str
    body: str
    searchable: bool


class TicketTextIndex:
    """The tantivy index of one world: a directory beside the world file, or in memory.

    Not thread-safe on its own; `TrackerWorld` calls it under its lock.
    """

    def __init__(self, directory: Path | None) -> None:
        self.directory = directory
        if directory is None:
            self._index = tantivy.Index(_SCHEMA)
        else:
            layout = directory / _LAYOUT_FILE
            current = layout.is_file() and layout.read_text(encoding="utf-8") == LAYOUT
            if directory.exists() and not current:
                shutil.rmtree(directory)
            directory.mkdir(parents=True, exist_ok=True)
            self._index = tantivy.Index(_SCHEMA, path=str(directory), reuse=True)
            if not current:
                # Atomically, and only when new: another process opening the index meanwhile
                # must never read a half-written file and take the index for an old one.
                partial = directory / f".{_LAYOUT_FILE}.{os.getpid()}"
                partial.write_text(LAYOUT, encoding="utf-8")
                os.replace(partial, layout)
        self._searcher = self._index.searcher()

    def refresh(self) -> None:
        """See every commit so far, this process's or another's."""
        self._index.reload()
        self._searcher = self._index.searcher()

    def indexed_through(self) -> int:
        """The highest rowid in the index (0 when empty)."""
        searcher = self._searcher
        hits = searcher.search(Query.all_query(), 1, count=False, order_by_field="rowid").hits
        if not hits:
            return 0
        value = searcher.fast_field_values("rowid", [hits[0][1]])[0]
        return int(value or 0)

    def add(self, fetch: Callable[[int], Iterable[Sequence[IndexedTicket]]]) -> int:
        """Index what `fetch(floor)` yields: batches of the tickets above rowid `floor`, the
        highest rowid already indexed (by this process or another); one commit.

        Returns how many were added.
        """
        return self._past_orphans(lambda: self._add(fetch))

    def _past_orphans(self, commit: Callable[[], int]) -> int:
        """`commit()`, and once more after removing what a process killed during a commit
        left behind: tantivy refuses to create a file of the same name again (a `.del`), and
        only its garbage collection knows the file is nobody's."""
        try:
            return commit()
        except ValueError as exc:
            if "FileAlreadyExists" not in str(exc):
                raise
        writer = self._writer()
        try:
            writer.garbage_collect_files()
        finally:
            writer.wait_merging_threads()
        return commit()

    def _add(self, fetch: Callable[[int], Iterable[Sequence[IndexedTicket]]]) -> int:
        writer = self._writer()
        added = 0
        try:
            self.refresh()
            for batch in fetch(self.indexed_through()):
                for ticket in batch:
                    writer.add_document(_document(ticket))
                added += len(batch)
            if added:
                writer.commit()
        except BaseException:
            writer.rollback()
            raise
        finally:
            writer.wait_merging_threads()  # also drops the writer and its lock
        self.refresh()
        return added

    def changes_through(self) -> int:
        """The last entry of SQLite's `text_changes` log this index applied (0: none)."""
        searcher = self._searcher
        hits = searcher.search(_rowid_query(_MARKER_ROWID), 1, count=False).hits
        if not hits:
            return 0
        return int(searcher.fast_field_values("changes_through", [hits[0][1]])[0] or 0)

    def apply_changes(
        self, fetch: Callable[[int], tuple[int, Sequence[int], Sequence[IndexedTicket]]]
    ) -> int:
        """Apply `fetch(floor)`: the log entries after `floor` (the last one applied, read under
        the writer lock) up to `through`, the rowids they changed (each one's document dropped)
        and the documents of those that still exist (added anew); the documents and the marker
        commit together. Returns how many rowids changed."""
        return self._past_orphans(lambda: self._apply_changes(fetch))

    def _apply_changes(
        self, fetch: Callable[[int], tuple[int, Sequence[int], Sequence[IndexedTicket]]]
    ) -> int:
        writer = self._writer()
        try:
            self.refresh()
            through, changed, tickets = fetch(self.changes_through())
            if not changed and through <= self.changes_through():
                return 0
            for rowid in changed:
                writer.delete_documents_by_query(_rowid_query(rowid))
            for ticket in tickets:
                writer.add_document(_document(ticket))
            writer.delete_documents_by_query(_rowid_query(_MARKER_ROWID))
            marker = tantivy.Document()
            marker.add_integer("rowid", _MARKER_ROWID)
            marker.add_integer("changes_through", through)
            writer.add_document(marker)
            writer.commit()
        except BaseException:
            writer.rollback()
            raise
        finally:
            writer.wait_merging_threads()
        self.refresh()
        return len(changed)

    def _writer(self) -> tantivy.IndexWriter:
        deadline = time.monotonic() + WRITER_LOCK_TIMEOUT_S
        while True:
            try:
                return self._index.writer(WRITER_HEAP_BYTES, 1)
            except ValueError as exc:
                if "LockBusy" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.02)

    # -- queries -----------------------------------------------------------------------------

    def query(
        self, words: Sequence[QueryWord], namespaces: Sequence[str], field: str
    ) -> Query | None:
        """Every word in `field` ("text": title and body, or "title") of one of `namespaces`;
        None when no document can match (no words, or a prefix with no expansion)."""
        if not words or not namespaces:
            return None
        clauses: list[Query] = []
        for word in words:
            terms = self._terms(word, namespaces, field)
            if not terms:
                return None
            clauses.append(_any_of([Query.term_query(_SCHEMA, field, term) for term in terms]))
        if len(clauses) == 1:
            return clauses[0]  # a bare term query gets tantivy's block-max top-k
        return Query.boolean_query([(Occur.Must, clause) for clause in clauses])

    def _terms(self, word: QueryWord, namespaces: Sequence[str], field: str) -> list[str]:
        if not word.prefix:
            return [f"{namespace}_{word.token}" for namespace in namespaces]
        terms: list[str] = []
        for namespace in namespaces:
            found = self._searcher.terms_with_prefix(
                field, f"{namespace}_{word.token}", limit=PREFIX_EXPANSIONS
            )
            terms += [term for term, _count in found]
        return terms

    def top(self, query: Query, n: int) -> tuple[list[int], int]:
        """The rowids of the best `n` matches, best first, and how many match in all."""
        searcher = self._searcher
        result = searcher.search(query, n, count=True)
        addresses = [address for _score, address in result.hits]
        rowids = searcher.fast_field_values("rowid", addresses) if addresses else []
        total = result.count  # type: ignore[attr-defined]  # tantivy's stub omits `count`
        return [int(r or 0) for r in rowids], int(total or 0)

    def scored_top(self, query: Query, n: int) -> tuple[list[tuple[float, int]], int]:
        """As `top`, each rowid with its BM25 score (to merge with another index's hits)."""
        searcher = self._searcher
        result = searcher.search(query, n, count=True)
        addresses = [address for _score, address in result.hits]
        rowids = searcher.fast_field_values("rowid", addresses) if addresses else []
        scored = [(float(hit[0]), int(r or 0)) for hit, r in zip(result.hits, rowids, strict=True)]
        return scored, int(result.count or 0)  # type: ignore[attr-defined]

    def term_statistics(self, field: str, terms: Iterable[str]) -> tuple[int, dict[str, int]]:
        """The document count and each term's document frequency in `field`, the statistics
        BM25 scores with."""
        searcher = self._searcher
        return searcher.num_docs, {term: searcher.doc_freq(field, term) for term in terms}


_MARKER_ROWID = 0  # SQLite rowids start at 1


def _rowid_query(rowid: int) -> Query:
    return Query.range_query(_SCHEMA, "rowid", tantivy.FieldType.Integer, rowid, rowid)


def _any_of(queries: list[Query]) -> Query:
    if len(queries) == 1:
        return queries[0]
    return Query.boolean_query([(Occur.Should, query) for query in queries])


def _document(ticket: IndexedTicket) -> tantivy.Document:
    document = tantivy.Document()
    document.add_integer("rowid", ticket.rowid)
    if ticket.searchable:
        prefix = f"{ticket.namespace}_"
        title = " ".join(prefix + token for token in analyze(ticket.title))
        body = " ".join(prefix + token for token in analyze(ticket.body))
        document.add_text("text", " ".join([title] * TITLE_WEIGHT + [body]))
        document.add_text("title", title)
    return document
