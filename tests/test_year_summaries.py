"""The year's 个人总结: the service rules it shares with the quarter's 个人小结 (who writes,
who reviews, the limit, the window, the history), the person's year page and the head's pages.

The office of tests/conftest.py with 2026Q4 opened: the year's summaries are written from then
until the year's result notices are issued.
"""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import translation

from efficiency.models import (
    AnnualAppraisal,
    AnnualState,
    AnnualSummary,
    AuditEvent,
    Summary,
    SummaryStatus,
)
from efficiency.services import ServiceError, appraisal
from efficiency.services import summaries as services

from .conftest import login
from .test_annual_decision import close_two_quarters
from .test_view_results import judges  # noqa: F401 - a fixture

YEAR = 2026
TEXT = "全年完成收发文件登记一千二百余件，督办事项按时办结，参与起草年度工作报告。"
NOTICE = "/appraisal/annual/2026/notice/001001/"
OWN = "/appraisal/annual/2026/summary/"
DETAIL = "/appraisal/annual/2026/summary/001001/"


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def year_two_quarters(office, judges):  # noqa: F811
    """2026Q2 and 2026Q3 closed, so the year's proposals page lists people; then 2026Q4 opened."""
    close_two_quarters(office, judges)
    return appraisal.period_open(actor=office.leader, code="2026Q4")


@pytest.fixture
def q4(office):
    return appraisal.period_open(actor=office.leader, code="2026Q4")


def history(summary):
    return list(
        AuditEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(AnnualSummary),
            object_id=str(summary.pk),
        )
        .order_by("pk")
        .values_list("actor__username", "from_status", "to_status", "reason", "changes")
    )


def state():
    return (
        list(AnnualSummary.objects.values_list("pk", "status", "text", "head_comment")),
        AuditEvent.objects.count(),
    )


def refused(message, step, **kwargs):
    before = state()
    with pytest.raises(ServiceError) as error:
        step(year=YEAR, **kwargs)
    assert error.value.message == message
    assert state() == before


# --- the service --------------------------------------------------------------------------------


def test_it_works_write_submit_return_rewrite_accept(office, q4):
    person = office.person
    summary = services.save_draft(actor=office.named, year=YEAR, staff=person, text="初稿")
    assert isinstance(summary, AnnualSummary)
    assert (summary.year, summary.status, summary.written_by) == (
        YEAR,
        SummaryStatus.DRAFT,
        office.named,
    )
    services.submit(actor=office.named, year=YEAR, staff=person, text=TEXT)
    services.return_(actor=office.head, year=YEAR, staff=person, comment="请写明下一年度打算。")
    summary.refresh_from_db()
    assert (summary.status, summary.head_comment) == (
        SummaryStatus.RETURNED,
        "请写明下一年度打算。",
    )
    services.save_draft(actor=office.named, year=YEAR, staff=person, text=TEXT + "明年重点……")
    summary.refresh_from_db()
    assert summary.status == SummaryStatus.RETURNED  # stays 退回 until submitted again
    services.submit(actor=office.named, year=YEAR, staff=person, text=TEXT + "明年重点抓督办。")
    services.accept(actor=office.head, year=YEAR, staff=person)
    summary.refresh_from_db()
    assert summary.status == SummaryStatus.ACCEPTED
    assert not Summary.objects.exists()  # the quarter's 个人小结 is untouched
    steps = history(summary)
    assert [(who, old, new) for who, old, new, _reason, _changes in steps] == [
        ("named", "", "draft"),
        ("named", "draft", "submitted"),
        ("head", "submitted", "returned"),
        ("named", "returned", "returned"),
        ("named", "returned", "submitted"),
        ("head", "submitted", "accepted"),
    ]
    assert steps[0][4] == {"个人总结": ["", "初稿"]}
    assert steps[2][3] == "请写明下一年度打算。"
    refused(
        "王建国的年度个人总结已接受，不再更改。",
        services.save_draft,
        actor=office.named,
        staff=person,
        text="再改",
    )


def test_a_year_summary_holds_3000_characters_a_quarter_1000(office, q4):
    services.submit(actor=office.named, year=YEAR, staff=office.person, text="年" * 3000)
    assert AnnualSummary.objects.get().text == "年" * 3000
    refused(
        "年度个人总结不能超过3000字，现有3001字。",
        services.save_draft,
        actor=office.named,
        staff=office.person,
        text="年" * 3001,
    )
    with pytest.raises(ServiceError) as error:
        services.save_draft(actor=office.named, period=q4, staff=office.person, text="季" * 1001)
    assert error.value.message == "个人小结不能超过1000字，现有1001字。"


def test_it_is_written_only_from_the_fourth_quarters_opening(office):
    refused(
        "2026年度个人总结自第四季度开启之日起填写，第四季度尚未开启。",
        services.save_draft,
        actor=office.named,
        staff=office.person,
        text=TEXT,
    )


def test_it_is_read_only_once_the_notices_are_issued(office, q4):
    services.submit(actor=office.named, year=YEAR, staff=office.person, text=TEXT)
    AnnualAppraisal.objects.create(year=YEAR, state=AnnualState.NOTIFIED)
    message = "2026年度考核结果通知书已送达，年度个人总结不能再修改。"
    refused(message, services.submit, actor=office.named, staff=office.person, text=TEXT + "补")
    refused(message, services.accept, actor=office.head, staff=office.person)
    refused(message, services.enter_for, actor=office.administrator, staff=office.person, text="x")


def test_who_may_write_and_review(office, q4):
    person = office.person
    refused(
        "年度个人总结只能由本人、所在科室负责人或系统管理员填写。",
        services.save_draft,
        actor=office.clerk_b,
        staff=person,
        text=TEXT,
    )
    services.submit(actor=office.named, year=YEAR, staff=person, text=TEXT)
    refused(
        "只有所在科室负责人或系统管理员可以接受或退回年度个人总结。",
        services.accept,
        actor=office.head_b,
        staff=person,
    )
    refused(
        "退回年度个人总结须填写意见。",
        services.return_,
        actor=office.head,
        staff=person,
        comment="  ",
    )
    refused(
        "只有所在科室负责人或系统管理员可以接受或退回年度个人总结。",
        services.accept,
        actor=office.named,
        staff=person,
    )


def test_the_administrator_enters_one_from_paper(office, q4):
    summary = services.enter_for(
        actor=office.administrator, year=YEAR, staff=office.colleague, text=TEXT
    )
    assert (summary.status, summary.written_by) == (SummaryStatus.SUBMITTED, office.administrator)
    [(who, _old, new, reason, _changes)] = history(summary)
    assert (who, new, reason) == ("administrator", "submitted", "根据纸质年度个人总结代为录入")


def test_someone_who_left_before_the_fourth_quarter_writes_none(office, q4):
    office.colleague.end_date = datetime.date(2026, 9, 30)
    office.colleague.save()
    refused(
        "李秀英不在2026年度的考核名册中。",
        services.enter_for,
        actor=office.administrator,
        staff=office.colleague,
        text=TEXT,
    )


# --- the pages ----------------------------------------------------------------------------------


def test_the_person_writes_on_their_year_page_with_autosave(office, q4):
    client = login(office.named)
    home = client.get("/").content.decode()
    assert f'href="{NOTICE}#year-summary" id="my-year-summary">我的2026年度个人总结</a>' in home
    page = client.get(NOTICE).content.decode()
    assert "2026年度个人总结" in page
    assert f'action="{OWN}"' in page
    assert 'data-max="3000"' in page
    answer = client.post(
        OWN, {"text": "初稿", "action": "save"}, headers={"X-Requested-With": "XMLHttpRequest"}
    )
    assert answer.status_code == 200
    assert answer.json()["status"] == "draft"
    response = client.post(OWN, {"text": TEXT, "action": "submit"}, follow=True)
    assert response.redirect_chain[-1][0] == NOTICE + "#year-summary"
    page = response.content.decode()
    assert "年度个人总结已提交。" in page
    assert TEXT in page
    assert AnnualSummary.objects.get().status == SummaryStatus.SUBMITTED


def test_a_refused_plain_post_keeps_the_text_as_typed(office, q4):
    """Without the script (no autosave), a refused 提交 shows the year page again with the
    text in the box, rather than losing it."""
    services.save_draft(actor=office.named, year=YEAR, staff=office.person, text="初稿")
    client = login(office.named)
    before = state()
    typed = "总" * 3001
    response = client.post(OWN, {"text": typed, "action": "submit"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "年度个人总结不能超过3000字，现有3001字。" in page
    assert f">{typed}</textarea>" in page
    assert state() == before


def test_after_the_notices_the_page_is_read_only_and_a_post_refused(office, q4):
    services.submit(actor=office.named, year=YEAR, staff=office.person, text=TEXT)
    AnnualAppraisal.objects.create(year=YEAR, state=AnnualState.NOTIFIED)
    client = login(office.named)
    page = client.get(NOTICE).content.decode()
    assert 'id="summary-form"' not in page
    assert TEXT in page
    before = state()
    response = client.post(OWN, {"text": "改", "action": "submit"}, follow=True)
    assert "2026年度考核结果通知书已送达，年度个人总结不能再修改。" in response.content.decode()
    answer = client.post(
        OWN, {"text": "改", "action": "save"}, headers={"X-Requested-With": "XMLHttpRequest"}
    )
    assert answer.status_code == 400
    assert answer.json()["message"] == "2026年度考核结果通知书已送达，年度个人总结不能再修改。"
    assert state() == before


def test_the_head_reviews_from_the_years_proposals(office, year_two_quarters):
    services.submit(actor=office.named, year=YEAR, staff=office.person, text=TEXT)
    client = login(office.head)
    listing = client.get("/appraisal/annual/2026/review/").content.decode()
    assert f'href="{DETAIL}"' in listing
    detail = client.get(DETAIL).content.decode()
    assert TEXT in detail
    assert 'action="/appraisal/annual/2026/summary/001001/review/"' in detail
    review = DETAIL + "review/"
    asked = client.post(review, {"action": "return", "comment": "请写明明年打算。"})
    assert asked.status_code == 200 and "退回" in asked.content.decode()
    assert AnnualSummary.objects.get().status == SummaryStatus.SUBMITTED  # only asked
    done = client.post(
        review, {"action": "return", "comment": "请写明明年打算。", "confirmed": "1"}
    )
    assert done.status_code == 302
    summary = AnnualSummary.objects.get()
    assert (summary.status, summary.head_comment) == (SummaryStatus.RETURNED, "请写明明年打算。")
    page = login(office.named).get(NOTICE).content.decode()
    assert "请写明明年打算。" in page and 'id="summary-form"' in page


def test_a_head_of_another_section_reads_none(office, q4):
    services.submit(actor=office.named, year=YEAR, staff=office.person, text=TEXT)
    assert login(office.head_b).get(DETAIL).status_code == 404
    assert login(office.outsider).get(DETAIL).status_code == 403
