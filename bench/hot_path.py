"""Where one search's CPU goes inside the mock: `python -m bench.hot_path`.

Drives `searchIssues` straight into the mock's ASGI app (no sockets, no uvicorn), so the figure
is the app's own CPU per search: the minimum over batches of `time.process_time` (the machine is
shared; the minimum is the least disturbed batch). `--profile` adds a cProfile breakdown by
layer, from the cumulative time of each layer's entry point (cProfile inflates Python calls, so
read it as shares, not microseconds). `--state FILE` runs on a state file as `serve --state`
does (e.g. a benchmark corpus, `bench/.cache/corpus-100000.db`): SQLite in WAL mode costs more
per read than the in-memory default, so that is the figure to compare with the served one.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import pstats
import time
from pathlib import Path
from typing import Any

from kitty_mock_saas.app import create_app
from kitty_mock_saas.settings import MockSettings

from .search import HEAD_TO_HEAD, QUERIES

Scope = dict[str, Any]

# (layer, entry point): each layer's share is its entry point's cumulative time minus the next.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ASGI stack outside the contract stage (FastAPI, sandboxes, observer)", ("applications.py",)),
    ("contract stage: route, limits, request validation", ("stage/middleware.py",)),
    ("direct route into the endpoint (api/direct.py)", ("api/direct.py",)),
    ("handler: auth, team, mapping, credential, answer encoding", ("routes/tracker.py",)),
    ("connector: retry layer, request building, normalization", ("kitty_mock_saas/trackers.py",)),
    (
        "in-process transport: scope, route match, request/answer objects",
        ("tracker_fakes/transport.py",),
    ),
    (
        "provider fake: protocol (GraphQL/REST), payload, JSON",
        ("tracker_fakes/linear.py", "tracker_fakes/jira.py", "tracker_fakes/github.py"),
    ),
    ("tracker world: SQLite lookups and the text index", ("tracker_fakes/world/store.py",)),
)


def _scope(body: bytes, headers: dict[str, str]) -> Scope:
    raw = [(k.lower().encode(), v.encode()) for k, v in headers.items()]
    raw += [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/api/v1/tracker/issue-search/",
        "raw_path": b"/api/v1/tracker/issue-search/",
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"127.0.0.1"), *raw],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }


async def _search(app: Any, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
    sent = False
    answer: dict[str, Any] = {"body": b""}

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            answer["status"] = message["status"]
        elif message["type"] == "http.response.body":
            answer["body"] += message.get("body", b"")

    await app(_scope(body, headers), receive, send)
    return answer["status"], answer["body"]


async def _measure(app: Any, name: str, batches: int, size: int, profile: bool) -> float:
    request = QUERIES[name]
    body = json.dumps(request.body).encode()
    status, answer = await _search(app, body, request.headers)
    if status != 200 or not json.loads(answer)["candidates"]:
        raise RuntimeError(f"{name}: the mock answered {status} {answer[:200]!r}")
    for _ in range(100):
        await _search(app, body, request.headers)
    seconds = []
    for _ in range(batches):
        started = time.process_time()
        for _ in range(size):
            await _search(app, body, request.headers)
        seconds.append((time.process_time() - started) / size)
    if profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(size):
            await _search(app, body, request.headers)
        profiler.disable()
        _print_layers(name, pstats.Stats(profiler))
    return min(seconds)


def _print_layers(name: str, stats: pstats.Stats) -> None:
    table: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    cumulative: dict[str, float] = {}
    for (filename, _, _), (_, _, _, cum, _) in table.items():
        for label, entries in LAYERS:
            if any(entry in filename for entry in entries):
                # A layer's entry point is its outermost function: the largest cumulative time.
                cumulative[label] = max(cumulative.get(label, 0.0), cum)
    print(f"\n{name}: share of the app's CPU per layer (cProfile)")
    totals = [cumulative.get(label, 0.0) for label, _ in LAYERS] + [0.0]
    for index, (label, _) in enumerate(LAYERS):
        own = max(0.0, totals[index] - totals[index + 1])
        print(f"  {own / totals[0]:6.1%}  {label}")


async def _main(args: argparse.Namespace) -> None:
    for validate in (True, False):
        settings = MockSettings(validate_responses=validate)
        if args.state is not None:
            settings = MockSettings(
                validate_responses=validate, state_path=str(args.state), corpus=args.corpus
            )
        app = create_app(settings)
        for name in HEAD_TO_HEAD:
            best = await _measure(app, name, args.batches, args.size, args.profile and validate)
            print(
                f"{name}: {best * 1e6:,.0f} us of CPU per search "
                f"(answer validation {'on' if validate else 'off'})"
            )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.hot_path", description=__doc__)
    parser.add_argument("--batches", type=int, default=10)
    parser.add_argument("--size", type=int, default=300, help="searches per batch")
    parser.add_argument("--profile", action="store_true", help="add the per-layer breakdown")
    parser.add_argument("--state", type=Path, help="a state file (default: in memory)")
    parser.add_argument(
        "--corpus", type=int, default=0, help="its corpus size (as `serve --corpus`; 0 = as is)"
    )
    asyncio.run(_main(parser.parse_args(argv)))


if __name__ == "__main__":
    main()
