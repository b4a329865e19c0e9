"""A quarter's personal forms, or a year's 年度考核登记表, as one ZIP, made outside the request.

Two kinds of :class:`~efficiency.models.ReportJob`: :data:`KIND` (the quarter's
个人平时考核登记表, :func:`build_zip`) and :data:`ANNUAL_KIND` (the year's 年度考核登记表,
:func:`build_annual_zip`; the job's ``period`` is a quarter of that year, and the year is its
``year``). Both builders take the same arguments, so whatever runs a job dispatches on its
kind alone (:func:`builder`).

The page creates a :class:`~efficiency.models.ReportJob` and :func:`launch` starts
``python manage.py run_report_job <id>`` as a detached process (its own session, output to
``var/reports/job-<id>.log``): no extra service to run, and no web worker is held. That
process (:func:`run`) gathers everyone's numbers once, renders the forms in a pool of worker
processes (one per core), writes the ZIP under ``var/reports/`` and updates ``job.done`` as
it goes, so the page can poll a small JSON status, be left, and be come back to.

``report_pdf personal --all`` calls :func:`build_zip` directly, in the foreground.

A job never blocks its quarter for good: one whose process could not be started, never
appeared within :data:`STARTUP_GRACE`, or died, is marked failed with the reason (see
:func:`launch` and :func:`refresh`), and a new one may then be started.
"""

import logging
import multiprocessing
import os
import re
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import connection, connections, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from efficiency.models import Period, ReportJob, ReportJobStatus

from . import ReportError, annualform, documents, fonts, pdf

logger = logging.getLogger(__name__)

KIND = "personal_zip"
ANNUAL_KIND = "annual_forms_zip"
KINDS = (KIND, ANNUAL_KIND)
ACTIVE = (ReportJobStatus.PENDING, ReportJobStatus.RUNNING)
MANAGE = fonts.BASE_DIR / "manage.py"
PROGRESS_EVERY = 0.5  # seconds between progress writes: SQLite has one writer at a time
KEEP_DAYS = 30  # ZIP files of older jobs are deleted when a new job starts
# A job with no process this long after it was created was never started (the web process
# died between creating and launching it, say): it is failed so the quarter is not blocked.
STARTUP_GRACE = timezone.timedelta(minutes=1)
# The job shares the machine with the web server: people clicking come first.
NICENESS = 10
# job-<id>.log, job-<id>.pid, job-<id>-<period>.zip and its .part while it is written.
JOB_FILE = re.compile(r"^job-(?P<id>\d+)(?:-[^/]*)?\.(?P<ext>zip\.part|zip|log|pid)$")


def reports_dir() -> Path:
    return Path(settings.REPORT_OUTPUT_DIR)


def zip_filename(period: Period) -> str:
    with translation.override(pdf.LANGUAGE):
        title = _("Personal quarterly appraisal forms")
    return documents.safe_filename(f"{period.code}-{title}") + ".zip"


def job_filename(job: ReportJob) -> str:
    """The name the job's ZIP is downloaded under."""
    if job.kind == ANNUAL_KIND:
        return documents.annual_forms_zip_filename(job.period.year)
    return zip_filename(job.period)


def builder(kind: str) -> Callable[..., int]:
    """The function making a job's ZIP: ``(period, target, *, workers, progress) -> count``."""
    return {KIND: build_zip, ANNUAL_KIND: build_annual_zip}[kind]


# --- rendering -------------------------------------------------------------------------------


def _worker_init() -> None:
    # Each worker builds its own engine: no fontconfig or Pango state crosses the fork.
    pdf.reset()
    pdf.engine()


def _worker_render(item: tuple[str, str, dict]) -> tuple[str, bytes]:
    template, filename, context = item
    return filename, pdf.render_pdf(template, context)


def build_zip(
    period: Period,
    target: Path,
    *,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Everyone's form for ``period`` in one ZIP at ``target``; returns how many forms.

    The numbers are gathered here, in this process, with a fixed number of queries; the
    workers only lay out and write PDFs (they never touch the database).
    """
    fonts.require()
    items = [
        (documents.PERSONAL_TEMPLATE, filename, context)
        for filename, context in documents.personal_contexts(period)
    ]
    return _write_zip(items, target, workers=workers, progress=progress)


def build_annual_zip(
    period: Period,
    target: Path,
    *,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Everyone's 年度考核登记表 of ``period.year`` in one ZIP at ``target``; how many forms.

    As :func:`build_zip`: one roll-up gathered here, the PDFs laid out by the workers.
    """
    fonts.require()
    items = [
        (annualform.TEMPLATE, filename, context)
        for filename, context in annualform.annual_form_contexts(period.year)
    ]
    return _write_zip(items, target, workers=workers, progress=progress)


def _write_zip(
    items: list[tuple[str, str, dict]],
    target: Path,
    *,
    workers: int | None,
    progress: Callable[[int, int], None] | None,
) -> int:
    """Render ``(template, filename, context)`` items into one ZIP at ``target``."""
    workers = workers or os.cpu_count() or 1
    total = len(items)
    if progress:
        progress(0, total)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_STORED) as archive:
        if workers == 1 or total < 2:
            rendered = map(_worker_render, items)
            for done, (filename, content) in enumerate(rendered, start=1):
                archive.writestr(filename, content)
                if progress:
                    progress(done, total)
        else:
            if not connection.in_atomic_block:
                # Forked workers must not inherit an open database connection.
                connections.close_all()
            context = multiprocessing.get_context("fork")
            with context.Pool(min(workers, total), initializer=_worker_init) as pool:
                rendered = pool.imap(_worker_render, items, chunksize=2)
                for done, (filename, content) in enumerate(rendered, start=1):
                    archive.writestr(filename, content)
                    if progress:
                        progress(done, total)
    partial.replace(target)
    return total


# --- jobs ------------------------------------------------------------------------------------


def _same_work(kind: str, period: Period):
    """The jobs making the same ZIP: the quarter's per quarter, the year's per year."""
    if kind == ANNUAL_KIND:
        return ReportJob.objects.filter(kind=kind, period__year=period.year)
    return ReportJob.objects.filter(kind=kind, period=period)


def active_job(period: Period, kind: str = KIND) -> ReportJob | None:
    """The job making this period's ZIP now, if any (one that died or never started is not)."""
    job = _same_work(kind, period).filter(status__in=ACTIVE).first()
    if job is not None and refresh(job).status in ACTIVE:
        return job
    return None


def start(*, period: Period, user, kind: str = KIND) -> tuple[ReportJob, bool]:
    """The job making this period's ZIP: the one already under way, or a new one started.

    ``kind`` :data:`ANNUAL_KIND`: the ZIP of ``period.year``'s 年度考核登记表."""
    fonts.require()
    with transaction.atomic():
        # Two leaders clicking at once start one job. A read-then-insert alone does not
        # serialize on PostgreSQL (each transaction sees no job and inserts one): the lock on
        # the period's row (the year's: each of its quarters' rows, in order) makes the
        # second wait until the first has committed its job. SQLite's IMMEDIATE
        # transactions already serialize; there this is a plain read.
        locked = Period.objects.select_for_update().order_by("pk")
        if kind == ANNUAL_KIND:
            locked = locked.filter(year=period.year)
        else:
            locked = locked.filter(pk=period.pk)
        list(locked.values_list("pk", flat=True))
        running = active_job(period, kind)
        if running is not None:
            return running, False
        job = ReportJob.objects.create(kind=kind, period=period, requested_by=user)
    prune()
    launch(job)
    job.refresh_from_db()  # failed at once if its process could not be started
    return job, True


def _pid_file(job: ReportJob) -> Path:
    return reports_dir() / f"job-{job.pk}.pid"


def log_file(job: ReportJob) -> Path:
    return reports_dir() / f"job-{job.pk}.log"


def launch(job: ReportJob) -> None:
    """Start ``manage.py run_report_job`` detached from this process and its request.

    If the process cannot be started (no space or rights for its log, no more processes,
    no interpreter) the job is marked failed with the reason at once, instead of waiting.
    """
    try:
        directory = reports_dir()
        directory.mkdir(parents=True, exist_ok=True)
        with log_file(job).open("ab") as log:
            process = subprocess.Popen(
                [sys.executable, str(MANAGE), "run_report_job", str(job.pk)],
                cwd=fonts.BASE_DIR,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                close_fds=True,
            )
    except OSError as error:
        logger.exception("report job %s could not be started", job.pk)
        _fail(
            job,
            _(
                "The background process could not be started (%(reason)s). Nothing was made; "
                "tell the administrator."
            )
            % {"reason": error.strerror or error},
        )
        return
    try:
        _pid_file(job).write_text(str(process.pid))
    except OSError:
        # The process writes its own pid file when it starts (see run()).
        logger.warning("report job %s: could not write its pid file", job.pk)
    # Reap it when it ends, so a long-running web process collects no zombies.
    threading.Thread(target=process.wait, daemon=True).start()


def lower_priority() -> None:
    """Run this process (and the workers it forks) at :data:`NICENESS`, below the web server."""
    current = os.nice(0)
    if current < NICENESS:
        os.nice(NICENESS - current)


def _alive(pid: int) -> bool:
    """Is the job's process still there (and still that process, not a reused pid)?"""
    proc = Path("/proc")
    if proc.is_dir():
        try:
            return b"run_report_job" in (proc / str(pid) / "cmdline").read_bytes()
        except OSError:
            return False
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    return True


def refresh(job: ReportJob) -> ReportJob:
    """The job as it stands; one whose process died, or never came, is marked failed."""
    if job.status not in ACTIVE:
        return job
    try:
        pid = int(_pid_file(job).read_text())
    except (OSError, ValueError):
        pid = None  # not launched yet, or launched and not yet written
    if pid is not None and _alive(pid):
        return job
    if pid is None and timezone.now() - job.created_at < STARTUP_GRACE:
        return job
    job.refresh_from_db()
    if job.status in ACTIVE:
        job.status = ReportJobStatus.FAILED
        job.error = (
            _("The background process never started. Start the ZIP again.")
            if pid is None
            else _("The background process stopped before the ZIP was finished. Start it again.")
        )
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "error", "finished_at"])
        _pid_file(job).unlink(missing_ok=True)
    return job


def file_path(job: ReportJob) -> Path | None:
    if job.status != ReportJobStatus.DONE or not job.file:
        return None
    path = reports_dir() / Path(job.file).name
    return path if path.is_file() else None


def prune() -> None:
    """Delete what finished jobs leave behind (the records stay).

    - the ZIP and the log of a job finished more than KEEP_DAYS ago (a failed job's error
      names its log, so logs are kept as long as ZIPs);
    - at once: the pid file and any half-written ``.part`` of a job no longer running, and
      the log of a job that succeeded;
    - any job file whose job no longer exists.
    """
    cutoff = timezone.now() - timezone.timedelta(days=KEEP_DAYS)
    for old in ReportJob.objects.filter(kind__in=KINDS, finished_at__lt=cutoff).exclude(file=""):
        path = reports_dir() / Path(old.file).name
        path.unlink(missing_ok=True)
        ReportJob.objects.filter(pk=old.pk).update(file="")
    directory = reports_dir()
    if not directory.is_dir():
        return
    found = []
    for path in directory.iterdir():
        match = JOB_FILE.match(path.name)
        if match and path.is_file():
            found.append((path, int(match["id"]), match["ext"]))
    jobs = {
        job.pk: job
        for job in ReportJob.objects.filter(pk__in={job_id for _path, job_id, _ext in found}).only(
            "status", "file", "finished_at"
        )
    }
    for path, job_id, ext in found:
        job = jobs.get(job_id)
        if job is not None and job.status in ACTIVE:
            continue
        old = job is None or job.finished_at is None or job.finished_at < cutoff
        stale = (
            job is None
            or ext in ("pid", "zip.part")
            or (ext == "log" and (old or job.status == ReportJobStatus.DONE))
            or (ext == "zip" and (old or Path(job.file).name != path.name))
        )
        if stale:
            path.unlink(missing_ok=True)


def run(job_id: int, *, workers: int | None = None) -> ReportJob:
    """Do the job (in the detached process): render, write the ZIP, record progress."""
    job = ReportJob.objects.select_related("period").get(pk=job_id)
    if job.status != ReportJobStatus.PENDING:
        return job
    ReportJob.objects.filter(pk=job.pk).update(
        status=ReportJobStatus.RUNNING, started_at=timezone.now()
    )
    # Run by hand (not through launch()), the job still says which process is doing it.
    pid_file = _pid_file(job)
    pid_file.parent.mkdir(parents=True, exist_ok=True)
    pid_file.write_text(str(os.getpid()))
    last = [0.0]

    def progress(done: int, total: int) -> None:
        now = time.monotonic()
        if done in (0, total) or now - last[0] >= PROGRESS_EVERY:
            last[0] = now
            ReportJob.objects.filter(pk=job.pk).update(done=done, total=total)

    made = str(job.period.year) if job.kind == ANNUAL_KIND else job.period.code
    target = reports_dir() / f"job-{job.pk}-{made}.zip"
    with translation.override(pdf.LANGUAGE):
        try:
            make = builder(job.kind)
            count = make(job.period, target, workers=workers, progress=progress)
        except ReportError as error:
            _fail(job, error.message)
        except Exception:
            logger.exception("report job %s failed", job.pk)
            _fail(
                job,
                _(
                    "The ZIP could not be made because of an unexpected error; it is logged "
                    "in %(log)s."
                )
                % {"log": log_file(job).name},
            )
        else:
            ReportJob.objects.filter(pk=job.pk).update(
                status=ReportJobStatus.DONE,
                done=count,
                total=count,
                file=target.name,
                finished_at=timezone.now(),
            )
        finally:
            pid_file.unlink(missing_ok=True)
    job.refresh_from_db()
    return job


def _fail(job: ReportJob, message: str) -> None:
    ReportJob.objects.filter(pk=job.pk).update(
        status=ReportJobStatus.FAILED, error=message, finished_at=timezone.now()
    )
