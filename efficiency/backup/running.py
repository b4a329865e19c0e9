"""Is a server or a worker of this checkout still using the database?

A restore must not replace the database under a live process: its next write would land in
the restored database (or in a file that no longer exists). Three ways of knowing, together:

- the web server announces itself: ``efficiency.wsgi`` (gunicorn and ``runserver`` alike)
  calls :func:`announce`, which writes ``RUN_DIR/server-<pid>.json`` (default ``var/run``)
  and removes it when the process exits; a file whose process is gone (killed) is ignored;
- processes of this checkout on the same ``DATABASE_URL``, found by their command line
  (``manage.py runserver``, ``db_worker``, ``gunicorn efficiency.wsgi``),
  which finds a worker that announces nothing;
- on PostgreSQL, other sessions connected to the same database (any machine).

Nothing here imports the models: :func:`announce` runs as the web server starts.
"""

import atexit
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

# Command lines that mean "this process serves or works for the app".
PATTERNS = (
    ("manage.py", "runserver"),
    ("manage.py", "db_worker"),
    ("gunicorn", "efficiency.wsgi"),
)


@dataclass(frozen=True)
class Runner:
    pid: int | None  # None for a PostgreSQL session seen from the server side only
    what: str  # its command line, or "client at 10.0.0.5 (application …)"


def run_dir() -> Path:
    return Path(settings.RUN_DIR)


def _cmdline(pid: int) -> str | None:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return None
    return raw.replace(b"\0", b" ").decode(errors="replace").strip()


def announce() -> None:
    """Record this process as a running server until it exits."""
    pid = os.getpid()
    path = run_dir() / f"server-{pid}.json"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({"pid": pid, "cmdline": _cmdline(pid) or " ".join(sys.argv)}))
    except OSError:
        return  # a read-only checkout still serves; the command-line scan still finds it
    atexit.register(path.unlink, missing_ok=True)


def _announced() -> list[Runner]:
    found = []
    for path in sorted(run_dir().glob("server-*.json")):
        try:
            data = json.loads(path.read_text())
            pid = int(data["pid"])
        except (OSError, ValueError, KeyError, TypeError):
            continue
        if pid == os.getpid():
            continue
        current = _cmdline(pid)
        if current is None or (data.get("cmdline") and current != data["cmdline"]):
            path.unlink(missing_ok=True)  # left by a killed process, or the pid was reused
            continue
        found.append(Runner(pid, current))
    return found


def _same_checkout(pid: int) -> bool:
    try:
        cwd = Path(os.readlink(f"/proc/{pid}/cwd")).resolve()
    except OSError:
        return False
    return cwd == Path(settings.BASE_DIR).resolve()


def _same_database(pid: int) -> bool:
    """Does that process use our DATABASE_URL? Unreadable (another account): assume it does."""
    try:
        environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    except OSError:
        return True
    theirs = next(
        (item[len(b"DATABASE_URL=") :] for item in environ if item.startswith(b"DATABASE_URL=")),
        b"",
    )
    return theirs.decode(errors="replace") == os.environ.get("DATABASE_URL", "")


def _by_command_line() -> list[Runner]:
    found = []
    own = {os.getpid(), os.getppid()}
    for entry in Path("/proc").glob("[0-9]*"):
        pid = int(entry.name)
        if pid in own:
            continue
        line = _cmdline(pid)
        if not line:
            continue
        if any(all(word in line for word in pattern) for pattern in PATTERNS):
            if _same_checkout(pid) and _same_database(pid):
                found.append(Runner(pid, line))
    return found


def _postgres_sessions() -> list[Runner]:
    from django.db import connection

    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid, coalesce(client_addr::text, 'local'), application_name"
            " FROM pg_stat_activity WHERE datname = current_database()"
            " AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
        )
        rows = cursor.fetchall()
    connection.close()
    return [
        Runner(None, f"PostgreSQL session {pid} from {addr} {app}".strip())
        for pid, addr, app in rows
    ]


def runners() -> list[Runner]:
    """Every process found using this checkout's database, this one excepted."""
    seen: dict[int, Runner] = {}
    for runner in _announced() + _by_command_line():
        seen.setdefault(runner.pid, runner)
    return list(seen.values()) + _postgres_sessions()
