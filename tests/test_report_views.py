"""The reports pages (/reports/): who may download what, and refusals that explain.

Leaders and administrators (view_results) get everything; a section head their sections'
summaries and their people's forms; anyone with a staff record their own form; all of it
only once the quarter is closed or locked, except for view_results. Unknown things: 404.
"""

import re

import pytest

from efficiency.models import Period, ReportJob, Staff
from efficiency.reports import documents, fonts, pdf

from .conftest import PERSONAS, login
from .report_support import quarter

SEES_RESULTS = {"leader", "administrator"}
# Whose personal form each role may download (besides view_results, who may download all).
OWN_FORM = {
    "clerk": "001009",
    "clerk_b": "002009",
    "head": "001000",
    "head_b": "002000",
    "supervisor": "005001",
    "named": "001001",
}
# The section each head heads, and the people in it that quarter.
HEADS = {
    "head": ("MSK", {"001001", "001002", "001009", "001000"}),
    "head_b": ("ZHK", {"002001", "002009", "002000"}),
}
FORMS = ["001001", "001002", "002001", "005001", "001000"]


@pytest.fixture
def period(office):
    return quarter(office)


def may_have_form(role: str, staff_no: str) -> bool:
    if role in SEES_RESULTS:
        return True
    if OWN_FORM.get(role) == staff_no:
        return True
    return role in HEADS and staff_no in HEADS[role][1]


def is_pdf(response) -> bool:
    return response["Content-Type"] == "application/pdf" and b"".join(
        response.streaming_content
    ).startswith(b"%PDF-")


# --- who may download what -------------------------------------------------------------------


@pytest.mark.parametrize("role", PERSONAS)
@pytest.mark.parametrize("staff_no", FORMS)
def test_personal_form_permissions(office, period, role, staff_no):
    response = login(getattr(office, role)).get(f"/reports/2026Q3/personal/{staff_no}.pdf")
    if may_have_form(role, staff_no):
        assert response.status_code == 200
        assert is_pdf(response)
        assert f"{staff_no}-" in response["Content-Disposition"]
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("role", PERSONAS)
@pytest.mark.parametrize("code", ["MSK", "ZHK", "DCS"])
def test_section_summary_permissions(office, period, role, code):
    response = login(getattr(office, role)).get(f"/reports/2026Q3/section/{code}.pdf")
    allowed = role in SEES_RESULTS or (role in HEADS and HEADS[role][0] == code)
    assert response.status_code == (200 if allowed else 403)
    if allowed:
        assert is_pdf(response)


@pytest.mark.parametrize("role", PERSONAS)
@pytest.mark.parametrize("url", ["/reports/2026Q3/bulletin.pdf", "/reports/annual/2026.pdf"])
def test_office_wide_reports_need_view_results(office, period, role, url):
    response = login(getattr(office, role)).get(url)
    assert response.status_code == (200 if role in SEES_RESULTS else 403)


@pytest.mark.parametrize("role", PERSONAS)
def test_the_index_lists_what_the_role_may_download(office, period, role):
    response = login(getattr(office, role)).get("/reports/2026Q3/")
    assert response.status_code == 200
    content = response.content.decode()
    for staff_no in FORMS:
        link = f"/reports/2026Q3/personal/{staff_no}.pdf"
        assert (link in content) == may_have_form(role, staff_no), staff_no
    assert ("/reports/2026Q3/bulletin.pdf" in content) == (role in SEES_RESULTS)
    assert ("/reports/2026Q3/personal.zip" in content) == (role in SEES_RESULTS)
    assert ("/reports/2026Q3/section/MSK.pdf" in content) == (
        role in SEES_RESULTS or role == "head"
    )


@pytest.mark.parametrize("role", PERSONAS)
def test_reports_root_sends_to_the_newest_period(office, period, role):
    response = login(getattr(office, role)).get("/reports/")
    assert response.status_code == 302
    assert response["Location"] == "/reports/2026Q3/"


@pytest.mark.parametrize(
    "url",
    [
        "/reports/",
        "/reports/2026Q3/",
        "/reports/2026Q3/personal/001001.pdf",
        "/reports/2026Q3/section/MSK.pdf",
        "/reports/2026Q3/bulletin.pdf",
        "/reports/annual/2026.pdf",
        "/reports/jobs/",
    ],
)
def test_anonymous_is_sent_to_login(client, period, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


# --- an open quarter -------------------------------------------------------------------------


@pytest.mark.parametrize("role", PERSONAS)
def test_an_open_quarter_is_only_for_view_results(office, role):
    quarter(office, state="open")
    own = OWN_FORM.get(role, "001001")
    client = login(getattr(office, role))
    response = client.get(f"/reports/2026Q3/personal/{own}.pdf")
    assert response.status_code == (200 if role in SEES_RESULTS else 403)
    response = client.get("/reports/2026Q3/section/MSK.pdf")
    assert response.status_code == (200 if role in SEES_RESULTS else 403)
    assert client.get("/reports/2026Q3/").status_code == (200 if role in SEES_RESULTS else 403)


# --- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/reports/2025Q1/",
        "/reports/2025Q1/bulletin.pdf",
        "/reports/2025Q1/personal/001001.pdf",
        "/reports/2026Q3/personal/999999.pdf",
        "/reports/2026Q3/section/NOPE.pdf",
        "/reports/2026Q5/bulletin.pdf",
        "/reports/annual/1999.pdf",
        "/reports/2026Q3/personal/%E7%8E%8B.pdf",
        "/reports/jobs/999/",
        "/reports/jobs/999/status.json",
        "/reports/jobs/999/download/",
    ],
)
def test_unknown_things_are_not_found(office, period, url):
    assert login(office.leader).get(url).status_code == 404


def test_a_draft_period_has_no_reports(office, period):
    Period.objects.create(code="2026Q4", year=2026, quarter=4)
    assert login(office.leader).get("/reports/2026Q4/bulletin.pdf").status_code == 404


def test_someone_not_in_post_that_quarter_gets_an_explanation(office, period):
    Staff.objects.create(staff_no="001099", name="早离岗", section=office.a, end_date="2025-12-31")
    response = login(office.leader).get("/reports/2026Q3/personal/001099.pdf")
    assert response.status_code == 404
    assert "早离岗（001099）在2026年第3季度不在岗，没有考核结果。" in response.content.decode()


def test_an_annual_summary_without_a_closed_quarter_explains(office):
    quarter(office, state="open")
    response = login(office.leader).get("/reports/annual/2026.pdf")
    assert response.status_code == 404
    assert "2026年尚无已关闭或已锁定的季度，暂无年度汇总。" in response.content.decode()


def test_zip_start_is_post_only(office, period):
    assert login(office.leader).get("/reports/2026Q3/personal.zip").status_code == 405


# --- no Chinese font -------------------------------------------------------------------------


@pytest.fixture
def no_cjk_font(monkeypatch):
    monkeypatch.setattr(fonts, "find", lambda: None)
    pdf.reset()
    yield
    monkeypatch.undo()
    pdf.reset()


MESSAGE_NO_FONT = (
    "系统未安装报表所需的中文字体，无法生成 PDF（否则汉字会显示为空白方框）。请系统管理员运行"
    "“python -m efficiency.reports.fonts install”，或安装 Debian 的 fonts-noto-cjk 字体包。"
)


@pytest.mark.parametrize(
    "url",
    [
        "/reports/2026Q3/personal/001001.pdf",
        "/reports/2026Q3/section/MSK.pdf",
        "/reports/2026Q3/bulletin.pdf",
        "/reports/annual/2026.pdf",
    ],
)
def test_without_a_chinese_font_the_pdfs_are_refused_with_an_explanation(
    office, period, no_cjk_font, url
):
    response = login(office.leader).get(url)
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    assert MESSAGE_NO_FONT in response.content.decode()


def test_without_a_chinese_font_the_index_says_so_and_no_zip_starts(office, period, no_cjk_font):
    client = login(office.leader)
    assert MESSAGE_NO_FONT in client.get("/reports/2026Q3/").content.decode()
    response = client.post("/reports/2026Q3/personal.zip")
    assert response.status_code == 503
    assert not ReportJob.objects.exists()


def test_the_personal_form_download_is_named_like_the_zip_entries(office, period):
    response = login(office.named).get("/reports/2026Q3/personal/001001.pdf")
    assert "inline" in response["Content-Disposition"]
    assert documents.personal_filename("001001", "王建国", period) == "001001-王建国-2026Q3.pdf"
    assert (
        "filename*=utf-8''001001-%E7%8E%8B%E5%BB%BA%E5%9B%BD-2026Q3.pdf"
        in (response["Content-Disposition"])
    )


def test_a_heads_refusals_reveal_nothing_about_other_people(office, period):
    """Unknown, not in post, another section's: a head cannot tell them apart."""
    Staff.objects.create(staff_no="002099", name="早离岗", section=office.b, end_date="2025-12-31")
    head = login(office.head)
    bodies = set()
    for staff_no in ("999999", "002099", "002001"):
        response = head.get(f"/reports/2026Q3/personal/{staff_no}.pdf")
        assert response.status_code == 403
        body = response.content.decode()
        assert "早离岗" not in body and "不在岗" not in body and "赵志强" not in body
        # The same page but for the address itself and the per-request CSRF token.
        bodies.add(
            re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "", body.replace(staff_no, "N"))
        )
    assert len(bodies) == 1
    # One's own section's people, even someone who left during the quarter, still print.
    assert head.get("/reports/2026Q3/personal/001001.pdf").status_code == 200
