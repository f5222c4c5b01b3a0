"""`kitty-mock-saas`: run the mock SaaS on 127.0.0.1."""

from __future__ import annotations

import argparse
import errno
import json
import os
import socket
import sys
from pathlib import Path

from rich.console import Console

from .fixtures import FixtureError
from .settings import MEMORY, MockSettings
from .state import StateVersionError

EXAMPLES = """\
examples:
  kitty-mock-saas serve                                  seeded default on 127.0.0.1:8765, state in memory
  kitty-mock-saas serve --state .state/mock.db           state kept across restarts
  kitty-mock-saas serve --state .state/mock.db --workers 2 --corpus 100000
  kitty-mock-saas serve --port 0 --json                  pick a free port, print it as JSON
  kitty-mock-saas serve --trackers config/task_trackers.yaml
                                                         the trackers enabled there over HTTP, the rest embedded
  kitty-mock-saas tracker-fake --provider jira --port 9001
                                                         a fake Jira alone, on a real socket

then:
  curl -s -X POST http://127.0.0.1:8765/api/v1/tracker/issue-search/ \\
    -H 'Authorization: Bearer tok-alice' -H 'X-Team-Slug: acme' -H 'Content-Type: application/json' \\
    -d '{"provider": "linear", "project_slug": "acme-web", "query_text": "Clerk auth"}'

exit codes: 0 stopped cleanly, 2 bad arguments or fixtures, 3 port in use
"""

PROXY_EXAMPLES = """\
examples:
  kitty-mock-saas proxy --upstream https://saas.example.com         check a live SaaS on 127.0.0.1:8766
  kitty-mock-saas proxy --upstream http://127.0.0.1:8765 --strict   a violating answer becomes a 424
  kitty-mock-saas proxy --upstream URL --record recordings/          keep every exchange as a fixture

then point the client at http://127.0.0.1:8766 (SPEC_KITTY_SAAS_URL) and watch /__proxy/.
"""


TRACKER_FAKE_EXAMPLES = """\
examples:
  kitty-mock-saas tracker-fake --provider jira --port 9001
  kitty-mock-saas tracker-fake --provider linear --port 9002 --world .state/trackers.world

then in task_trackers.yaml:
  jira:   {enabled: true, server_url: "http://127.0.0.1:9001", credentials: "env:JIRA_API_TOKEN"}
  linear: {enabled: true, api_url: "http://127.0.0.1:9002/graphql", api_key: "env:LINEAR_API_KEY"}
  github: {enabled: true, api_url: "http://127.0.0.1:9003", token: "env:GITHUB_TOKEN"}
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kitty-mock-saas",
        description="A stateful mock of the Spec Kitty SaaS control plane.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser(
        "serve",
        help="serve the mock over HTTP",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    serve.add_argument("--host", default="127.0.0.1", help="interface (default 127.0.0.1)")
    serve.add_argument(
        "--port", type=int, default=8765, help="port, 0 for a free one (default 8765)"
    )
    serve.add_argument("--state", default=MEMORY, help="SQLite state file, or :memory: (default)")
    serve.add_argument("--fixtures", type=Path, help="fixtures YAML (default: the embedded seed)")
    serve.add_argument(
        "--workers", type=int, default=1, help="uvicorn worker processes (needs --state FILE)"
    )
    serve.add_argument(
        "--corpus", type=int, default=0, help="add N synthetic tickets for scale runs"
    )
    serve.add_argument("--admin-token", default="admin-secret", help="token of the /__admin API")
    serve.add_argument(
        "--async-bind", action="store_true", help="answer every bind with 202 + operation"
    )
    serve.add_argument(
        "--keep-alive",
        type=float,
        help="seconds a connection may stay without a complete request (default 5)",
    )
    serve.add_argument(
        "--no-response-validation",
        action="store_true",
        help="do not check answers against the contract (checked by default: a drift is a 500)",
    )
    serve.add_argument(
        "--dashboard-public",
        action="store_true",
        help="show the dashboard (every team's data) to any caller, not only to 127.0.0.1",
    )
    serve.add_argument(
        "--sandbox-ttl",
        type=float,
        help="seconds an unused sandbox (X-Kitty-Sandbox) lives on (default 900)",
    )
    serve.add_argument(
        "--replay", type=Path, help="answer the requests of a proxy --record DIR as recorded"
    )
    serve.add_argument(
        "--trackers",
        type=Path,
        metavar="FILE",
        help=(
            "task_trackers.yaml (the ADR's shape, env: credentials read from this process's "
            "environment): each enabled tracker is reached over HTTP at its server_url / api_url, "
            "the others stay embedded fakes (default: KITTY_MOCK_TASK_TRACKERS, else all embedded)"
        ),
    )
    serve.add_argument("--json", action="store_true", help="print the startup line as JSON")
    fake = commands.add_parser(
        "tracker-fake",
        help="serve one provider fake (Jira, Linear or GitHub) on a real socket",
        description=(
            "The mock's fake Jira Cloud, Linear or GitHub API, alone, over uvicorn: point a "
            "tracker of serve --trackers FILE at it. It serves the seeded default world (the "
            "tickets and tokens the README lists), from --world PATH (kept, seeded if new) or "
            "fresh in memory. GET /__fake/requests lists what it received (the account each "
            "token acted as and a SHA-256 prefix of the token, never the token)."
        ),
        epilog=TRACKER_FAKE_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    fake.add_argument(
        "--provider", required=True, choices=["jira", "linear", "github"], help="which tracker"
    )
    fake.add_argument("--host", default="127.0.0.1", help="interface (default 127.0.0.1)")
    fake.add_argument("--port", type=int, default=0, help="port, 0 for a free one (default 0)")
    fake.add_argument("--world", help="tracker world file (default: a fresh one in memory)")
    fake.add_argument("--json", action="store_true", help="print the startup line as JSON")
    proxy = commands.add_parser(
        "proxy",
        help="a validating proxy in front of a live SaaS (or a mock)",
        description=(
            "Forward every request to --upstream unchanged (tokens pass through, never logged) and "
            "check both sides against the contract. Findings: an sl-violations header on each "
            "answer, /__proxy/journal and the page /__proxy/, and a JSON report on exit."
        ),
        epilog=PROXY_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    proxy.add_argument("--upstream", required=True, help="base URL of the SaaS to check")
    proxy.add_argument("--host", default="127.0.0.1", help="interface (default 127.0.0.1)")
    proxy.add_argument(
        "--port", type=int, default=8766, help="port, 0 for a free one (default 8766)"
    )
    proxy.add_argument(
        "--strict",
        action="store_true",
        help="answer 424 contract_violation (never retried) with the findings instead of a violating answer",
    )
    proxy.add_argument("--record", type=Path, help="write every exchange (secrets masked) into DIR")
    proxy.add_argument(
        "--report",
        type=Path,
        default=Path("kitty-proxy-report.json"),
        help="JSON report written on exit (default ./kitty-proxy-report.json)",
    )
    proxy.add_argument("--json", action="store_true", help="print the startup line as JSON")
    return parser


class CliError(Exception):
    """A one-line error for the user, with the exit code scripts can trust."""

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def _listen(host: str, port: int) -> socket.socket:
    """The listening socket; exit 3 with the fix when another server listens there."""
    from .server import listening_socket

    try:
        return listening_socket(host, port)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise CliError(
                f"port {port} on {host} is in use; stop the other server or pass --port 0", 3
            ) from None
        raise CliError(f"cannot listen on {host}:{port}: {exc.strerror}", 3) from None


def serve(args: argparse.Namespace, console: Console) -> int:
    from .app import create_app
    from .replay import RecordingError
    from .server import run

    if args.workers < 1:
        raise CliError("--workers must be at least 1")
    if args.workers > 1 and args.state == MEMORY:
        raise CliError("--workers > 1 needs a shared state file: add --state .state/mock.db")
    if args.corpus < 0:
        raise CliError("--corpus must be 0 or more")
    settings = MockSettings.from_env(
        state_path=args.state,
        fixtures_path=args.fixtures,
        corpus=args.corpus,
        admin_token=args.admin_token,
        async_bind=args.async_bind or None,
        keep_alive_seconds=args.keep_alive,
        validate_responses=False if args.no_response_validation else None,
        dashboard_public=args.dashboard_public or None,
        sandbox_idle_ttl_seconds=args.sandbox_ttl,
        replay_dir=args.replay,
        task_trackers_path=args.trackers,
    )
    sock = _listen(args.host, args.port)
    port = int(sock.getsockname()[1])
    # Seeding (and corpus generation) happens once here, before any worker starts.
    if args.replay is not None and not args.replay.is_dir():
        raise CliError(f"--replay {args.replay}: no such directory (a proxy --record DIR)")
    try:
        app = create_app(settings)
    except RecordingError as exc:
        raise CliError(f"--replay: {exc}") from None
    url = f"http://{args.host}:{port}"
    routes = app.state.runtime.trackers.routes()
    if args.json:
        startup = {"url": url, "state": settings.state_path, "workers": args.workers}
        print(json.dumps({**startup, "trackers": routes}), flush=True)
    else:
        console.print(
            f"[bold green]kitty-mock-saas[/] serving on [link={url}]{url}[/] "
            f"(state: {settings.state_path}, workers: {args.workers}); Ctrl-C stops it"
        )
    # Which tracker goes where, on stderr in both modes (the JSON line stays the first line).
    source = settings.task_trackers_path or "no trackers file"
    for provider, where in routes.items():
        console.print(f"  tracker {provider}: {where} ({source})", highlight=False)
    if args.workers == 1:
        run(app, sock, workers=1, keep_alive_seconds=settings.keep_alive_seconds)
    else:
        os.environ.update(settings.to_env())  # noqa: TID251 - hands the settings to worker processes
        run(
            "kitty_mock_saas.asgi:app_from_env",
            sock,
            workers=args.workers,
            keep_alive_seconds=settings.keep_alive_seconds,
        )
    return 0


def proxy(args: argparse.Namespace, console: Console) -> int:
    from .proxy import ValidatingProxy
    from .server import run
    from .settings import ProxySettings

    upstream = str(args.upstream)
    if not upstream.startswith(("http://", "https://")):
        raise CliError(f"--upstream must be an http:// or https:// URL, not {upstream!r}")
    settings = ProxySettings(
        upstream_url=upstream, strict=args.strict, record_dir=args.record, report_path=args.report
    )
    sock = _listen(args.host, args.port)
    url = f"http://{args.host}:{int(sock.getsockname()[1])}"
    app = ValidatingProxy(settings, announce=lambda line: print(line, file=sys.stderr, flush=True))
    if args.json:
        print(json.dumps({"url": url, "upstream": upstream, "strict": args.strict}), flush=True)
    else:
        console.print(
            f"[bold green]kitty-mock-saas proxy[/] on [link={url}]{url}[/] -> {upstream} "
            f"({'strict' if args.strict else 'reporting'}; findings at {url}/__proxy/)"
        )
    run(app, sock, workers=1, keep_alive_seconds=5.0, own_headers=False)
    return 0


def tracker_fake(args: argparse.Namespace, console: Console) -> int:
    from kitty_contracts import Provider

    from .server import run
    from .tracker_fakes.server import create_tracker_fake

    app = create_tracker_fake(Provider(args.provider), world_path=args.world)
    sock = _listen(args.host, args.port)
    url = f"http://{args.host}:{int(sock.getsockname()[1])}"
    if args.json:
        print(json.dumps({"url": url, "provider": args.provider}), flush=True)
    else:
        console.print(
            f"[bold green]kitty-mock-saas tracker-fake[/] {args.provider} on "
            f"[link={url}]{url}[/] (world: {args.world or 'in memory'}); Ctrl-C stops it"
        )
    run(app, sock, workers=1, keep_alive_seconds=5.0)
    return 0


COMMANDS = {"serve": serve, "proxy": proxy, "tracker-fake": tracker_fake}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    console = Console(stderr=True)
    try:
        return COMMANDS[args.command](args, console)
    except (FixtureError, StateVersionError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except CliError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
