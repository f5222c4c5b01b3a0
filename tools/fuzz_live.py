"""`make fuzz`: the schemathesis CLI, all phases, against a live mock SaaS on 127.0.0.1.

Starts `kitty-mock-saas serve --port 0` (fresh in-memory state), seeds a few async operations for
positive `getOperation` cases, runs `schemathesis run contracts/openapi.yaml` with the shared
hooks (tests/contract/fuzz_hooks.py) and `schemathesis.toml`, and always stops the server.
Exit status is schemathesis's own.

    .venv/bin/python tools/fuzz_live.py [--max-examples 200] [--max-time 300] [--no-stateful] [...]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

from kitty_mock_saas.process import running_mock

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def seed_operations(url: str, count: int = 4) -> list[str]:
    """Async binds, so positive getOperation cases poll operations that exist."""
    ids = []
    for n in range(count):
        body = {
            "provider": "linear",
            "mission_id": f"01JFXZZ{n:019d}",
            "external_issue_id": f"fuzz-{n}",
            "external_issue_key": f"WEB-{900 + n}",
            "external_issue_url": f"https://linear.app/acme/issue/WEB-{900 + n}",
            "external_title": "Fuzz seed",
            "project_slug": "acme-web",
        }
        request = urllib.request.Request(
            f"{url}/api/v1/tracker/mission-origin/bind/",
            data=json.dumps(body).encode(),
            method="POST",
            headers={
                "Authorization": "Bearer tok-alice",
                "X-Team-Slug": "acme",
                "Prefer": "respond-async",
                "Content-Type": "application/json",
            },
        )
        with urllib.request.urlopen(request, timeout=10) as answer:
            ids.append(json.load(answer)["operation_id"])
    return ids


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-examples", type=int, default=200)
    parser.add_argument("--max-time", type=int, default=300, help="seconds, for the whole run")
    # The stateful phase needs the link-budget fix in tests/contract/fuzz_hooks.py (loaded
    # through SCHEMATHESIS_HOOKS below); without it schemathesis 4.32.5 stops with hypothesis
    # "No progress can be made" once bind answered 200s but no 202.
    parser.add_argument(
        "--no-stateful", action="store_true", help="skip the stateful phase (links)"
    )
    args, extra = parser.parse_known_args(argv)
    with running_mock(cwd=ROOT) as mock:
        url = mock.url
        env = {
            **os.environ,  # noqa: TID251 - a tool passing its environment on
            "PYTHONPATH": str(ROOT),
            "SCHEMATHESIS_HOOKS": "tests.contract.fuzz_hooks",
            "KITTY_FUZZ_OPERATIONS": ",".join(seed_operations(url)),
        }
        command = [
            str(BIN / "schemathesis"),
            "--config-file",
            str(ROOT / "schemathesis.toml"),
            "run",
            str(ROOT / "contracts" / "openapi.yaml"),
            "--url",
            url,
            "--phases",
            "examples,coverage,fuzzing" + ("" if args.no_stateful else ",stateful"),
            "--max-examples",
            str(args.max_examples),
            "--checks",
            "all",
            *extra,
        ]
        print("+", " ".join(command), flush=True)
        try:
            return subprocess.run(command, cwd=ROOT, env=env, timeout=args.max_time).returncode
        except subprocess.TimeoutExpired:
            print(f"schemathesis ran over {args.max_time} s", file=sys.stderr)
            return 1


if __name__ == "__main__":
    sys.exit(main())
