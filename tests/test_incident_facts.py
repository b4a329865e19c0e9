"""Facts an incident must respect, refused the same way by the service, the form and the sheet.

- the date: not before the named person started, not after they left, not in a locked
  quarter, not before the earliest period that is not locked;
- the clause: only for incidents dated within its validity (a revised catalogue: YW-07 from
  April, the superseded YW-06 until March).

Today is pinned: the rules compare with it (no future dates).
"""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.utils import translation

from efficiency.excel import sheets
from efficiency.models import Incident, Period, Standard
from efficiency.services import ServiceError
from efficiency.services import appraisal as appraisal_services

from .conftest import login
from .excel_samples import openpyxl_xlsx, write
from .factories import make_staff, report

FEB = datetime.date(2026, 2, 10)
MAY = datetime.date(2026, 5, 12)


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(datetime.datetime(2026, 11, 29, 10, 0), tick=False):
        yield


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def year(office):
    """The year's four quarters exist and none is locked: only the rules under test refuse."""
    for quarter in range(1, 5):
        Period.objects.create(code=f"2026Q{quarter}", year=2026, quarter=quarter)


@pytest.fixture
def revision(office):
    """The catalogue revised in April: YW-06 superseded by YW-07."""
    common = {"kind": "delay", "points_minor": 1, "points_serious": 2, "points_grave": 4}
    old = Standard.objects.create(
        code="YW-06",
        text="发文核稿、印制、分发超过规定时限。（2026年4月修订，由YW-07替代）",
        active=False,
        valid_until=datetime.date(2026, 3, 31),
        **common,
    )
    new = Standard.objects.create(
        code="YW-07",
        text="发文核稿后未在2个工作日内完成印制、用印和分发。（2026年4月起施行）",
        valid_from=datetime.date(2026, 4, 1),
        **common,
    )
    return old, new


def refusal(office, **fields) -> str:
    fields = {"section": office.a, "responsible": [office.person], **fields}
    fields.setdefault("standard", office.delay)
    with pytest.raises(ServiceError) as refused:
        report(office.clerk, **fields)
    return refused.value.message


# --- the service ---------------------------------------------------------------------------------


def test_not_before_the_person_started(office, year):
    newcomer = make_staff(office.a, "王新来", "001050", start_date=datetime.date(2026, 8, 1))
    assert refusal(office, responsible=[newcomer], occurred_on=datetime.date(2026, 7, 15)) == (
        "王新来于2026年8月1日入职，晚于事件发生日期2026年7月15日，不能列为责任人。"
    )
    report(
        office.clerk,
        section=office.a,
        responsible=[newcomer],
        standard=office.delay,
        occurred_on=datetime.date(2026, 8, 1),
    )


def test_not_after_the_person_left(office, year):
    leaver = make_staff(office.a, "李离岗", "001051", end_date=datetime.date(2026, 7, 1))
    assert refusal(
        office, responsible=[office.person, leaver], occurred_on=MAY.replace(month=7, day=2)
    ) == ("李离岗已于2026年7月1日离岗，早于事件发生日期2026年7月2日，不能列为责任人。")
    report(
        office.clerk,
        section=office.a,
        responsible=[leaver],
        standard=office.delay,
        occurred_on=datetime.date(2026, 7, 1),
    )


def test_not_before_the_earliest_period_not_locked(office):
    appraisal_services.period_open(actor=office.leader, code="2026Q3")
    assert refusal(office, occurred_on=datetime.date(2019, 1, 1)) == (
        "发生日期2019年1月1日早于2026年7月1日：事件只能登记在最早的未锁定考核期"
        "（2026年第3季度）及以后。"
    )
    assert Incident.objects.count() == 0


def test_not_in_a_locked_quarter(office):
    q3 = appraisal_services.period_open(actor=office.leader, code="2026Q3")
    appraisal_services.period_close(actor=office.leader, period=q3)
    appraisal_services.period_lock(actor=office.leader, period=q3)
    assert refusal(office, occurred_on=datetime.date(2026, 9, 30)) == (
        "发生日期2026年9月30日属于已锁定的2026年第3季度，不能再登记该期的事件。"
    )
    # With every period locked, the day after the last one is the first day accepted.
    report(
        office.clerk,
        section=office.a,
        responsible=[office.person],
        standard=office.delay,
        occurred_on=datetime.date(2026, 10, 1),
    )


def test_a_clause_only_within_its_validity(office, year, revision):
    old, new = revision
    assert refusal(office, standard=new, occurred_on=FEB) == (
        "条款YW-07自2026年4月1日起施行，不适用于2026年2月10日发生的事件。"
    )
    assert refusal(office, standard=old, occurred_on=MAY) == (
        "条款YW-06适用至2026年3月31日，不适用于2026年5月12日发生的事件。"
    )
    # The superseded clause is still the one for the days it covered, with its points.
    incident = report(
        office.clerk, section=office.a, responsible=[office.person], standard=old, occurred_on=FEB
    )
    assert (incident.clause_code, incident.points) == ("YW-06", Decimal("1.0"))
    report(
        office.clerk, section=office.a, responsible=[office.person], standard=new, occurred_on=MAY
    )


def test_a_clause_withdrawn_without_an_end_date_is_refused_as_before(office, year):
    office.delay.active = False
    office.delay.save()
    assert refusal(office, occurred_on=MAY) == "条款YW-01已停用。"


# --- the form -------------------------------------------------------------------------------------


def form_data(office, standard, day, **extra):
    return {
        "kind": "delay",
        "standard": standard.pk,
        "severity": "minor",
        "occurred_on": day.isoformat(),
        "section": office.a.pk,
        "responsible": [office.person.pk],
        "description": "《关于做好防汛工作的通知》印发延误。",
        "source": "self_check",
        **extra,
    }


def test_the_form_offers_the_superseded_clause_with_its_dates(office, year, revision):
    page = login(office.clerk).get("/incidents/new/").content.decode()
    assert 'data-until="2026-03-31"' in page and 'data-from="2026-04-01"' in page
    assert (
        "YW-06　发文核稿、印制、分发超过规定时限。（2026年4月修订，由YW-07替代）"
        "（适用至2026年3月31日）" in page
    )
    assert "（2026年4月1日起施行）" in page


def test_the_form_says_why_beside_the_field(office, year, revision):
    old, new = revision
    response = login(office.clerk).post("/incidents/new/", form_data(office, new, FEB))
    assert response.status_code == 200
    assert response.context["form"].errors["standard"] == [
        "条款YW-07自2026年4月1日起施行，不适用于2026年2月10日发生的事件。"
    ]
    assert Incident.objects.count() == 0
    newcomer = make_staff(office.a, "王新来", "001050", start_date=datetime.date(2026, 3, 2))
    response = login(office.clerk).post(
        "/incidents/new/", form_data(office, old, FEB, responsible=[newcomer.pk])
    )
    assert response.context["form"].errors["responsible"] == [
        "王新来于2026年3月2日入职，晚于事件发生日期2026年2月10日，不能列为责任人。"
    ]
    response = login(office.clerk).post("/incidents/new/", form_data(office, old, FEB))
    assert response.status_code == 302
    assert Incident.objects.get().clause_code == "YW-06"


# --- the sheet ---------------------------------------------------------------------------------

HEADER = ["编号", "发生日期", "类别", "条款编号", "严重程度", "科室", "责任人工号", "情况描述"]


def test_the_sheet_refuses_with_the_same_reasons(tmp_path, office, year, revision):
    make_staff(office.a, "王新来", "001050", start_date=datetime.date(2026, 8, 1))
    data = openpyxl_xlsx(
        [
            HEADER,
            [None, "2026-02-10", "延误", "YW-06", "一般", "秘书科", "001001", "印发延误。"],
            [None, "2026-02-10", "延误", "YW-07", "一般", "秘书科", "001001", "印发延误。"],
            [None, "2026-07-15", "延误", "YW-01", "一般", "秘书科", "001050", "收文积压。"],
            [None, "2019-01-01", "延误", "YW-01", "一般", "秘书科", "001001", "收文积压。"],
        ]
    )
    result = sheets.run(
        "incidents", write(tmp_path, "三误事件.xlsx", data), "三误事件.xlsx", office.supervisor
    )
    assert [str(p) for p in result.problems] == [
        "第 3 行「条款编号」：条款YW-07自2026年4月1日起施行，不适用于2026年2月10日发生的事件。",
        "第 4 行「责任人工号」：王新来于2026年8月1日入职，晚于事件发生日期2026年7月15日，"
        "不能列为责任人。",
        "第 5 行「发生日期」：发生日期2019年1月1日早于2026年1月1日："
        "事件只能登记在最早的未锁定考核期（2026年第1季度）及以后。",
    ]
    assert Incident.objects.count() == 0


def test_someone_who_left_can_be_named_for_a_day_in_post(office):
    """Recorded late: the form offers who left while a day they were in post is still open."""
    appraisal_services.period_open(actor=office.leader, code="2026Q3")
    leaver = make_staff(office.a, "李离岗", "001051", end_date=datetime.date(2026, 7, 10))
    make_staff(office.a, "张早走", "001052", end_date=datetime.date(2026, 6, 30))
    clerk = login(office.clerk)
    page = clerk.get("/incidents/new/").content.decode()
    assert "李离岗（001051）" in page and "已于2026年7月10日离岗" in page
    assert "张早走" not in page  # left before the earliest quarter not locked
    response = clerk.post(
        "/incidents/new/",
        form_data(office, office.delay, datetime.date(2026, 7, 6), responsible=[leaver.pk]),
    )
    assert response.status_code == 302
    assert list(Incident.objects.get().responsible.all()) == [leaver]
