"""Background work on django-tasks: the daily tasks, their queue, and the real worker.

Most tests run tasks at once (the immediate backend, tests/conftest.py); those about the queue
use the database backend as production does, and one runs ``manage.py db_worker`` itself, as
its own process, against the test database.
"""

import datetime as dt
import os
import subprocess
import sys
import zipfile
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from efficiency import tasks
from efficiency.models import Reminder, ReportJob, ReportJobStatus
from efficiency.reports import zipjob
from efficiency.services import appraisal

from .factories import ensure_default_criteria
from .report_support import quarter

D = dt.date
ROOT = Path(django_settings.BASE_DIR)


@pytest.fixture
def database_queue(db, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def q4(office):
    return appraisal.period_open(
        actor=office.leader, code="2026Q4", summary_due=D(2027, 1, 15), marks_due=D(2027, 1, 22)
    )


def test_the_reminders_task_reminds_those_behind_once(office, q4):
    assert tasks.send_reminders.enqueue("2027-01-12").return_value == 0
    sent = tasks.send_reminders.enqueue("2027-01-13").return_value
    assert sent > 0
    assert Reminder.objects.count() == sent
    assert Reminder.objects.filter(to_user=office.named, kind="summary", sent_by=None).exists()
    assert tasks.send_reminders.enqueue("2027-01-13").return_value == 0  # once per deadline


def test_enqueue_daily_queues_the_reminders_of_that_day_and_the_pruning(database_queue):
    out = StringIO()
    call_command("enqueue_daily", "--date", "2027-01-13", stdout=out)
    assert "2027-01-13：已为后台任务进程（manage.py db_worker）排入 3 项任务。" in out.getvalue()
    queued = {r.task_path: r.args_kwargs for r in DBTaskResult.objects.all()}
    assert queued == {
        "efficiency.tasks.send_reminders": {"args": ["2027-01-13"], "kwargs": {}},
        "efficiency.tasks.prune": {"args": [], "kwargs": {}},
        "efficiency.tasks.backup": {"args": [], "kwargs": {}},
    }
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"READY"}


def test_enqueue_daily_defaults_to_today_and_refuses_a_bad_date_in_chinese(database_queue):
    call_command("enqueue_daily", stdout=StringIO())
    assert DBTaskResult.objects.get(task_path="efficiency.tasks.send_reminders").args_kwargs[
        "args"
    ] == [timezone.localdate().isoformat()]
    with pytest.raises(CommandError, match="--date “2027-02-30” 不是有效日期"):
        call_command("enqueue_daily", "--date", "2027-02-30")


def test_prune_deletes_old_task_results_and_old_zips(office, database_queue, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    period = quarter(office, incidents=False)
    old_day = timezone.now() - dt.timedelta(days=tasks.KEEP_RESULTS_DAYS + 1)
    old_job = ReportJob.objects.create(
        kind=zipjob.KIND,
        period=period,
        status=ReportJobStatus.DONE,
        finished_at=old_day,
        file="reports/job-1-2026Q3.zip",
    )
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "job-1-2026Q3.zip").write_bytes(b"PK")
    old, recent, waiting = (tasks.prune.enqueue() for _ in range(3))
    DBTaskResult.objects.filter(pk=old.id).update(status="SUCCESSFUL", finished_at=old_day)
    DBTaskResult.objects.filter(pk=recent.id).update(status="FAILED", finished_at=timezone.now())
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    assert tasks.prune.enqueue().return_value == {"files": 1, "task_results": 1}
    assert {str(pk) for pk in DBTaskResult.objects.values_list("pk", flat=True)} == {
        recent.id,
        waiting.id,
    }
    old_job.refresh_from_db()
    assert old_job.file == ""
    assert not (tmp_path / "reports" / "job-1-2026Q3.zip").exists()


# --- the real worker ----------------------------------------------------------------------


@pytest.fixture
def criteria(transactional_db):
    ensure_default_criteria()


def database_url() -> str:
    """The test database as DATABASE_URL, for a process of its own."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    login = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{login}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_the_db_worker_process_makes_the_zip_a_leader_started(
    office, criteria, database_queue, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "files"
    period = quarter(office)
    job, started = zipjob.start(period=period, user=office.leader)
    assert started and job.status == ReportJobStatus.PENDING
    try:
        worker = subprocess.run(
            [
                sys.executable,
                "manage.py",
                "db_worker",
                "--batch",
                "--no-reload",
                "--no-startup-delay",
                "--interval",
                "0",
            ],
            cwd=ROOT,
            env={
                **os.environ,
                "DATABASE_URL": database_url(),
                "MEDIA_ROOT": str(tmp_path / "files"),
                "DEBUG": "false",
            },
            capture_output=True,
            text=True,
            timeout=180,
        )
    except subprocess.TimeoutExpired as stuck:
        pytest.fail(f"the worker did not finish: {stuck.stdout} {stuck.stderr}")
    assert worker.returncode == 0, worker.stdout + worker.stderr
    job.refresh_from_db()
    assert job.status == ReportJobStatus.DONE, job.error + worker.stdout + worker.stderr
    assert (job.done, job.total) == (8, 8)
    assert job.heartbeat_at is not None and job.started_at is not None
    task = DBTaskResult.objects.get(pk=job.task_id)
    assert task.status == "SUCCESSFUL"
    assert task.return_value == {"job": job.pk, "status": "done", "forms": 8}
    with zipfile.ZipFile(tmp_path / "files" / job.file) as archive:
        assert len(archive.namelist()) == 8


def test_the_nightly_backup_task_writes_an_archive_and_keeps_the_newest(
    settings, tmp_path, monkeypatch
):
    # The archive itself is tested through real processes in test_backup; here, the task's part:
    # where it writes, and the retention rule after it.
    settings.BACKUP_DIR = tmp_path
    settings.BACKUP_KEEP = 2
    older = [tmp_path / f"efficiency-backup-2026010{day}-020000.tar.gz" for day in (1, 2)]
    for path in older:
        path.write_bytes(b"old")

    def create(target):
        target.write_bytes(b"new")
        return {"counts": {"efficiency.AuditEvent": 7}}

    monkeypatch.setattr(tasks.archive, "create", create)
    result = tasks.backup.enqueue().return_value
    archives = sorted(path.name for path in tmp_path.glob("efficiency-backup-*.tar.gz"))
    # The new archive and the newest old one stay; the oldest is gone.
    assert archives == [older[1].name, result["file"]]
    assert (tmp_path / result["file"]).read_bytes() == b"new"
    assert result == {"file": result["file"], "history": 7, "deleted": [older[0].name]}
