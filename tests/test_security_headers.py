"""Headers every response gets: private paperwork is never cached, pages carry a CSP."""

import pytest
from django.template import Context, Template
from django.utils.safestring import mark_safe

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
    settings.REPORT_OUTPUT_DIR = tmp_path
    (tmp_path / "job-forms.zip").write_bytes(b"PK\x05\x06" + b"\0" * 18)
    job = ReportJob.objects.create(
        kind=zipjob.KIND, period=period, status=ReportJobStatus.DONE, file="job-forms.zip"
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
    assert directives["style-src"] == "'self'"  # no nonce: nothing inline on the home page
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    # A page with a chart lets exactly that chart's <style> through with the response's nonce.
    response = client.get("/appraisal/2026Q3/card/001001/")
    policy = response.headers["Content-Security-Policy"]
    nonce = policy.split("'nonce-", 1)[1].split("'", 1)[0]
    assert "style-src 'self' 'nonce-" in policy
    page = response.content.decode()
    assert page.count(f'<style nonce="{nonce}"') == 1
    assert page.count("<style") == 1
    assert ' style="' not in page
    assert "<script>" not in page


def test_the_nonce_filter_only_vouches_for_trusted_markup():
    template = Template("{% load csp_extras %}{{ markup|with_csp_nonce:nonce }}")
    trusted = mark_safe("<svg><style>.a{}</style></svg>")
    assert (
        template.render(Context({"markup": trusted, "nonce": "abc"}))
        == '<svg><style nonce="abc">.a{}</style></svg>'
    )
    typed = "<style>.a{}</style>"
    assert (
        template.render(Context({"markup": typed, "nonce": "abc"}))
        == "&lt;style&gt;.a{}&lt;/style&gt;"
    )
