"""Durable enqueue rate: our `EventOutbox` against spec-kitty-cli 3.2.7's `OfflineQueue`.

Both sides get the same `MissionOriginBound` envelopes (built and validated before timing), each
event in its own committed transaction, on the same filesystem. Three passes per side:

- queue API: the smallest durable step each API offers (ours: `enqueue` on an open outbox;
  upstream: a unit of work + `queue_event`, since its unit commits only on exit);
- with N already queued: the same step after N events were queued (untimed);
- live path: what each product does for one event (ours: open the outbox, enqueue, close, as
  `start_mission_from_ticket` does; upstream: `resolve_layout_for_write`, unit of work,
  `queue_event`, as its emitter does).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kitty_contracts import EventEnvelope
from kitty_origin import EventOutbox, new_ulid

from .report import Check, Section, at_least, fmt, median, percentile, ratio

REPO_ROOT = Path(__file__).resolve().parent.parent
CACHE = REPO_ROOT / "bench" / ".cache"
UPSTREAM_SCRIPT = Path(__file__).resolve().parent / "upstream_queue.py"
UPSTREAM_VERSION = "3.2.7"
UPSTREAM_VENV = REPO_ROOT / ".interop" / f"venv-{UPSTREAM_VERSION}"
UPSTREAM_TIMEOUT_S = 1800.0


@dataclass(frozen=True)
class OutboxSettings:
    events: int = 2000
    prefill: int = 10_000
    live_events: int = 300
    upstream_events: int = 300
    upstream_live_events: int = 100
    upstream_prefilled_events: int = 300


@dataclass(frozen=True)
class Pass:
    """Per-event seconds of one pass."""

    seconds: tuple[float, ...]

    @property
    def rate(self) -> float:
        total = sum(self.seconds)
        return len(self.seconds) / total if total > 0 else float("nan")

    @property
    def p50_ms(self) -> float:
        return median(self.seconds) * 1000

    @property
    def p99_ms(self) -> float:
        return percentile(self.seconds, 99) * 1000


def envelope(project_uuid: str, index: int) -> EventEnvelope:
    """A realistic, contract-valid `MissionOriginBound` envelope."""
    event_id = new_ulid()
    mission_id = new_ulid()
    return EventEnvelope.model_validate(
        {
            "event_id": event_id,
            "event_type": "MissionOriginBound",
            "aggregate_id": mission_id,
            "aggregate_type": "Mission",
            "schema_version": "3.0.0",
            "timestamp": "2026-06-01T12:00:00Z",
            "payload": {
                "mission_slug": f"{index:03d}-add-clerk-auth",
                "mission_id": mission_id,
                "provider": "linear",
                "external_issue_id": "5b1e8a2c-3d4f-4a6b-8c9d-0e1f2a3b4c5d",
                "external_issue_key": "WEB-123",
                "external_issue_url": "https://linear.app/acme/issue/WEB-123/add-clerk-auth",
                "title": "Add Clerk auth",
            },
            "causation_id": None,
            "correlation_id": event_id,
            "team_slug": "acme",
            "project_uuid": project_uuid,
            "project_slug": "acme-web",
        }
    )


def _envelopes(project_uuid: str, count: int) -> list[EventEnvelope]:
    return [envelope(project_uuid, index) for index in range(count)]


def measure_ours(directory: Path, settings: OutboxSettings) -> dict[str, Pass]:
    """Our three passes (plus the untimed prefill) in `directory`."""
    project = str(uuid.uuid4())
    path = directory / "ours" / "outbox.sqlite3"
    events = _envelopes(project, settings.events)
    live = _envelopes(project, settings.live_events)
    prefill = _envelopes(project, settings.prefill)
    after = _envelopes(project, settings.events)
    results: dict[str, Pass] = {}
    with EventOutbox(path) as outbox:
        results["empty"] = Pass(tuple(_timed_enqueue(outbox, events)))
    seconds = []
    for event in live:
        started = time.perf_counter()
        with EventOutbox(path) as outbox:
            outbox.enqueue(event)
        seconds.append(time.perf_counter() - started)
    results["live"] = Pass(tuple(seconds))
    with EventOutbox(path) as outbox:
        for event in prefill:
            outbox.enqueue(event)
        queued = outbox.counts().get("pending", 0)
        results["prefilled"] = Pass(tuple(_timed_enqueue(outbox, after)))
    if queued < settings.prefill:
        raise RuntimeError(f"prefill left {queued} pending events, expected {settings.prefill}+")
    return results


def _timed_enqueue(outbox: EventOutbox, events: list[EventEnvelope]) -> list[float]:
    seconds = []
    for event in events:
        started = time.perf_counter()
        outbox.enqueue(event)
        seconds.append(time.perf_counter() - started)
    return seconds


def upstream_python() -> Path:
    """The cached spec-kitty-cli venv's python, built by the interop harness when missing.

    The harness's own `ensure_upstream_venv` (same path, lock and marker) does the work in a
    child process, so this package never imports `tests`.
    """
    python = UPSTREAM_VENV / "bin" / "python"
    marker = UPSTREAM_VENV / ".interop-ready"
    if marker.is_file() and marker.read_text().strip() == UPSTREAM_VERSION and python.is_file():
        return python
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "from tests.interop.upstream_cli import ensure_upstream_venv as e; print(e())",
        ],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=UPSTREAM_TIMEOUT_S,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"cannot build the spec-kitty-cli venv: {done.stderr[-2000:]}")
    return Path(done.stdout.strip().splitlines()[-1])


def measure_upstream(python: Path, directory: Path, settings: OutboxSettings) -> dict[str, Pass]:
    """The upstream passes, run by `upstream_queue.py` inside its own venv."""
    project = str(uuid.uuid4())

    def dump(count: int) -> list[dict[str, Any]]:
        return [e.model_dump(mode="json") for e in _envelopes(project, count)]

    spec = {
        "project_uuid": project,
        "events": dump(settings.upstream_events),
        "live_events": dump(settings.upstream_live_events),
        "prefill": dump(settings.prefill),
        "prefilled_events": dump(settings.upstream_prefilled_events),
    }
    root = directory / "upstream"
    (root / "home").mkdir(parents=True, exist_ok=True)
    spec_path = root / "input.json"
    spec_path.write_text(json.dumps(spec), encoding="utf-8")
    env = {
        "SPEC_KITTY_HOME": str(root / "spec-kitty-home"),
        "HOME": str(root / "home"),
        "PATH": f"{python.parent}:/usr/local/bin:/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "SPEC_KITTY_ENABLE_SAAS_SYNC": "1",
    }
    done = subprocess.run(
        [str(python), str(UPSTREAM_SCRIPT), str(spec_path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=UPSTREAM_TIMEOUT_S,
        check=False,
    )
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"upstream queue script exited {done.returncode}: {done.stderr[-3000:]}")
    answer = json.loads(lines[-1])
    return {name: Pass(tuple(answer[name])) for name in ("empty", "live", "prefilled")}


def section(
    ours: dict[str, Pass],
    upstream: dict[str, Pass] | None,
    settings: OutboxSettings,
    *,
    upstream_note: str | None = None,
) -> Section:
    """Benchmark 5's table."""
    names = {
        "empty": "queue API, empty queue",
        "prefilled": f"queue API, {settings.prefill:,} already queued",
        "live": "live path, one event",
    }
    result = Section(
        title="5. Outbox durable enqueue rate",
        columns=("queue", "pass", "events", "events/s", "p50 ms", "p99 ms"),
    )
    for label, passes in (("ours (EventOutbox)", ours), ("spec-kitty-cli 3.2.7", upstream)):
        if passes is None:
            continue
        for key, name in names.items():
            p = passes[key]
            result.rows.append(
                (label, name, str(len(p.seconds)), fmt(p.rate), fmt(p.p50_ms), fmt(p.p99_ms))
            )
    nan = float("nan")
    up = upstream or {}
    for key in ("empty", "live"):
        theirs = up[key].rate if key in up else nan
        value = ratio(ours[key].rate, theirs)
        result.checks.append(
            Check(
                figure=f"ours {names[key]}: {fmt(ours[key].rate)} events/s",
                reference=f"spec-kitty-cli 3.2.7 {names[key]}: {fmt(theirs)} events/s",
                ratio=value,
                target="≥ 10",
                passed=at_least(value, 10),
            )
        )
    steady = ratio(ours["prefilled"].rate, ours["empty"].rate)
    result.checks.append(
        Check(
            figure=f"ours with {settings.prefill:,} queued: {fmt(ours['prefilled'].rate)} events/s",
            reference=f"ours, empty queue: {fmt(ours['empty'].rate)} events/s",
            ratio=steady,
            target="≥ 0.9 (no slow-down)",
            passed=at_least(steady, 0.9),
        )
    )
    result.settings = [
        "each event is its own committed transaction; SQLite WAL; ours synchronous=FULL, "
        "spec-kitty-cli's project store at its own settings (SQLite's default, FULL)",
        "the same contract-valid MissionOriginBound envelopes on both sides, built before timing",
        "queue API step: ours `enqueue` on an open EventOutbox; spec-kitty-cli a "
        "`ProjectSyncStore.unit_of_work()` + `OfflineQueue.queue_event` (its unit commits on exit)",
        "live path: ours opens the outbox, enqueues and closes it (as start_mission_from_ticket "
        "does); spec-kitty-cli `resolve_layout_for_write()` + unit of work + `queue_event` (as its "
        "emitter does)",
        f"ours: {settings.events:,} events per queue-API pass, {settings.live_events:,} live-path "
        f"events; spec-kitty-cli: {settings.upstream_events:,} / "
        f"{settings.upstream_prefilled_events:,} / {settings.upstream_live_events:,} events "
        "(it is slower; the rate is events over the summed per-event time)",
        "spec-kitty-cli runs in its own venv (.interop/venv-3.2.7) through bench/upstream_queue.py",
    ]
    if upstream_note:
        result.notes.append(upstream_note)
    return result


def run(settings: OutboxSettings, *, with_upstream: bool = True) -> Section:
    """Both sides in a temporary directory; the upstream side is skipped when unavailable."""
    CACHE.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="outbox-", dir=CACHE) as tmp:
        directory = Path(tmp)
        ours = measure_ours(directory, settings)
        upstream: dict[str, Pass] | None = None
        note = None
        if with_upstream:
            try:
                upstream = measure_upstream(upstream_python(), directory, settings)
            except (RuntimeError, OSError, subprocess.TimeoutExpired) as exc:
                note = f"spec-kitty-cli {UPSTREAM_VERSION} not measured: {exc}"
        else:
            note = f"spec-kitty-cli {UPSTREAM_VERSION} not measured (skipped in this run)"
        return section(ours, upstream, settings, upstream_note=note)
