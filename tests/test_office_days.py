"""The office's calendar: ``manage.py office_days load 2026``, the admin page that keeps it,
and the selector that hands it to the working-day arithmetic."""

import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from efficiency.models import AuditEvent, DayKind, OfficeDay
from efficiency.models.audit import AuditAction
from efficiency.selectors import office_calendar

from .conftest import login

d = datetime.date


def load(*args):
    from io import StringIO

    out = StringIO()
    call_command("office_days", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_it_loads_the_2026_table_once():
    out = load("load", "2026")
    assert "办公日历 2026：新增 39 天，修改 0 天，已与公布一致 0 天。" in out
    assert OfficeDay.objects.count() == 39
    national_day = OfficeDay.objects.get(date=d(2026, 10, 1))
    assert (national_day.kind, national_day.name) == (DayKind.OFF, "国庆节")
    assert OfficeDay.objects.get(date=d(2026, 10, 10)).kind == DayKind.WORKED
    events = AuditEvent.objects.filter(action=AuditAction.CREATE, object_repr__contains="国庆节")
    assert events.count() == 9
    assert events.first().reason == "按2026年公布的节假日安排载入"

    again = load("load", "2026")
    assert "新增 0 天，修改 0 天，已与公布一致 39 天。" in again
    assert AuditEvent.objects.count() == 39


@pytest.mark.django_db
def test_it_sets_a_day_back_as_published_and_keeps_the_offices_own_days():
    load("load", "2026")
    OfficeDay.objects.filter(date=d(2026, 10, 10)).update(kind=DayKind.OFF)
    own = OfficeDay.objects.create(date=d(2026, 12, 31), kind=DayKind.OFF, name="单位调休")
    out = load("load", "2026")
    assert "修改 1 天" in out
    assert OfficeDay.objects.get(date=d(2026, 10, 10)).kind == DayKind.WORKED
    assert OfficeDay.objects.filter(pk=own.pk).exists()


@pytest.mark.django_db
def test_a_dry_run_changes_nothing():
    out = load("load", "2026", "--dry-run")
    assert "试运行 2026，未保存：将新增 39 天，修改 0 天，已与公布一致 0 天。" in out
    assert "2026-10-01 国庆节 休息日" in out
    assert not OfficeDay.objects.exists()
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "args, message",
    [
        ((), "请说明要做什么：“office_days load 年份”，例如 office_days load 2026。"),
        (
            ("unload", "2026"),
            "请说明要做什么：“office_days load 年份”，例如 office_days load 2026。",
        ),
        (("load", "2031"), "“2031”不是内置了节假日安排的年份；已内置的年份：2026。"),
        (("load", "二〇二六"), "“二〇二六”不是内置了节假日安排的年份；已内置的年份：2026。"),
    ],
)
def test_bad_input_is_refused_in_chinese(args, message):
    with pytest.raises(CommandError) as error:
        load(*args)
    assert str(error.value) == message
    assert not OfficeDay.objects.exists()


@pytest.mark.django_db
def test_the_selector_reads_the_span_asked_for():
    load("load", "2026")
    calendar = office_calendar(d(2026, 9, 1), d(2026, 10, 31))
    assert d(2026, 10, 1) in calendar.off
    assert calendar.worked == frozenset({d(2026, 9, 20), d(2026, 10, 10)})
    assert calendar.add_working_days(d(2026, 9, 24), 5) == d(2026, 10, 9)
    assert d(2026, 1, 1) not in office_calendar(d(2026, 9, 1), d(2026, 10, 31)).off


ADMIN = "/admin/efficiency/officeday/"


def test_the_administrator_keeps_the_calendar_with_history(office):
    load("load", "2026")
    client = login(office.administrator)
    page = client.get(ADMIN, {"date__year": "2026", "kind__exact": "worked"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "办公日历" in html and "调休上班" in html and "星期六" in html
    assert page.context["cl"].result_count == 6
    found = client.get(ADMIN, {"q": "国庆"})
    assert found.context["cl"].result_count == 9

    added = client.post(
        f"{ADMIN}add/", {"date": "2026-12-31", "kind": "off", "name": "单位调休"}, follow=True
    )
    assert added.status_code == 200
    day = OfficeDay.objects.get(date=d(2026, 12, 31))
    event = AuditEvent.objects.filter(object_id=str(day.pk), action=AuditAction.CREATE).get()
    assert event.actor == office.administrator
    assert event.changes["name"] == ["", "单位调休"]

    client.post(f"{ADMIN}{day.pk}/delete/", {"post": "yes"})
    assert not OfficeDay.objects.filter(pk=day.pk).exists()
    removal = AuditEvent.objects.filter(object_id=str(day.pk)).latest("pk")
    assert removal.reason == "已从办公日历中删除。"
    assert removal.changes["kind"] == ["off", ""]


def test_others_cannot_see_the_calendar(office):
    assert login(office.leader).get(ADMIN).status_code in (302, 403)
