"""Headers every response gets: private paperwork is never cached, pages carry a CSP."""

import pytest

from efficiency.models import ReportJob, ReportJobStatus
from efficiency.reports import zipjob

from .conftest import login
from .report_support import quarter


@pytest.fixture
def period(office):
    return quarter(office)


@pytest.mark.parametrize(
    "url",
    [
        "/reports/2026Q3/personal/001001.pdf",
        "/reports/2026Q3/bulletin.pdf",
        "/reports/2026Q3/section/MSK.pdf",
        "/excel/export/staff/",
        "/excel/template/staff/",
    ],
)
def test_pdfs_and_excel_files_are_private_and_never_stored(office, period, url):
    response = login(office.leader if "excel" not in url else office.administrator).get(url)
    assert response.status_code == 200, url
    assert response["Cache-Control"] == "private, no-store"


def test_the_quarters_zip_is_private_and_never_stored(office, period, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "job-forms.zip").write_bytes(b"PK\x05\x06" + b"\0" * 18)
    job = ReportJob.objects.create(
        kind=zipjob.KIND, period=period, status=ReportJobStatus.DONE, file="reports/job-forms.zip"
    )
    response = login(office.leader).get(f"/reports/jobs/{job.pk}/download/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Cache-Control"] == "private, no-store"


def test_pages_keep_their_own_caching(office, period):
    response = login(office.leader).get("/reports/2026Q3/")
    assert response.status_code == 200
    assert "Cache-Control" not in response


def test_pages_carry_a_content_security_policy(office, period):
    client = login(office.leader)
    policy = client.get("/").headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"  # no nonce: nothing inline anywhere
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    # A page with a chart needs no exception: the chart's SVG has no inline style or script.
    response = client.get("/appraisal/2026Q3/card/001001/")
    policy = dict(
        part.strip().split(" ", 1)
        for part in response.headers["Content-Security-Policy"].split(";")
    )
    assert policy["style-src"] == "'self'"
    page = response.content.decode()
    assert page.count("<svg") == 1
    assert "<style" not in page
    assert ' style="' not in page
    assert "<script>" not in page
