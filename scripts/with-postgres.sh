#!/bin/sh
# Run a command against a throwaway PostgreSQL 15 cluster on loopback, then remove the cluster.
#   scripts/with-postgres.sh make test
# The command sees DATABASE_URL pointing at the cluster. Runs as root (the cluster as postgres).
set -eu
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
PORT=${PGPORT_TEST:-55432}
DIR=$(mktemp -d /tmp/efficiency-pg.XXXXXX)
chown postgres "$DIR" 2>/dev/null || true
as_postgres() {
    if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi
}
cleanup() {
    as_postgres "$PGBIN/pg_ctl -D $DIR/data -m immediate stop" >/dev/null 2>&1 || true
    rm -rf "$DIR"
}
trap cleanup EXIT INT TERM
as_postgres "$PGBIN/initdb -D $DIR/data -U postgres -A trust -E UTF8 --locale=C.UTF-8" >/dev/null
as_postgres "$PGBIN/pg_ctl -D $DIR/data -l $DIR/log -w -o '-h 127.0.0.1 -p $PORT -k $DIR -F' start" >/dev/null
as_postgres "$PGBIN/createdb -h 127.0.0.1 -p $PORT -U postgres efficiency"
echo "PostgreSQL 15 is up on 127.0.0.1:$PORT"
DATABASE_URL="postgres://postgres@127.0.0.1:$PORT/efficiency" "$@"
