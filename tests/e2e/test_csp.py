"""The app's own pages, and the admin's, pass the Content Security Policy in Chromium.

The page fixture (conftest.py) fails any test whose browser reports a violation; these tests
walk through the pages that carry scripts, charts, progress bars and dialogs.
"""

import pytest

from efficiency.models import ReportJob, ReportJobStatus, Staff
from efficiency.reports import zipjob

from ..factories import ensure_default_criteria, make_user
from ..report_support import quarter
from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def criteria(db):
    ensure_default_criteria()


def visit(page, path: str) -> None:
    response = page.goto(path)
    assert response.status == 200, path
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy, path
    assert "unsafe-inline" not in policy, path
    page.wait_for_load_state("load")


def test_the_check_catches_a_blocked_inline_style_and_script(page, office, csp_violations):
    visit(page, "/accounts/login/")
    assert csp_violations == []
    page.evaluate(
        """() => {
          document.body.insertAdjacentHTML("beforeend", '<p style="color: red">x</p>');
          const script = document.createElement("script");
          script.textContent = "window.ran = true";
          document.body.appendChild(script);
        }"""
    )
    page.wait_for_timeout(200)
    assert page.evaluate("() => window.ran") is None  # the inline script did not run
    assert any("style-src" in text for text in csp_violations), csp_violations
    assert any("script-src" in text for text in csp_violations), csp_violations
    csp_violations.clear()  # seen: do not fail this test for them


def test_a_leaders_pages_pass_the_policy(page, office, criteria, csp_violations):
    period = quarter(office)
    quarter(office, "2026Q4", "open", incidents=False)
    job = ReportJob.objects.create(
        kind=zipjob.KIND, period=period, requested_by=office.leader, total=8, done=3
    )
    number = office.person.incidents.values_list("number", flat=True).first()
    log_in(page, "leader")
    for path in [
        "/",
        "/incidents/",
        f"/incidents/{number}/",
        "/roster/",
        "/appraisal/",
        "/appraisal/2026Q3/sheet/",
        "/appraisal/2026Q4/sheet/",
        "/appraisal/2026Q3/ranking/",
        "/appraisal/2026Q3/ranking/sections/",
        "/appraisal/2026Q3/decisions/",
        "/appraisal/2026Q3/card/001001/",
        "/appraisal/trends/?staff=001001",
        "/appraisal/annual/2026/",
        "/reports/2026Q3/",
        "/reports/jobs/",
        "/excel/",
    ]:
        visit(page, path)
    # The charts are drawn as they are written (presentation attributes, no inline style).
    visit(page, "/appraisal/2026Q3/card/001001/")
    title_size = page.evaluate(
        "() => getComputedStyle(document.querySelector('.chart-box svg .title')).fontSize"
    )
    assert title_size == "15px"  # the title's font-size attribute (efficiency/charts.py)
    # The ZIP job's progress bar and its polling script.
    visit(page, f"/reports/jobs/{job.pk}/")
    bar = page.locator("#job-progress .progress-bar")
    assert bar.evaluate("element => element.style.width") == "37%"
    ReportJob.objects.filter(pk=job.pk).update(status=ReportJobStatus.FAILED, error="测试失败。")
    page.locator("#job-error").filter(has_text="测试失败。").wait_for()
    # The score sheet's progress bar and grid width, set by the script from data attributes.
    visit(page, "/appraisal/2026Q4/sheet/")
    width = page.locator("#progress-bar").evaluate(
        "element => [element.style.width, element.dataset.percentWidth + '%']"
    )
    assert width[0] == width[1] != "%"
    columns = page.locator("#score-sheet").evaluate(
        "element => element.style.getPropertyValue('--mark-columns')"
    )
    assert columns == "3"
    # The decision page's counter script.
    visit(page, "/appraisal/2026Q3/decisions/")
    page.locator("#row-001001 [data-grade-select]").select_option("poor")
    assert csp_violations == []


def test_a_clerks_incident_form_passes_the_policy(page, office):
    log_in(page, "clerk")
    visit(page, "/incidents/new/")
    page.get_by_text("延误", exact=True).click()
    page.get_by_placeholder("按姓名或工号查询").fill("001001")


def test_the_admin_passes_the_policy(page, office, criteria):
    quarter(office)
    root = make_user("root")
    root.is_staff = root.is_superuser = True
    root.save()
    staff = Staff.objects.get(staff_no="001001")
    log_in(page, "root")
    for path in [
        "/admin/",
        "/admin/auth/user/",
        "/admin/auth/user/add/",
        f"/admin/auth/user/{office.clerk.pk}/change/",
        f"/admin/auth/user/{office.clerk.pk}/password/",
        "/admin/auth/group/",
        "/admin/efficiency/staff/",
        f"/admin/efficiency/staff/{staff.pk}/change/",
        "/admin/efficiency/incident/",
        "/admin/efficiency/auditevent/",
        "/admin/efficiency/period/",
        "/admin/efficiency/criterion/add/",
    ]:
        visit(page, path)
    # The date widget's calendar, drawn by the admin's scripts.
    visit(page, f"/admin/efficiency/staff/{staff.pk}/change/")
    calendar = page.locator(".datetimeshortcuts a").last
    if calendar.count():
        calendar.click()
    page.locator("#changelist-search, #content").first.wait_for()
