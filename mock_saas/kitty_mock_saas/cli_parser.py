"""The `kitty-mock-saas` command line's arguments: every command's options, help and examples."""

from __future__ import annotations

import argparse
from pathlib import Path

from . import cli_args as types
from .cli_db import add_db_parser
from .settings import ENV_PREFIX, MEMORY, cli_environment

__all__ = ["EXAMPLES", "build_parser"]

EXAMPLES = """\
examples:
  kitty-mock-saas serve                                  seeded default on 127.0.0.1:8765, state in memory
  kitty-mock-saas serve --state .state/mock.db           state kept across restarts
  kitty-mock-saas serve --state .state/mock.db --workers 2 --corpus 100000
  kitty-mock-saas serve --port 0 --json                  pick a free port, print it as JSON
  kitty-mock-saas serve --database postgresql://kitty@db.internal/kitty
                                                         state in PostgreSQL, shared by replicas
  kitty-mock-saas serve --trackers config/task_trackers.yaml
                                                         the trackers enabled there over HTTP, the rest embedded
  kitty-mock-saas tracker-fake --provider jira --port 9001
                                                         a fake Jira alone, on a real socket

then:
  curl -s -X POST http://127.0.0.1:8765/api/v1/tracker/issue-search/ \\
    -H 'Authorization: Bearer tok-alice' -H 'X-Team-Slug: acme' -H 'Content-Type: application/json' \\
    -d '{"provider": "linear", "project_slug": "acme-web", "query_text": "Clerk auth"}'

Every option can also be set as a variable (named in --help), e.g. KITTY_MOCK_PORT=8766.

exit codes: 0 stopped cleanly, 2 bad arguments, fixtures or state, 3 port in use,
            4 database unreachable
"""

# The variables `MockSettings.from_env` already read keep their names.
SERVE_ENV = {
    "keep_alive": f"{ENV_PREFIX}KEEP_ALIVE_SECONDS",
    "sandbox_ttl": f"{ENV_PREFIX}SANDBOX_IDLE_TTL_SECONDS",
    "trackers": f"{ENV_PREFIX}TASK_TRACKERS",
}


class _Version(argparse.Action):
    """`--version`: the mock's, the SDK's and both contracts' versions (read only when asked)."""

    def __init__(self, option_strings: list[str], dest: str = "version", **_: object) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS,
                         help="print the mock's, SDK's and contracts' versions and exit")  # fmt: skip

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        from .versions import version_line

        print(version_line())
        parser.exit()


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


def build_parser() -> argparse.ArgumentParser:
    """The command line: `serve`, `tracker-fake`, `proxy` and `db`, each option also a variable."""
    parser = argparse.ArgumentParser(
        prog="kitty-mock-saas",
        description="A stateful mock of the Spec Kitty SaaS control plane.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action=_Version)
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser(
        "serve",
        help="serve the mock over HTTP",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    serve.add_argument("--version", action=_Version)
    serve.add_argument(
        "--host",
        type=types.host,
        default="127.0.0.1",
        help="interface (default 127.0.0.1; any other needs an --admin-token of your own)",
    )
    serve.add_argument(
        "--port", type=types.port, default=8765, help="port, 0 for a free one (default 8765)"
    )
    serve.add_argument("--state", default=MEMORY, help="SQLite state file, or :memory: (default)")
    serve.add_argument(
        "--database",
        metavar="URL",
        type=types.database_url,
        help=(
            "keep the state in this PostgreSQL database instead (postgresql://...), shared by "
            "every replica given the same URL; pending schema migrations are applied at start"
        ),
    )
    serve.add_argument(
        "--fixtures", type=types.existing_file, help="fixtures YAML (default: the embedded seed)"
    )
    serve.add_argument(
        "--workers",
        type=types.whole(1, 64),
        default=1,
        help="uvicorn worker processes (default 1; more need --state FILE or --database URL)",
    )
    serve.add_argument(
        "--corpus",
        type=types.whole(0, 10_000_000),
        default=0,
        help="add N synthetic tickets for scale runs (default 0)",
    )
    serve.add_argument(
        "--admin-token",
        help="token of the /__admin API (default: a random one, printed and kept in the token file)",
    )
    serve.add_argument(
        "--admin-token-file",
        type=Path,
        help="where the admin token is written (default ~/.cache/kitty-mock-saas/admin-token-PORT)",
    )
    serve.add_argument(
        "--log-requests",
        action="store_true",
        help="one line per request on stderr: method, path, status, error code, latency, sandbox",
    )
    serve.add_argument(
        "--async-bind", action="store_true", help="answer every bind with 202 + operation"
    )
    serve.add_argument(
        "--keep-alive",
        type=types.seconds,
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
        type=types.seconds,
        help="seconds an unused sandbox (X-Kitty-Sandbox) lives on (default 900)",
    )
    serve.add_argument(
        "--replay",
        type=types.existing_dir,
        help="answer the requests of a proxy --record DIR as recorded",
    )
    serve.add_argument(
        "--trackers",
        type=types.existing_file,
        metavar="FILE",
        help=(
            "task_trackers.yaml (the ADR's shape, env: credentials read from this process's "
            "environment): each enabled tracker is reached over HTTP at its server_url / api_url, "
            "the others stay embedded fakes (default: KITTY_MOCK_TASK_TRACKERS, else all embedded)"
        ),
    )
    serve.add_argument(
        "--start-fakes",
        action="store_true",
        help=(
            "with --trackers FILE: first start a tracker-fake on each 127.0.0.1 address the file "
            "names, and stop them with the mock (config/task_trackers.yaml is such a file)"
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
    fake.add_argument("--version", action=_Version)
    fake.add_argument(
        "--provider", required=True, choices=["jira", "linear", "github"], help="which tracker"
    )
    fake.add_argument(
        "--host", type=types.host, default="127.0.0.1", help="interface (default 127.0.0.1)"
    )
    fake.add_argument(
        "--port", type=types.port, default=0, help="port, 0 for a free one (default 0)"
    )
    fake.add_argument("--world", help="tracker world file (default: a fresh one in memory)")
    fake.add_argument("--json", action="store_true", help="print the startup line as JSON")
    fake.add_argument(
        "--check-contract",
        action="store_true",
        help="hold every answer to the provider's published API description and list what is "
        "off it in /__fake/requests (contract_problems), for tests",
    )
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
    proxy.add_argument("--version", action=_Version)
    proxy.add_argument("--upstream", required=True, help="base URL of the SaaS to check")
    proxy.add_argument(
        "--host", type=types.host, default="127.0.0.1", help="interface (default 127.0.0.1)"
    )
    proxy.add_argument(
        "--port", type=types.port, default=8766, help="port, 0 for a free one (default 8766)"
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
    db = add_db_parser(commands, _Version)
    environ = cli_environment()
    db.set_defaults(env_sources=types.apply_env_defaults(db, ENV_PREFIX, environ))
    serve.set_defaults(env_sources=types.apply_env_defaults(serve, ENV_PREFIX, environ, SERVE_ENV))
    fake.set_defaults(env_sources=types.apply_env_defaults(fake, f"{ENV_PREFIX}FAKE_", environ))
    proxy.set_defaults(env_sources=types.apply_env_defaults(proxy, f"{ENV_PREFIX}PROXY_", environ))
    return parser
