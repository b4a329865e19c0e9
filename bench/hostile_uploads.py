"""Hostile uploads, measured: ``.venv/bin/python bench/hostile_uploads.py``.

Each file of ``tests/hostile_files.py`` is built at the size the issue measured (one row of
four million cells in 115 KB, eight million shared strings in 324 KB, …), beside a normal
roster of 20,000 rows as a yardstick. Each is then uploaded, in a fresh process, through the
real upload view as an administrator (``django.test.Client``), and its preview page fetched
twice: the time of the upload (read + keep), the time of each preview, the size of the page
and the process's peak memory (``ru_maxrss``, the Python interpreter and Django included) are
printed. Goal: every file refused with a message or read within 300 MB and 20 s.

Runs on a scratch SQLite database in a temporary folder, never on the project's own.
Options: ``--only NAME`` (repeatable), ``--memory-limit MB`` (address space of each upload
process, default 4096, so a regression cannot take the machine), ``--timeout S`` (default 120).
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
# The upload processes share the first process's scratch folder and database.
SCRATCH = Path(os.environ.get("BENCH_HOSTILE_SCRATCH") or tempfile.mkdtemp(prefix="bench-hostile-"))
os.environ["BENCH_HOSTILE_SCRATCH"] = str(SCRATCH)
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", f"sqlite:///{SCRATCH / 'bench.sqlite3'}"
)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "efficiency.settings")

GOAL_SECONDS = 20
GOAL_MB = 300


def normal_roster(path: Path, rows: int = 20_000) -> Path:
    """A plain roster at the row limit: what a real office's largest file looks like."""
    from tests import hostile_files

    def sheet():
        header = ["工号", "姓名", "科室", "职务", "入职日期"]
        yield hostile_files._row(1, (hostile_files._inline(h) for h in header))
        for n in range(2, rows + 2):
            cells = [f"{n:06d}", f"职工{n}", "秘书科", "科员", "2020-07-01"]
            yield hostile_files._row(n, (hostile_files._inline(c) for c in cells))

    return hostile_files.package(path, sheet)


def child(path: str, name: str, memory_limit: int) -> None:
    """One upload and two previews, in this process; prints one line of JSON."""
    limit = memory_limit * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.test.utils import override_settings, setup_test_environment

    setup_test_environment()  # the page's context, for its counts and problems
    client = Client()
    client.force_login(User.objects.get(username="bench-admin"))
    data = Path(path).read_bytes()
    with override_settings(EXCEL_UPLOAD_DIR=str(SCRATCH / "uploads")):
        began = time.perf_counter()
        response = client.post("/excel/import/staff/", {"file": SimpleUploadedFile(name, data)})
        upload_s = time.perf_counter() - began
        location = response["Location"]
        previews = []
        for _ in range(2):
            began = time.perf_counter()
            page = client.get(location)
            previews.append(time.perf_counter() - began)
    html = page.content.decode()
    context = page.context or {}
    problems = context.get("problems") or []
    counts = context.get("counts") or {}
    print(
        json.dumps(
            {
                "upload_s": upload_s,
                "preview_s": previews,
                "page_kb": len(html) / 1024,
                "outcome": str(problems[0]) if problems else f"{counts}",
                "problems": len(context["preview"].problems) if "preview" in context else 0,
                "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            },
            ensure_ascii=False,
        )
    )


def setup() -> None:
    import django

    django.setup()
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command

    from efficiency.models import Section
    from efficiency.roles import Role

    call_command("migrate", verbosity=0)
    Section.objects.create(code="MSK", name="秘书科", order=1)
    admin = User.objects.create_user("bench-admin", password="x")
    admin.groups.add(Group.objects.get(name=Role.ADMINISTRATOR))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", default=[])
    parser.add_argument("--memory-limit", type=int, default=4096)
    parser.add_argument("--timeout", type=int, default=120)
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    if options.child:
        child(*options.child, options.memory_limit)
        return 0

    from tests import hostile_files

    builders = dict(hostile_files.HOSTILE, **{"normal_20000_rows.xlsx": normal_roster})
    chosen = options.only or list(builders)
    setup()
    print(
        f"{'file':<26} {'size KB':>8} {'upload s':>9} {'preview s':>10} {'page KB':>8} "
        f"{'peak MB':>8}  ok  outcome"
    )
    failed = False
    for name in chosen:
        path = SCRATCH / name
        builders[name](path)
        command = [
            sys.executable,
            __file__,
            "--child",
            str(path),
            name,
            "--memory-limit",
            str(options.memory_limit),
        ]
        try:
            run = subprocess.run(command, capture_output=True, text=True, timeout=options.timeout)
            result = (
                json.loads(run.stdout.strip().splitlines()[-1]) if run.returncode == 0 else None
            )
        except subprocess.TimeoutExpired:
            run, result = None, None
        size = path.stat().st_size / 1024
        if result is None:
            why = "hung" if run is None else (run.stderr.strip().splitlines() or ["?"])[-1]
            print(f"{name:<26} {size:>8.0f} {'—':>9} {'—':>10} {'—':>8} {'—':>8}  ✗  {why}")
            failed = True
        else:
            worst = max(result["upload_s"], *result["preview_s"])
            ok = worst <= GOAL_SECONDS and result["peak_mb"] <= GOAL_MB
            failed |= not ok
            previews = "/".join(f"{s:.1f}" for s in result["preview_s"])
            outcome = result["outcome"]
            if result["problems"] > 1:
                outcome += f" (+{result['problems'] - 1} more)"
            print(
                f"{name:<26} {size:>8.0f} {result['upload_s']:>9.1f} {previews:>10} "
                f"{result['page_kb']:>8.0f} {result['peak_mb']:>8.0f}  {'✓' if ok else '✗'}  "
                f"{outcome[:90]}"
            )
        path.unlink(missing_ok=True)
    load = os.getloadavg()
    print(
        f"\nGoal: every file refused or read within {GOAL_MB} MB and {GOAL_SECONDS} s "
        f"(upload and each preview). Load average {load[0]:.1f} on {os.cpu_count()} cores."
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
