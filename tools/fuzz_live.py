"""`make fuzz`: the schemathesis CLI, all phases, against live mock SaaS processes on 127.0.0.1.

Both contracts, each against its own fresh mock (`kitty-mock-saas serve --port 0`, in-memory
state; the admin run injects faults that must not reach the SaaS run): `contracts/openapi.yaml`,
after seeding a few async operations for positive `getOperation` cases, then
`contracts/admin.yaml`. Both use the shared hooks (tests/contract/fuzz_hooks.py) and
`schemathesis.toml`; the servers are always stopped. Exit status: 0 when both runs passed.

With `--url URL` (`make fuzz URL=...`) the SaaS contract is run against that live
implementation instead (a staging SaaS, or a mock you started), as `--token` of team `--team`;
`--admin` adds the admin contract (a mock only). It first binds WEB-123 to 8 new missions there
(4 asynchronously) so that reads of operations and missions have real ids. Positive cases are steered to the seeded
fixture's projects and tickets (tests/contract/fuzz_hooks.py), so a SaaS seeded like the mock's
default fixture answers them as the mock does. Every run writes a JUnit and a JSON report into
`--report-dir` (default `fuzz-report/`), one subdirectory per contract.

    .venv/bin/python tools/fuzz_live.py [--url URL] [--max-examples 200] [--max-time 300] [...]
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


def seed_operations(
    url: str,
    count: int = 4,
    *,
    respond_async: bool = True,
    token: str = "tok-alice",
    team: str = "acme",
) -> list[str]:
    """Binds of WEB-123 (a live ticket the SaaS resolves): async ones answer the operation ids
    positive getOperation cases poll; synchronous ones the missions getMissionOrigin reads."""
    ids = []
    offset = 0 if respond_async else count
    for n in range(offset, offset + count):
        body = {
            "provider": "linear",
            "mission_id": f"01JFXZZ{n:019d}",
            "external_issue_id": "5b1e8a2c-3d4f-4a6b-8c9d-0e1f2a3b4c5d",
            "external_issue_key": "WEB-123",
            "external_issue_url": "https://linear.app/acme/issue/WEB-123",
            "external_title": "Fuzz seed",
            "project_slug": "acme-web",
        }
        request = urllib.request.Request(
            f"{url}/api/v1/tracker/mission-origin/bind/",
            data=json.dumps(body).encode(),
            method="POST",
            headers={
                "Authorization": f"Bearer {token}",
                "X-Team-Slug": team,
                **({"Prefer": "respond-async"} if respond_async else {}),
                "Content-Type": "application/json",
            },
        )
        with urllib.request.urlopen(request, timeout=10) as answer:
            seeded = json.load(answer)
        ids.append(seeded["operation_id"] if respond_async else body["mission_id"])
    return ids


def _schemathesis(
    contract: str, url: str, args: argparse.Namespace, extra: list[str], env: dict[str, str]
) -> int:
    """One schemathesis CLI run of `contracts/<contract>` against `url`; its exit status."""
    report_dir = Path(args.report_dir) / contract.removesuffix(".yaml")
    auth = ["-H", f"Authorization: Bearer {args.token}"] if args.token else []
    command = [
        str(BIN / "schemathesis"),
        "--config-file",
        str(ROOT / "schemathesis.toml"),
        "run",
        str(ROOT / "contracts" / contract),
        "--url",
        url,
        "--phases",
        "examples,coverage,fuzzing" + ("" if args.no_stateful else ",stateful"),
        "--max-examples",
        str(args.max_examples),
        "--checks",
        "all",
        "--report",
        "junit,json",
        "--report-dir",
        str(report_dir),
        *(auth if contract == "openapi.yaml" else []),
        *extra,
    ]
    shown = [
        ("Authorization: Bearer ***" if part.startswith("Authorization:") else part)
        for part in command
    ]
    print("+", " ".join(shown), flush=True)
    try:
        status = subprocess.run(command, cwd=ROOT, env=env, timeout=args.max_time).returncode
    except subprocess.TimeoutExpired:
        print(f"schemathesis ran over {args.max_time} s on {contract}", file=sys.stderr)
        status = 1
    print(f"report: {report_dir.resolve()}/ (junit.xml, the JSON run report)", flush=True)
    return status


def _hooks_env(**pools: str) -> dict[str, str]:
    return {
        **os.environ,  # noqa: TID251 - a tool passing its environment on
        "PYTHONPATH": str(ROOT),
        "SCHEMATHESIS_HOOKS": "tests.contract.fuzz_hooks",
        **pools,
    }


def seed_snapshots(url: str) -> None:
    """The snapshot positive restore and delete cases name (`fuzz`), in the default state and
    in the fuzz sandbox, as the in-process run seeds it."""
    for sandbox in ({}, {"X-Kitty-Sandbox": "fuzz"}):
        request = urllib.request.Request(
            f"{url}/__admin/snapshots/fuzz",
            method="PUT",
            headers={"X-Admin-Token": "admin-secret", **sandbox},
        )
        with urllib.request.urlopen(request, timeout=10):
            pass


def fuzz(contract: str, args: argparse.Namespace, extra: list[str]) -> int:
    """One schemathesis CLI run of `contracts/<contract>` against a fresh mock; its exit status."""
    # The fuzz sends wrong admin tokens by the thousand on purpose; the limit has its own tests.
    with running_mock(cwd=ROOT, env={"KITTY_MOCK_ADMIN_AUTH_FAILURES_BURST": "1000000"}) as mock:
        env = _hooks_env(
            KITTY_FUZZ_OPERATIONS=",".join(seed_operations(mock.url)),
            KITTY_FUZZ_MISSIONS=",".join(seed_operations(mock.url, respond_async=False)),
            KITTY_FUZZ_TEAM=args.team,
        )
        seed_snapshots(mock.url)
        return _schemathesis(contract, mock.url, args, extra, env)


def fuzz_live_url(args: argparse.Namespace, extra: list[str]) -> int:
    """The SaaS contract (and with `--admin` the admin contract) against `args.url`."""
    url = str(args.url).rstrip("/")
    if not url.startswith(("http://", "https://")):
        print(f"--url must be an http:// or https:// URL, not {url!r}", file=sys.stderr)
        return 2
    pools: dict[str, str] = {}
    try:  # positive cases that read an operation or a mission need some to exist
        who = {"token": args.token or "tok-alice", "team": args.team}
        pools["KITTY_FUZZ_OPERATIONS"] = ",".join(seed_operations(url, **who))
        pools["KITTY_FUZZ_MISSIONS"] = ",".join(seed_operations(url, respond_async=False, **who))
    except (OSError, ValueError, KeyError) as exc:
        print(f"could not seed binds of WEB-123 at {url} ({exc}); reads of operations and "
              "missions will be judged on made-up ids", file=sys.stderr)  # fmt: skip
    env = _hooks_env(KITTY_FUZZ_TEAM=args.team, **pools)
    contracts = ["openapi.yaml", *(["admin.yaml"] if args.admin else [])]
    return max(_schemathesis(contract, url, args, extra, env) for contract in contracts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-examples", type=int, default=200)
    parser.add_argument("--max-time", type=int, default=300, help="seconds, for each contract")
    # The stateful phase needs the link-budget fix in tests/contract/fuzz_hooks.py (loaded
    # through SCHEMATHESIS_HOOKS below); without it schemathesis 4.32.5 stops with hypothesis
    # "No progress can be made" once bind answered 200s but no 202.
    parser.add_argument(
        "--no-stateful", action="store_true", help="skip the stateful phase (links)"
    )
    parser.add_argument("--url", help="a live implementation to check instead of fresh mocks")
    parser.add_argument("--token", help="bearer token for --url (default: the seeded tok-alice)")
    parser.add_argument("--team", default="acme", help="X-Team-Slug of positive cases (acme)")
    parser.add_argument("--admin", action="store_true", help="with --url: the admin contract too")
    parser.add_argument("--report-dir", default="fuzz-report", help="where reports go")
    args, extra = parser.parse_known_args(argv)
    if args.url:
        return fuzz_live_url(args, extra)
    statuses = [fuzz(contract, args, extra) for contract in ("openapi.yaml", "admin.yaml")]
    return max(statuses)


if __name__ == "__main__":
    sys.exit(main())
