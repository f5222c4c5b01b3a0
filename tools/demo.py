"""`make demo`: the ticket-first flow end to end, on an embedded seeded mock SaaS.

search by text → search by key → the developer confirms → start_mission_from_ticket (SaaS bind,
meta.json, durable event) → deliver the queued event. Nothing outside this process is contacted.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import warnings
from pathlib import Path
from typing import Any

from kitty_contracts import OriginCandidate
from kitty_mock_saas.app import create_app
from kitty_mock_saas.settings import MockSettings
from kitty_origin import (
    ClientSettings,
    SaaSTrackerClient,
    SearchOriginResult,
    SpecKittySaaSError,
    StaticTokenProvider,
    flush_events,
    search_origin_candidates,
    start_mission_from_ticket,
)
from rich.console import Console
from rich.panel import Panel
from rich.prompt import Prompt
from rich.syntax import Syntax
from rich.table import Table

TRACKER_BINDING = "tracker:\n  provider: linear\n  project_slug: acme-web\n"
ADMIN = {"X-Admin-Token": "admin-secret"}


def _candidates_table(title: str, result: SearchOriginResult) -> Table:
    table = Table(title=title, title_justify="left")
    for column in ("#", "key", "title", "status", "match", "url"):
        table.add_column(column, overflow="fold")
    for number, candidate in enumerate(result.candidates, start=1):
        table.add_row(
            str(number),
            candidate.external_issue_key,
            candidate.title,
            candidate.status,
            candidate.match_type.value,
            candidate.url,
        )
    table.caption = (
        f"{result.provider.value} · {result.resource_type.value} {result.resource_id} · "
        f"query {result.query_used!r}"
    )
    return table


def _confirm(
    candidates: list[OriginCandidate], console: Console, interactive: bool
) -> OriginCandidate | None:
    """The developer's choice; without a terminal the first candidate, said out loud."""
    if not interactive:
        console.print(
            f"[yellow]No terminal: confirming the first candidate, "
            f"{candidates[0].external_issue_key}, on the developer's behalf.[/]"
        )
        return candidates[0]
    choices = [str(n) for n in range(1, len(candidates) + 1)] + ["n"]
    answer = Prompt.ask(
        "Start a mission from which ticket? (n = none)",
        choices=choices,
        default="1",
        console=console,
    )
    return None if answer == "n" else candidates[int(answer) - 1]


def run(repo: Path, *, as_json: bool, interactive: bool) -> int:
    console = Console(stderr=as_json)
    (repo / ".kittify").mkdir(parents=True)
    (repo / ".kittify" / "config.yaml").write_text(TRACKER_BINDING, encoding="utf-8")
    report: dict[str, Any] = {"repo": str(repo)}
    # The in-process transport of the embedded mock; its httpx deprecation notice is noise here.
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

    with TestClient(create_app(MockSettings())) as mock:
        settings = ClientSettings.from_env(
            env={},
            base_url=str(mock.base_url),
            team="acme",
            token_provider=StaticTokenProvider("tok-alice"),
        )
        with SaaSTrackerClient(settings, http_client=mock) as client:
            by_text = search_origin_candidates(repo, query_text="Clerk auth", client=client)
            by_key = search_origin_candidates(repo, query_key="WEB-123", client=client)
            report["search_by_text"] = by_text.model_dump(mode="json")
            report["search_by_key"] = by_key.model_dump(mode="json")
            if not as_json:
                console.rule("[bold]1. search by text")
                console.print(
                    _candidates_table('search_origin_candidates(query_text="Clerk auth")', by_text)
                )
                console.rule("[bold]2. search by key")
                console.print(
                    _candidates_table('search_origin_candidates(query_key="WEB-123")', by_key)
                )
                console.rule("[bold]3. confirm")
            chosen = _confirm(by_text.candidates, console, interactive and not as_json)
            if chosen is None:
                console.print("Nothing bound: a mission starts only from a confirmed ticket.")
                return 0
            report["confirmed"] = chosen.external_issue_key
            started = start_mission_from_ticket(
                repo,
                chosen,
                by_text.provider.value,
                by_text.resource_type.value,
                by_text.resource_id,
                client=client,
            )
            meta = json.loads((started.feature_dir / "meta.json").read_text(encoding="utf-8"))
            flushed = flush_events(repo, client=client)
        stored = mock.get(
            "/__admin/events", headers=ADMIN, params={"event_type": "MissionOriginBound"}
        ).json()
    report.update(
        mission=started.model_dump(mode="json"),
        meta=meta,
        flush=flushed.model_dump(mode="json"),
        saas_events=[e["event"]["event_id"] for e in stored["events"]],
    )
    if as_json:
        print(json.dumps(report, indent=2, sort_keys=True))
        return 0
    console.rule("[bold]4. start_mission_from_ticket")
    console.print(f"mission [bold]{started.feature_slug}[/] created in {started.feature_dir}")
    console.print(f"SaaS origin link {started.origin_link_id}")
    console.print(
        Panel(Syntax(json.dumps(meta, indent=2, sort_keys=True), "json"), title="meta.json")
    )
    console.rule("[bold]5. MissionOriginBound")
    console.print(f"queued durably: {started.event_emitted} (event {started.event_id})")
    console.print(
        f"delivered: {flushed.delivered}, duplicates: {flushed.duplicates}, "
        f"pending: {flushed.pending}; the SaaS stored {len(report['saas_events'])} event(s)"
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Run the ticket-first flow against an embedded, seeded mock SaaS.",
        epilog="examples:\n  make demo\n  .venv/bin/python tools/demo.py --json | jq .meta\n"
        "  .venv/bin/python tools/demo.py --keep /tmp/demo-repo",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--json", action="store_true", help="print one JSON document (for agents)")
    parser.add_argument(
        "--keep", type=Path, help="create the demo repo here (must not exist) and keep it"
    )
    parser.add_argument(
        "--yes", action="store_true", help="confirm the first candidate without asking"
    )
    args = parser.parse_args(argv)
    interactive = sys.stdin.isatty() and not args.yes
    try:
        if args.keep is not None:
            if args.keep.exists():
                print(f"error: {args.keep} exists; give a new directory to --keep", file=sys.stderr)
                return 2
            return run(args.keep, as_json=args.json, interactive=interactive)
        with tempfile.TemporaryDirectory(prefix="kitty-demo-") as tmp:
            return run(Path(tmp) / "acme-web", as_json=args.json, interactive=interactive)
    except SpecKittySaaSError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
