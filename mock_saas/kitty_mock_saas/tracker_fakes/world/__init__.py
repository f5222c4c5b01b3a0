"""The shared ticket world behind the provider fakes (SQLite, with a tantivy text index)."""

from .corpus import generate_corpus
from .edits import TicketChanges
from .models import (
    Account,
    Comment,
    Container,
    EventKind,
    FakeTicket,
    Identity,
    Label,
    SearchHits,
    TicketEvent,
    TicketLink,
)
from .seed import DEFAULT_CONTAINERS, DEFAULT_IDENTITIES, seed_default_world
from .store import TrackerWorld

__all__ = [
    "DEFAULT_CONTAINERS",
    "DEFAULT_IDENTITIES",
    "Account",
    "Comment",
    "Container",
    "EventKind",
    "FakeTicket",
    "Identity",
    "Label",
    "SearchHits",
    "TicketChanges",
    "TicketEvent",
    "TicketLink",
    "TrackerWorld",
    "generate_corpus",
    "seed_default_world",
]
