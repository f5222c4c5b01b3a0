"""A synthetic, deterministic ticket corpus for scale tests and benchmarks.

The vocabulary avoids the words of the contract's named examples ("Clerk", "quantum",
"teleportation", "signing"), so a world with a corpus still answers those examples exactly.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta

from kitty_contracts import Provider, StatusCategory

from .models import Container, FakeTicket
from .store import TrackerWorld

__all__ = ["CORPUS_VOCABULARY", "ProgressCallback", "generate_corpus"]

ProgressCallback = Callable[[int], None]

_CHUNK = 10_000
_VERBS = (
    "Fix",
    "Add",
    "Remove",
    "Refactor",
    "Document",
    "Investigate",
    "Speed up",
    "Migrate",
    "Harden",
    "Localize",
    "Deprecate",
    "Cache",
    "Validate",
    "Retry",
    "Paginate",
    "Monitor",
)
_OBJECTS = (
    "billing export",
    "invoice PDF",
    "search index",
    "webhook delivery",
    "audit log",
    "password reset",
    "team invitations",
    "CSV import",
    "dashboard charts",
    "notification email",
    "mobile navigation",
    "API pagination",
    "rate limiter",
    "feature flags",
    "file uploads",
    "payment retries",
    "session storage",
    "error reporting",
    "dark theme",
    "onboarding tour",
    "permissions matrix",
    "backup job",
    "cron scheduler",
    "image thumbnails",
    "SAML metadata",
    "tenant settings",
    "usage metrics",
    "changelog page",
    "sitemap",
    "cookie banner",
)
_QUALIFIERS = (
    "on Safari",
    "for large tenants",
    "after deploy",
    "in the EU region",
    "under load",
    "for admins",
    "on slow networks",
    "in dark mode",
    "for new users",
    "behind the proxy",
    "",
    "",
    "",
    "",
)
_SENTENCES = (
    "Customers reported it twice this week.",
    "The error shows up in the logs as a timeout.",
    "Steps to reproduce are in the linked thread.",
    "This blocks the quarterly release.",
    "We should add a regression test first.",
    "Support has a workaround but it is manual.",
    "Metrics show a spike every Monday morning.",
    "The fix needs a database migration.",
    "Design has a mock-up ready.",
    "Nobody owns this area yet.",
)
CORPUS_VOCABULARY = frozenset(
    word.lower()
    for phrase in _VERBS + _OBJECTS + _QUALIFIERS + _SENTENCES
    for word in phrase.replace(".", " ").replace("-", " ").split()
)

_STATUSES: dict[Provider, Sequence[tuple[str, StatusCategory, str | None]]] = {
    Provider.jira: (
        ("To Do", StatusCategory.todo, None),
        ("In Progress", StatusCategory.in_progress, None),
        ("In Review", StatusCategory.in_progress, None),
        ("Done", StatusCategory.done, None),
        ("Won't Do", StatusCategory.canceled, None),
    ),
    Provider.linear: (
        ("Backlog", StatusCategory.todo, None),
        ("Todo", StatusCategory.todo, None),
        ("In Progress", StatusCategory.in_progress, None),
        ("Done", StatusCategory.done, None),
        ("Canceled", StatusCategory.canceled, None),
    ),
    Provider.github: (
        ("Open", StatusCategory.todo, None),
        ("Closed", StatusCategory.done, "completed"),
        ("Closed as not planned", StatusCategory.canceled, "not_planned"),
    ),
}
_EPOCH = datetime(2025, 6, 1, tzinfo=UTC)


def generate_corpus(
    world: TrackerWorld,
    n: int,
    *,
    seed: int,
    containers: Sequence[Container] | None = None,
    progress: ProgressCallback | None = None,
) -> int:
    """Add `n` realistic tickets spread over `containers` (default: all of the world's).

    Deterministic for a given `seed` and starting world. Inserts in chunks of executemany,
    one transaction each, marked synthetic; `progress(done)` is called after every chunk.
    Returns `n`.
    """
    targets = list(containers if containers is not None else world.containers())
    if not targets:
        raise ValueError("the world has no containers to fill")
    rng = random.Random(seed)
    next_numbers = {(c.provider, c.id): world.next_number(c.provider, c.id) for c in targets}
    id_base = rng.randrange(10**8, 9 * 10**8)
    done = 0
    while done < n:
        chunk: list[FakeTicket] = []
        for offset in range(min(_CHUNK, n - done)):
            container = targets[rng.randrange(len(targets))]
            number = next_numbers[(container.provider, container.id)]
            next_numbers[(container.provider, container.id)] = number + 1
            chunk.append(_ticket(rng, container, number, id_base + done + offset))
        world.add_tickets(chunk, synthetic=True)
        done += len(chunk)
        if progress is not None:
            progress(done)
    return n


def _ticket(rng: random.Random, container: Container, number: int, serial: int) -> FakeTicket:
    title = " ".join(
        part for part in (rng.choice(_VERBS), rng.choice(_OBJECTS), rng.choice(_QUALIFIERS)) if part
    )
    body = " ".join(rng.sample(_SENTENCES, rng.randint(1, 3)))
    status, category, reason = rng.choice(_STATUSES[container.provider])
    created = _EPOCH + timedelta(minutes=serial % 500_000)
    provider = container.provider
    if provider is Provider.jira:
        ticket_id, key = str(serial), f"{container.key}-{number}"
    elif provider is Provider.linear:
        ticket_id, key = (
            str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            (f"{container.key}-{number}"),
        )
    else:
        ticket_id, key = str(serial), f"{container.key}#{number}"
    return FakeTicket(
        provider=provider,
        container_key=container.key,
        container_id=container.id,
        number=number,
        id=ticket_id,
        key=key,
        title=title,
        body_markdown=body,
        status_name=status,
        status_category=category,
        created_at=created,
        updated_at=created + timedelta(hours=rng.randint(0, 400)),
        state_reason=reason,
    )
