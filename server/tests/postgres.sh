#!/usr/bin/env bash
# A throwaway PostgreSQL server on loopback for the test suite, from Debian's packages
# (installed when missing): a new cluster in a temporary directory, trusting connections
# from 127.0.0.1 only.
#   postgres.sh start   (re)creates and starts it, and prints its URL
#   postgres.sh stop    stops it and removes its files
#   postgres.sh halt    stops it, keeping its files (a database that goes away)
#   postgres.sh resume  starts it again (and it comes back)
set -euo pipefail
dir=${HEXPLAN_TEST_PG_DIR:-/tmp/hexplan-postgres}
# Below Linux's ephemeral range (32768-60999): a port in it can be held for a moment by any
# connection the tests just made, and PostgreSQL then cannot listen on it.
port=${HEXPLAN_TEST_PG_PORT:-15432}

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$bin" ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
fi

# PostgreSQL refuses to run as root; as root, run it as Debian's postgres user.
as_owner() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

stop() {
    if [ -f "$dir/PG_VERSION" ]; then
        as_owner "$bin/pg_ctl" -D "$dir" stop -m immediate >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
}

# The many-plans benchmark needs more connections than the tests (a pool per plan).
max_connections=${HEXPLAN_TEST_PG_MAX_CONNECTIONS:-400}

run() {
    if ! as_owner "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w start \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=$max_connections" >/dev/null; then
        echo "PostgreSQL did not start; its log ends:" >&2
        tail -n 20 "$dir/server.log" >&2 || true
        return 1
    fi
}

case "${1:-}" in
start)
    stop
    mkdir -p "$dir"
    if [ "$(id -u)" = 0 ]; then chown postgres: "$dir"; fi
    as_owner "$bin/initdb" -D "$dir" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    run
    echo "postgres://postgres@127.0.0.1:$port/postgres"
    ;;
stop) stop ;;
halt) as_owner "$bin/pg_ctl" -D "$dir" stop -m fast >/dev/null ;;
resume) run ;;
*) echo "usage: $0 start|stop|halt|resume" >&2; exit 2 ;;
esac
