"""Runs INSIDE the spec-kitty-cli 3.2.7 venv: times its own offline queue (`OfflineQueue`).

    python upstream_queue.py INPUT.json   (SPEC_KITTY_HOME set by the caller)

INPUT holds `project_uuid`, `events` (envelopes timed one by one), `live_events`, `prefill`
(queued untimed in one unit of work) and `prefilled_events` (timed after the prefill). Prints one JSON line with the
per-event seconds of each pass:

- `empty`: one `unit_of_work` + `queue_event` per event, the smallest durable step its API has
  (the unit commits on exit);
- `prefilled`: the same after `prefill` events are already queued;
- `live`: what the CLI's emitter does per event: `resolve_layout_for_write()`, then a unit of
  work and `queue_event`.

Imports only the standard library and `specify_cli`.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any


def _timed(store: Any, queue_type: Any, events: list[dict[str, Any]], *, live: bool) -> list[float]:
    seconds: list[float] = []
    for event in events:
        started = time.perf_counter()
        if live:
            store.layout_generation().resolve_layout_for_write()
        with store.unit_of_work() as unit:
            queued = queue_type(unit, store.layout_generation()).queue_event(event)
        seconds.append(time.perf_counter() - started)
        if not queued:
            raise RuntimeError(f"queue_event refused {event['event_id']}")
    return seconds


def main(argv: list[str]) -> int:
    from specify_cli.sync.project_store import ProjectSyncStore  # type: ignore[import-not-found]
    from specify_cli.sync.queue import OfflineQueue  # type: ignore[import-not-found]

    spec = json.loads(Path(argv[1]).read_text(encoding="utf-8"))
    store = ProjectSyncStore(spec["project_uuid"])
    store.layout_generation().resolve_layout_for_write()
    empty = _timed(store, OfflineQueue, spec["events"], live=False)
    live = _timed(store, OfflineQueue, spec["live_events"], live=True)
    with store.unit_of_work() as unit:
        queue = OfflineQueue(unit, store.layout_generation(), max_queue_size=10**9)
        for event in spec["prefill"]:
            queue.queue_event(event)
    prefilled = _timed(store, OfflineQueue, spec["prefilled_events"], live=False)
    with store.unit_of_work() as unit:
        size = int(OfflineQueue(unit, store.layout_generation()).size())
    print(
        json.dumps(
            {
                "empty": empty,
                "live": live,
                "prefilled": prefilled,
                "queued_at_end": size,
                "database": str(store.database_path),
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
