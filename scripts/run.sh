#!/bin/sh
# `make run`: the task worker (manage.py db_worker) beside the development server, in one
# terminal. Ctrl-C stops both; so does the server ending for any other reason.
#   usage: scripts/run.sh PYTHON HOST:PORT
set -u
PY=${1:-.venv/bin/python}
ADDRESS=${2:-127.0.0.1:8000}

# No autoreload for the worker: its reloader forks a child this script could not stop by pid.
# After changing a task's code, restart `make run`.
"$PY" manage.py db_worker --no-reload --interval 1 &
worker=$!

stop() {
	trap - EXIT INT TERM
	# A worker busy with a task finishes it on the first signal; the second stops it (the
	# task is then marked failed and can be retried from its page).
	kill -TERM "$worker" 2>/dev/null && sleep 1 && kill -TERM "$worker" 2>/dev/null
	wait "$worker" 2>/dev/null
}
trap stop EXIT
trap 'stop; exit 130' INT TERM

"$PY" manage.py runserver "$ADDRESS"
