"""The four PDF reports: their numbers are the ranking's, in a CJK font, paged and ruled.

Text is read back with poppler's pdftotext; fonts with pdffonts. Text extraction recovers
Chinese even where a font drew empty boxes, so every report is also checked for an embedded,
used CJK font and for WeasyPrint's “.notdef glyph” warning.
"""

import logging
import re

import pytest

from efficiency import results
from efficiency.models import Staff
from efficiency.reports import ReportError, documents
from efficiency.scoring import Grade
from efficiency.services.reviews import decide

from .report_support import (
    CJK_FONT,
    established,
    many_people,
    mark_everyone,
    marks_for,
    money,
    pdf_fonts,
    pdf_pages,
    pdf_text,
    quarter,
    squeeze,
)


@pytest.fixture
def period(office):
    return quarter(office)


@pytest.fixture
def no_missing_glyphs(caplog):
    caplog.set_level(logging.WARNING, logger="weasyprint")
    yield
    missing = [r.getMessage() for r in caplog.records if "notdef" in r.getMessage()]
    assert not missing, missing


def row_line(pages: list[str], key: str) -> str:
    lines = [line for page in pages for line in page.splitlines() if key in line]
    assert lines, f"{key} is not in the PDF"
    return lines[0]


# --- 个人平时考核登记表 ---------------------------------------------------------------------


def test_personal_form_prints_the_rankings_numbers(office, period, tmp_path, no_missing_glyphs):
    table = results.ranking(period, results.STAFF)
    row = table.row("001001")
    rendered = documents.personal(period, office.person)
    assert rendered.filename == "001001-王建国-2026Q3.pdf"
    assert rendered.mimetype == "application/pdf"
    pages = pdf_pages(rendered.content, tmp_path)
    assert len(pages) == 2  # the 登记表, then its annex 附：评分明细
    assert "公务员平时考核登记表" in squeeze(pages[0])
    text = squeeze(pages[1])
    assert "附：评分明细" in text
    assert "王建国" in text and "001001" in text and "秘书科" in text and "科员" in text
    for average in row.result.averages:
        assert money(average.average) in text
    assert money(row.result.base) in text
    assert money(row.result.deductions_total) in text
    assert money(row.result.final) in text
    assert f"第{row.result.rank}名（共{table.result.assessed_count}名）" in text
    assert row.result.grade.label in text
    # every deduction with its incident and clause
    for deduction in row.facts.deductions:
        assert deduction.number in text
        assert deduction.clause_code in text
    assert "扣分合计" in text


def test_personal_form_of_someone_with_no_incident(office, period, tmp_path):
    row = results.ranking(period, results.STAFF).row("001002")
    rendered = documents.personal(period, office.colleague)
    text = squeeze(pdf_text(rendered.content, tmp_path))
    assert "李秀英" in text
    assert "本季度没有涉及本人的已认定三误事件，不扣分。" in text
    assert money(row.result.final) in text
    assert row.result.deductions_total == 0


def test_personal_form_of_someone_with_many_incidents(office, period, tmp_path):
    row = results.ranking(period, results.STAFF).row("001001")
    assert len(row.facts.deductions) == 3
    text = squeeze(pdf_text(documents.personal(period, office.person).content, tmp_path))
    for number in (d.number for d in row.facts.deductions):
        assert number in text
    assert "批评教育" in text  # the handled one shows its handling decision
    assert f"最终得分{row.result.final}分，按等次标准为“{row.result.grade.label}”。" in text


def test_personal_form_shows_a_decision_and_its_reason(office, period, tmp_path):
    decide(
        actor=office.leader,
        period=period,
        staff=office.other_person,
        grade="good",
        reason="牵头完成全县防汛保障任务，表现突出。",
    )
    text = squeeze(pdf_text(documents.personal(period, office.other_person).content, tmp_path))
    assert "领导调整等次" in text
    assert "牵头完成全县防汛保障任务，表现突出。" in text
    assert "由“较好”调整为“好”" in text


def test_personal_form_of_someone_not_assessed(office, period, tmp_path):
    newcomer = Staff.objects.create(staff_no="001077", name="新同志", section=office.a, post="科员")
    text = squeeze(pdf_text(documents.personal(period, newcomer).content, tmp_path))
    assert "新同志" in text
    assert "未考核" in text


def test_trend_chart_is_vector_and_covers_earlier_quarters(office, tmp_path):
    quarter(office, "2026Q2", "locked", incidents=False)
    period = quarter(office, "2026Q3", "closed")
    context = documents.personal_context(period, office.person)
    assert [label for label, _value in context["trend"]] == ["2026年第2季度", "2026年第3季度"]
    assert str(context["chart"]).startswith("<svg")
    content = documents.render_personal(context).content
    # drawn as vector paths, not an embedded picture
    assert b"/Subtype /Image" not in content
    text = pdf_text(content, tmp_path)
    for _label, value in context["trend"]:
        assert money(value) in text


def test_personal_form_of_an_open_quarter_is_marked_provisional(office, tmp_path):
    period = quarter(office, state="open")
    text = squeeze(pdf_text(documents.personal(period, office.person).content, tmp_path))
    assert "草稿：本考核期仍在评分中，以下数字可能还会变化。" in text


def test_personal_form_of_someone_not_in_post_is_refused(office, period):
    gone = Staff.objects.create(
        staff_no="001099", name="早离岗", section=office.a, end_date="2025-12-31"
    )
    with pytest.raises(ReportError) as refused:
        documents.personal(period, gone)
    assert refused.value.message == "早离岗（001099）在2026年第3季度不在岗，没有考核结果。"


# --- fonts, pages -------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["personal", "section", "bulletin", "annual"])
def test_every_report_embeds_and_uses_a_cjk_font(office, period, kind, tmp_path, no_missing_glyphs):
    rendered = {
        "personal": lambda: documents.personal(period, office.person),
        "section": lambda: documents.section(period, office.a),
        "bulletin": lambda: documents.bulletin(period),
        "annual": lambda: documents.annual(2026),
    }[kind]()
    fonts = pdf_fonts(rendered.content, tmp_path)
    cjk = [f for f in fonts if CJK_FONT.search(f["name"])]
    assert cjk, fonts
    assert all(f["emb"] == "yes" and f["sub"] == "yes" and f["uni"] == "yes" for f in cjk)
    # only CJK fonts are used: nothing fell back to a Latin font for Chinese text
    assert len(cjk) == len(fonts), fonts
    assert len(rendered.content) < 400_000  # subset, not the whole font


@pytest.mark.parametrize("kind", ["personal", "section", "bulletin", "annual"])
def test_every_page_says_office_period_page_of_pages_and_when(office, period, kind, tmp_path):
    rendered = {
        "personal": lambda: documents.personal(period, office.person),
        "section": lambda: documents.section(period, office.a),
        "bulletin": lambda: documents.bulletin(period),
        "annual": lambda: documents.annual(2026),
    }[kind]()
    pages = pdf_pages(rendered.content, tmp_path)
    for number, page in enumerate(pages, start=1):
        flat = squeeze(page)
        assert "县委办公室" in flat
        assert ("2026年第3季度" if kind != "annual" else "2026年度") in flat
        assert f"第{number}页共{len(pages)}页" in flat
        assert re.search(r"生成时间：\d{4}-\d\d-\d\d\d\d:\d\d", flat)


def test_a_long_table_breaks_across_pages_with_its_header_repeated(office, tmp_path):
    people = many_people(office, 70)
    period = quarter(office, incidents=False, state="open")
    mark_everyone(period, [office.assessor, office.leader], marks_for(people), sections={})
    rendered = documents.bulletin(period)
    pages = pdf_pages(rendered.content, tmp_path)
    assert len(pages) >= 3
    with_rows = [p for p in pages if "900001" in p or "900050" in p or "900069" in p]
    table = results.ranking(period, results.STAFF)
    staff_pages = [p for p in pages if any(r.facts.key in p for r in table.rows[30:])]
    assert len(staff_pages) >= 2 and with_rows
    for page in staff_pages:
        # the header row of the staff table is on every page the table reaches
        assert re.search(r"排名\s+工号\s+姓名\s+科室", page), page[:400]
    # no row is cut in half: every person's number and final are on the same page line
    for row in table.rows:
        line = row_line(pages, f" {row.facts.key} ")
        if row.result.final is not None:
            assert money(row.result.final) in line


# --- 科室考核汇总 ----------------------------------------------------------------------------


def test_section_summary_prints_the_sections_and_its_peoples_numbers(office, period, tmp_path):
    sections = results.ranking(period, results.SECTION)
    staff = results.ranking(period, results.STAFF)
    own = sections.row("MSK")
    rendered = documents.section(period, office.a)
    assert rendered.filename == "2026Q3-秘书科-科室考核汇总.pdf"
    pages = pdf_pages(rendered.content, tmp_path)
    text = squeeze("".join(pages))
    assert "秘书科考核汇总" in text
    assert money(own.result.final) in text
    assert f"第{own.result.rank}名（共{sections.result.assessed_count}名）" in text
    mine = [r for r in staff.rows if r.facts.section == "秘书科"]
    assert {r.facts.key for r in mine} == {"001001", "001002", "001009", "001000"}
    for row in mine:
        line = row_line(pages, row.facts.key)
        assert money(row.result.final) in line
        assert str(row.result.rank) in line
    for other in (r for r in staff.rows if r.facts.section != "秘书科"):
        assert other.facts.key not in text
    for deduction in own.facts.deductions:
        assert deduction.number in text


# --- 季度考核排名通报 ------------------------------------------------------------------------


def test_bulletin_prints_both_rankings_incidents_and_the_summary(office, period, tmp_path):
    sections = results.ranking(period, results.SECTION)
    staff = results.ranking(period, results.STAFF)
    rendered = documents.bulletin(period)
    assert rendered.filename == "2026Q3-季度考核排名通报.pdf"
    pages = pdf_pages(rendered.content, tmp_path)
    text = squeeze("".join(pages))
    assert "2026年第3季度效能考核排名通报" in text
    for row in sections.rows:
        line = row_line(pages, f" {row.facts.name} ")
        assert money(row.result.final) in line
    for row in staff.rows:
        line = row_line(pages, row.facts.key)
        assert money(row.result.final) in line
        assert row.result.grade.label in line
        assert re.match(rf"\s*{row.result.rank}\s", line)
    # the summary: people per grade, then incidents per kind and per severity
    grades = "".join(str(sum(1 for r in staff.rows if r.result.grade == grade)) for grade in Grade)
    summary = squeeze(pages[0])
    assert f"人数{grades}{staff.result.not_assessed_count}{staff.result.quota}" in summary
    numbers = {d.number for r in staff.rows for d in r.facts.deductions}
    assert len(numbers) == 3
    # 1 延误, 1 失误, 1 错误; 1 一般, 1 较重, 1 严重; 3 in all
    assert "事件数1111113" in summary
    for number in numbers:
        assert number in text
    assert "批评教育" in text  # the handling decision of the handled incident
    assert "对考核结果如有异议，请于公示期内向考评小组反映。" in text


def test_bulletin_of_a_locked_quarter_says_it_is_final(office, tmp_path):
    period = quarter(office, state="locked")
    text = squeeze(pdf_text(documents.bulletin(period).content, tmp_path))
    assert "本考核期已锁定，以上为最终结果。" in text


# --- 年度考核汇总 ----------------------------------------------------------------------------


def test_annual_summary_prints_the_rollups_numbers(office, tmp_path):
    quarter(office, "2026Q1", "locked", incidents=False)
    quarter(office, "2026Q2", "closed", incidents=False)
    rollup = results.annual_rollup(2026)
    rendered = documents.annual(2026)
    assert rendered.filename == "2026-年度考核汇总.pdf"
    pages = pdf_pages(rendered.content, tmp_path)
    text = squeeze("".join(pages))
    assert "年度考核汇总" in text and "2026年度" in text
    for row in rollup.rows:
        line = row_line(pages, row.facts.key)
        assert money(row.result.score) in line
        assert row.result.grade.label in line
    assert squeeze("年度内尚有 2 个季度未关闭，本汇总不是全年最终结果。") in text


def test_annual_summary_without_a_closed_quarter_is_refused(office):
    quarter(office, "2026Q1", "open", incidents=False)
    with pytest.raises(ReportError) as refused:
        documents.annual(2026)
    assert refused.value.message == "2026年尚无已关闭或已锁定的季度，暂无年度汇总。"


def test_personal_form_explains_an_incident_cap(office, tmp_path):
    period = quarter(office, incidents=False, state="open")
    established(office, office.colleague, standard=office.delay)
    row = results.ranking(period, results.STAFF).row("001002")
    assert row.result.computed_grade.label == "较好" and row.result.final >= 90
    text = squeeze(pdf_text(documents.personal(period, office.colleague).content, tmp_path))
    assert "本季度有已认定的三误事件，等次最高为“较好”。" in text


def test_section_summary_headers_never_split_a_word(office, period, tmp_path):
    # The staff table is narrow: its headers once broke inside a word (履行职/责, 最终得/分).
    pages = pdf_pages(documents.section(period, office.a).content, tmp_path)
    lines = [re.sub(r"\s+", "", line) for page in pages for line in page.splitlines()]
    staff_header = next(line for line in lines if line.startswith("排名工号姓名职务"))
    assert staff_header == "排名工号姓名职务履行职责工作绩效服务质量基础分扣分最终得分等次备注"
    section_header = next(line for line in lines if "基础分" in line and "全办排名" in line)
    words = ("履行职责", "工作绩效", "服务质量")
    assert all(word in line for word in words for line in lines if line.startswith("履行职"))
    assert "最终得分" in section_header
