"""Run `make test`'s phases one after another and say what each cost: wall time and CPU time
(this process's children: the phase and everything it waited for).

    python tools/phases.py "drift gate=make check-drift" "pytest=.venv/bin/python -m pytest"

Stops at the first phase that fails (its exit status is this one's), printing the table so far.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import time


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _table(rows: list[tuple[str, float, float]]) -> str:
    width = max(len(name) for name, _, _ in rows)
    lines = ["make test phases (wall / CPU):"]
    lines += [f"  {name:<{width}}  {wall:7.1f} s  / {cpu:7.1f} s" for name, wall, cpu in rows]
    wall = sum(row[1] for row in rows)
    cpu = sum(row[2] for row in rows)
    lines.append(
        f"  {'total':<{width}}  {wall:7.1f} s  / {cpu:7.1f} s  ({cpu / 60:.1f} CPU-minutes)"
    )
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    rows: list[tuple[str, float, float]] = []
    status = 0
    for spec in argv:
        name, _, command = spec.partition("=")
        print(f"==> {name}: {command}", flush=True)
        wall, cpu = time.monotonic(), _cpu_seconds()
        status = subprocess.run(["bash", "-eo", "pipefail", "-c", command], check=False).returncode
        rows.append((name, time.monotonic() - wall, _cpu_seconds() - cpu))
        if status != 0:
            print(f"==> {name} failed (exit {status})", file=sys.stderr)
            break
    if rows:
        print(_table(rows), flush=True)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
