"""A quarter's personal forms as one ZIP: the file, the background job and its pages."""

import datetime as dt
import io
import json
import os
import subprocess
import threading
import time
import zipfile

import pytest
import time_machine
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from efficiency import results
from efficiency.models import ReportJob, ReportJobStatus
from efficiency.reports import ReportError, documents, zipjob

from .conftest import PERSONAS, login
from .factories import ensure_default_criteria
from .report_support import quarter

SEES_RESULTS = {"leader", "administrator"}
NAMES = [
    "001000-刘科长-2026Q3.pdf",
    "001001-王建国-2026Q3.pdf",
    "001002-李秀英-2026Q3.pdf",
    "001009-陈文书-2026Q3.pdf",
    "002000-孙科长-2026Q3.pdf",
    "002001-赵志强-2026Q3.pdf",
    "002009-周文书-2026Q3.pdf",
    "005001-郑督查-2026Q3.pdf",
]


@pytest.fixture
def period(office):
    return quarter(office)


@pytest.fixture
def output(tmp_path, settings):
    """The default storage in a folder of the test's own; the ZIPs go to its reports/."""
    settings.MEDIA_ROOT = tmp_path / "files"
    return tmp_path / "files" / "reports"


@pytest.fixture
def queued(settings):
    """Tasks only queued (in memory), never run: a job stays waiting for its worker."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def database_queue(settings):
    """Tasks queued as rows of the database backend, as in production (no worker runs)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


# --- the file --------------------------------------------------------------------------------


@pytest.mark.parametrize("workers", [1, 2])
def test_the_zip_holds_one_form_per_person_named_staff_no_name_period(period, tmp_path, workers):
    target = tmp_path / "forms.zip"
    seen = []
    count = zipjob.build_zip(
        period, target, workers=workers, progress=lambda done, total: seen.append((done, total))
    )
    assert count == 8
    with zipfile.ZipFile(target) as archive:
        assert sorted(archive.namelist()) == NAMES
        for name in archive.namelist():
            assert archive.read(name).startswith(b"%PDF-")
    assert seen[0] == (0, 8) and seen[-1] == (8, 8)
    assert not (tmp_path / "forms.zip.part").exists()


def test_the_zip_forms_carry_the_same_numbers_as_one_form(period, tmp_path):
    target = tmp_path / "forms.zip"
    zipjob.build_zip(period, target, workers=1)
    row = results.ranking(period, results.STAFF).row("001001")
    with zipfile.ZipFile(target) as archive:
        (tmp_path / "one.pdf").write_bytes(archive.read("001001-王建国-2026Q3.pdf"))
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "one.pdf"), "-"], capture_output=True, text=True
    ).stdout
    assert f"{row.result.final:.2f}" in text
    assert f"{row.result.base:.2f}" in text


def test_the_batch_trend_is_the_trend_of_staff_trend(office):
    quarter(office, "2026Q1", "locked", incidents=False)
    quarter(office, "2026Q2", "closed", incidents=False)
    period = quarter(office, "2026Q3", "closed")
    batch = dict(documents.personal_contexts(period))
    for name, context in batch.items():
        staff = context["staff"]
        single = documents.personal_context(period, staff)
        assert context["trend"] == single["trend"], name
        assert len(single["trend"]) == 3


# --- the job (tasks run at once here: the immediate backend, tests/conftest.py) ------------


def test_a_leader_starts_the_job_follows_it_and_downloads_the_zip(office, period, output):
    client = login(office.leader)
    response = client.post("/reports/2026Q3/personal.zip")
    job = ReportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/reports/jobs/{job.pk}/"
    assert job.status == ReportJobStatus.DONE
    assert (job.done, job.total) == (8, 8)
    assert job.requested_by == office.leader
    assert job.task_id
    assert job.file == f"reports/job-{job.pk}-2026Q3.zip"
    assert (output / f"job-{job.pk}-2026Q3.zip").is_file()
    page = client.get(response["Location"])
    assert page.status_code == 200
    status = json.loads(client.get(f"/reports/jobs/{job.pk}/status.json").content)
    assert status == {
        "id": job.pk,
        "status": "done",
        "label": "已完成",
        "done": 8,
        "total": 8,
        "percent": 100,
        "error": "",
        "note": "",
        "download": f"/reports/jobs/{job.pk}/download/",
        "retry": "",
        "finished": True,
    }
    download = client.get(status["download"])
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    assert "attachment" in download["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content))) as archive:
        assert sorted(archive.namelist()) == NAMES
    listing = client.get("/reports/jobs/").content.decode()
    assert f"/reports/jobs/{job.pk}/download/" in listing


def test_starting_again_while_a_job_waits_gives_that_job(office, period, output, queued):
    client = login(office.leader)
    first = client.post("/reports/2026Q3/personal.zip")
    second = client.post("/reports/2026Q3/personal.zip")
    assert first["Location"] == second["Location"]
    job = ReportJob.objects.get()
    assert job.task_id
    status = json.loads(client.get(f"/reports/jobs/{job.pk}/status.json").content.decode())
    assert status["status"] == "pending" and status["finished"] is False
    assert status["download"] == "" and status["retry"] == ""
    assert client.get(f"/reports/jobs/{job.pk}/download/").status_code == 404


def test_starting_queues_the_job_and_its_task_together(office, period, output, database_queue):
    job, started = zipjob.start(period=period, user=office.leader)
    assert started and job.status == ReportJobStatus.PENDING
    task = DBTaskResult.objects.get()
    assert str(task.id) == job.task_id
    assert task.task_path == "efficiency.reports.zipjob.make_zip"
    assert task.args_kwargs == {"args": [job.pk], "kwargs": {}}
    assert task.status == "READY"


@pytest.mark.parametrize("role", PERSONAS)
def test_only_view_results_may_start_see_and_download_jobs(office, period, role, output):
    job = ReportJob.objects.create(kind=zipjob.KIND, period=period, requested_by=office.leader)
    zipjob.run(job.pk, workers=1)
    client = login(getattr(office, role))
    expected = 200 if role in SEES_RESULTS else 403
    assert client.get("/reports/jobs/").status_code == expected
    assert client.get(f"/reports/jobs/{job.pk}/").status_code == expected
    assert client.get(f"/reports/jobs/{job.pk}/status.json").status_code == expected
    assert client.get(f"/reports/jobs/{job.pk}/download/").status_code == expected
    response = client.post("/reports/2026Q3/personal.zip")
    assert response.status_code == (302 if role in SEES_RESULTS else 403)
    assert client.post(f"/reports/jobs/{job.pk}/retry/").status_code == (
        302 if role in SEES_RESULTS else 403
    )


def test_a_refused_job_keeps_the_reason_and_its_task_fails_too(office, period, output):
    def refuse(*args, **kwargs):
        raise ReportError("没有中文字体。")

    job = ReportJob.objects.create(kind=zipjob.KIND, period=period)
    original = zipjob.build_zip
    zipjob.build_zip = refuse
    try:
        result = zipjob.make_zip.enqueue(job.pk)
    finally:
        zipjob.build_zip = original
    job.refresh_from_db()
    assert job.status == ReportJobStatus.FAILED
    assert job.error == "没有中文字体。"
    assert job.finished_at is not None
    assert result.status == "FAILED"
    assert result.errors[0].exception_class_path == "efficiency.reports.zipjob.JobFailed"


def test_an_unexpected_error_is_explained_in_chinese_and_can_be_retried(
    office, period, output, monkeypatch
):
    def crash(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(zipjob, "build_zip", crash)
    client = login(office.leader)
    response = client.post("/reports/2026Q3/personal.zip")
    job = ReportJob.objects.get()
    assert job.status == ReportJobStatus.FAILED
    assert job.error == (
        "ZIP 因意外错误（MemoryError）未能生成。请重试；如果再次失败，请告知系统管理员"
        "（详情记在后台任务进程的日志里）。"
    )
    page = client.get(response["Location"]).content.decode()
    assert job.error in page
    assert f'action="/reports/jobs/{job.pk}/retry/"' in page
    assert "重试" in page
    monkeypatch.undo()
    retried = client.post(f"/reports/jobs/{job.pk}/retry/")
    again = ReportJob.objects.exclude(pk=job.pk).get()
    assert retried["Location"] == f"/reports/jobs/{again.pk}/"
    assert again.status == ReportJobStatus.DONE and again.requested_by == office.leader
    job.refresh_from_db()
    assert job.status == ReportJobStatus.FAILED  # the failed one stays as it was
    # retrying a job that did not fail makes nothing new
    assert client.post(f"/reports/jobs/{again.pk}/retry/")["Location"] == (
        f"/reports/jobs/{again.pk}/"
    )
    assert ReportJob.objects.count() == 2


def test_a_job_runs_once(office, period, output):
    job = ReportJob.objects.create(kind=zipjob.KIND, period=period)
    job = zipjob.run(job.pk, workers=1)
    assert job.status == ReportJobStatus.DONE
    made = output / f"job-{job.pk}-2026Q3.zip"
    before = (made.read_bytes(), made.stat().st_mtime_ns, job.finished_at, job.file)
    job = zipjob.run(job.pk, workers=1)
    assert (made.read_bytes(), made.stat().st_mtime_ns, job.finished_at, job.file) == before
    assert sorted(p.name for p in output.iterdir()) == [made.name]


# --- a job never blocks its quarter ----------------------------------------------------------


def test_a_running_job_whose_worker_died_is_failed_after_its_heartbeat_stops(
    office, period, output
):
    beat = dt.datetime(2026, 10, 8, 9, 0, tzinfo=dt.UTC)
    job = ReportJob.objects.create(
        kind=zipjob.KIND,
        period=period,
        status=ReportJobStatus.RUNNING,
        total=8,
        done=3,
        started_at=beat,
        heartbeat_at=beat,
    )
    client = login(office.leader)
    url = f"/reports/jobs/{job.pk}/status.json"
    with time_machine.travel(beat + dt.timedelta(minutes=4), tick=False):
        assert json.loads(client.get(url).content)["status"] == "running"
        assert zipjob.active_job(period) == job
    with time_machine.travel(beat + dt.timedelta(minutes=6), tick=False):
        status = json.loads(client.get(url).content)
        assert zipjob.active_job(period) is None
    assert status["status"] == "failed"
    assert status["error"] == (
        "后台任务进程在 ZIP 生成完成之前已停止（被停止或机器重启）。请重试。"
    )
    assert status["finished"] is True
    assert status["retry"] == f"/reports/jobs/{job.pk}/retry/"


def test_a_task_that_failed_before_its_job_could_say_so_fails_the_job(
    office, period, output, database_queue
):
    job, _started = zipjob.start(period=period, user=office.leader)
    DBTaskResult.objects.filter(pk=job.task_id).update(
        status="FAILED", exception_class_path="builtins.SystemExit", traceback="..."
    )
    status = json.loads(login(office.leader).get(f"/reports/jobs/{job.pk}/status.json").content)
    assert status["status"] == "failed"
    assert status["error"] == (
        "后台任务出错（SystemExit），ZIP 没有生成。请重试；如果再次失败，请告知系统管理员。"
    )
    other, _ = zipjob.start(period=period, user=office.leader)
    DBTaskResult.objects.filter(pk=other.task_id).delete()
    assert zipjob.refresh(other).error == "这项任务的后台任务在运行之前已被删除。请重试。"


def test_a_job_waiting_for_the_worker_says_so_after_a_minute(office, period, output, queued):
    created = dt.datetime(2026, 10, 8, 9, 0, tzinfo=dt.UTC)
    client = login(office.leader)
    with time_machine.travel(created, tick=False):
        job, _started = zipjob.start(period=period, user=office.leader)
    url = f"/reports/jobs/{job.pk}/status.json"
    with time_machine.travel(created + dt.timedelta(seconds=50), tick=False):
        assert json.loads(client.get(url).content)["note"] == ""
    with time_machine.travel(created + dt.timedelta(minutes=30), tick=False):
        status = json.loads(client.get(url).content)
        page = client.get(f"/reports/jobs/{job.pk}/").content.decode()
        # still the quarter's job: it runs as soon as a worker does
        assert zipjob.start(period=period, user=office.leader) == (job, False)
    assert status["status"] == "pending"
    assert "manage.py db_worker" in status["note"] and status["note"] in page


def test_old_and_orphaned_zips_are_pruned_by_the_next_job(office, period, output):
    now = timezone.now()
    old_day = now - dt.timedelta(days=zipjob.KEEP_DAYS + 1)
    output.mkdir(parents=True)
    old = ReportJob.objects.create(
        kind=zipjob.KIND, period=period, status=ReportJobStatus.DONE, finished_at=old_day
    )
    recent = ReportJob.objects.create(
        kind=zipjob.KIND, period=period, status=ReportJobStatus.DONE, finished_at=now
    )
    other = quarter(office, "2026Q2", "closed", incidents=False)
    running = ReportJob.objects.create(
        kind=zipjob.KIND, period=other, status=ReportJobStatus.RUNNING, heartbeat_at=now
    )
    names = {
        f"job-{old.pk}-2026Q3.zip": False,  # finished long ago
        f"job-{recent.pk}-2026Q3.zip": True,  # its job's file
        f"job-{recent.pk}-2026Q3_x1.zip": False,  # named by no job
        f"job-{running.pk}-2026Q2.zip": True,  # being saved by a running job
        "job-999999-2026Q1.zip": False,  # its job is gone
        "notes.txt": True,  # not a job's file
    }
    for name in names:
        (output / name).write_bytes(b"PK")
    ReportJob.objects.filter(pk=old.pk).update(file=f"reports/job-{old.pk}-2026Q3.zip")
    ReportJob.objects.filter(pk=recent.pk).update(file=f"reports/job-{recent.pk}-2026Q3.zip")
    job, _started = zipjob.start(period=period, user=office.leader)
    made = f"job-{job.pk}-2026Q3.zip"
    assert {p.name for p in output.iterdir()} == {n for n, kept in names.items() if kept} | {made}
    old.refresh_from_db()
    assert old.file == ""
    page = login(office.leader).get(f"/reports/jobs/{old.pk}/")
    assert f"/reports/jobs/{old.pk}/download/" not in page.content.decode()


def test_the_task_runs_below_the_web_server(office, period, output, monkeypatch):
    calls = []
    monkeypatch.setattr(zipjob, "lower_priority", lambda: calls.append("lower_priority"))
    monkeypatch.setattr(zipjob, "prune", lambda: calls.append("prune"))
    monkeypatch.setattr(zipjob, "run", lambda job_id: calls.append("run") or job)
    job = ReportJob.objects.create(kind=zipjob.KIND, period=period, status=ReportJobStatus.DONE)
    zipjob.make_zip.enqueue(job.pk)
    assert calls == ["lower_priority", "prune", "run"]


def test_lower_priority_sets_the_niceness_of_the_process_and_its_workers():
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child reports through the pipe
        try:
            zipjob.lower_priority()
            zipjob.lower_priority()  # twice changes nothing
            worker = os.fork()
            if worker == 0:
                os.write(write, f"{os.nice(0)}\n".encode())
                os._exit(0)
            os.waitpid(worker, 0)
            os.write(write, f"{os.nice(0)}\n".encode())
        finally:
            os._exit(0)
    os.close(write)
    os.waitpid(child, 0)
    with os.fdopen(read) as pipe:
        lines = pipe.read().split()
    before = os.nice(0)
    assert lines == [str(max(before, zipjob.NICENESS))] * 2


@pytest.fixture
def criteria(transactional_db):
    ensure_default_criteria()


@pytest.mark.django_db(transaction=True)
def test_leaders_starting_the_same_zip_at_once_get_one_job(
    office, criteria, output, database_queue, monkeypatch
):
    """Real threads, real transactions (run it on PostgreSQL too: scripts/with-postgres.sh)."""
    period = quarter(office)
    leaders = 4
    looked_up = zipjob.active_job

    def slow_lookup(period, *args):
        job = looked_up(period, *args)
        time.sleep(0.2)  # widen the gap between seeing no job and creating one
        return job

    monkeypatch.setattr(zipjob, "active_job", slow_lookup)
    barrier = threading.Barrier(leaders)
    outcomes: list[object] = [None] * leaders

    def click(n: int) -> None:
        try:
            barrier.wait()
            job, started = zipjob.start(period=period, user=office.leader)
            outcomes[n] = (job.pk, started)
        except Exception as error:  # reported by the assertion below
            outcomes[n] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=click, args=(n,)) for n in range(leaders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    job = ReportJob.objects.get()
    assert sorted(outcomes, key=lambda o: not o[1]) == [(job.pk, True)] + [(job.pk, False)] * (
        leaders - 1
    )
    assert [str(pk) for pk in DBTaskResult.objects.values_list("pk", flat=True)] == [job.task_id]


def test_the_reports_page_offers_a_new_zip_when_the_last_lost_its_worker(office, period, output):
    beat = dt.datetime(2026, 10, 8, 9, 0, tzinfo=dt.UTC)
    job = ReportJob.objects.create(
        kind=zipjob.KIND,
        period=period,
        requested_by=office.leader,
        status=ReportJobStatus.RUNNING,
        heartbeat_at=beat,
    )
    client = login(office.leader)
    with time_machine.travel(beat + dt.timedelta(minutes=1), tick=False):
        page = client.get("/reports/2026Q3/").content.decode()
    assert f'href="/reports/jobs/{job.pk}/"' in page
    assert 'action="/reports/2026Q3/personal.zip"' not in page
    with time_machine.travel(beat + dt.timedelta(minutes=10), tick=False):
        page = client.get("/reports/2026Q3/").content.decode()
    assert f'href="/reports/jobs/{job.pk}/"' not in page
    assert 'action="/reports/2026Q3/personal.zip"' in page
    job.refresh_from_db()
    assert job.status == ReportJobStatus.FAILED
