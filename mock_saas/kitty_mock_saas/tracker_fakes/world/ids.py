"""The providers' id shapes, as the seed and every write of the world make them.

Jira: numeric strings (`10342` for IAM-42: 10300 + number, one thousand higher while taken);
GitHub: large integers (`3000000007` for acme/web#7, `3000001002` for acme/platform#2);
Linear: UUIDs derived from the key. Comments, labels and links number from their table's rowid.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

from kitty_contracts import Provider

__all__ = ["comment_id", "label_id", "link_id", "ticket_id_candidates", "world_uuid"]

_UUID_NAMESPACE = uuid.UUID("6f1c0d2e-8b7a-4c3d-9e5f-0a1b2c3d4e5f")
_JIRA_TICKET_BASE = 10_300
_GITHUB_TICKET_BASE = 3_000_000_000
_STRIDE = 1_000
_JIRA_COMMENT_BASE = 10_000
_GITHUB_COMMENT_BASE = 2_100_000_000
_GITHUB_LABEL_BASE = 7_000_000_000
_JIRA_LINK_BASE = 10_000


def world_uuid(name: str) -> str:
    """A stable UUID for `name` (the seed's Linear ids: `world_uuid("WEB-120")`)."""
    return str(uuid.uuid5(_UUID_NAMESPACE, name))


def ticket_id_candidates(provider: Provider, key: str, number: int) -> Iterator[str]:
    """Ids for a new ticket, best first; the caller takes the first one not yet used."""
    if provider is Provider.linear:
        yield world_uuid(key)
        attempt = 1
        while True:
            yield world_uuid(f"{key}/{attempt}")
            attempt += 1
    base = _JIRA_TICKET_BASE if provider is Provider.jira else _GITHUB_TICKET_BASE
    candidate = base + number
    while True:
        yield str(candidate)
        candidate += _STRIDE


def comment_id(provider: Provider, rowid: int) -> str:
    """The provider id of the comment stored at `rowid`."""
    if provider is Provider.jira:
        return str(_JIRA_COMMENT_BASE + rowid)
    if provider is Provider.github:
        return str(_GITHUB_COMMENT_BASE + rowid)
    return world_uuid(f"comment/{rowid}")


def label_id(provider: Provider, rowid: int, name: str) -> str:
    """The provider id of the label stored at `rowid` (Jira labels are their own name)."""
    if provider is Provider.jira:
        return name
    if provider is Provider.github:
        return str(_GITHUB_LABEL_BASE + rowid)
    return world_uuid(f"label/{rowid}")


def link_id(provider: Provider, rowid: int) -> str:
    """The provider id of the link stored at `rowid` (Jira a number, else a UUID)."""
    if provider is Provider.jira:
        return str(_JIRA_LINK_BASE + rowid)
    return world_uuid(f"link/{rowid}")
