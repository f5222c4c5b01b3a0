"""The shared ticket world behind the provider fakes (SQLite, with a tantivy text index)."""

from .corpus import generate_corpus
from .models import Container, FakeTicket, Identity, SearchHits
from .seed import DEFAULT_CONTAINERS, DEFAULT_IDENTITIES, seed_default_world
from .store import TrackerWorld

__all__ = [
    "DEFAULT_CONTAINERS",
    "DEFAULT_IDENTITIES",
    "Container",
    "FakeTicket",
    "Identity",
    "SearchHits",
    "TrackerWorld",
    "generate_corpus",
    "seed_default_world",
]
