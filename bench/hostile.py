"""Peak memory and time of one `search_issues` against each hostile server, one process each.

    .venv/bin/python -m bench.hostile            # a table: scenario, error, seconds, peak RSS

Each scenario runs in a fresh interpreter, so its peak RSS (`ru_maxrss`) is its own; the
`baseline` row is the same process making no call (imports, client, server).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time

from kitty_origin import ClientSettings, SaaSTrackerClient, SpecKittySaaSError, StaticTokenProvider

from .hostile_server import SCENARIOS, gzip_bomb, serving

DEADLINE = 2.0


def measure(scenario: str) -> dict[str, object]:
    """One scenario in this process: the error, the seconds it took, and the peak RSS."""
    if scenario == "gzip_bomb":
        gzip_bomb()
    with serving("never_answers" if scenario == "baseline" else scenario) as server:
        settings = ClientSettings.from_env(
            env={},
            base_url=server.url,
            team="acme",
            token_provider=StaticTokenProvider("tok-bench"),
            search_deadline_seconds=DEADLINE,
            backoff_initial_seconds=0.05,
        )
        started = time.monotonic()
        outcome = "none"
        with SaaSTrackerClient(settings) as client:
            if scenario != "baseline":
                try:
                    client.search_issues("linear", "acme-web", query_text="Clerk auth")
                    outcome = "success"
                except SpecKittySaaSError as exc:
                    outcome = type(exc).__name__
        elapsed = time.monotonic() - started
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "scenario": scenario,
        "outcome": outcome,
        "seconds": elapsed,
        "peak_mib": peak_kib / 1024,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--one", help="run one scenario here and print its JSON line")
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(measure(args.one)))
        return 0
    print(f"deadline {DEADLINE:.1f} s, answer cap {ClientSettings().max_answer_bytes >> 20} MiB")
    print("| scenario | outcome | seconds | peak RSS MiB |\n|---|---|---|---|")
    for scenario in ["baseline", *SCENARIOS]:
        line = subprocess.run(
            [sys.executable, "-m", "bench.hostile", "--one", scenario],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        row = json.loads(line)
        print(
            f"| {row['scenario']} | {row['outcome']} | {row['seconds']:.2f} | "
            f"{row['peak_mib']:.0f} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
