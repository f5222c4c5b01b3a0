#!/usr/bin/env bash
# Install the PostgreSQL server binaries the PostgreSQL tests (and benchmarks) start their
# throwaway servers from; safe to run again and again.
#
#   bash tools/ensure_postgres.sh [PYTHON]      PYTHON defaults to .venv/bin/python
#
# Where they are looked for is bench/throwaway_postgres's rule (PATH, /usr/local/bin, the highest
# /usr/lib/postgresql/<version>/bin). When none holds `initdb` and `postgres`, Debian's
# `postgresql` package is installed with apt-get as root, without the cluster Debian would
# otherwise create and start on port 5432 (the tests run their own servers). When that cannot be
# done here, this says why and exits 0; the PostgreSQL tests then skip, except under CI=true,
# where they fail.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${1:-$ROOT/.venv/bin/python}"

find_server() { (cd "$ROOT" && "$PYTHON" -m bench.throwaway_postgres find); }

status=0
find_server >/dev/null 2>&1 || status=$?
if [[ $status -eq 0 ]]; then
    exit 0
elif [[ $status -ne 3 ]]; then  # 3: no binaries; anything else is a broken environment
    echo "ensure_postgres: \`$PYTHON -m bench.throwaway_postgres find\` failed:" >&2
    find_server
    exit 1
elif [[ "$(id -u)" -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "ensure_postgres: no PostgreSQL server binaries; installing Debian's postgresql" \
        "with apt-get (no default cluster is created or started)" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq postgresql-common >/dev/null
    pg_conftool /etc/postgresql-common/createcluster.conf set create_main_cluster false
    apt-get install -y -qq postgresql >/dev/null
    find_server >&2
else
    echo "ensure_postgres: no PostgreSQL server binaries and cannot install them (needs root" \
        "and apt-get): the PostgreSQL tests will skip (or fail under CI=true)" >&2
fi
