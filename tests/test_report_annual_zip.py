"""The year's 年度考核登记表 as one ZIP: the same background job as the quarter's, another kind.

The office of tests/test_annual_decision.py: 2026Q2 and 2026Q3 closed, six of eight graded.
"""

import io
import json
import zipfile

import pytest

from efficiency.models import Period, ReportJob, ReportJobStatus
from efficiency.reports import ReportError, documents, zipjob

from . import test_annual_decision as base
from . import test_report_zip as quarter_zip
from .conftest import PERSONAS, login
from .report_support import pdf_text, quarter, squeeze

judges = base.judges
output = quarter_zip.output
queued = quarter_zip.queued
year = base.year
SEES_RESULTS = {"leader", "administrator"}


def office_period(year: int) -> Period:
    return Period.objects.filter(year=year).order_by("-quarter").first()


def expected_names(office) -> list[str]:
    """Everyone in the year's roll-up, graded or not (the two not marked get a form too)."""
    return [
        f"2026-{number}-{name}-公务员年度考核登记表.pdf"
        for number, name in (
            ("001000", "刘科长"),
            ("001001", "王建国"),
            ("001002", "李秀英"),
            ("001009", "陈文书"),
            ("002000", "孙科长"),
            ("002001", "赵志强"),
            ("002009", "周文书"),
            ("005001", "郑督查"),
        )
    ]


def test_the_year_zip_holds_everyones_annual_form(office, year, tmp_path):
    target = tmp_path / "forms.zip"
    seen = []
    period = office_period(2026)
    count = zipjob.build_annual_zip(
        period, target, workers=2, progress=lambda done, total: seen.append((done, total))
    )
    assert count == 8
    with zipfile.ZipFile(target) as archive:
        assert sorted(archive.namelist()) == expected_names(office)
        content = archive.read(f"2026-{office.person.staff_no}-王建国-公务员年度考核登记表.pdf")
    assert seen[0] == (0, 8) and seen[-1] == (8, 8)
    text = squeeze(pdf_text(content, tmp_path))
    assert "王建国" in text
    assert "本年度平时考核情况：“好”0次，“较好”2次，“一般”0次，“较差”0次" in text
    assert text == squeeze(pdf_text(documents.annual_form(2026, office.person).content, tmp_path))


def test_a_leader_starts_the_years_zip_from_the_reports_page_and_downloads_it(office, year, output):
    client = login(office.leader)
    page = client.get("/reports/2026Q3/").content.decode()
    assert 'action="/reports/annual/2026/forms.zip"' in page
    assert "2026年度考核登记表" in page
    response = client.post("/reports/annual/2026/forms.zip")
    job = ReportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/reports/jobs/{job.pk}/"
    assert job.kind == zipjob.ANNUAL_KIND
    assert job.period.code == "2026Q3"
    assert job.status == ReportJobStatus.DONE, job.error
    assert (job.done, job.total) == (8, 8)
    assert job.file == f"reports/job-{job.pk}-2026.zip"
    detail = client.get(response["Location"]).content.decode()
    assert '<h1 class="h3 mb-1">年度考核登记表</h1>' in detail
    assert "2026年度" in detail
    assert "2026-年度考核登记表.zip" in detail
    status = json.loads(client.get(f"/reports/jobs/{job.pk}/status.json").content)
    assert status["status"] == "done" and status["percent"] == 100
    download = client.get(status["download"])
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    assert "2026-" in download["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content))) as archive:
        assert sorted(archive.namelist()) == expected_names(office)
    listing = client.get("/reports/jobs/").content.decode()
    assert f"/reports/jobs/{job.pk}/download/" in listing
    assert "年度考核登记表" in listing


def test_the_year_has_one_job_whichever_quarter_it_is_started_from(office, year, output, queued):
    client = login(office.leader)
    first = client.post("/reports/annual/2026/forms.zip")
    second = client.post("/reports/annual/2026/forms.zip")
    assert first["Location"] == second["Location"]
    job = ReportJob.objects.get()
    # the reports page of either quarter of the year points to that job
    for code in ("2026Q2", "2026Q3"):
        page = client.get(f"/reports/{code}/").content.decode()
        assert f'href="/reports/jobs/{job.pk}/"' in page
        assert 'action="/reports/annual/2026/forms.zip"' not in page
    # the quarter's ZIP is another job, not blocked by the year's
    assert zipjob.active_job(office_period(2026)) is None
    assert client.post("/reports/2026Q3/personal.zip")["Location"] != first["Location"]
    assert ReportJob.objects.count() == 2


def test_a_year_without_a_closed_quarter_is_refused_in_chinese(office, output):
    quarter(office, "2026Q3", "open", incidents=False)
    response = login(office.leader).post("/reports/annual/2026/forms.zip")
    assert response.status_code == 404
    assert "2026年尚无已关闭或已锁定的季度，暂无年度汇总。" in response.content.decode()
    assert not ReportJob.objects.exists()


def test_a_job_of_a_year_that_has_no_roll_up_fails_with_the_reason(office, output):
    period = quarter(office, "2026Q3", "open", incidents=False)
    job = ReportJob.objects.create(kind=zipjob.ANNUAL_KIND, period=period)
    job = zipjob.run(job.pk, workers=1)
    assert job.status == ReportJobStatus.FAILED
    assert job.error == "2026年尚无已关闭或已锁定的季度，暂无年度汇总。"
    with pytest.raises(ReportError):
        zipjob.build_annual_zip(period, output / "x.zip", workers=1)


@pytest.mark.parametrize("role", PERSONAS)
def test_only_view_results_may_start_the_years_zip(office, year, role, output):
    response = login(getattr(office, role)).post("/reports/annual/2026/forms.zip")
    assert response.status_code == (302 if role in SEES_RESULTS else 403)
    assert ReportJob.objects.exists() == (role in SEES_RESULTS)


def test_the_years_zip_is_not_started_by_a_get(office, year, output):
    assert login(office.leader).get("/reports/annual/2026/forms.zip").status_code == 405


def test_the_task_does_a_waiting_year_job(office, year, output):
    job = ReportJob.objects.create(kind=zipjob.ANNUAL_KIND, period=office_period(2026))
    zipjob.make_zip.enqueue(job.pk)
    job.refresh_from_db()
    assert job.status == ReportJobStatus.DONE
    assert zipjob.stored_file(job) == f"reports/job-{job.pk}-2026.zip"
    with zipfile.ZipFile(output / f"job-{job.pk}-2026.zip") as archive:
        assert sorted(archive.namelist()) == expected_names(office)
    assert zipjob.job_filename(job) == "2026-年度考核登记表.zip"
