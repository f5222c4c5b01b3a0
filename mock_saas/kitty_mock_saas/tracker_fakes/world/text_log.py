"""The `text_changes` log of a world its replicas share (PostgreSQL): where it ends, and trimming.

On SQLite the world's one text index trims what it applied. On PostgreSQL each replica applies
the log to its own index at its own pace, so an entry goes only once it is old
(`TextLogRetention`), and the row `text_changes_trim` says through which entry the log was
trimmed: a replica whose index applied less than that may have lost entries, and rebuilds its
index from the tickets instead (`TrimmedPast`).

Age without a time per entry: a trim notes the newest entry and the time (the candidate); a later
one, once the candidate is `min_age_seconds` old, removes the entries up to it, all but the
newest `keep`. Writes are serialized, so every entry up to the candidate was committed by then:
a replica that caught up within `min_age_seconds` finds no hole.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from kitty_mock_saas.store import Connection
from kitty_mock_saas.store.postgres import PostgresStore

__all__ = ["SharedTextLog", "TextLogRetention", "TrimmedPast"]


@dataclass(frozen=True)
class TextLogRetention:
    """How long a PostgreSQL world's `text_changes` log keeps an entry: until it is more than
    `keep` entries behind the newest and was logged over `min_age_seconds` ago. A replica idle
    that long while others wrote more rebuilds its index on its next search, as at its start
    (about a second per 30,000 tickets). At most `batch` entries go per write, so a trim holds
    the world's write lock briefly and stays inside the statement timeout; the next catch-up
    removes the next batch."""

    keep: int = 100_000
    min_age_seconds: float = 3600.0
    batch: int = 50_000

    def __post_init__(self) -> None:
        if self.keep < 0 or self.min_age_seconds < 0 or self.batch < 1:
            raise ValueError(f"{self}: keep and min_age_seconds 0 or more, batch 1 or more")


class TrimmedPast(Exception):
    """The log was trimmed past the last entry an index applied: some it needs may be gone."""


class SharedTextLog:
    """The log as the replicas of one PostgreSQL world see it; not thread-safe on its own (the
    world calls it under its text-index lock)."""

    # The log's last entry, also when every entry was trimmed away.
    END = (
        "SELECT greatest(coalesce(max(seq), 0), (SELECT through FROM text_changes_trim)) "
        "FROM text_changes"
    )

    def __init__(self, retention: TextLogRetention) -> None:
        self.retention = retention
        self._next_check: datetime | None = None

    @staticmethod
    def trimmed_through(db: Connection) -> int:
        """The last entry trimmed away (0: none)."""
        return int(db.execute("SELECT through FROM text_changes_trim").fetchone()[0])

    def trim_when_due(self, store: PostgresStore, now: datetime) -> int:
        """Trim the log if this replica has not looked for a while (half the minimum age) and
        the candidate is old enough; returns how many entries went."""
        if self._next_check is not None and now < self._next_check:
            return 0
        self._next_check = now + timedelta(seconds=self.retention.min_age_seconds / 2)
        with store.read() as db:
            noted = db.execute("SELECT candidate_at FROM text_changes_trim").fetchone()[0]
        if self._waiting(noted, now):
            return 0  # most checks end here, without a write
        with store.write() as db:
            gone, more = self._trim(db, now)
        if more:
            self._next_check = None
        return gone

    def _waiting(self, noted: str | None, now: datetime) -> bool:
        """Whether the candidate noted at `noted` is still too young to trim. A clock that went
        back makes it new again rather than never old."""
        if noted is None:
            return False
        age = now - datetime.fromisoformat(noted)
        return timedelta(0) <= age < timedelta(seconds=self.retention.min_age_seconds)

    def _trim(self, db: Connection, now: datetime) -> tuple[int, bool]:
        """Inside the world's write: remove what a ripe candidate allows (a batch at most),
        then note a new candidate; how many entries went, and whether more are due."""
        through, candidate, noted = db.execute(
            "SELECT through, candidate, candidate_at FROM text_changes_trim"
        ).fetchone()
        if self._waiting(noted, now):
            return 0, False  # another replica noted it a moment ago
        gone = 0
        if noted is not None and now >= datetime.fromisoformat(noted):
            # The newest entry that is not among the `keep` newest (None: fewer than that).
            beyond = db.execute(
                "SELECT seq FROM text_changes ORDER BY seq DESC LIMIT 1 OFFSET ?",
                (self.retention.keep,),
            ).fetchone()
            cut = min(int(candidate), int(beyond[0])) if beyond else int(through)
            # The last entry of this write's batch (None: fewer left than a batch).
            last = db.execute(
                "SELECT seq FROM text_changes WHERE seq > ? ORDER BY seq LIMIT 1 OFFSET ?",
                (through, self.retention.batch - 1),
            ).fetchone()
            step = min(cut, int(last[0])) if last else cut
            if step > through:
                gone = db.execute("DELETE FROM text_changes WHERE seq <= ?", (step,)).rowcount
                through = step
            if step < cut:
                # The candidate stays until all of it went.
                db.execute("UPDATE text_changes_trim SET through = ?", (through,))
                return int(gone), True
        newest = db.execute("SELECT coalesce(max(seq), 0) FROM text_changes").fetchone()[0]
        db.execute(
            "UPDATE text_changes_trim SET through = ?, candidate = ?, candidate_at = ?",
            (through, max(int(newest), int(through)), now.isoformat()),
        )
        return int(gone), False
