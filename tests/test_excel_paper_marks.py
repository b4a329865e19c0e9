"""Paper marks typed in by the secretary: the administrator imports one 评分 workbook holding
many assessors' marks, each row's 考评人工号 saying whose mark it is (issue 10, item 4)."""

import io
from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client

from efficiency.excel import access, exports, sheets
from efficiency.models import AuditEvent, Section
from efficiency.roles import Role
from efficiency.services import ServiceError
from efficiency.services import appraisal as services

from .conftest import login
from .excel_samples import openpyxl_xlsx, write

# The 评分 sheet's own tests' header, runner and views of the database; ``chinese`` is autouse.
from .test_excel_scores import (  # noqa: F401
    HEADER,
    REASONS,
    chinese,
    marks,
    problems,
    run,
    state,
)


@pytest.fixture
def period(office):
    # The head of 秘书科 (工号 001000) sits in the assessment group too.
    office.head.groups.add(Group.objects.get(name=Role.ASSESSOR))
    return services.period_open(actor=office.leader, code="2026Q3")


def history(obj):
    return [
        (e.actor.username, e.changes)
        for e in AuditEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(obj),
            object_id=str(obj.pk),
            action="score",
        )
    ]


def test_the_administrator_may_import_marks_and_an_outsider_may_not(office):
    assert office.administrator.has_perm("efficiency.enter_marks_for_others")
    assert not office.assessor.has_perm("efficiency.enter_marks_for_others")
    assert access.may_import(office.administrator, "scores")
    assert not access.may_import(office.supervisor, "scores")


def test_the_secretary_types_in_many_assessors_marks(tmp_path, office, period):
    data = openpyxl_xlsx(
        [
            HEADER + REASONS,
            ["2026Q3", "个人", "001001", "assessor", 88.5, 90, 92],
            ["2026Q3", "个人", "001001", "leader", 80, None, None],
            ["2026Q3", "科室", "ZHK", "001000", 86, None, None],
            # 工号 typed as a number lost its zeros: 1000 is still 刘科长's.
            ["2026Q3", "个人", "002001", 1000, 100, None, None, "获市级表彰"],
        ]
    )
    result = run(tmp_path, data, office.administrator)
    assert result.ok, problems(result)
    assert marks() == [
        ("assessor", "001001", "duty", Decimal("88.5"), ""),
        ("assessor", "001001", "performance", Decimal("90"), ""),
        ("assessor", "001001", "service", Decimal("92"), ""),
        ("head", "002001", "duty", Decimal("100"), "获市级表彰"),
        ("head", "ZHK", "duty", Decimal("86"), ""),
        ("leader", "001001", "duty", Decimal("80"), ""),
    ]
    # Each entry's actor is who typed it in (录入人); it names whose mark it is (评分人).
    assert history(office.person) == [
        ("administrator", {"2026Q3 履行职责": ["", "88.5"], "assessor": ["", "assessor"]}),
        ("administrator", {"2026Q3 工作绩效": ["", "90"], "assessor": ["", "assessor"]}),
        ("administrator", {"2026Q3 服务质量": ["", "92"], "assessor": ["", "assessor"]}),
        ("administrator", {"2026Q3 履行职责": ["", "80"], "assessor": ["", "leader"]}),
    ]
    assert history(office.b) == [
        ("administrator", {"2026Q3 履行职责": ["", "86"], "assessor": ["", "刘科长（001000）"]})
    ]

    again = run(tmp_path, data, office.administrator)
    assert again.counts == {"create": 0, "update": 0, "unchanged": 4, "error": 0}


def test_the_history_page_shows_both_people(tmp_path, office, period):
    data = openpyxl_xlsx([HEADER, ["2026Q3", "科室", "ZHK", "001000", 86]])
    assert run(tmp_path, data, office.administrator).ok
    services.score_save(
        assessor=office.assessor,
        period=period,
        criterion_code="duty",
        value="85",
        section=office.b,
    )
    page = admin.site._registry[AuditEvent]
    entered, own = AuditEvent.objects.filter(action="score").order_by("pk")
    assert page.entered(entered) == "录入人：administrator，评分人：刘科长（001000）"
    assert (own.actor, page.entered(own)) == (office.assessor, "")
    client = Client()
    client.force_login(office.administrator)
    response = client.get("/admin/efficiency/auditevent/")
    assert response.status_code == 200
    assert "录入人：administrator，评分人：刘科长（001000）" in response.content.decode()


def test_every_rule_holds_row_by_row_for_the_rows_assessor(tmp_path, office, period):
    data = openpyxl_xlsx(
        [
            HEADER + REASONS,
            ["2026Q3", "个人", "001000", "001000", 80],
            ["2026Q3", "科室", "MSK", "001000", 80],
            ["2026Q3", "个人", "001001", "assessor", 100],
            ["2026Q3", "个人", "001002", "assessor", 55],
            ["2026Q3", "个人", "001002", "001009", 80],
            ["2026Q3", "个人", "001002", "009999", 80],
            ["2026Q3", "个人", "002001", "leader", 80],
            ["2026Q3", "个人", "002001", "assessor", 80],
            ["2026Q3", "个人", "002001", "assessor", 81],
            ["2025Q1", "个人", "002001", "001000", 80],
        ]
    )
    before = state()
    result = run(tmp_path, data, office.administrator)
    assert problems(result) == [
        "第 2 行「对象编号」：考评人001000：不能给本人评分。",
        "第 3 行「对象编号」：考评人001000：科室负责人不能给本科室评分。",
        "第 4 行「履行职责理由」：评100分或60分以下须填写理由。",
        "第 5 行「履行职责理由」：评100分或60分以下须填写理由。",
        "第 6 行「考评人工号」：考评人001009不是考评小组成员",
        "第 7 行「考评人工号」：没有工号或登录名为“009999”的账号",
        "第 10 行「对象编号」：“002001” 与第 9 行重复",
        "第 11 行「考核期」：考核期 2025Q1 不存在",
    ]
    # Row 8 (and row 9) are good, yet nothing is written: all or nothing.
    assert [p.action for p in result.rows][6:8] == ["create", "create"]
    assert state() == before


def test_an_assessor_still_imports_only_their_own_marks(tmp_path, office, period):
    data = openpyxl_xlsx(
        [
            HEADER,
            ["2026Q3", "个人", "001001", "001000", 80],
            ["2026Q3", "个人", "001002", "assessor", 80],
        ]
    )
    before = state()
    result = run(tmp_path, data, office.head)
    assert problems(result) == [
        "第 3 行「考评人工号」：只能导入本人的评分，此行的考评人是“assessor”"
    ]
    assert state() == before


def test_only_the_administrator_enters_marks_for_someone_else(office, period):
    def give(assessor, entered_by):
        return services.score_save(
            assessor=assessor,
            period=period,
            criterion_code="duty",
            value="80",
            staff=office.person,
            entered_by=entered_by,
        )

    with pytest.raises(ServiceError) as caught:
        give(office.assessor, office.head)
    assert caught.value.message == "只有系统管理员可以代为录入其他考评人的评分。"
    with pytest.raises(ServiceError) as caught:
        give(office.clerk, office.administrator)
    assert caught.value.message == "只有考评小组成员可以评分。"
    # Entering one's own mark is simply giving it.
    give(office.assessor, office.assessor)
    assert history(office.person) == [("assessor", {"2026Q3 履行职责": ["", "80"]})]


def test_the_command_line_works_the_same(tmp_path, office, period):
    path = write(
        tmp_path,
        "纸质评分.xlsx",
        openpyxl_xlsx(
            [
                HEADER,
                ["2026Q3", "个人", "001001", "assessor", 80],
                ["2026Q3", "个人", "001001", "001000", 82],
                ["2026Q3", "科室", "DCS", "leader", 84],
            ]
        ),
    )
    out = io.StringIO()
    call_command("import_xlsx", "scores", str(path), "--user", "administrator", stdout=out)
    assert marks() == [
        ("assessor", "001001", "duty", Decimal("80"), ""),
        ("head", "001001", "duty", Decimal("82"), ""),
        ("leader", "DCS", "duty", Decimal("84"), ""),
    ]
    assert {e.actor.username for e in AuditEvent.objects.filter(action="score")} == {
        "administrator"
    }

    bad = write(
        tmp_path,
        "坏.xlsx",
        openpyxl_xlsx([HEADER, ["2026Q3", "个人", "001000", "001000", 80]]),
    )
    before = state()
    with pytest.raises(CommandError):
        call_command(
            "import_xlsx",
            "scores",
            str(bad),
            "--user",
            "administrator",
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
    assert state() == before


def test_the_secretarys_workbook_round_trips(tmp_path, office, period):
    for assessor, value in [(office.assessor, "88"), (office.leader, "90"), (office.head, "100")]:
        services.score_save(
            assessor=assessor,
            period=period,
            criterion_code="duty",
            value=value,
            reason="表现突出" if value == "100" else "",
            staff=office.other_person,
        )
    services.score_save(
        assessor=office.head,
        period=period,
        criterion_code="service",
        value="86",
        section=Section.objects.get(code="DCS"),
    )
    name, data = exports.export("scores", user=office.administrator, period="2026Q3")
    preview = sheets.preview("scores", write(tmp_path, name, data), name, office.administrator)
    assert preview.ok, problems(preview)
    assert sorted((p.key, p.action) for p in preview.rows) == [
        ("002001", "unchanged"),
        ("002001", "unchanged"),
        ("002001", "unchanged"),
        ("DCS", "unchanged"),
    ]
    assert not preview.changes_anything


def test_the_upload_page_takes_the_secretarys_workbook(settings, tmp_path, office, period):
    settings.EXCEL_UPLOAD_DIR = tmp_path / "uploads"
    client = login(office.administrator)
    data = openpyxl_xlsx(
        [
            HEADER,
            ["2026Q3", "个人", "001001", "assessor", 80],
            ["2026Q3", "个人", "001001", "001000", 82],
        ]
    )
    response = client.post(
        "/excel/import/scores/", {"file": SimpleUploadedFile("纸质评分.xlsx", data)}
    )
    preview_url = response["Location"]
    page = client.get(preview_url)
    assert page.context["counts"] == {"create": 2, "update": 0, "unchanged": 0, "error": 0}
    html = page.content.decode()
    assert "王建国（评分人：assessor）" in html and "王建国（评分人：刘科长（001000））" in html
    assert marks() == []
    response = client.post(preview_url + "confirm/")
    assert response.status_code == 302
    assert marks() == [
        ("assessor", "001001", "duty", Decimal("80"), ""),
        ("head", "001001", "duty", Decimal("82"), ""),
    ]
