"""Gunicorn's settings for `make serve` (scripts/serve.sh); each may be overridden from the
environment. Chosen for the office's machine, two cores, and measured with bench/load.py.

- WEB_WORKERS (default: cores + 1, so 3 on two cores). The work of a request is Python
  (templates, the ranking's arithmetic) and holds the GIL, so processes, not threads, are what
  use the cores; one more than the cores keeps a core busy while another process waits on the
  database. More only costs memory (~100 MB each, more after a PDF).
- WEB_THREADS (default 4, the gthread worker): a thread waiting on the database (SQLite's busy
  timeout while another process writes, a PostgreSQL round trip) lets the same process answer
  someone else; 3 x 4 = 12 requests at once, the rest wait in the listen queue (backlog).
- WEB_TIMEOUT (default 120 s): with gthread the timeout watches the whole process, not one
  request, and fires only when it stops answering the arbiter. Gunicorn's default 30 s SIGKILLed
  a worker stuck parsing a hostile upload (FACTS.md); uploads are now bounded to a few seconds,
  and PDFs render in under one, so 120 s kills only a process that is truly stuck, without
  cutting off a slow but honest export of a large office.
- max_requests with jitter: each process is replaced after about a thousand requests, so the
  memory a large PDF or import leaves behind is given back; the jitter keeps them from all
  restarting at once.
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


bind = f"{os.environ.get('HOST', '127.0.0.1')}:{_int('PORT', 8000)}"
worker_class = "gthread"
workers = _int("WEB_WORKERS", multiprocessing.cpu_count() + 1)
threads = _int("WEB_THREADS", 4)
timeout = _int("WEB_TIMEOUT", 120)
graceful_timeout = 30
keepalive = 5
backlog = 256
max_requests = _int("WEB_MAX_REQUESTS", 1000)
max_requests_jitter = max_requests // 10
# The heartbeat file in memory: a busy disk cannot make a healthy worker look dead.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
accesslog = os.environ.get("WEB_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("WEB_LOG_LEVEL", "info")
# Gunicorn 27's control socket is one path per user (~/.gunicorn/gunicorn.ctl): a second server
# on the machine (a test, the bench) would take it over. Nothing here uses it.
control_socket_disable = True
