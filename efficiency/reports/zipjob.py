"""A quarter's personal forms, or a year's 年度考核登记表, as one ZIP, made outside the request
on the task worker.

Two kinds of :class:`~efficiency.models.ReportJob`: :data:`KIND` (the quarter's
个人平时考核登记表, :func:`build_zip`) and :data:`ANNUAL_KIND` (the year's 年度考核登记表,
:func:`build_annual_zip`; the job's ``period`` is a quarter of that year, and the year is its
``year``). Both builders take the same arguments, so the task dispatches on the kind alone
(:func:`builder`).

The page calls :func:`start`: in one transaction it creates a
:class:`~efficiency.models.ReportJob` (the page's record of progress) and enqueues the task
:data:`make_zip` (django-tasks; a row of the database backend that ``manage.py db_worker``
picks up, on this machine or any other that reaches the database). The task (:func:`run`)
gathers everyone's numbers once, renders the forms in a pool of worker processes (one per
core), saves the ZIP through Django's default storage under ``reports/`` and writes
``job.done`` as it goes, so the page can poll a small JSON status, be left, and be come back
to.

``report_pdf personal --all`` calls :func:`build_zip` directly, in the foreground.

A job never blocks its quarter for good: one that fails says why (in Chinese, on its page)
and may be started again (重试); one whose worker was killed mid-way stops writing its
heartbeat and is failed after :data:`STALLED` (see :func:`refresh`).
"""

import logging
import multiprocessing
import os
import re
import signal
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection, connections, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import TaskResultStatus, task
from django_tasks.exceptions import TaskResultDoesNotExist

from efficiency.models import Period, ReportJob, ReportJobStatus

from . import ReportError, annualform, documents, fonts, pdf

logger = logging.getLogger(__name__)

KIND = "personal_zip"
ANNUAL_KIND = "annual_forms_zip"
KINDS = (KIND, ANNUAL_KIND)
ACTIVE = (ReportJobStatus.PENDING, ReportJobStatus.RUNNING)
PROGRESS_EVERY = 0.5  # seconds between progress writes: SQLite has one writer at a time
KEEP_DAYS = 30  # ZIP files of older jobs are deleted by the pruning (each job, and daily)
# A running job writes its heartbeat with every form; silent this long, its worker is gone
# (killed, the machine restarted) and the job is failed so the quarter can be made again.
STALLED = timezone.timedelta(minutes=5)
# A job still waiting this long says so: the worker may not be running.
WAITING_NOTE_AFTER = timezone.timedelta(minutes=1)
# The worker shares the machine with the web server: people clicking come first.
NICENESS = 10
# Where the ZIPs live in the storage: reports/job-<id>-<period>.zip.
FOLDER = "reports"
JOB_FILE = re.compile(r"^job-(?P<id>\d+)-[^/]*\.zip$")


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
    # The task worker's signal handlers are inherited by the fork; its SIGTERM handler waits
    # for "the task in hand" and so would ignore the pool's own terminate() for good. A
    # renderer ends on SIGTERM, and leaves Ctrl-C to the process that forked it.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
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


class JobFailed(Exception):
    """Raised by the task after the job was marked failed, so the task result fails too."""


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
    """The job making this period's ZIP: the one already under way, or a new one queued.

    ``kind`` :data:`ANNUAL_KIND`: the ZIP of ``period.year``'s 年度考核登记表. The job and its
    task are written in one transaction: there is never a job without a task to do it, nor a
    task without its job.
    """
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
        result = make_zip.enqueue(job.pk)
        ReportJob.objects.filter(pk=job.pk).update(task_id=result.id)
    job.refresh_from_db()
    return job, True


def lower_priority() -> None:
    """Run this process (and the workers it forks) at :data:`NICENESS`, below the web server."""
    current = os.nice(0)
    if current < NICENESS:
        os.nice(NICENESS - current)


def _task_failure(job: ReportJob) -> str | None:
    """Why the job's task failed or vanished before the job could say so itself, if it did."""
    if not job.task_id:
        return None
    backend = make_zip.get_backend()
    if not backend.supports_get_result:
        return None
    try:
        result = make_zip.get_result(job.task_id)
    except TaskResultDoesNotExist:
        return _("The background task of this job was deleted before it ran. Try again.")
    if result.status != TaskResultStatus.FAILED:
        return None
    error = result.errors[-1].exception_class_path.rpartition(".")[2] if result.errors else ""
    return _(
        "The background task stopped with an error (%(error)s) before the ZIP was made. Try "
        "again; if it fails again, tell the administrator."
    ) % {"error": error or "?"}


def refresh(job: ReportJob) -> ReportJob:
    """The job as it stands; one whose worker died or whose task failed is marked failed."""
    if job.status not in ACTIVE:
        return job
    reason = _task_failure(job)
    if reason is None and job.status == ReportJobStatus.RUNNING:
        beat = job.heartbeat_at or job.started_at or job.created_at
        if timezone.now() - beat > STALLED:
            reason = _(
                "The background worker stopped before the ZIP was finished (it was stopped or "
                "its machine restarted). Try again."
            )
    if reason is None:
        return job
    # Only if still active: the job may have finished since it was read.
    ReportJob.objects.filter(pk=job.pk, status__in=ACTIVE).update(
        status=ReportJobStatus.FAILED, error=reason, finished_at=timezone.now()
    )
    job.refresh_from_db()
    return job


def is_waiting_long(job: ReportJob) -> bool:
    """Still queued after :data:`WAITING_NOTE_AFTER`: the worker may not be running."""
    return (
        job.status == ReportJobStatus.PENDING
        and timezone.now() - job.created_at > WAITING_NOTE_AFTER
    )


def stored_file(job: ReportJob) -> str | None:
    """The name of the job's ZIP in the storage, if it is done and the file is still there."""
    if job.status != ReportJobStatus.DONE or not job.file:
        return None
    return job.file if default_storage.exists(job.file) else None


def prune() -> int:
    """Delete the ZIPs of jobs finished more than KEEP_DAYS ago, and any ZIP no job names.

    The job records stay (their pages say the file is gone). Returns how many files went.
    """
    cutoff = timezone.now() - timezone.timedelta(days=KEEP_DAYS)
    deleted = 0
    for old in ReportJob.objects.filter(finished_at__lt=cutoff).exclude(file=""):
        default_storage.delete(old.file)
        ReportJob.objects.filter(pk=old.pk).update(file="")
        deleted += 1
    try:
        _folders, names = default_storage.listdir(FOLDER)
    except FileNotFoundError:
        return deleted
    kept = set(ReportJob.objects.exclude(file="").values_list("file", flat=True))
    # A running job's ZIP may be saved and not yet recorded: never an active job's file.
    busy = {
        str(pk) for pk in ReportJob.objects.filter(status__in=ACTIVE).values_list("pk", flat=True)
    }
    for name in names:
        path = f"{FOLDER}/{name}"
        match = JOB_FILE.match(name)
        if match and path not in kept and match["id"] not in busy:
            default_storage.delete(path)
            deleted += 1
    return deleted


def run(job_id: int, *, workers: int | None = None) -> ReportJob:
    """Do the job (on the worker): render, store the ZIP, record progress; once only."""
    job = ReportJob.objects.select_related("period").get(pk=job_id)
    if job.status != ReportJobStatus.PENDING:
        return job
    now = timezone.now()
    ReportJob.objects.filter(pk=job.pk).update(
        status=ReportJobStatus.RUNNING, started_at=now, heartbeat_at=now
    )
    last = [0.0]

    def progress(done: int, total: int) -> None:
        moment = timezone.now()
        if done in (0, total) or moment.timestamp() - last[0] >= PROGRESS_EVERY:
            last[0] = moment.timestamp()
            ReportJob.objects.filter(pk=job.pk).update(done=done, total=total, heartbeat_at=moment)

    made = str(job.period.year) if job.kind == ANNUAL_KIND else job.period.code
    name = f"{FOLDER}/job-{job.pk}-{made}.zip"
    with translation.override(pdf.LANGUAGE), tempfile.TemporaryDirectory() as scratch:
        target = Path(scratch) / Path(name).name
        try:
            count = builder(job.kind)(job.period, target, workers=workers, progress=progress)
            with target.open("rb") as made_zip:
                saved = default_storage.save(name, File(made_zip, name=target.name))
        except ReportError as error:
            _fail(job, error.message)
        except BaseException as error:
            logger.exception("report job %s failed", job.pk)
            _fail(
                job,
                _(
                    "The ZIP could not be made because of an unexpected error (%(error)s). Try "
                    "again; if it fails again, tell the administrator (the details are in the "
                    "worker's log)."
                )
                % {"error": type(error).__name__},
            )
            if not isinstance(error, Exception):
                raise  # the worker is being stopped: let it stop
        else:
            ReportJob.objects.filter(pk=job.pk).update(
                status=ReportJobStatus.DONE,
                done=count,
                total=count,
                file=saved,
                finished_at=timezone.now(),
                heartbeat_at=timezone.now(),
            )
    job.refresh_from_db()
    return job


def _fail(job: ReportJob, message: str) -> None:
    ReportJob.objects.filter(pk=job.pk).update(
        status=ReportJobStatus.FAILED, error=message, finished_at=timezone.now()
    )


@task()
def make_zip(job_id: int) -> dict:
    """The task behind a :class:`ReportJob`: prune old files, then make this job's ZIP.

    A failed job makes the task fail too (:class:`JobFailed`), so the task's own record
    (admin, ``prune_db_task_results``) tells the same story as the job's page.
    """
    lower_priority()
    prune()
    job = run(job_id)
    if job.status == ReportJobStatus.FAILED:
        raise JobFailed(job.error)
    return {"job": job.pk, "status": job.status, "forms": job.done}
