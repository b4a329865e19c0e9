"""A leader makes the quarter's ZIP in Chromium: the page follows the real worker's progress
and the download arrives."""

import os
import subprocess
import sys
import zipfile

import pytest

from efficiency.models import ReportJob, ReportJobStatus

from ..factories import ensure_default_criteria
from ..report_support import quarter
from ..test_tasks import ROOT, database_url
from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def criteria(db):
    ensure_default_criteria()


def test_a_leader_starts_the_zip_sees_its_progress_and_downloads_it(
    page, office, criteria, settings, tmp_path
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.MEDIA_ROOT = tmp_path / "files"
    quarter(office)
    log_in(page, "leader")
    page.goto("/reports/2026Q3/")
    page.get_by_role("button", name="生成 ZIP").click()
    page.wait_for_url("**/reports/jobs/*/")
    job = ReportJob.objects.get()
    # queued: the page says it waits, and goes on asking while no worker runs
    assert page.locator("#job-label").inner_text() == "等待中"
    assert page.locator("#job-leave").is_visible()
    assert not page.locator("#job-download").is_visible()
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay"],
        cwd=ROOT,
        env={
            **os.environ,
            "DATABASE_URL": database_url(),
            "MEDIA_ROOT": str(tmp_path / "files"),
            "DEBUG": "false",
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        page.locator("#job-label").filter(has_text="已完成").wait_for(timeout=120_000)
    finally:
        worker.terminate()
        worker.wait(30)
    assert page.locator("#job-count").inner_text() == "8 / 8"
    bar = page.locator("#job-progress")
    assert bar.get_attribute("aria-valuenow") == "100"
    assert not page.locator("#job-leave").is_visible()
    page.screenshot(path=str(tmp_path / "job.png"))
    with page.expect_download() as download_info:
        page.locator("#job-download").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".zip")
    saved = tmp_path / "got.zip"
    download.save_as(saved)
    with zipfile.ZipFile(saved) as archive:
        assert len(archive.namelist()) == 8
    job.refresh_from_db()
    assert job.status == ReportJobStatus.DONE
