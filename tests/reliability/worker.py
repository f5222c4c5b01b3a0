"""A client process for the fault tests; prints one JSON object per line.

python -m tests.reliability.worker bind URL REPO GO_FILE FEATURE_DIR=KEY [...]
    search each KEY, print {"ready": ...}, wait for GO_FILE, then bind each mission to its
    ticket and print {"feature_dir", "key", "outcome", ...} per bind (a race, on purpose).
python -m tests.reliability.worker enqueue URL REPO COUNT
    create COUNT missions locally and queue their MissionOriginBound events, printing
    {"queued": id} after each durable enqueue; try one flush; then wait to be killed.
python -m tests.reliability.worker flush URL REPO
    flush until nothing is pending (bounded), then print the totals.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

import httpx
from kitty_contracts import OriginCandidate, OriginTicket
from kitty_origin import (
    ClientSettings,
    EventOutbox,
    SaaSTrackerClient,
    SpecKittySaaSError,
    StaticTokenProvider,
    bind_origin,
    build_mission_origin_bound,
    flush_events,
    read_meta,
)
from kitty_origin.missions import create_mission_from_candidate
from kitty_origin.origin import OUTBOX_RELATIVE_PATH

# A mission created without the SaaS (the tests bind it themselves).
SPEC_DRAFT = "# A mission\n"

LINEAR_TEAM = "8f6b2c1e-4a5d-4e2b-9c3f-1a2b3c4d5e6f"
GO_TIMEOUT_S = 30.0
FLUSH_TIMEOUT_S = 20.0
IDLE_LIMIT_S = 60.0


def say(**fields: Any) -> None:
    print(json.dumps(fields), flush=True)


class CapturingTransport(httpx.BaseTransport):
    """The real transport, keeping the body and key of each bind request the client sends."""

    def __init__(self) -> None:
        self.inner = httpx.HTTPTransport()
        self.binds: list[tuple[str, Any]] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/mission-origin/bind/"):
            body = json.loads(request.read())
            self.binds.append((request.headers["Idempotency-Key"], body))
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()


def client(url: str, transport: httpx.BaseTransport | None = None) -> SaaSTrackerClient:
    settings = ClientSettings.from_env(
        env={}, base_url=url, team="acme", token_provider=StaticTokenProvider("tok-alice")
    )
    return SaaSTrackerClient(settings, transport=transport)


def bind(url: str, repo: Path, go: Path, tasks: list[str]) -> None:
    transport = CapturingTransport()
    with client(url, transport) as saas:
        planned = []
        for task in tasks:
            directory, _, key = task.partition("=")
            found = saas.search_issues("linear", "acme-web", query_key=key)
            planned.append((Path(directory), key, found.candidates[0]))
        say(ready=len(planned))
        deadline = time.monotonic() + GO_TIMEOUT_S
        while not go.exists():
            if time.monotonic() > deadline:
                raise SystemExit("no go signal")
            time.sleep(0.005)
        for feature_dir, key, candidate in planned:
            sent = len(transport.binds)
            try:
                result = bind_origin(
                    feature_dir, candidate, "linear", "linear_team", LINEAR_TEAM, client=saas
                )
                outcome, link = "bound", result.origin_link.origin_link_id
            except SpecKittySaaSError as exc:
                outcome, link = type(exc).__name__, None
            request = transport.binds[sent] if len(transport.binds) > sent else None
            say(
                feature_dir=str(feature_dir),
                key=key,
                outcome=outcome,
                origin_link_id=link,
                request=request,
            )


def enqueue(url: str, repo: Path, count: int) -> None:
    with EventOutbox(repo / OUTBOX_RELATIVE_PATH) as outbox:
        for n in range(count):
            number = 200 + n
            candidate = OriginCandidate.model_validate(
                {
                    "external_issue_id": f"offline-{number}",
                    "external_issue_key": f"WEB-{number}",
                    "title": f"Offline ticket {number}",
                    "status": "Todo",
                    "status_category": "todo",
                    "url": f"https://linear.app/acme/issue/WEB-{number}",
                    "match_type": "exact",
                }
            )
            created = create_mission_from_candidate(repo, candidate, spec_markdown=SPEC_DRAFT)
            ticket = OriginTicket.model_validate(
                {
                    "provider": "linear",
                    "resource_type": "linear_team",
                    "resource_id": LINEAR_TEAM,
                    "external_issue_id": candidate.external_issue_id,
                    "external_issue_key": candidate.external_issue_key,
                    "external_issue_url": candidate.url,
                    "title": candidate.title,
                }
            )
            event = build_mission_origin_bound(
                read_meta(created.feature_dir), ticket, project_slug="acme-web", team_slug="acme"
            )
            say(queued=outbox.enqueue(event))
    with client(url) as saas:
        result = flush_events(repo, client=saas)
    say(flush=result.model_dump(mode="json"))
    time.sleep(IDLE_LIMIT_S)  # the test kills this process long before


def flush(url: str, repo: Path) -> None:
    totals: dict[str, int] = {"delivered": 0, "duplicates": 0, "rejected": 0}
    deadline = time.monotonic() + FLUSH_TIMEOUT_S
    with client(url) as saas:
        while True:
            result = flush_events(repo, client=saas)
            for key in totals:
                totals[key] += getattr(result, key)
            if result.pending == 0 or time.monotonic() > deadline:
                break
            time.sleep(0.2)  # events that failed earlier are due after their backoff
    say(pending=result.pending, **totals)


def main(argv: list[str]) -> int:
    command, url, repo, *rest = argv
    if command == "bind":
        bind(url, Path(repo), Path(rest[0]), rest[1:])
    elif command == "enqueue":
        enqueue(url, Path(repo), int(rest[0]))
    elif command == "flush":
        flush(url, Path(repo))
    else:
        raise SystemExit(f"unknown command {command!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
