"""不定等次 wherever a quarter's result is shown: ranking, review and decision pages, the live
counter, decide-all, 公示, the 登记表, the 请示, the bulletin and the Excel ranking."""

import io

import openpyxl
import pytest
from django.utils import translation

from efficiency import results
from efficiency.excel import exports
from efficiency.models import GradeReview
from efficiency.reports import ReportError, documents, personal
from efficiency.reports.annual import annual_context
from efficiency.reports.quarter import bulletin_context
from efficiency.reports.request import request_context
from efficiency.services import ServiceError
from efficiency.services import reviews as review_services
from efficiency.services.appraisal import period_close

from .conftest import login
from .report_support import pdf_text, quarter, squeeze
from .test_standing import put

REASON = "新录用试用期（试用期至2026年12月31日）"


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def period(office):
    """2026Q3 open and marked, 李秀英 (001002, the top final) 不定等次 on probation."""
    period = quarter(office, state="open", incidents=False)
    put(office, office.colleague, 3, "undetermined", "probation", note="试用期至2026年12月31日")
    return period


def test_the_ranking_shows_the_badge_and_the_reason(office, period):
    page = login(office.leader).get("/appraisal/2026Q3/ranking/").content.decode()
    row = page[page.index('id="row-001002"') :]
    row = row[: row.index("</tr>")]
    assert "不定等次" in row and REASON in row


def test_the_head_writes_a_comment_but_proposes_no_grade(office, period):
    office.colleague.refresh_from_db()
    review_services.propose(
        actor=office.head,
        period=period,
        staff=office.colleague,
        grade="good",
        comment="试用期表现良好。",
    )
    review = GradeReview.objects.get(staff=office.colleague)
    assert (review.comment, review.proposed_grade) == ("试用期表现良好。", "")
    page = login(office.head).get("/appraisal/2026Q3/review/").content.decode()
    row = page[page.index('id="row-001002"') :]
    assert "只写评价意见，不提等次建议" in row[: row.index("</tr>")]


def test_a_leader_cannot_decide_a_grade_and_decide_all_skips_them(office, period):
    with pytest.raises(ServiceError) as refused:
        review_services.decide(
            actor=office.leader, period=period, staff=office.colleague, grade="good", reason="x"
        )
    assert "本季度不定等次（新录用试用期" in refused.value.message
    plan = review_services.check_all_as_proposed(actor=office.leader, period=period)
    assert office.colleague.staff_no not in [p.staff.staff_no for p in plan.pending]
    assert plan.quota == results.ranking(period).result.quota
    page = login(office.leader).get("/appraisal/2026Q3/decisions/").content.decode()
    row = page[page.index('id="row-001002"') :]
    assert "不计入名额，无须审定" in row[: row.index("</tr>")]


def test_the_counter_leaves_out_an_earlier_decision(office, period):
    GradeReview.objects.create(period=period, staff=office.colleague, grade="good")
    assert review_services.counter(period).decided_good == 0


def test_publicity_shows_no_reason(office, period):
    period = period_close(actor=office.leader, period=period)
    page = login(office.outsider).get("/appraisal/2026Q3/publicity/")
    if page.status_code != 200:  # the list is for staff with a login; the leader sees it too
        page = login(office.leader).get("/appraisal/2026Q3/publicity/")
    text = page.content.decode()
    assert "李秀英" in text and "不定等次" in text and "新录用试用期" not in text


def test_the_register_explains_it(office, period):
    context = personal.personal_context(period, office.colleague)
    assert context["form"].unsettled == "本季度不定等次：" + REASON
    assert context["form"].decided_grade == ""


def test_the_request_lists_them_and_counts_without_them(office, period):
    context = request_context(period)
    assert [(u.name, u.reason) for u in context["unsettled"]] == [
        ("李秀英", "本季度不定等次：" + REASON)
    ]
    [pool] = context["pools"]
    assert pool.graded == results.ranking(period).result.graded_count
    line = next(line for line in context["lines"] if line.staff_no == "001002")
    assert line.computed_grade == "不定等次"


def test_the_bulletin_and_the_excel_ranking_say_it_without_reason(office, period):
    period = period_close(actor=office.leader, period=period)
    context = bulletin_context(period)
    line = next(line for line in context["staff"] if line.row.facts.key == "001002")
    assert line.row.undetermined
    name, data = exports.export("rankings", user=office.leader, period="2026Q3")
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    values = [
        row for sheet in workbook for row in sheet.iter_rows(values_only=True) if "001002" in row
    ]
    assert values and "不定等次" in values[0] and not any("试用期" in str(v) for v in values[0])


def test_someone_not_appraised_has_no_form(office, period):
    put(office, office.person, 3, "absent", "seconded")
    with pytest.raises(ReportError) as refused:
        personal.personal_context(period, office.person)
    assert refused.value.message == "王建国（001001）2026年第3季度不参加考核，没有登记表。"
    names = [name for name, _context in personal.personal_contexts(period)]
    assert not any("001001" in name for name in names) and names


def test_the_annual_page_pdf_and_excel_show_it(office, period):
    period_close(actor=office.leader, period=period)
    put(office, office.colleague, None, "undetermined", "sanction")
    page = login(office.leader).get("/appraisal/annual/2026/").content.decode()
    assert "不定等次" in page and "受处分期间" in page
    context = annual_context(2026)
    line = next(line for line in context["lines"] if line.row.facts.key == "001002")
    assert line.notes.startswith("受处分期间")
    _name, data = exports.export("annual", user=office.leader, period="2026")
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    row = next(r for r in sheet.iter_rows(values_only=True) if "001002" in r)
    assert "不定等次" in row


def test_the_register_pdf_prints_it(office, period, tmp_path):
    content = documents.personal(period, office.colleague).content
    (tmp_path / "register.pdf").write_bytes(content)
    assert "本季度不定等次：" + REASON in squeeze(pdf_text(content, tmp_path))
