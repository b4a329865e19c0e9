"""个人小结 service rules: who writes, who reviews, what each step records, every refusal."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import translation

from efficiency.models import AuditEvent, Summary, SummaryStatus
from efficiency.services import ServiceError, appraisal
from efficiency.services import summaries as services

from .factories import make_staff

TEXT = "本季度完成收发文件登记，按时办结督办事项。"


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def period(office):
    return appraisal.period_open(actor=office.leader, code="2026Q3")


def history(summary):
    return list(
        AuditEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(Summary), object_id=str(summary.pk)
        ).values_list("actor__username", "from_status", "to_status", "reason")
    )


def refused(message, step, **kwargs):
    before = list(Summary.objects.values_list("pk", "status", "text", "head_comment"))
    with pytest.raises(ServiceError) as error:
        step(**kwargs)
    assert error.value.message == message
    assert list(Summary.objects.values_list("pk", "status", "text", "head_comment")) == before


def test_it_works_write_submit_return_resubmit_accept(office, period):
    person = office.person
    summary = services.save_draft(actor=office.named, period=period, staff=person, text="初稿")
    assert summary.status == SummaryStatus.DRAFT and summary.written_by == office.named
    services.submit(actor=office.named, period=period, staff=person, text=TEXT)
    services.return_(actor=office.head, period=period, staff=person, comment="请补充督办事项数量")
    summary.refresh_from_db()
    assert (summary.status, summary.head_comment) == (SummaryStatus.RETURNED, "请补充督办事项数量")
    # Rewriting keeps it 退回 until it is submitted again.
    services.save_draft(actor=office.named, period=period, staff=person, text=TEXT + "共12件。")
    summary.refresh_from_db()
    assert summary.status == SummaryStatus.RETURNED
    services.submit(actor=office.named, period=period, staff=person, text=TEXT + "共12件。")
    services.accept(actor=office.head, period=period, staff=person)
    summary.refresh_from_db()
    assert summary.status == SummaryStatus.ACCEPTED
    assert history(summary) == [
        ("named", "", "draft", ""),
        ("named", "draft", "submitted", ""),
        ("head", "submitted", "returned", "请补充督办事项数量"),
        ("named", "returned", "returned", ""),
        ("named", "returned", "submitted", ""),
        ("head", "submitted", "accepted", ""),
    ]


def test_saving_the_same_draft_twice_records_once(office, period):
    services.save_draft(actor=office.named, period=period, staff=office.person, text=TEXT)
    summary = services.save_draft(actor=office.named, period=period, staff=office.person, text=TEXT)
    assert len(history(summary)) == 1


def test_enter_for_is_recorded_as_entered_by_the_head(office, period):
    summary = services.enter_for(
        actor=office.head, period=period, staff=office.colleague, text=TEXT
    )
    assert (summary.status, summary.written_by) == (SummaryStatus.SUBMITTED, office.head)
    assert history(summary) == [("head", "", "submitted", "根据纸质个人小结代为录入")]


def test_administrator_enters_and_reviews_any_section(office, period):
    services.enter_for(
        actor=office.administrator, period=period, staff=office.other_person, text=TEXT
    )
    summary = services.accept(actor=office.administrator, period=period, staff=office.other_person)
    assert summary.status == SummaryStatus.ACCEPTED


def test_it_refuses_other_people(office, period):
    refused(
        "个人小结只能由本人、所在科室负责人或系统管理员填写。",
        services.save_draft,
        actor=office.clerk,
        period=period,
        staff=office.person,
        text=TEXT,
    )
    refused(
        "个人小结只能由本人、所在科室负责人或系统管理员填写。",
        services.submit,
        actor=office.head_b,
        period=period,
        staff=office.person,
        text=TEXT,
    )


def test_it_refuses_entering_for_another_section(office, period):
    refused(
        "只有所在科室负责人或系统管理员可以代为录入纸质个人小结。",
        services.enter_for,
        actor=office.head_b,
        period=period,
        staff=office.person,
        text=TEXT,
    )
    refused(
        "只有所在科室负责人或系统管理员可以代为录入纸质个人小结。",
        services.enter_for,
        actor=office.named,
        period=period,
        staff=office.person,
        text=TEXT,
    )


def test_only_the_head_of_the_section_reviews(office, period):
    services.submit(actor=office.named, period=period, staff=office.person, text=TEXT)
    message = "只有所在科室负责人或系统管理员可以接受或退回个人小结。"
    refused(message, services.accept, actor=office.head_b, period=period, staff=office.person)
    refused(message, services.accept, actor=office.leader, period=period, staff=office.person)
    refused(
        message,
        services.return_,
        actor=office.named,
        period=period,
        staff=office.person,
        comment="自己退回自己",
    )


def test_a_head_does_not_review_their_own_summary(office, period):
    head_staff = office.head.staff
    services.submit(actor=office.head, period=period, staff=head_staff, text=TEXT)
    refused(
        "不能接受或退回本人的个人小结。",
        services.accept,
        actor=office.head,
        period=period,
        staff=head_staff,
    )


def test_return_needs_a_meaningful_comment(office, period):
    services.submit(actor=office.named, period=period, staff=office.person, text=TEXT)
    kwargs = {"actor": office.head, "period": period, "staff": office.person}
    refused("退回个人小结须填写意见。", services.return_, comment="  ", **kwargs)
    refused(
        "理由须写明具体情况：至少4个字，不能只是数字、标点或同一个字重复。",
        services.return_,
        comment="。。。。",
        **kwargs,
    )


def test_only_a_submitted_summary_is_reviewed(office, period):
    kwargs = {"actor": office.head, "period": period, "staff": office.person}
    refused("王建国没有待审阅的已提交个人小结。", services.accept, **kwargs)
    services.save_draft(actor=office.named, period=period, staff=office.person, text=TEXT)
    refused("王建国没有待审阅的已提交个人小结。", services.return_, comment="请重新填写", **kwargs)


def test_an_accepted_summary_no_longer_changes(office, period):
    services.submit(actor=office.named, period=period, staff=office.person, text=TEXT)
    services.accept(actor=office.head, period=period, staff=office.person)
    message = "王建国的个人小结已接受，不再更改。"
    for step in (services.save_draft, services.submit, services.enter_for):
        actor = office.head if step is services.enter_for else office.named
        refused(message, step, actor=actor, period=period, staff=office.person, text="改写")


def test_it_refuses_blank_and_too_long_text(office, period):
    kwargs = {"actor": office.named, "period": period, "staff": office.person}
    refused("请先填写个人小结再提交。", services.submit, text="   ", **kwargs)
    refused("个人小结不能超过1000字，现有1001字。", services.save_draft, text="字" * 1001, **kwargs)
    summary = services.submit(text="字" * 1000, **kwargs)
    assert len(summary.text) == 1000
    refused("这份个人小结已经提交。", services.submit, text="字" * 1000, **kwargs)


def test_it_refuses_a_locked_or_unopened_period(office, period):
    appraisal.period_close(actor=office.leader, period=period)
    appraisal.period_lock(actor=office.leader, period=period)
    refused(
        "考核期2026Q3已锁定，不能再作任何修改。",
        services.save_draft,
        actor=office.named,
        period=period,
        staff=office.person,
        text=TEXT,
    )
    draft = appraisal.period_open(actor=office.leader, code="2026Q4")
    appraisal.period_withdraw(actor=office.leader, period=draft, reason="开启时间有误")
    refused(
        "考核期2026Q4尚未开启，开启后才能填写个人小结。",
        services.save_draft,
        actor=office.named,
        period=draft,
        staff=office.person,
        text=TEXT,
    )


def test_it_refuses_staff_off_the_roster(office, period):

    gone = make_staff(office.a, "钱离岗", "001099", end_date=datetime.date(2026, 5, 31))
    refused(
        "钱离岗不在2026Q3的考核名册中。",
        services.enter_for,
        actor=office.head,
        period=period,
        staff=gone,
        text=TEXT,
    )
