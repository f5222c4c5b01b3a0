"""Small writes through one `PostgresStore`, timed in this process: `python -m bench.store_writes
URL SCHEMA WRITES` prints `{"wall_s": ..., "cpu_s": ..., "database_cpu_s": ...}` for WRITES write
transactions of one INSERT each (after a warm-up); the last is the CPU of the server's backend
for the writing connection (PostgreSQL on this machine, its /proc readable). `bench.postgres_ab --writes` runs it under each version's
package, in turn, for a same-run A/B of the store's write path alone.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

from kitty_mock_saas.store.postgres import PostgresStore

WARM_UP = 50


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main(argv: list[str] | None = None) -> int:
    url, schema, count = argv if argv is not None else sys.argv[1:]
    store = PostgresStore(url, schema=schema)
    with store.write() as conn:
        conn.execute("CREATE TABLE IF NOT EXISTS marks (mark INTEGER)")
        backend = int(conn.execute("SELECT pg_backend_pid()").fetchone()[0])
    for n in range(WARM_UP):
        with store.write() as conn:
            conn.execute("INSERT INTO marks VALUES (?)", (n,))
    wall, cpu, database = time.perf_counter(), time.process_time(), cpu_seconds(backend)
    for n in range(int(count)):
        with store.write() as conn:
            conn.execute("INSERT INTO marks VALUES (?)", (n,))
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    database = cpu_seconds(backend) - database
    store.close()
    print(json.dumps({"wall_s": wall, "cpu_s": cpu, "database_cpu_s": database}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
