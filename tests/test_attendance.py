"""出勤情况: the service that records it, and the page /appraisal/<code>/attendance/."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from efficiency.models import Attendance, AuditEvent
from efficiency.models.audit import AuditAction
from efficiency.services import ServiceError
from efficiency.services import appraisal as appraisal_services
from efficiency.services.attendance import record_attendance

from .conftest import PERSONAS, login
from .factories import make_staff

PAGE = "/appraisal/2026Q3/attendance/"


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def period(office):
    return appraisal_services.period_open(actor=office.leader, code="2026Q3")


def record(office, period, staff=None, absent=0, leave="0", late=0):
    return record_attendance(
        actor=office.administrator,
        period=period,
        staff=staff or office.person,
        absent_days=absent,
        leave_days=Decimal(leave),
        late_times=late,
    )


def figures():
    return sorted(
        (a.period.code, a.staff.staff_no, a.absent_days, a.leave_days, a.late_times)
        for a in Attendance.objects.select_related("period", "staff")
    )


# --- the service ------------------------------------------------------------------------------


def test_it_records_and_keeps_history(office, period):
    record(office, period, absent=1, leave="1.5", late=2)
    assert figures() == [("2026Q3", "001001", 1, Decimal("1.5"), 2)]
    event = AuditEvent.objects.get(action=AuditAction.CREATE, object_repr="2026Q3 王建国")
    assert event.actor == office.administrator
    assert event.changes == {
        "absent_days": ["0", "1"],
        "leave_days": ["0.0", "1.5"],
        "late_times": ["0", "2"],
    }

    record(office, period, absent=1, leave="2", late=2)
    change = AuditEvent.objects.filter(action=AuditAction.CHANGE).get()
    assert change.changes == {"leave_days": ["1.5", "2.0"]}


def test_the_same_figures_again_change_nothing(office, period):
    record(office, period, leave="1.5")
    record(office, period, leave="1.50")
    record(office, period, staff=office.colleague)  # all zeros, nothing recorded: no row
    assert AuditEvent.objects.filter(object_repr__startswith="2026Q3").count() == 1
    assert figures() == [("2026Q3", "001001", 0, Decimal("1.5"), 0)]


@pytest.mark.parametrize(
    "values, message",
    [
        ({"absent": -1}, "旷工天数：确保该值大于或等于0。"),
        ({"leave": "1.3"}, "病事假天数：天数按整天或半天填写，如 1.5。"),
        ({"late": -2}, "迟到早退次数：确保该值大于或等于0。"),
        ({"absent": 50, "leave": "42.5"}, "旷工天数与病事假天数合计 92.5 天，超过本季度的 92 天。"),
    ],
)
def test_it_refuses_impossible_figures_in_chinese(office, period, values, message):
    with pytest.raises(ServiceError) as error:
        record(office, period, **values)
    assert error.value.message == message
    assert not Attendance.objects.exists()


def test_it_refuses_a_locked_period(office, period):
    record(office, period, late=1)
    appraisal_services.period_close(actor=office.leader, period=period)
    appraisal_services.period_lock(actor=office.leader, period=period)
    with pytest.raises(ServiceError) as error:
        record(office, period, late=3)
    assert error.value.message == "考核期2026Q3已锁定，不能再作任何修改。"
    assert figures() == [("2026Q3", "001001", 0, Decimal("0.0"), 1)]


def test_it_refuses_someone_not_on_the_roster_that_quarter(office, period):
    gone = make_staff(office.a, "钱已调", "001099", end_date=datetime.date(2026, 6, 30))
    with pytest.raises(ServiceError) as error:
        record(office, period, staff=gone, absent=1)
    assert error.value.message == "钱已调（001099）在 2026Q3 期间不在人员名册中。"


def test_only_the_administrator_records(office, period):
    with pytest.raises(ServiceError) as error:
        record_attendance(
            actor=office.leader,
            period=period,
            staff=office.person,
            absent_days=1,
            leave_days=Decimal(0),
            late_times=0,
        )
    assert error.value.message == "只有系统管理员可以登记出勤情况。"


# --- the page ---------------------------------------------------------------------------------


def row(client, staff_no, **values):
    data = {"staff_no": staff_no, "absent_days": 0, "leave_days": 0, "late_times": 0}
    return client.post(PAGE, {**data, **values})


def test_it_works(office, period):
    record(office, period, leave="1.5", late=1)
    page = login(office.administrator).get(PAGE)
    assert page.status_code == 200
    html = page.content.decode()
    assert "出勤情况" in html and "王建国" in html and "赵志强" in html
    by_no = {r.staff.staff_no: r for r in page.context["rows"]}
    assert by_no["001001"].form.initial == {
        "absent_days": 1 - 1,
        "leave_days": "1.5",
        "late_times": 1,
    }
    assert 'form="attendance-001001" name="leave_days" value="1.5"' in html


def test_search_and_section_filter(office, period):
    client = login(office.administrator)
    names = lambda response: [r.staff.name for r in response.context["rows"]]  # noqa: E731
    assert names(client.get(PAGE, {"q": "王建"})) == ["王建国"]
    assert names(client.get(PAGE, {"q": "002001"})) == ["赵志强"]
    b = names(client.get(PAGE, {"section": "ZHK"}))
    assert set(b) == {"赵志强", "周文书", "孙科长"}


def test_pagination(office, period):
    for i in range(35):
        make_staff(office.b, f"测试{i:02d}", f"009{i:03d}")
    client = login(office.administrator)
    first = client.get(PAGE)
    assert len(first.context["rows"]) == 30
    second = client.get(PAGE, {"page": 2})
    assert len(second.context["rows"]) == first.context["page"].paginator.count - 30


def test_a_row_is_saved_and_the_page_comes_back(office, period):
    client = login(office.administrator)
    response = client.post(
        f"{PAGE}?section=MSK&page=1",
        {"staff_no": "001001", "absent_days": "1", "leave_days": "0.5", "late_times": "3"},
    )
    assert response.status_code == 302
    assert response.url == f"{PAGE}?section=MSK&page=1#staff-001001"
    assert figures() == [("2026Q3", "001001", 1, Decimal("0.5"), 3)]
    page = client.get(response.url)
    assert "已保存 王建国 的出勤情况。" in page.content.decode()


def test_errors_are_shown_on_the_row(office, period):
    client = login(office.administrator)
    response = row(client, "001001", leave_days="1.2", absent_days="两")
    assert response.status_code == 400
    html = response.content.decode()
    assert "王建国 的出勤情况未保存，请看该行的提示。" in html
    assert "输入整数。" in html  # absent_days, Django's own words
    response = row(client, "001001", leave_days="1.2")
    html = response.content.decode()
    assert "病事假天数：天数按整天或半天填写，如 1.5。" in html
    assert 'value="1.2"' in html  # what was typed stays, to be corrected
    assert not Attendance.objects.exists()


def test_leaders_read_only(office, period):
    record(office, period, late=2)
    client = login(office.leader)
    page = client.get(PAGE)
    assert page.status_code == 200
    assert page.context["editable"] is False
    assert 'id="attendance-001001"' not in page.content.decode()
    assert "<td>2</td>" in page.content.decode()
    assert row(client, "001001", late_times=5).status_code == 403
    assert figures() == [("2026Q3", "001001", 0, Decimal("0.0"), 2)]


def test_a_locked_period_is_read_only_for_the_administrator(office, period):
    appraisal_services.period_close(actor=office.leader, period=period)
    appraisal_services.period_lock(actor=office.leader, period=period)
    client = login(office.administrator)
    page = client.get(PAGE)
    assert "考核期已锁定：出勤情况仅供查看。" in page.content.decode()
    assert row(client, "001001", late_times=5).status_code == 403


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_see_the_page(office, period, persona):
    expected = 200 if persona in ("leader", "administrator") else 403
    assert login(getattr(office, persona)).get(PAGE).status_code == expected


def test_the_clerk_cannot_post(office, period):
    assert row(login(office.clerk), "001001", late_times=5).status_code == 403
    assert not Attendance.objects.exists()


def test_the_period_page_links_to_it(office, period):
    html = login(office.administrator).get("/appraisal/").content.decode()
    assert f'href="{PAGE}"' in html
    assert PAGE not in login(office.clerk).get("/appraisal/").content.decode()


def test_an_unknown_period_is_404(office):
    assert login(office.administrator).get("/appraisal/2031Q1/attendance/").status_code == 404
