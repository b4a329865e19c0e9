"""Staff details (性别, 出生年月, 政治面貌, 职级, 从事或分管工作) and the staff category (人员类别):
the history of every change, the 人员 sheet both ways, the roster page, and 事业编 grade names."""

import datetime
import io

import openpyxl
import pytest
from django.utils import translation

from efficiency import results, wording
from efficiency.excel import exports, layouts, sheets
from efficiency.models import (
    Gender,
    PoliticalStatus,
    Staff,
    StaffCategory,
)
from efficiency.models.audit import AuditAction
from efficiency.reports import annual as annual_report
from efficiency.scoring import AnnualGrade

from .conftest import login
from .excel_samples import openpyxl_xlsx, write
from .report_support import pdf_text, quarter, squeeze
from .test_excel_roster import history, state

pytestmark = pytest.mark.django_db

HEADER = [
    "工号",
    "姓名",
    "科室",
    "性别",
    "出生年月",
    "政治面貌",
    "职级",
    "从事或分管工作",
    "人员类别",
]

DETAILS = {
    "gender": "female",
    "birth_date": datetime.date(1985, 3, 1),
    "political_status": "cpc_member",
    "rank": "四级主任科员",
    "duties": "文秘、档案管理",
    "category": "institution",
}


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def run(tmp_path, data, actor, name="人员.xlsx"):
    return sheets.run("staff", write(tmp_path, name, data), name, actor)


def admin_form(person: Staff, **changes) -> dict:
    form = {
        "staff_no": person.staff_no,
        "name": person.name,
        "section": person.section_id,
        "post": person.post,
        "start_date": "",
        "end_date": "",
        "user": person.user_id or "",
        "gender": person.gender,
        "birth_date": person.birth_date.isoformat() if person.birth_date else "",
        "political_status": person.political_status,
        "rank": person.rank,
        "duties": person.duties,
        "category": person.category,
        "post_since": person.post_since.isoformat() if person.post_since else "",
    }
    form.update(changes)
    return form


# --- the words ---------------------------------------------------------------------------------


def test_institution_staff_have_their_own_grade_names():
    assert [wording.annual_label(g, "institution") for g in AnnualGrade] == [
        "优秀",
        "合格",
        "基本合格",
        "不合格",
    ]
    assert [wording.annual_label(g, "civil_servant") for g in AnnualGrade] == [
        "优秀",
        "称职",
        "基本称职",
        "不称职",
    ]
    assert wording.annual_label(None, "institution") == ""
    labels = wording.annual_count_labels(["civil_servant", "institution"])
    assert labels[AnnualGrade.COMPETENT] == "称职/合格"
    assert labels[AnnualGrade.EXCELLENT] == "优秀"
    assert wording.annual_count_labels([])[AnnualGrade.COMPETENT] == "称职"


def test_the_sheet_words_are_the_models_choices():
    assert set(layouts.GENDERS.values()) == set(Gender.values)
    assert set(layouts.POLITICAL_STATUSES.values()) == set(PoliticalStatus.values)
    assert set(layouts.STAFF_CATEGORIES.values()) == set(StaffCategory.values)
    assert StaffCategory.INSTITUTION == wording.INSTITUTION
    assert Staff._meta.get_field("category").default == wording.CIVIL_SERVANT
    with translation.override("zh-hans"):
        # The page names each choice as the sheet writes it.
        assert dict(PoliticalStatus.choices)["masses"] == "群众"
        assert dict(StaffCategory.choices)["institution"] == "事业编"


# --- the admin's history -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "posted", "recorded"),
    [
        ("gender", "female", "female"),
        ("birth_date", "1985-03-01", "1985-03-01"),
        ("political_status", "cyl_member", "cyl_member"),
        ("rank", "一级科员", "一级科员"),
        ("post_since", "2019-07-01", "2019-07-01"),
        ("duties", "文秘、档案管理", "文秘、档案管理"),
        ("category", "institution", "institution"),
    ],
)
def test_each_detail_changed_in_the_admin_is_in_the_history(office, field, posted, recorded):
    person = office.colleague
    assert person.category == "civil_servant"
    before = str(getattr(person, field) or "")
    response = login(office.administrator).post(
        f"/admin/efficiency/staff/{person.pk}/change/", admin_form(person, **{field: posted})
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    [event] = history(person)
    assert event.action == AuditAction.CHANGE
    assert event.actor == office.administrator
    assert event.changes == {field: [before, recorded]}
    person.refresh_from_db()
    assert str(getattr(person, field)) == recorded


def test_the_admin_refuses_a_status_off_the_list(office):
    person = office.colleague
    before = state()
    response = login(office.administrator).post(
        f"/admin/efficiency/staff/{person.pk}/change/",
        admin_form(person, political_status="党员", duties="x" * 201),
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert set(errors) == {"political_status", "duties"}
    assert state() == before


# --- the 人员 sheet ------------------------------------------------------------------------------


def test_the_details_export_and_reimport_unchanged(tmp_path, office):
    Staff.objects.filter(pk=office.person.pk).update(**DETAILS)
    name, data = exports.export("staff", user=office.administrator)
    sheet = openpyxl.load_workbook(io.BytesIO(data))["人员"]
    header = [c.value for c in sheet[1]]
    assert header[-8:-2] == ["性别", "出生年月", "政治面貌", "职级", "从事或分管工作", "人员类别"]
    assert header[-2:] == ["试用期截止", "任职时间"]
    rows = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["001001"][-8:-2] == (
        "女",
        datetime.datetime(1985, 3, 1),
        "中共党员",
        "四级主任科员",
        "文秘、档案管理",
        "事业编",
    )
    assert rows["001002"][-8:-2] == (None, None, None, None, None, "公务员/参公")
    [row] = [
        r for r in range(2, sheet.max_row + 1) if sheet.cell(row=r, column=1).value == "001001"
    ]
    assert sheet.cell(row=row, column=header.index("出生年月") + 1).number_format == "yyyy-mm"
    before = state()
    result = sheets.run("staff", write(tmp_path, name, data), name, office.administrator)
    assert result.ok, [str(p) for p in result.problems]
    assert result.counts["unchanged"] == len(result.rows) > 0
    assert state()[:3] == before[:3]


def test_the_template_offers_the_details_with_their_lists(office):
    name, data = exports.template("staff")
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    header = [c.value for c in workbook["人员"][1]]
    assert header[-8:-2] == ["性别", "出生年月", "政治面貌", "职级", "从事或分管工作", "人员类别"]
    assert header[-2:] == ["试用期截止", "任职时间"]
    lists = {
        header[
            openpyxl.utils.column_index_from_string(str(v.sqref).split(":")[0].rstrip("0123456789"))
            - 1
        ]: v.formula1
        for v in workbook["人员"].data_validations.dataValidation
        if ":" in str(v.sqref)
    }
    assert lists["性别"] == '"男,女"'
    assert lists["政治面貌"] == '"中共党员,中共预备党员,共青团员,民主党派,无党派人士,群众"'
    assert lists["人员类别"] == '"公务员/参公,事业编"'


def test_the_sheet_sets_the_details_as_people_type_them(tmp_path, office):
    data = openpyxl_xlsx(
        [
            HEADER,
            [
                "001001",
                "王建国",
                "秘书科",
                "女",
                "1985年3月",
                "中共党员",
                "四级主任科员",
                "文秘",
                "事业编",
            ],
            ["003001", "张三", "秘书科", "男", "1990-11", "群众", "一级科员", "", ""],
            ["001002", "李秀英", "秘书科", "", "", "", "", "", ""],
        ]
    )
    result = run(tmp_path, data, office.administrator)
    assert result.ok, [str(p) for p in result.problems]
    assert (result.counts["update"], result.counts["create"], result.counts["unchanged"]) == (
        1,
        1,
        1,
    )
    person = Staff.objects.get(staff_no="001001")
    assert (
        person.gender,
        person.birth_date,
        person.political_status,
        person.rank,
        person.duties,
        person.category,
    ) == ("female", datetime.date(1985, 3, 1), "cpc_member", "四级主任科员", "文秘", "institution")
    [event] = history(person)
    assert set(event.changes) == set(DETAILS)
    new = Staff.objects.get(staff_no="003001")
    assert (new.birth_date, new.political_status, new.category) == (
        datetime.date(1990, 11, 1),
        "masses",
        "civil_servant",  # a blank category on a new row is the default
    )


def test_blank_detail_cells_keep_what_is_recorded(tmp_path, office):
    Staff.objects.filter(pk=office.person.pk).update(**DETAILS)
    data = openpyxl_xlsx([HEADER, ["001001", "王建国", "", "", "", "", "", "", ""]])
    result = run(tmp_path, data, office.administrator)
    assert result.counts["unchanged"] == 1
    office.person.refresh_from_db()
    assert office.person.category == "institution"
    assert office.person.rank == "四级主任科员"


def test_a_bad_status_or_category_refuses_the_whole_file(tmp_path, office):
    data = openpyxl_xlsx(
        [
            HEADER,
            ["001001", "王建国", "秘书科", "女", "1985-03", "中共党员", "", "", "事业编"],
            ["001002", "李秀英", "秘书科", "", "", "党员", "", "", ""],
            ["002001", "赵志强", "综合科", "", "", "", "", "", "合同工"],
            ["003001", "张三", "秘书科", "未知", "1985年13月", "", "", "x" * 201, ""],
        ]
    )
    before = state()
    result = run(tmp_path, data, office.administrator)
    assert [str(p) for p in result.problems] == [
        "第 3 行「政治面貌」：“党员” 不在可选值之内：中共党员、中共预备党员、共青团员、民主党派、"
        "无党派人士、群众",
        "第 4 行「人员类别」：“合同工” 不在可选值之内：公务员/参公、事业编",
        "第 5 行「性别」：“未知” 不在可选值之内：男、女",
        "第 5 行「出生年月」：“1985年13月” 不是有效日期",
        "第 5 行「从事或分管工作」：“" + "x" * 40 + "…” 超过 200 个字",
    ]
    assert result.record is None
    assert state() == before


# --- pages ---------------------------------------------------------------------------------------


def test_the_roster_page_shows_the_details(office):
    Staff.objects.filter(pk=office.person.pk).update(**DETAILS)
    content = login(office.administrator).get("/roster/").content.decode()
    assert "人员类别" in content
    assert "女 · 1985年3月 · 中共党员" in content
    assert "（四级主任科员）" in content
    assert "从事或分管工作：文秘、档案管理" in content
    assert content.count("<td>公务员/参公</td>") >= 1
    assert "<td>事业编</td>" in content
    # Personnel-file details are for those who keep the records, not every roster reader.
    clerk = login(office.clerk).get("/roster/").content.decode()
    assert "女 · 1985年3月" not in clerk and "中共党员" not in clerk
    assert "（四级主任科员）" in clerk


# --- 事业编 annual grades ------------------------------------------------------------------------


@pytest.fixture
def closed_quarter(office):
    return quarter(office, incidents=False)


def competent_institution_person() -> results.AnnualRow:
    """Make one person graded 称职 事业编; return their annual row."""
    rollup = results.annual_rollup(2026)
    row = next(r for r in rollup.rows if r.result.grade == AnnualGrade.COMPETENT)
    Staff.objects.filter(staff_no=row.facts.key).update(category="institution")
    [row] = [r for r in results.annual_rollup(2026).rows if r.facts.key == row.facts.key]
    assert row.category == "institution"
    return row


def test_an_institution_persons_annual_grade_reads_qualified_on_the_page(office, closed_quarter):
    row = competent_institution_person()
    content = login(office.leader).get("/appraisal/annual/2026/").content.decode()
    line = content.split(f">{row.facts.key}<", 1)[1].split("</tr>", 1)[0]
    assert '<span class="grade grade-competent">合格</span>' in line
    assert "称职" not in line
    assert "称职/合格" in content  # the counts name both, as both categories are counted


def test_an_institution_persons_annual_grade_reads_qualified_in_the_export(office, closed_quarter):
    row = competent_institution_person()
    name, data = exports.export("annual", user=office.leader, period="2026")
    sheet = openpyxl.load_workbook(io.BytesIO(data))["年度考核"]
    grades = {
        sheet.cell(row=r, column=2).value: sheet.cell(row=r, column=7).value
        for r in range(4, sheet.max_row + 1)
    }
    assert grades[row.facts.key] == "合格"
    assert "称职" in grades.values()  # a civil servant in the same grade keeps 称职


def test_an_institution_persons_annual_grade_reads_qualified_in_the_pdf(
    office, closed_quarter, tmp_path
):
    row = competent_institution_person()
    text = squeeze(pdf_text(annual_report.annual(2026).content, tmp_path))
    line = text.split(row.facts.key + row.facts.name, 1)[1][:80]
    assert f"{row.result.score}合格" in line
    assert "称职/合格" in text


def test_the_sheet_reads_the_date_in_present_post_by_the_month(tmp_path, office):
    data = openpyxl_xlsx(
        [
            ["工号", "姓名", "科室", "任职时间"],
            ["001001", "王建国", "", "2019年7月"],
            ["001002", "李秀英", "", "2021-03-15"],
        ]
    )
    result = run(tmp_path, data, office.administrator)
    assert result.ok, [str(p) for p in result.problems]
    assert Staff.objects.get(staff_no="001001").post_since == datetime.date(2019, 7, 1)
    assert Staff.objects.get(staff_no="001002").post_since == datetime.date(2021, 3, 15)
    [event] = history(office.person)
    assert event.changes == {"post_since": ["", "2019-07-01"]}
    before = state()
    bad = openpyxl_xlsx(
        [["工号", "姓名", "科室", "任职时间"], ["001001", "王建国", "", "2019年13月"]]
    )
    result = run(tmp_path, bad, office.administrator, name="人员2.xlsx")
    assert [str(p) for p in result.problems] == ["第 2 行「任职时间」：“2019年13月” 不是有效日期"]
    assert state() == before


def test_the_roster_page_shows_the_date_in_present_post(office):
    Staff.objects.filter(pk=office.person.pk).update(post_since=datetime.date(2019, 7, 1))
    content = login(office.administrator).get("/roster/").content.decode()
    assert "任职时间：2019年7月" in content
