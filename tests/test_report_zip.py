"""A quarter's personal forms as one ZIP: the file, the background job and its pages."""

import datetime as dt
import errno
import io
import json
import os
import subprocess
import sys
import threading
import time
import zipfile

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

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
    settings.REPORT_OUTPUT_DIR = tmp_path / "reports"
    return tmp_path / "reports"


@pytest.fixture
def inline_jobs(monkeypatch, output):
    """Run a started job at once, in this process, instead of a detached one."""
    monkeypatch.setattr(zipjob, "launch", lambda job: zipjob.run(job.pk, workers=1))


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


# --- the job ---------------------------------------------------------------------------------


def test_a_leader_starts_the_job_follows_it_and_downloads_the_zip(office, period, inline_jobs):
    client = login(office.leader)
    response = client.post("/reports/2026Q3/personal.zip")
    job = ReportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/reports/jobs/{job.pk}/"
    assert job.status == ReportJobStatus.DONE
    assert (job.done, job.total) == (8, 8)
    assert job.requested_by == office.leader
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
        "download": f"/reports/jobs/{job.pk}/download/",
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


def test_starting_again_while_a_job_runs_gives_that_job(office, period, output, monkeypatch):
    started = []
    monkeypatch.setattr(zipjob, "launch", started.append)
    client = login(office.leader)
    first = client.post("/reports/2026Q3/personal.zip")
    second = client.post("/reports/2026Q3/personal.zip")
    assert first["Location"] == second["Location"]
    assert ReportJob.objects.count() == 1 and len(started) == 1
    status = json.loads(client.get(f"/reports/jobs/{started[0].pk}/status.json").content.decode())
    assert status["status"] == "pending" and status["finished"] is False
    assert status["download"] == ""
    assert client.get(f"/reports/jobs/{started[0].pk}/download/").status_code == 404


@pytest.mark.parametrize("role", PERSONAS)
def test_only_view_results_may_start_see_and_download_jobs(office, period, role, inline_jobs):
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


def test_launch_starts_a_detached_run_report_job(office, period, output, monkeypatch):
    calls = []

    class FakeProcess:
        pid = 424242

        def wait(self):
            return 0

    def fake_popen(args, **kwargs):
        calls.append((args, kwargs))
        return FakeProcess()

    monkeypatch.setattr(subprocess, "Popen", fake_popen)
    job = ReportJob.objects.create(kind=zipjob.KIND, period=period)
    zipjob.launch(job)
    ((args, kwargs),) = calls
    assert args[0] == sys.executable
    assert args[-2:] == ["run_report_job", str(job.pk)]
    assert kwargs["start_new_session"] is True
    assert (output / f"job-{job.pk}.pid").read_text() == "424242"
    assert (output / f"job-{job.pk}.log").exists()


def test_a_job_whose_process_died_is_marked_failed(office, period, output):
    job = ReportJob.objects.create(
        kind=zipjob.KIND, period=period, status=ReportJobStatus.RUNNING, total=8, done=3
    )
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    output.mkdir(parents=True, exist_ok=True)
    (output / f"job-{job.pk}.pid").write_text(str(dead.pid))
    status = json.loads(
        login(office.leader).get(f"/reports/jobs/{job.pk}/status.json").content.decode()
    )
    assert status["status"] == "failed"
    assert status["error"] == "后台进程在 ZIP 生成完成之前已停止，请重新生成。"
    assert status["finished"] is True


def test_a_refused_job_keeps_the_reason(office, period, output, monkeypatch):
    def refuse(*args, **kwargs):
        raise ReportError("没有中文字体。")

    monkeypatch.setattr(zipjob, "build_zip", refuse)
    job = ReportJob.objects.create(kind=zipjob.KIND, period=period)
    job = zipjob.run(job.pk, workers=1)
    assert job.status == ReportJobStatus.FAILED
    assert job.error == "没有中文字体。"
    assert job.finished_at is not None


def test_run_report_job_does_a_waiting_job(office, period, output, capsys):
    job = ReportJob.objects.create(kind=zipjob.KIND, period=period)
    call_command("run_report_job", str(job.pk), "--workers", "1")
    job.refresh_from_db()
    assert job.status == ReportJobStatus.DONE
    assert zipjob.file_path(job) is not None
    assert "报表任务" in capsys.readouterr().out
    # a job runs once: running it again changes nothing
    made = zipjob.file_path(job)
    before = (made.read_bytes(), made.stat().st_mtime_ns, job.finished_at, job.status)
    call_command("run_report_job", str(job.pk))
    job.refresh_from_db()
    again = zipjob.file_path(job)
    assert again == made
    assert (made.read_bytes(), made.stat().st_mtime_ns, job.finished_at, job.status) == before
    assert ReportJob.objects.count() == 1
    with pytest.raises(CommandError) as missing:
        call_command("run_report_job", "999")
    assert str(missing.value) == "报表任务 999 不存在。"


def test_old_zip_files_are_pruned_when_a_new_job_starts(office, period, output, monkeypatch):
    monkeypatch.setattr(zipjob, "launch", lambda job: None)
    output.mkdir(parents=True, exist_ok=True)
    old = ReportJob.objects.create(
        kind=zipjob.KIND,
        period=period,
        status=ReportJobStatus.DONE,
        file="job-old.zip",
        finished_at=timezone.now() - timezone.timedelta(days=zipjob.KEEP_DAYS + 1),
    )
    (output / "job-old.zip").write_bytes(b"PK")
    zipjob.start(period=period, user=office.leader)
    old.refresh_from_db()
    assert old.file == ""
    assert not (output / "job-old.zip").exists()


# --- a job never blocks its quarter ----------------------------------------------------------


def test_a_job_that_cannot_be_launched_is_failed_with_the_reason(
    office, period, output, monkeypatch
):
    def no_more_processes(*args, **kwargs):
        raise BlockingIOError(errno.EAGAIN, "Resource temporarily unavailable")

    monkeypatch.setattr(subprocess, "Popen", no_more_processes)
    client = login(office.leader)
    response = client.post("/reports/2026Q3/personal.zip")
    job = ReportJob.objects.get()
    assert response["Location"] == f"/reports/jobs/{job.pk}/"
    assert job.status == ReportJobStatus.FAILED
    assert job.error == (
        "后台进程无法启动（Resource temporarily unavailable），没有生成任何文件；请告知系统管理员。"
    )
    assert job.finished_at is not None
    page = client.get(response["Location"]).content.decode()
    assert job.error in page
    assert "正在生成" not in page
    # the quarter is not blocked: the next click starts a new job
    monkeypatch.setattr(zipjob, "launch", lambda job: None)
    client.post("/reports/2026Q3/personal.zip")
    assert ReportJob.objects.count() == 2
    assert ReportJob.objects.filter(status=ReportJobStatus.PENDING).count() == 1


def test_a_pending_job_with_no_process_after_a_minute_is_failed(office, period, output):
    created = dt.datetime(2026, 10, 8, 9, 0, tzinfo=dt.UTC)
    client = login(office.leader)
    with time_machine.travel(created, tick=False):
        job = ReportJob.objects.create(kind=zipjob.KIND, period=period, requested_by=office.leader)
    url = f"/reports/jobs/{job.pk}/status.json"
    with time_machine.travel(created + dt.timedelta(seconds=50), tick=False):
        assert json.loads(client.get(url).content)["status"] == "pending"
        assert zipjob.start(period=period, user=office.leader) == (job, False)
    with time_machine.travel(created + dt.timedelta(seconds=61), tick=False):
        status = json.loads(client.get(url).content)
    assert status["status"] == "failed"
    assert status["error"] == "后台进程一直没有启动，请重新生成 ZIP。"
    assert status["finished"] is True


def test_a_job_run_by_hand_says_which_process_runs_it(office, period, output, monkeypatch):
    seen = []

    def build(period, target, **kwargs):
        seen.append((output / f"job-{job.pk}.pid").read_text())
        job.refresh_from_db()
        seen.append(zipjob.refresh(job).status)
        target.write_bytes(b"PK")
        return 0

    monkeypatch.setattr(zipjob, "build_zip", build)
    monkeypatch.setattr(zipjob, "_alive", lambda pid: pid == os.getpid())
    job = ReportJob.objects.create(kind=zipjob.KIND, period=period)
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=5)):
        job = zipjob.run(job.pk, workers=1)
    assert seen == [str(os.getpid()), ReportJobStatus.RUNNING]
    assert job.status == ReportJobStatus.DONE
    assert not (output / f"job-{job.pk}.pid").exists()


def test_leftovers_of_finished_jobs_are_pruned(office, period, output, monkeypatch):
    monkeypatch.setattr(zipjob, "launch", lambda job: None)
    output.mkdir(parents=True, exist_ok=True)
    now = timezone.now()
    recent = now - dt.timedelta(days=1)
    old = now - dt.timedelta(days=zipjob.KEEP_DAYS + 1)
    done = ReportJob.objects.create(
        kind=zipjob.KIND, period=period, status=ReportJobStatus.DONE, finished_at=recent
    )
    done.file = f"job-{done.pk}-2026Q3.zip"
    done.save()
    failed = ReportJob.objects.create(
        kind=zipjob.KIND, period=period, status=ReportJobStatus.FAILED, finished_at=recent
    )
    failed_long_ago = ReportJob.objects.create(
        kind=zipjob.KIND, period=period, status=ReportJobStatus.FAILED, finished_at=old
    )
    other = quarter(office, "2026Q2", "closed", incidents=False)
    running = ReportJob.objects.create(
        kind=zipjob.KIND, period=other, status=ReportJobStatus.RUNNING
    )
    names = {
        # the finished job's ZIP stays; its log, pid and a half-written earlier try go
        done.file: True,
        f"job-{done.pk}-2026Q3.zip.part": False,
        f"job-{done.pk}.log": False,
        f"job-{done.pk}.pid": False,
        # a failed job keeps the log its error points to, for KEEP_DAYS
        f"job-{failed.pk}.log": True,
        f"job-{failed.pk}.pid": False,
        f"job-{failed.pk}-2026Q3.zip.part": False,
        f"job-{failed_long_ago.pk}.log": False,
        # a running job's files are its own
        f"job-{running.pk}.log": True,
        f"job-{running.pk}.pid": True,
        f"job-{running.pk}-2026Q2.zip.part": True,
        # files of jobs that no longer exist
        "job-999999.log": False,
        "job-999999-2026Q1.zip": False,
        # not a job's file
        "notes.txt": True,
    }
    for name in names:
        (output / name).write_bytes(b"x")
    zipjob.start(period=period, user=office.leader)
    assert {name for name in names if (output / name).exists()} == {
        name for name, kept in names.items() if kept
    }


def test_the_job_runs_below_the_web_server(office, period, output, monkeypatch):
    calls = []
    monkeypatch.setattr(zipjob, "lower_priority", lambda: calls.append("lower_priority"))
    monkeypatch.setattr(zipjob, "run", lambda job_id, workers: calls.append("run") or job)
    job = ReportJob.objects.create(kind=zipjob.KIND, period=period, status=ReportJobStatus.DONE)
    call_command("run_report_job", str(job.pk))
    assert calls == ["lower_priority", "run"]


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
def test_leaders_starting_the_same_zip_at_once_get_one_job(office, criteria, output, monkeypatch):
    """Real threads, real transactions (run it on PostgreSQL too: scripts/with-postgres.sh)."""
    period = quarter(office)
    leaders = 4
    launched = []
    monkeypatch.setattr(zipjob, "launch", launched.append)
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
    assert launched == [job]


def test_run_report_job_explains_itself_and_its_bad_arguments_in_chinese():
    def manage(*args):
        return subprocess.run(
            [sys.executable, "manage.py", "run_report_job", *args],
            capture_output=True,
            text=True,
            cwd=zipjob.fonts.BASE_DIR,
            env={**os.environ, "LANG": "C.UTF-8"},
        )

    shown = manage("--help")
    assert shown.returncode == 0, shown.stderr
    assert "生成一项待处理的报表任务的文件（由报表页面启动）。" in shown.stdout
    assert "报表任务编号，即任务页面地址中的数字。" in " ".join(shown.stdout.split())
    wrong = manage("abc")
    assert wrong.returncode == 2
    assert "报表任务编号应为不小于 1 的整数，“abc”不是。" in wrong.stderr
    wrong = manage("3", "--workers", "-1")
    assert wrong.returncode == 2
    assert "进程数（--workers）应为不小于 0 的整数，“-1”不是。" in wrong.stderr


def test_the_reports_page_offers_a_new_zip_when_the_last_never_started(office, period, output):
    created = dt.datetime(2026, 10, 8, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(created, tick=False):
        job = ReportJob.objects.create(kind=zipjob.KIND, period=period, requested_by=office.leader)
    client = login(office.leader)
    with time_machine.travel(created + dt.timedelta(seconds=30), tick=False):
        page = client.get("/reports/2026Q3/").content.decode()
    assert f'href="/reports/jobs/{job.pk}/"' in page
    assert 'action="/reports/2026Q3/personal.zip"' not in page
    with time_machine.travel(created + dt.timedelta(minutes=2), tick=False):
        page = client.get("/reports/2026Q3/").content.decode()
    assert f'href="/reports/jobs/{job.pk}/"' not in page
    assert 'action="/reports/2026Q3/personal.zip"' in page
    job.refresh_from_db()
    assert job.status == ReportJobStatus.FAILED
