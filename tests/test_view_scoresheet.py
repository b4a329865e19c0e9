"""The assessor's score sheet (/appraisal/<code>/sheet/) and its per-cell save endpoint."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from efficiency.models import AuditEvent, Period, Score
from efficiency.models.audit import AuditAction
from efficiency.roles import Role
from efficiency.services import appraisal as services

from .conftest import login
from .factories import make_staff

SHEET = "/appraisal/2026Q3/sheet/"
SECTIONS = "/appraisal/2026Q3/sheet/sections/"
SAVE = "/appraisal/2026Q3/sheet/save/"
NOT_OPEN = "考核期2026Q3未开放评分，分数不能修改。"
REASON_NEEDED = "评100分或60分以下须填写理由。"


@pytest.fixture
def period(office):
    return services.period_open(actor=office.leader, code="2026Q3")


def give(assessor, period, subject, value, criterion="duty", reason=""):
    key = "staff" if hasattr(subject, "staff_no") else "section"
    return services.score_save(
        assessor=assessor,
        period=period,
        criterion_code=criterion,
        value=value,
        reason=reason,
        **{key: subject},
    )


def save(client, subject="staff", id=None, criterion="duty", value="", reason="", url=SAVE):
    return client.post(
        url,
        {"subject": subject, "id": id, "criterion": criterion, "value": value, "reason": reason},
    )


def sheet_rows(response) -> dict[str, dict[str, str]]:
    """工号 (or 科室代码) -> criterion code -> the value shown."""
    return {
        row.key: {cell.criterion: cell.value for cell in row.cells}
        for group in response.context["groups"]
        for row in group.rows
    }


def scores():
    return sorted(
        Score.objects.values_list(
            "assessor__username", "staff__staff_no", "section__code", "criterion__code", "tenths"
        ),
        key=str,
    )


# --- who may open a sheet --------------------------------------------------------------------


@pytest.mark.parametrize("url", [SHEET, SECTIONS])
def test_it_sends_anonymous_visitors_to_log_in(period, url):
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    "persona", ["clerk", "head", "head_b", "supervisor", "administrator", "named", "outsider"]
)
@pytest.mark.parametrize("url", [SHEET, SECTIONS])
def test_it_refuses_everyone_outside_the_assessment_group(office, period, persona, url):
    assert login(getattr(office, persona)).get(url).status_code == 403


def test_it_shows_each_assessor_their_own_marks(office, period):
    give(office.assessor, period, office.person, "80")
    give(office.leader, period, office.person, "70")
    give(office.leader, period, office.b, "91.5", criterion="service")

    mine = login(office.assessor).get(SHEET)
    leaders = login(office.leader).get(SHEET)
    leaders_sections = login(office.leader).get(SECTIONS)

    assert mine.status_code == leaders.status_code == leaders_sections.status_code == 200
    assert sheet_rows(mine)["001001"] == {"duty": "80", "performance": "", "service": ""}
    assert sheet_rows(leaders)["001001"] == {"duty": "70", "performance": "", "service": ""}
    assert sheet_rows(leaders_sections)["ZHK"]["service"] == "91.5"
    html = mine.content.decode()
    assert 'value="80"' in html and 'value="70"' not in html
    assert "履行职责（40%）" in html and "服务质量（20%）" in html


def test_it_groups_people_by_section_with_every_person_in_post(office, period):
    response = login(office.assessor).get(SHEET)
    groups = response.context["groups"]
    assert [g.title for g in groups] == ["秘书科", "综合科", "督查室"]
    assert [r.key for r in groups[0].rows] == ["001000", "001001", "001002", "001009"]
    assert response.context["to_mark"] == 8 * 3
    assert response.context["marked"] == 0
    assert 'id="sheet-search"' in response.content.decode()


def test_it_leaves_out_people_who_left_before_the_quarter(office, period):
    make_staff(office.a, "钱已调走", "001077", end_date=datetime.date(2026, 6, 30))
    make_staff(office.a, "孙七月走", "001078", end_date=datetime.date(2026, 7, 31))
    rows = sheet_rows(login(office.assessor).get(SHEET))
    assert "001077" not in rows
    assert "001078" in rows


def test_it_counts_progress_for_this_assessor_only(office, period):
    give(office.assessor, period, office.person, "80")
    give(office.assessor, period, office.person, "81", criterion="service")
    give(office.leader, period, office.colleague, "75")
    response = login(office.assessor).get(SHEET)
    assert (response.context["marked"], response.context["to_mark"]) == (2, 24)


def test_an_assessor_never_sees_a_row_for_themself(office, period):
    make_staff(office.b, "考评员本人", "002077", user=office.assessor)
    rows = sheet_rows(login(office.assessor).get(SHEET))
    assert "002077" not in rows
    assert "002001" in rows


def test_a_section_head_never_sees_their_own_section(office, period):
    office.head.groups.add(Group.objects.get(name=Role.ASSESSOR))
    sections = sheet_rows(login(office.head).get(SECTIONS))
    assert "MSK" not in sections
    assert {"ZHK", "DCS"} <= set(sections)
    people = sheet_rows(login(office.head).get(SHEET))
    assert "001000" not in people  # himself
    assert "001001" in people  # the people of his section are marked like anyone else


def test_a_period_that_does_not_exist_is_not_found(office):
    client = login(office.assessor)
    assert client.get("/appraisal/2030Q1/sheet/").status_code == 404
    assert client.get("/appraisal/2030Q1/sheet/sections/").status_code == 404
    assert client.get("/appraisal/2026Q5/sheet/").status_code == 404


# --- a period that is not open: read-only ----------------------------------------------------


@pytest.mark.parametrize("state", ["closed", "locked"])
def test_a_period_that_is_not_open_shows_the_marks_read_only(office, period, state):
    give(office.assessor, period, office.person, "100", reason="全年无差错。")
    services.period_close(actor=office.leader, period=period)
    if state == "locked":
        services.period_lock(actor=office.leader, period=period)
    label = {"closed": "已关闭（公示中）", "locked": "已锁定"}[state]

    for url in (SHEET, SECTIONS):
        response = login(office.assessor).get(url)
        html = response.content.decode()
        assert response.status_code == 200
        assert f"本考核期未开放评分（当前状态：{label}），以下为您的评分，仅供查看。" in html
        assert '<input type="text"' not in html
        assert "data-save-url" not in html
    html = login(office.assessor).get(SHEET).content.decode()
    assert '<span class="mark-value">100</span>' in html
    assert "全年无差错。" in html


def test_a_draft_period_has_nothing_to_mark(office):
    Period.objects.create(code="2026Q4", year=2026, quarter=4)
    html = login(office.assessor).get("/appraisal/2026Q4/sheet/").content.decode()
    assert "本考核期未开放评分（当前状态：草稿），以下为您的评分，仅供查看。" in html
    assert "本考核期尚未开启，暂无考核指标可供评分。" in html


# --- the sheet costs the same number of queries for 5 or 25 more people ----------------------


def _sheet_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_sheet_queries_do_not_grow_with_the_number_of_people(office, period):
    client = login(office.assessor)

    def add_people(count, start):
        for n in range(start, start + count):
            person = make_staff(office.b, f"人员{n}", f"0030{n:02d}")
            for code in ("duty", "performance"):
                give(office.assessor, period, person, "85", criterion=code)

    add_people(5, 0)
    # A first request refreshes the new session (SessionRefreshMiddleware); count after it.
    client.get("/")
    small = _sheet_queries(client, SHEET)
    add_people(20, 5)
    large = _sheet_queries(client, SHEET)
    assert len(sheet_rows(client.get(SHEET))) == 8 + 25
    assert small == large


def test_the_section_sheet_queries_do_not_grow_with_the_number_of_people(office, period):
    client = login(office.leader)
    # A first request refreshes the new session (SessionRefreshMiddleware); count after it.
    client.get("/")
    small = _sheet_queries(client, SECTIONS)
    for n in range(25):
        make_staff(office.b, f"人员{n}", f"0031{n:02d}")
    assert _sheet_queries(client, SECTIONS) == small


# --- saving a cell ---------------------------------------------------------------------------


def test_it_saves_changes_and_clears_a_mark(office, period):
    client = login(office.assessor)

    response = save(client, id=office.person.pk, value="87.5")
    assert response.status_code == 200
    assert response.json() == {"ok": True, "message": "已保存。", "value": "87.5"}
    assert scores() == [("assessor", "001001", None, "duty", 875)]

    response = save(client, id=office.person.pk, value=" 90，0 ")
    assert response.json()["value"] == "90"
    assert scores() == [("assessor", "001001", None, "duty", 900)]

    response = save(client, id=office.person.pk, value="")
    assert response.status_code == 200
    assert response.json() == {"ok": True, "message": "评分已清除。", "value": ""}
    assert scores() == []


def test_it_saves_a_section_mark(office, period):
    response = save(login(office.assessor), subject="section", id=office.b.pk, value="88")
    assert response.json()["ok"] is True
    assert scores() == [("assessor", None, "ZHK", "duty", 880)]


@pytest.mark.parametrize("value", ["100", "59.9", "0"])
def test_a_mark_of_100_or_below_60_needs_a_reason(office, period, value):
    client = login(office.assessor)
    response = save(client, id=office.person.pk, value=value, reason="   ")
    assert response.status_code == 400
    assert response.json() == {"ok": False, "message": REASON_NEEDED, "value": None}
    assert scores() == []

    response = save(client, id=office.person.pk, value=value, reason="牵头完成重大活动保障。")
    assert response.json()["ok"] is True
    assert Score.objects.get().reason == "牵头完成重大活动保障。"


def test_a_reason_given_with_an_ordinary_mark_is_not_kept(office, period):
    client = login(office.assessor)
    save(client, id=office.person.pk, value="80", reason="顺手写的")
    save(client, id=office.person.pk, value="80", reason="又写一遍")
    assert Score.objects.get().reason == ""
    assert AuditEvent.objects.filter(action=AuditAction.SCORE).count() == 1


def test_saving_the_same_mark_twice_changes_nothing(office, period):
    client = login(office.assessor)
    first = save(client, id=office.person.pk, value="100", reason="表现突出。")
    second = save(client, id=office.person.pk, value="100.0", reason="表现突出。")
    assert first.json() == second.json() == {"ok": True, "message": "已保存。", "value": "100"}
    assert Score.objects.count() == 1
    assert AuditEvent.objects.filter(action=AuditAction.SCORE).count() == 1


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("100.1", "分数须在0至100之间。"),
        ("-1", "分数须在0至100之间。"),
        ("1e3", "分数须在0至100之间。"),
        ("NaN", "分数须在0至100之间。"),
        ("87.55", "分数最多保留一位小数。"),
        ("abc", "“abc”不是有效的分数。"),
        ("八十", "“八十”不是有效的分数。"),
    ],
)
def test_it_refuses_a_bad_mark_and_keeps_the_old_one(office, period, value, message):
    give(office.assessor, period, office.person, "80")
    response = save(login(office.assessor), id=office.person.pk, value=value)
    assert response.status_code == 400
    assert response.json() == {"ok": False, "message": message, "value": None}
    assert scores() == [("assessor", "001001", None, "duty", 800)]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"subject": "person"}, "请指定评分对象（个人或科室）。"),
        ({"subject": ""}, "请指定评分对象（个人或科室）。"),
        ({"id": ""}, "本考核期评分表中没有该人员。"),
        ({"id": "abc"}, "本考核期评分表中没有该人员。"),
        ({"id": "-1"}, "本考核期评分表中没有该人员。"),
        ({"id": "999999"}, "本考核期评分表中没有该人员。"),
        ({"id": "99999999999999999999999"}, "本考核期评分表中没有该人员。"),
        ({"subject": "section", "id": "999999"}, "本考核期评分表中没有该科室。"),
        ({"criterion": "nonsense"}, "本考核期没有该考核指标。"),
        ({"criterion": ""}, "本考核期没有该考核指标。"),
    ],
)
def test_it_refuses_bad_ids_and_changes_nothing(office, period, fields, message):
    give(office.assessor, period, office.person, "80")
    data = {"subject": "staff", "id": office.person.pk, "value": "90", **fields}
    response = save(login(office.assessor), **data)
    assert response.status_code == 400
    assert response.json() == {"ok": False, "message": message, "value": None}
    assert scores() == [("assessor", "001001", None, "duty", 800)]


def test_it_refuses_someone_who_left_before_the_quarter(office, period):
    gone = make_staff(office.a, "钱已调走", "001077", end_date=datetime.date(2026, 6, 30))
    response = save(login(office.assessor), id=gone.pk, value="80")
    assert response.status_code == 400
    assert response.json()["message"] == "本考核期评分表中没有该人员。"
    assert scores() == []


def test_it_refuses_a_period_that_does_not_exist(office):
    response = save(
        login(office.assessor), id=office.person.pk, value="80", url="/appraisal/2030Q1/sheet/save/"
    )
    assert response.status_code == 400
    assert response.json()["message"] == "考核期2030Q1不存在。"


def test_it_refuses_a_mark_for_oneself_or_ones_own_section(office, period):
    office.head.groups.add(Group.objects.get(name=Role.ASSESSOR))
    client = login(office.head)
    mine = save(client, id=office.head.staff.pk, value="95")
    section = save(client, subject="section", id=office.a.pk, value="95")
    assert (mine.status_code, mine.json()["message"]) == (400, "不能给本人评分。")
    assert (section.status_code, section.json()["message"]) == (400, "科室负责人不能给本科室评分。")
    assert scores() == []


def test_it_refuses_too_long_a_reason(office, period):
    response = save(login(office.assessor), id=office.person.pk, value="100", reason="很" * 501)
    assert response.status_code == 400
    assert response.json()["message"] == "理由不能超过500个字。"
    assert scores() == []


@pytest.mark.parametrize("state", ["closed", "locked"])
def test_it_refuses_marks_once_the_period_is_closed(office, period, state):
    give(office.assessor, period, office.person, "80")
    services.period_close(actor=office.leader, period=period)
    if state == "locked":
        services.period_lock(actor=office.leader, period=period)
    client = login(office.assessor)
    for value in ("90", ""):
        response = save(client, id=office.person.pk, value=value)
        assert response.status_code == 400
        assert response.json() == {"ok": False, "message": NOT_OPEN, "value": None}
    assert scores() == [("assessor", "001001", None, "duty", 800)]


# --- who may save ----------------------------------------------------------------------------


def test_saving_is_post_only(office, period):
    assert login(office.assessor).get(SAVE).status_code == 405
    assert Client().get(SAVE).status_code == 405


def test_saving_needs_a_login(office, period):
    response = save(Client(), id=office.person.pk, value="80")
    assert response.status_code == 302
    assert scores() == []


@pytest.mark.parametrize(
    "persona", ["clerk", "head", "head_b", "supervisor", "administrator", "named", "outsider"]
)
def test_saving_is_refused_outside_the_assessment_group(office, period, persona):
    response = save(login(getattr(office, persona)), id=office.person.pk, value="80")
    assert response.status_code == 403
    assert response.json() == {"ok": False, "message": "只有考评小组成员可以评分。", "value": None}
    assert scores() == []


def test_saving_needs_the_csrf_token(office, period):
    client = Client(enforce_csrf_checks=True)
    client.force_login(office.assessor)
    response = save(client, id=office.person.pk, value="80")
    assert response.status_code == 403
    assert scores() == []
