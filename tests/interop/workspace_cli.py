"""Prepare a workspace where the unmodified spec-kitty-cli 3.2.7 talks to a running mock.

    .venv/bin/python -m tests.interop.workspace_cli /tmp/sk-demo --url http://127.0.0.1:8765

It installs the CLI into `.interop/venv-3.2.7` (cached), then does what the interop tests do:
`spec-kitty init`, a tracker binding, a session for `tok-alice` written by the CLI's own code,
consent and local admission. It prints the environment to export and the next commands.
"""

from __future__ import annotations

import argparse
import shlex
from pathlib import Path

from tests.interop.mock_server import session_for
from tests.interop.upstream_cli import TrackerBinding, ensure_upstream_venv, prepare_workspace

KEEP = ("SPEC_KITTY_HOME", "SPEC_KITTY_ENABLE_SAAS_SYNC", "SPEC_KITTY_SAAS_URL", "PATH", "HOME")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("root", type=Path, help="a new directory for the runtime root and the repo")
    parser.add_argument("--url", default="http://127.0.0.1:8765", help="the running mock")
    parser.add_argument("--provider", default="linear", choices=["linear", "jira"])
    parser.add_argument("--project-slug", default="acme-web")
    parser.add_argument("--token", default="tok-alice", help="the mock user's access token")
    args = parser.parse_args(argv)
    if args.root.exists():
        parser.error(f"{args.root} exists; give a new directory")
    python = ensure_upstream_venv()
    ws = prepare_workspace(
        python,
        args.root.resolve(),
        args.url,
        TrackerBinding(args.provider, args.project_slug),
        session_for(args.url, args.token),
    )
    print("# spec-kitty-cli 3.2.7 is ready; in your shell:")
    for name in KEEP:
        print(f"export {name}={shlex.quote(ws.env[name])}")
    print(f"cd {shlex.quote(str(ws.repo))}")
    print(
        f"{shlex.quote(str(python))} -c 'from pathlib import Path; "
        "from specify_cli.tracker.origin import search_origin_candidates as s; "
        'print(s(Path("."), query_text="Clerk auth"))\''
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
