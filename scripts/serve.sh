#!/bin/sh
# The app as in production (README, "Production"): gunicorn (scripts/gunicorn.conf.py), DEBUG
# off, static files collected and served by WhiteNoise with hashed names, on SQLite or on
# DATABASE_URL, and the task worker beside it. `make serve` runs it; Ctrl-C stops everything.
#   SECRET_KEY=... scripts/serve.sh
# HOST and PORT (default 127.0.0.1:8000) say where it listens; SERVE_MIGRATE=0 skips `migrate`
# (when the database's owner migrates separately, see README). The WEB_* variables of
# scripts/gunicorn.conf.py size the server.
set -eu
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}

if [ -z "$(printf %s "${SECRET_KEY:-}" | tr -d '[:space:]')" ]; then
    echo "SECRET_KEY is not set: the server never uses the checkout's var/secret-key." >&2
    echo "Make one with: $PY -c 'import secrets; print(secrets.token_urlsafe(50))'" >&2
    echo "未设置 SECRET_KEY：生产环境须在环境变量中设置一个足够长的随机值（见 README「Production」）。" >&2
    exit 2
fi
export DEBUG=false STATIC_MANIFEST=true

if [ "${SERVE_MIGRATE:-1}" != 0 ]; then
    "$PY" manage.py migrate --noinput --verbosity 0
fi
# Collected again only when the app's own static files or the installed packages (pinned in
# constraints.txt) changed since the last time: hashing and compressing them costs ~10 s of a
# core. SERVE_COLLECTSTATIC=1 collects in any case.
manifest=staticfiles/staticfiles.json
if [ "${SERVE_COLLECTSTATIC:-0}" = 1 ] || [ ! -f "$manifest" ] ||
    [ -n "$(find static pyproject.toml constraints.txt -newer "$manifest" | head -n 1)" ]; then
    "$PY" manage.py collectstatic --noinput --verbosity 0
fi

pids=""
stop() {
    trap - INT TERM EXIT
    for pid in $pids; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in $pids; do wait "$pid" 2>/dev/null || true; done
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The task worker (issue 12 item 3: the ZIPs, reminders and backups run on django-tasks):
# started when this checkout has it, stopped with the server. SERVE_WORKER=0 leaves it out,
# when the worker runs under a systemd unit of its own (README).
if [ "${SERVE_WORKER:-1}" != 0 ] && "$PY" manage.py help db_worker >/dev/null 2>&1; then
    "$PY" manage.py db_worker &
    pids="$pids $!"
fi

"$PY" -m gunicorn --config scripts/gunicorn.conf.py efficiency.wsgi &
pids="$pids $!"
# Whichever ends first (gunicorn refusing to start, the worker crashing) stops the other.
while :; do
    for pid in $pids; do
        if ! kill -0 "$pid" 2>/dev/null; then
            wait "$pid" && status=0 || status=$?
            echo "serve: process $pid ended (status $status); stopping the others." >&2
            exit "$status"
        fi
    done
    sleep 1
done
