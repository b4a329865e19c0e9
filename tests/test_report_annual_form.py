"""公务员年度考核登记表 (事业编: 事业单位工作人员年度考核登记表): one person, one year.

The office of tests/test_annual_decision.py: 2026Q2 and 2026Q3 closed, 李秀英 (001002) 好 twice,
so 优秀; 王建国 (001001) 称职. The correction case uses tests/test_corrections.py's locked 2026Q3.
"""

import datetime
import io
import zipfile

import openpyxl
import pytest
import time_machine

from efficiency import results
from efficiency.excel import exports
from efficiency.models import AnnualReview, AnnualSummary, Staff
from efficiency.models.org import StaffCategory
from efficiency.reports import ReportError, annualform, documents
from efficiency.services import annual as decisions
from efficiency.services import annual_publicity
from efficiency.services.standing import set_standing

from . import test_annual_decision as base
from . import test_corrections as corrected
from . import test_report_command as command
from .conftest import login
from .report_support import pdf_text, squeeze
from .test_annual_publicity import AFTER_WINDOW

judges = base.judges
year = base.year
appeal = corrected.appeal
locked = corrected.locked
report_pdf = command.report_pdf
keep_the_test_connection = command.keep_the_test_connection  # autouse


@pytest.fixture
def decided(office, year):
    decisions.propose(
        actor=office.head,
        year=year,
        staff=office.person,
        grade="competent",
        comment="全年工作认真负责，按时完成任务。",
    )
    decisions.decide_all_as_proposed(actor=office.leader, year=year)
    return year


def form_text(year: int, staff: Staff, tmp_path) -> str:
    return squeeze(pdf_text(documents.annual_form(year, staff).content, tmp_path))


def test_a_civil_servants_form_prints_every_box(office, decided, tmp_path):
    person = office.person
    Staff.objects.filter(pk=person.pk).update(
        gender="male",
        birth_date=datetime.date(1985, 3, 12),
        political_status="cpc_member",
        rank="一级科员",
        duties="文稿起草",
    )
    AnnualReview.objects.filter(staff=person).update(opinion="agree", opinion_text="无异议")
    person.refresh_from_db()
    text = form_text(decided, person, tmp_path)
    assert "公务员年度考核登记表" in text
    assert "（2026年度）" in text
    for expected in (
        "王建国",
        "个人总结",
        "男",
        "1985年3月",
        "一级科员",
        "文稿起草",
        "全年工作认真负责，按时完成任务。",
        "等次建议：称职",
        "审定等次：称职",
        "同意：无异议",
        "本年度平时考核情况：“好”0次，“较好”2次，“一般”0次，“较差”0次",
        "本表存入本人人事档案。",
    ):
        assert expected in text, expected
    assert "None" not in text


def test_the_post_box_prints_the_date_taken_up_or_leaves_it_to_the_hand(office, decided, tmp_path):
    Staff.objects.filter(pk=office.person.pk).update(rank="四级主任科员")
    office.person.refresh_from_db()
    assert "任职时间：年月" in form_text(decided, office.person, tmp_path)
    Staff.objects.filter(pk=office.person.pk).update(post_since=datetime.date(2019, 7, 15))
    office.person.refresh_from_db()
    text = form_text(decided, office.person, tmp_path)
    assert "四级主任科员任职时间：2019年7月" in text
    assert "任职时间：年月" not in text


def test_the_summary_box_prints_the_accepted_or_submitted_text(office, decided, tmp_path):
    summary = AnnualSummary.objects.create(
        year=decided,
        staff=office.person,
        text="全年按时办结收文一千余件。\n明年重点做好督办工作。",
        status="draft",
        written_by=office.named,
    )
    text = form_text(decided, office.person, tmp_path)
    assert "全年按时办结" not in text  # a draft is not the person's word yet
    assert "个人总结签字：日期：" in text  # blank lines, then the signature line
    for status in ("submitted", "accepted"):
        AnnualSummary.objects.filter(pk=summary.pk).update(status=status)
        text = form_text(decided, office.person, tmp_path)
        assert "全年按时办结收文一千余件。明年重点做好督办工作。" in text
        assert text.count("签字：日期：") == 4  # the summary's signature line is kept
    AnnualSummary.objects.filter(pk=summary.pk).update(status="returned")
    assert "全年按时办结" not in form_text(decided, office.person, tmp_path)


def test_an_institution_staff_form_prints_合格_and_its_title(office, decided, tmp_path):
    Staff.objects.filter(pk=office.person.pk).update(category=StaffCategory.INSTITUTION)
    office.person.refresh_from_db()
    text = form_text(decided, office.person, tmp_path)
    assert "事业单位工作人员年度考核登记表" in text
    assert "公务员年度考核登记表" not in text
    assert "审定等次：合格" in text
    assert "称职" not in text


def test_an_undecided_year_leaves_lines_to_fill_by_hand(office, year, tmp_path):
    text = form_text(year, office.colleague, tmp_path)
    assert "李秀英" in text
    assert "本年度平时考核情况：“好”2次，“较好”0次，“一般”0次，“较差”0次" in text
    assert "审定等次：＿＿＿＿＿＿" in text
    assert "None" not in text


def test_the_quarter_count_uses_the_corrected_grade(office, locked, appeal, tmp_path):
    row = {r.facts.key: r for r in results.annual_rollup(2026).rows}["001001"]
    before = annualform.quarter_counts_line(row)
    corrected.record(office, locked, appeal, corrected_grade="good")
    row = {r.facts.key: r for r in results.annual_rollup(2026).rows}["001001"]
    assert before != annualform.quarter_counts_line(row)
    assert "本年度平时考核情况：“好”1次，“较好”0次，“一般”0次，“较差”0次" in form_text(
        2026, office.person, tmp_path
    )


def test_no_closed_quarter_no_form(office):
    with pytest.raises(ReportError) as error:
        documents.annual_form(2026, office.person)
    assert "2026年尚无已关闭或已锁定的季度，暂无年度汇总。" in error.value.message


def test_the_command_writes_one_form_and_the_years_zip(office, decided, report_pdf, tmp_path):
    status, out, err = report_pdf(
        "annual-form", "--period", "2026", "--staff", "001001", "-o", "form.pdf"
    )
    assert (status, err) == (0, "")
    assert "王建国" in squeeze(pdf_text((tmp_path / "form.pdf").read_bytes(), tmp_path))
    status, out, err = report_pdf("annual-form", "--period", "2026", "--all", "-o", "all.zip")
    assert status == 0
    assert out.strip() == "已生成 all.zip：共 8 份年度考核登记表。"
    with zipfile.ZipFile(tmp_path / "all.zip") as archive:
        names = archive.namelist()
        assert len(names) == 8
        assert "2026-001001-王建国-公务员年度考核登记表.pdf" in names
        assert archive.read(names[0]).startswith(b"%PDF-")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--period", "2026", "--staff", "999999"), "没有工号为 999999 的人员。"),
        (
            ("--period", "2026Q3", "--staff", "001001"),
            "“2026Q3”不是有效的年度，请按“2026”格式填写。",
        ),
        (("--period", "2026"), "须且只须指定 --staff、--all 中的一项。"),
    ],
)
def test_the_command_refuses_bad_arguments_in_chinese(
    office, decided, report_pdf, tmp_path, args, message
):
    status, out, err = report_pdf("annual-form", *args, "-o", "form.pdf")
    assert status != 0
    assert message in err
    assert not (tmp_path / "form.pdf").exists()


def test_an_undetermined_year_explains_why_and_leaves_the_grade_blank(office, year, tmp_path):
    set_standing(
        actor=office.administrator,
        staff=office.person,
        year=year,
        quarter=None,
        standing="undetermined",
        reason="probation",
        note="试用期至2026年12月31日",
    )
    decisions.propose(
        actor=office.head, year=year, staff=office.person, grade="", comment="试用期表现良好。"
    )
    text = form_text(year, office.person, tmp_path)
    assert "试用期表现良好。" in text
    assert "审定等次：＿＿＿＿＿＿" in text
    assert "不定等次" in text
    assert "（试用期至2026年12月31日）" in text


def test_the_notice_page_links_the_form_and_the_link_serves_it(office, decided):
    annual_publicity.publish(actor=office.leader, year=decided)
    with time_machine.travel(AFTER_WINDOW, tick=True):
        annual_publicity.issue_notices(actor=office.leader, year=decided)
        client = login(office.named)
        page = client.get("/appraisal/annual/2026/notice/001001/").content.decode()
        assert 'href="/reports/annual/2026/form/001001.pdf"' in page
        response = client.get("/reports/annual/2026/form/001001.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert (
        b"".join(response.streaming_content if response.streaming else [response.content])[:5]
        == b"%PDF-"
    )


def test_the_annual_page_links_each_persons_form(office, decided):
    page = login(office.leader).get("/appraisal/annual/2026/").content.decode()
    assert 'href="/reports/annual/2026/form/001002.pdf"' in page


def test_the_roll_up_shows_the_decided_grade_beside_the_computed(office, year, tmp_path):
    decisions.propose(
        actor=office.head,
        year=year,
        staff=office.person,
        grade="basic",
        comment="",
        reason="全年两次迟报",
    )
    decisions.decide(
        actor=office.leader, year=year, staff=office.person, grade="basic", reason="全年两次迟报"
    )
    _name, data = exports.export("annual", user=office.leader, period="2026")
    sheet = openpyxl.load_workbook(io.BytesIO(data))["年度考核"]
    header = [c.value for c in sheet[3]]
    column = header.index("审定等次") + 1
    by_no = {sheet.cell(row=r, column=2).value: r for r in range(4, sheet.max_row + 1)}
    assert sheet.cell(row=by_no["001001"], column=header.index("等次") + 1).value == "称职"
    assert sheet.cell(row=by_no["001001"], column=column).value == "基本称职"
    assert sheet.cell(row=by_no["001002"], column=column).value in (None, "")
    text = squeeze(pdf_text(documents.annual(year).content, tmp_path))
    assert "审定等次" in text
    assert "称职基本称职" in text
