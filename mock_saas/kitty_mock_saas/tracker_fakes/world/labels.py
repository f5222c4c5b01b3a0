"""Each container's label catalogue: GitHub repository labels, Linear team labels, and the
labels Jira issues of a project carry (Jira has no catalogue; its labels are free strings).

A ticket's labels are names of its container's catalogue: a write naming a label the
catalogue lacks adds it, as GitHub does for `PATCH .../issues/{n}` with a new label name.
Labels a write added are deleted by the mock's reset; seeded ones stay.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from kitty_contracts import Provider

from kitty_mock_saas.store import Connection

from .ids import label_id
from .models import Label
from .rows import WorldParts

__all__ = ["Labels", "default_label_color"]

_COLUMNS = "l.provider, c.external_id, l.external_id, l.name, l.color, l.description"
_FROM = "labels l JOIN containers c ON c.rowid = l.container_rowid"
# GitHub's palette for new labels; a name always gets the same one.
_PALETTE = ("0e8a16", "1d76db", "5319e7", "b60205", "d93f0b", "fbca04", "c5def5", "ededed")


def default_label_color(provider: Provider, name: str) -> str:
    """A stable colour for a label created without one (`#rrggbb` on Linear, `rrggbb` on
    GitHub and Jira)."""
    digest = hashlib.sha256(name.casefold().encode()).digest()
    color = _PALETTE[digest[0] % len(_PALETTE)]
    return f"#{color}" if provider is Provider.linear else color


class Labels(WorldParts):
    """The label catalogue half of `TrackerWorld` (a mixin over the store's connection)."""

    def labels(self, provider: Provider, container_id: str) -> list[Label]:
        """The catalogue of the container with provider id `container_id`, oldest first."""
        return list(
            self._remembered(
                ("labels", provider, container_id), lambda: self._labels(provider, container_id)
            )
        )

    def _labels(self, provider: Provider, container_id: str) -> tuple[Label, ...]:
        rows = self._rows(
            f"SELECT {_COLUMNS} FROM {_FROM} WHERE l.provider = ? AND c.external_id = ? "
            "ORDER BY l.rowid",
            (provider.value, container_id),
        )
        return tuple(_label(row) for row in rows)

    def label(self, provider: Provider, container_id: str, name: str) -> Label | None:
        """The catalogue's label named `name` (case-insensitively), or None."""
        wanted = name.casefold()
        for found in self.labels(provider, container_id):
            if found.name.casefold() == wanted:
                return found
        return None

    def label_by_id(self, provider: Provider, label_id: str) -> Label | None:
        """The label with this provider id in any container of `provider`, or None."""
        rows = self._rows(
            f"SELECT {_COLUMNS} FROM {_FROM} WHERE l.provider = ? AND l.external_id = ? "
            "ORDER BY l.rowid LIMIT 1",
            (provider.value, label_id),
        )
        return _label(rows[0]) if rows else None

    def ensure_label(
        self,
        provider: Provider,
        container_id: str,
        name: str,
        *,
        color: str | None = None,
        description: str | None = None,
        seeded: bool = False,
    ) -> Label:
        """The label named `name`, added to the catalogue first when it is not there.

        `seeded` marks it as part of the default world (a reset keeps it).
        """
        if not name.strip():
            raise ValueError("a label needs a name")
        with self._write() as db:
            container_rowid = _container_rowid(db, provider, container_id)
            _ensure(db, provider, container_rowid, name, color, description, written=not seeded)
        found = self.label(provider, container_id, name)
        assert found is not None  # just ensured
        return found


def ensure_labels(
    db: Connection, provider: Provider, container_rowid: int, names: Iterable[str]
) -> list[str]:
    """The catalogue's spelling of each of `names` (once each, in order), adding the missing
    ones as written by a write; for use inside a write transaction."""
    canonical: list[str] = []
    for name in names:
        if not name.strip():
            raise ValueError("a label needs a name")
        spelled = _ensure(db, provider, container_rowid, name, None, None, written=True)
        if spelled.casefold() not in {seen.casefold() for seen in canonical}:
            canonical.append(spelled)
    return canonical


def _ensure(
    db: Connection,
    provider: Provider,
    container_rowid: int,
    name: str,
    color: str | None,
    description: str | None,
    *,
    written: bool,
) -> str:
    row = db.execute(
        "SELECT rowid, name FROM labels WHERE container_rowid = ? AND lower(name) = lower(?)",
        (container_rowid, name),
    ).fetchone()
    if row is not None:
        if not written:  # the seed names a label a write added first: it stays after a reset
            db.execute("UPDATE labels SET written = 0 WHERE rowid = ?", (row[0],))
        return str(row[1])
    added = db.execute(
        "INSERT INTO labels (provider, container_rowid, external_id, name, color, description, "
        "written) VALUES (?, ?, '', ?, ?, ?, ?) RETURNING rowid",
        (
            provider.value,
            container_rowid,
            name,
            color or default_label_color(provider, name),
            description,
            int(written),
        ),
    ).fetchall()
    rowid = int(added[0][0])
    db.execute(
        "UPDATE labels SET external_id = ? WHERE rowid = ?",
        (label_id(provider, rowid, name), rowid),
    )
    return name


def _container_rowid(db: Connection, provider: Provider, container_id: str) -> int:
    row = db.execute(
        "SELECT rowid FROM containers WHERE provider = ? AND external_id = ?",
        (provider.value, container_id),
    ).fetchone()
    if row is None:
        raise LookupError(f"no {provider.value} container {container_id!r}")
    return int(row[0])


def _label(row: tuple[object, ...]) -> Label:
    return Label(
        provider=Provider(str(row[0])),
        container_id=str(row[1]),
        id=str(row[2]),
        name=str(row[3]),
        color=str(row[4]),
        description=None if row[5] is None else str(row[5]),
    )
