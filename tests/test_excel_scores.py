"""The 评分 sheet: an assessor's own marks, through score_save, into an open period only."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.utils import translation

from efficiency.excel import engine, exports, sheets
from efficiency.models import AuditEvent, ImportRecord, Score, Staff
from efficiency.roles import Role
from efficiency.services import appraisal as services

from .excel_samples import openpyxl_xlsx, write, xlsxwriter_xlsx

HEADER = ["考核期", "对象类型", "对象编号", "考评人工号", "履行职责", "工作绩效", "服务质量"]
REASONS = ["履行职责理由", "工作绩效理由", "服务质量理由"]


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def period(office):
    return services.period_open(actor=office.leader, code="2026Q3")


def run(tmp_path, data, actor, name="评分.xlsx", dry_run=False):
    return sheets.run("scores", write(tmp_path, name, data), name, actor, dry_run=dry_run)


def marks():
    return sorted(
        (
            s.assessor.username,
            s.staff.staff_no if s.staff else s.section.code,
            s.criterion.code,
            s.mark,
            s.reason,
        )
        for s in Score.objects.select_related("assessor", "staff", "section", "criterion")
    )


def state():
    return (marks(), AuditEvent.objects.count(), ImportRecord.objects.count())


def problems(result):
    return [str(p) for p in result.problems]


def test_an_assessor_imports_their_own_marks(tmp_path, office, period):
    data = openpyxl_xlsx(
        [
            HEADER + REASONS,
            ["2026Q3", "个人", "001001", "assessor", 88.5, 90, "92"],
            ["2026年第3季度", "个人", 1002, "assessor", 100, 85, 80, "获市级表彰"],
            ["2026q3", "科室", "zhk", "assessor", 86, None, 88],
        ]
    )
    result = run(tmp_path, data, office.assessor)
    assert result.ok, problems(result)
    assert (result.record.created, result.record.period) == (3, period)
    assert marks() == [
        ("assessor", "001001", "duty", Decimal("88.5"), ""),
        ("assessor", "001001", "performance", Decimal("90"), ""),
        ("assessor", "001001", "service", Decimal("92"), ""),
        ("assessor", "001002", "duty", Decimal("100"), "获市级表彰"),
        ("assessor", "001002", "performance", Decimal("85"), ""),
        ("assessor", "001002", "service", Decimal("80"), ""),
        ("assessor", "ZHK", "duty", Decimal("86"), ""),
        ("assessor", "ZHK", "service", Decimal("88"), ""),
    ]
    given = AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(Staff), object_id=str(office.person.pk)
    )
    assert [(e.action, e.actor, e.changes) for e in given] == [
        ("score", office.assessor, {"2026Q3 履行职责": ["", "88.5"]}),
        ("score", office.assessor, {"2026Q3 工作绩效": ["", "90"]}),
        ("score", office.assessor, {"2026Q3 服务质量": ["", "92"]}),
    ]

    again = run(tmp_path, data, office.assessor)
    assert again.counts == {"create": 0, "update": 0, "unchanged": 3, "error": 0}


def test_changes_and_blanks(tmp_path, office, period):
    services.score_save(
        assessor=office.assessor,
        period=period,
        criterion_code="duty",
        value="80",
        staff=office.person,
    )
    services.score_save(
        assessor=office.assessor,
        period=period,
        criterion_code="service",
        value="70",
        staff=office.person,
    )
    data = openpyxl_xlsx([HEADER, ["2026Q3", "个人", "001001", "assessor", 82, 75, None]])
    preview = sheets.preview("scores", write(tmp_path, "p.xlsx", data), "p.xlsx", office.assessor)
    (row,) = preview.rows
    assert row.action == "update"
    assert [(c.column, c.old, c.new) for c in row.changes] == [
        ("履行职责", "80", "82"),
        ("工作绩效", "", "75"),
    ]
    run(tmp_path, data, office.assessor)
    assert [m[2:4] for m in marks()] == [
        ("duty", Decimal("82")),
        ("performance", Decimal("75")),
        ("service", Decimal("70")),  # a blank mark leaves the recorded one
    ]


def test_every_rule_of_the_score_sheet_holds(tmp_path, office, period):
    office.head.groups.add(Group.objects.get(name=Role.ASSESSOR))
    data = xlsxwriter_xlsx(
        [
            HEADER + REASONS,
            ["2026Q3", "个人", "001000", "001000", 80],
            ["2026Q3", "科室", "MSK", "001000", 80],
            ["2026Q3", "个人", "001001", "001000", 100],
            ["2026Q3", "个人", "001002", "001000", 101, 88.55, "良好"],
            ["2026Q3", "个人", "001009", "assessor", 80],
            ["2025Q1", "个人", "001009", "001000", 80],
            ["2026Q3", "部门", "001009", "001000", 80],
            ["2026Q3", "个人", "009999", "001000", 80],
            ["2026Q3", "科室", "XCK", "001000", 80],
            ["2026Q3", "个人", "002001", "001000", 80],
            ["2026Q3", "个人", "002001", "001000", 81],
        ]
    )
    before = state()
    result = run(tmp_path, data, office.head)
    assert problems(result) == [
        "第 2 行「对象编号」：不能给本人评分。",
        "第 3 行「对象编号」：科室负责人不能给本科室评分。",
        "第 4 行「履行职责理由」：评100分或60分以下须填写理由。",
        "第 5 行「履行职责」：分数须在0至100之间。",
        "第 5 行「工作绩效」：分数最多保留一位小数。",
        "第 5 行「服务质量」：“良好”不是有效的分数。",
        "第 6 行「考评人工号」：只能导入本人的评分，此行的考评人是“assessor”",
        "第 7 行「考核期」：考核期 2025Q1 不存在",
        "第 8 行「对象类型」：“部门” 不在可选值之内：个人、科室",
        "第 9 行「对象编号」：人员名册中没有工号“009999”",
        "第 10 行「对象编号」：“XCK” 不是科室代码",
        "第 12 行「对象编号」：“002001” 与第 11 行重复",
    ]
    assert state() == before


@pytest.mark.parametrize("state_name", ["closed", "locked"])
# The administrator typing in paper marks is held to the period like the assessor.
@pytest.mark.parametrize("importer", ["assessor", "administrator"])
def test_nobody_imports_into_a_closed_or_locked_period(
    tmp_path, office, period, state_name, importer
):
    services.period_close(actor=office.leader, period=period)
    if state_name == "locked":
        services.period_lock(actor=office.leader, period=period)
    label = {"closed": "已关闭（公示中）", "locked": "已锁定"}[state_name]
    data = openpyxl_xlsx([HEADER, ["2026Q3", "个人", "001001", "assessor", 80]])
    before = state()
    result = run(tmp_path, data, getattr(office, importer))
    assert problems(result) == [
        f"第 2 行「考核期」：考核期 2026Q3 当前为“{label}”，只有在评分阶段才能导入评分"
    ]
    assert state() == before


def test_a_criterion_the_period_does_not_have(tmp_path, office, period):
    from efficiency.models import Criterion

    Criterion.objects.create(code="integrity", name="廉洁自律", weight=10, active=False)
    data = openpyxl_xlsx(
        [HEADER + ["廉洁自律"], ["2026Q3", "个人", "001001", "assessor", 80, None, None, 90]]
    )
    result = run(tmp_path, data, office.assessor)
    assert problems(result) == ["第 2 行「廉洁自律」：考核期 2026Q3 没有“廉洁自律”这项考核指标"]


def test_an_assessors_own_export_is_ready_to_fill_and_reimports(tmp_path, office, period):
    services.score_save(
        assessor=office.assessor,
        period=period,
        criterion_code="duty",
        value="60",
        staff=office.person,
    )
    name, data = exports.export("scores", user=office.assessor, period="2026Q3")
    assert name == "评分_2026Q3.xlsx"
    preview = sheets.preview("scores", write(tmp_path, name, data), name, office.assessor)
    subjects = {(p.key, p.action) for p in preview.rows}
    assert ("001001", "unchanged") in subjects
    assert {"MSK", "ZHK", "DCS", "002001", "001009"} <= {key for key, _action in subjects}
    assert preview.ok and not preview.changes_anything


def test_only_assessors_import_marks(tmp_path, office, period):
    with pytest.raises(engine.NotAllowed) as caught:
        run(tmp_path, openpyxl_xlsx([HEADER]), office.supervisor)
    assert caught.value.message == "您没有导入“评分”表的权限。"
    with pytest.raises(engine.NotAllowed) as caught:
        run(tmp_path, openpyxl_xlsx([HEADER]), None)
    assert caught.value.message == "导入评分须用 --user 指定考评人本人的账号。"
