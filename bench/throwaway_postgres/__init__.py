"""A throwaway PostgreSQL server on 127.0.0.1 for tests and benchmarks.

`ThrowawayPostgres` runs `initdb` into a fresh temporary directory, starts `postgres` on a free
port (its unix socket inside that directory, trust authentication for 127.0.0.1 and the socket
only, C collation so text sorts by bytes as in SQLite), waits until it accepts connections, and
hands out empty databases. It can stop, crash (SIGKILL) and start again on the same directory and
port; `close()` stops it and removes the directory. The binaries are the ones on PATH, in
/usr/local/bin or in the highest /usr/lib/postgresql/<version>/bin (Debian's `postgresql`
package, which `tools/ensure_postgres.sh` installs when none is found). `initdb` refuses to run
as root, so as root the server runs as the `postgres` user (`nobody` when there is none), owning
only its own directory. Should the process that started it die without closing it (kill -9, a
crashed xdist worker), the server gets SIGINT and shuts down (util-linux `setpriv --pdeathsig`;
start it from a thread that outlives it); its directory is then left in the temp directory.

    with ThrowawayPostgres() as server:
        url = server.create_database()   # postgresql://postgres@127.0.0.1:PORT/db_...

`python -m bench.throwaway_postgres find` prints where the binaries are (exit 3 and what to
install when there are none); `... serve` runs one server until Ctrl-C.
"""

from .binaries import (
    INSTALL_HINT,
    PostgresBinaries,
    PostgresError,
    PostgresNotFound,
    find_binaries,
)
from .server import ThrowawayPostgres

__all__ = [
    "INSTALL_HINT",
    "PostgresBinaries",
    "PostgresError",
    "PostgresNotFound",
    "ThrowawayPostgres",
    "find_binaries",
]
