"""`python -m bench.throwaway_postgres find|serve` (see the package docstring)."""

from __future__ import annotations

import argparse
import signal
import sys
import threading

from . import PostgresNotFound, ThrowawayPostgres, find_binaries

# `find`'s exit status when there are no binaries (tools/ensure_postgres.sh installs them then;
# any other failure, a broken environment say, is not a reason to install anything).
NOT_FOUND = 3


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.throwaway_postgres")
    parser.add_argument("command", choices=["find", "serve"])
    args = parser.parse_args(argv)
    try:
        binaries = find_binaries()
    except PostgresNotFound as error:
        print(error, file=sys.stderr)
        return NOT_FOUND
    if args.command == "find":
        print(f"PostgreSQL {binaries.version} in {binaries.bindir}")
        return 0
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with ThrowawayPostgres(binaries) as server:
        print(f"{server.url()}  (data in {server.root}; Ctrl-C stops it and removes it)")
        sys.stdout.flush()
        try:
            while not stop.wait(1.0):
                pass
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
