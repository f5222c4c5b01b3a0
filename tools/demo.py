"""`make demo`: the ticket-first flow end to end, on an embedded seeded mock SaaS.

search by text → search by key → the developer confirms → start_mission_from_ticket (SaaS bind,
meta.json, durable event) → deliver the queued event. Nothing outside this process is contacted.

Nothing is bound without an explicit confirmation: a prompt on a terminal, else
`--confirm <ticket key>`; without either the demo stops and says how to confirm.
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


class ConfirmationMissing(Exception):
    """No confirmation could be asked for or was given; the message says how to give one."""


def _confirm(
    candidates: list[OriginCandidate], console: Console, *, flag: str | None, interactive: bool
) -> tuple[OriginCandidate | None, str]:
    """The candidate the developer confirmed, and how: by `--confirm KEY` or at the prompt."""
    keys = [candidate.external_issue_key for candidate in candidates]
    if flag is not None:
        if flag not in keys:
            raise ConfirmationMissing(
                f"--confirm {flag} names none of the candidates ({', '.join(keys)})"
            )
        how = f"--confirm {flag}"
        console.print(f"{flag} confirmed by [bold]{how}[/]")
        return candidates[keys.index(flag)], how
    if not interactive:
        raise ConfirmationMissing(
            f"no terminal to confirm on: re-run with --confirm {keys[0]} to bind {keys[0]}"
        )
    choices = [str(n) for n in range(1, len(candidates) + 1)] + ["n"]
    answer = Prompt.ask(
        "Start a mission from which ticket? (n = none)", choices=choices, console=console
    )
    if answer == "n":
        return None, "prompt"
    return candidates[int(answer) - 1], "prompt"


def run(repo: Path, *, as_json: bool, interactive: bool, confirm: str | None) -> int:
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
            chosen, how = _confirm(
                by_text.candidates, console, flag=confirm, interactive=interactive and not as_json
            )
            if chosen is None:
                console.print("Nothing bound: a mission starts only from a confirmed ticket.")
                return 0
            report["confirmed"] = chosen.external_issue_key
            report["confirmed_by"] = how
            started = start_mission_from_ticket(
                repo,
                chosen,
                by_text.provider.value,
                by_text.resource_type.value,
                by_text.resource_id,
                client=client,
                confirmation=how,
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
    console.print(f"delivered right after the bind: {started.event_delivered}")
    console.print(
        f"flush_events(): delivered {flushed.delivered}, pending {flushed.pending}; "
        f"the SaaS stored {len(report['saas_events'])} event(s)"
    )
    return 0


def main(argv: list[str] | None = None, *, terminal: bool | None = None) -> int:
    """`terminal`: whether a developer can answer a prompt (default: stdin is a terminal)."""
    parser = argparse.ArgumentParser(
        description="Run the ticket-first flow against an embedded, seeded mock SaaS.",
        epilog="examples:\n  make demo\n"
        "  .venv/bin/python tools/demo.py --confirm WEB-123 --json | jq .meta\n"
        "  .venv/bin/python tools/demo.py --keep /tmp/demo-repo",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--json", action="store_true", help="print one JSON document (for agents)")
    parser.add_argument(
        "--keep", type=Path, help="create the demo repo here (must not exist) and keep it"
    )
    parser.add_argument(
        "--confirm",
        metavar="KEY",
        help="bind the candidate with this ticket key (the confirmation, without a prompt)",
    )
    args = parser.parse_args(argv)
    interactive = sys.stdin.isatty() if terminal is None else terminal
    try:
        if args.keep is not None:
            if args.keep.exists():
                print(f"error: {args.keep} exists; give a new directory to --keep", file=sys.stderr)
                return 2
            return run(args.keep, as_json=args.json, interactive=interactive, confirm=args.confirm)
        with tempfile.TemporaryDirectory(prefix="kitty-demo-") as tmp:
            repo = Path(tmp) / "acme-web"
            return run(repo, as_json=args.json, interactive=interactive, confirm=args.confirm)
    except ConfirmationMissing as exc:
        print(f"error: nothing bound: {exc}", file=sys.stderr)
        return 3
    except SpecKittySaaSError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
