"""Builds the tracker side of the mock: the ticket world, its seed and corpus, and the connectors."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

from rich.progress import Progress

from .connectors import ConnectorRegistry, TrackerConfigError, load_task_trackers_config
from .fixtures import FixtureError, Fixtures
from .settings import MEMORY, MockSettings
from .state import Database
from .state.db import CONNECT_TIMEOUT_SECONDS, STATEMENT_TIMEOUT_SECONDS
from .tracker_fakes import EmbeddedFakes, TrackerWorld, generate_corpus, seed_default_world
from .tracker_fakes.world.schema import open_world_store
from .tracker_fakes.world.text_log import TextLogRetention
from .trackers import Trackers

CORPUS_KEY = "corpus_tickets"
# An index rebuild of fewer tickets takes well under a second: nothing to say.
_QUIET_BELOW = 10_000


def world_path(state_path: str) -> str:
    """The world lives beside the state file (same lifetime), or in memory with it."""
    if state_path == MEMORY:
        return MEMORY
    path = Path(state_path)
    return str(path.with_name(path.name + ".world"))


def world_location(settings: MockSettings) -> str:
    """Where the mock's world lives: in the state's PostgreSQL database (its own schema, shared
    by the replicas), else beside the state file or in memory with it."""
    if settings.database_url is not None:
        return settings.database_url
    return world_path(settings.state_path)


def _tenths(label: str, what: str) -> Callable[[int, int], None]:
    """A progress report for a log (CI, a pipe): a line per tenth, so a long start is never
    silent."""
    marks = {"next": 0}

    def report(done: int, total: int) -> None:
        step = max(1, total // 10)
        if done >= max(marks["next"], step) and done < total:
            marks["next"] = (done // step + 1) * step
            print(f"{label}: {done:,} of {total:,} {what}", file=sys.stderr)

    return report


def _index_progress() -> Callable[[int, int], None]:
    """What the mock says while the text index is rebuilt from SQLite (only when it is long)."""
    report = _tenths("text index", "tickets indexed")
    started = {"announced": False}

    def progress(done: int, total: int) -> None:
        if total < _QUIET_BELOW:
            return
        if not started["announced"]:
            started["announced"] = True
            print(f"text index: rebuilding it for {total:,} tickets", file=sys.stderr)
        report(done, total)

    return progress


def _grow_corpus(world: TrackerWorld, db: Database, settings: MockSettings) -> None:
    """Top the synthetic corpus up to `settings.corpus` tickets (kept across restarts)."""
    with db.read() as conn:
        row = conn.execute("SELECT value FROM meta WHERE key = ?", (CORPUS_KEY,)).fetchone()
    have = int(row["value"]) if row else 0
    missing = settings.corpus - have
    if missing <= 0:
        return
    started = time.monotonic()
    if sys.stderr.isatty():
        with Progress(transient=True) as progress:
            task = progress.add_task(f"generating {missing:,} synthetic tickets", total=missing)
            generate_corpus(
                world,
                missing,
                seed=settings.corpus_seed + have,
                progress=lambda done: progress.update(task, completed=done),
            )
    else:
        print(f"corpus: generating {missing:,} synthetic tickets", file=sys.stderr)
        report = _tenths("corpus", "synthetic tickets")
        generate_corpus(
            world,
            missing,
            seed=settings.corpus_seed + have,
            progress=lambda done: report(done, missing),
        )
    print(
        f"corpus: {missing:,} synthetic tickets generated in {time.monotonic() - started:.1f} s",
        file=sys.stderr,
    )
    with db.write() as conn:
        conn.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (CORPUS_KEY, str(settings.corpus)),
        )


def build_trackers(settings: MockSettings, fixtures: Fixtures, db: Database) -> Trackers:
    """Open (and on first use seed) the world; check every mapping points at a real container.

    With a trackers file (`serve --trackers FILE`), each tracker enabled there is reached over
    HTTP at its `server_url` / `api_url` with the installation credential resolved from the
    environment now; every other tracker stays the embedded fake over the world. Containers
    (ids, site URLs) come from the world either way: they are what the resource mappings name.
    """
    # On PostgreSQL within the state's deadlines: a world out of reach answers 503 in time.
    store = open_world_store(
        world_location(settings),
        connect_timeout=CONNECT_TIMEOUT_SECONDS,
        statement_timeout=STATEMENT_TIMEOUT_SECONDS,
    )
    retention = TextLogRetention(settings.text_log_keep, settings.text_log_min_age_seconds)
    world = TrackerWorld(store, index_progress=_index_progress(), text_log=retention)
    # Replicas starting together: the first seeds and grows the corpus, the others find it done.
    with world.one_at_a_time():
        seed_default_world(world)
        _grow_corpus(world, db, settings)
    refs = {}
    for mapping in fixtures.resource_mappings:
        container = world.container(mapping.provider, key=mapping.container)
        if container is None:
            raise FixtureError(
                f"resource mapping {mapping.project_slug!r} points at {mapping.provider.value} "
                f"container {mapping.container!r}, which the tracker world does not have"
            )
        refs[(mapping.provider.value, mapping.container)] = container.ref()
    fakes = EmbeddedFakes.over(world)
    registry = fakes.registry()
    if settings.task_trackers_path is not None:
        try:
            config = load_task_trackers_config(settings.task_trackers_path)
            registry = ConnectorRegistry.from_config(
                config,
                base=registry,
                environ=settings.extra_env,
                source=str(settings.task_trackers_path),
            )
        except TrackerConfigError as exc:
            raise FixtureError(str(exc)) from exc
    return Trackers(registry, fakes, refs)
