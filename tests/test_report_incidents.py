"""The 三误通报 (关于……“三误”情况的通报) and the clause review (界定标准年度评估): PDFs read back as
text, the workbook read back, the command's arguments, the reports page's cards.

The hand-made fixture (2026; 秘书科 = MSK, 综合科 = ZHK):

==========  =====  ======  =========================================  =====================
day         sect.  clause  what happened                              status
==========  =====  ======  =========================================  =====================
10-09       MSK    YW-01   handled 批评教育, appeal upheld in part      established, 提醒谈话
10-15       MSK    SW-01   verified, not handled                      established, 待处理
10-20       ZHK    YW-01   verified                                   established, 待处理
10-22       ZHK    SW-01   dismissed “系统故障所致”                      dismissed
11-03       MSK    SW-01   dismissed “已按时办结”                        dismissed
11-05       MSK    SW-01   reported only                              pending
==========  =====  ======  =========================================  =====================

So in October: 3 established (MSK 2, ZHK 1; delays 2, slips 1). In 2026: YW-01 reported 2,
established 2, one appeal upheld (in part); SW-01 reported 4, established 1, dismissed 2 (of 3
decided: mostly dismissed); CW-01 never used.
"""

import datetime
import io

import openpyxl
import pytest
from django.utils import translation

from efficiency.excel import clauses as clause_excel
from efficiency.reports import ReportError, documents
from efficiency.reports import clauses as clause_review
from efficiency.services import incidents as incident_services

from . import test_report_command
from .conftest import login
from .factories import report
from .report_support import pdf_pages, pdf_text, squeeze


def _report(office, section, person, standard, day):
    return report(
        office.clerk if section == office.a else office.clerk_b,
        section=section,
        responsible=[person],
        standard=standard,
        occurred_on=day,
    )


@pytest.fixture
def incidents(office):
    s = incident_services
    sup = office.supervisor
    a, day = office.a, datetime.date
    first = _report(office, a, office.person, office.delay, day(2026, 10, 9))
    s.incident_verify(actor=sup, incident=first)
    s.incident_handle(actor=sup, incident=first, decision="criticism", note="已谈话。")
    s.incident_appeal(actor=office.named, incident=first, text="情节轻微，请求从轻。")
    s.incident_decide_appeal(
        actor=sup,
        incident=first,
        uphold=False,
        reason="情节较轻，改为提醒谈话。",
        lighten_to="reminder_talk",
    )
    second = _report(office, a, office.colleague, office.slip, day(2026, 10, 15))
    s.incident_verify(actor=sup, incident=second)
    third = _report(
        office, office.b, office.other_person, office.delay, datetime.date(2026, 10, 20)
    )
    s.incident_verify(actor=sup, incident=third)
    fourth = _report(
        office, office.b, office.other_person, office.slip, datetime.date(2026, 10, 22)
    )
    s.incident_dismiss(actor=sup, incident=fourth, reason="系统故障所致，非本人原因。")
    fifth = _report(office, a, office.person, office.slip, day(2026, 11, 3))
    s.incident_dismiss(actor=sup, incident=fifth, reason="已按时办结，不构成失误。")
    _report(office, a, office.person, office.slip, day(2026, 11, 5))
    return [first, second, third, fourth, fifth]


# --- 三误通报 -------------------------------------------------------------------------------


def test_the_months_bulletin_lists_the_established_incidents_by_section(incidents, tmp_path):
    first, second, third, fourth, fifth = incidents
    rendered = documents.incidents(documents.bulletin_span("2026-10"))
    assert rendered.filename == "2026-10-三误情况通报.pdf"
    text = squeeze(pdf_text(rendered.content, tmp_path))
    assert "关于2026年10月“三误”情况的通报" in text
    assert "2026年10月共认定“三误”事件3起" in text
    # Grouped by section in the office's order, each with its count.
    assert text.index("（1）秘书科（2起）") < text.index("（2）综合科（1起）")
    for incident in (first, second, third):
        assert incident.number in text
    for incident in (fourth, fifth):
        assert incident.number not in text  # dismissed
    # The handling decision as it stands after the appeal; 待处理 where none yet.
    assert "提醒谈话" in text
    assert text.count("待处理") == 2
    assert "王建国" in text and "李秀英" in text and "赵志强" in text
    # Counts by section and kind: 秘书科 1 delay 1 slip; 综合科 1 delay; the office 2 + 1.
    assert "科室延误失误错误合计秘书科1102综合科1001全办2103" in text
    assert "历史指纹" in text  # the history stamp, as on the quarterly bulletin


def test_a_quarters_bulletin_covers_its_three_months(incidents, tmp_path):
    rendered = documents.incidents(documents.bulletin_span("2026q4"))
    text = squeeze(pdf_text(rendered.content, tmp_path))
    assert "关于2026年第4季度“三误”情况的通报" in text
    assert "共认定“三误”事件3起" in text  # November's two were dismissed or are pending


def test_an_empty_month_gets_a_proper_bulletin(incidents, tmp_path):
    rendered = documents.incidents(documents.bulletin_span("2026-09"))
    text = squeeze(pdf_text(rendered.content, tmp_path))
    assert "关于2026年9月“三误”情况的通报" in text
    assert "本期（2026年9月）未发生经认定的“三误”情况。" in text
    assert "界定条款" not in text  # no empty tables


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("2026", "“三误”通报按月或按季度印发：请写成 2026-10 或 2026Q4，而不是“2026”。"),
        ("2026-13", "没有13月。"),
        ("十月", "“十月”不是有效的统计范围。"),
    ],
)
def test_a_bulletin_span_must_be_a_month_or_a_quarter(code, message):
    with translation.override("zh-hans"), pytest.raises(ReportError) as raised:
        documents.bulletin_span(code)
    assert message in raised.value.message


# --- the clause review ------------------------------------------------------------------------


def test_the_clause_review_counts_each_clause_and_names_the_mostly_dismissed(incidents):
    found = clause_review.review(documents.review_span("2026"))
    rows = {line.row.code: line for line in found.lines}
    delay, slip = rows["YW-01"], rows["SW-01"]
    assert (delay.row.reported, delay.row.established, delay.row.dismissed) == (2, 2, 0)
    assert (delay.row.appeals, delay.row.appeals_upheld) == (1, 1)
    assert (slip.row.reported, slip.row.established, slip.row.dismissed) == (4, 1, 2)
    assert slip.dismissal_rate == "66.7%"
    assert delay.dismissal_rate == "0%"
    assert [line.row.code for line in found.mostly_dismissed] == ["SW-01"]
    assert [s.code for s in found.unused] == ["CW-01"]


@pytest.mark.parametrize(
    ("established", "dismissed", "mostly"),
    [(0, 1, False), (0, 2, True), (1, 1, False), (1, 2, True), (3, 3, False)],
)
def test_mostly_dismissed_means_more_than_half_of_at_least_two_decided(
    established, dismissed, mostly
):
    class Row:
        pass

    row = Row()
    row.established, row.dismissed = established, dismissed
    assert clause_review.is_mostly_dismissed(row) is mostly


def test_the_clause_review_pdf(incidents, tmp_path):
    rendered = documents.clauses(documents.review_span("2026"))
    assert rendered.filename == "2026-界定标准年度评估.pdf"
    pages = pdf_pages(rendered.content, tmp_path)
    text = squeeze("".join(pages))
    assert "界定标准评估（2026年度）" in text
    assert "2026年度共报告“三误”事件6起，涉及2条界定条款：认定3起，不予认定2起。" in text
    assert "至少2起已作出认定或不予认定决定、且其中过半不予认定" in text  # the rule, stated
    assert "系统故障所致，非本人原因。" in text and "已按时办结，不构成失误。" in text
    assert "情节较轻，改为提醒谈话。" in text
    assert "CW-01" in text and "因工作错误致使办公室形象受损。" in text  # never used
    assert "66.7%" in text


def test_the_clause_review_workbook_reads_back(incidents):
    filename, content = clause_excel.workbook(documents.review_span("2026"))
    assert filename == "2026-界定标准年度评估.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["条款使用情况", "多数不予认定条款", "从未使用条款"]
    use = book["条款使用情况"]
    header = [c.value for c in use[3]]
    assert header[:7] == [
        "条款编号",
        "条款内容",
        "类别",
        "报告数",
        "认定数",
        "不予认定数",
        "不予认定率",
    ]
    rows = {r[0]: r for r in use.iter_rows(min_row=4, values_only=True)}
    assert rows["SW-01"][2:6] == ("失误", 4, 1, 2)
    # Rates are numbers shown as percentages, so the office can sort and compare them.
    assert rows["SW-01"][6] == pytest.approx(0.667)
    assert rows["SW-01"][11] == "是"
    assert "系统故障所致，非本人原因。" in rows["SW-01"][12]
    assert rows["YW-01"][7:10] == (1, 1, 1)
    rate_cells = {r[0].value: r[6] for r in use.iter_rows(min_row=4)}
    assert rate_cells["SW-01"].number_format == "0.0%"
    assert "情节较轻，改为提醒谈话。" in rows["YW-01"][13]
    mostly = [r[0] for r in book["多数不予认定条款"].iter_rows(min_row=4, values_only=True)]
    assert mostly == ["SW-01"]
    unused = list(book["从未使用条款"].iter_rows(min_row=3, values_only=True))
    assert unused == [("CW-01", "错误", "因工作错误致使办公室形象受损。")]


# --- the command ------------------------------------------------------------------------------

keep_the_test_connection = test_report_command.keep_the_test_connection
report_pdf = test_report_command.report_pdf


def test_the_command_writes_the_bulletin_and_the_review(incidents, report_pdf, tmp_path):
    status, out, err = report_pdf("incidents", "--period", "2026-10")
    assert (status, err) == (0, "")
    assert (tmp_path / "2026-10-三误情况通报.pdf").read_bytes().startswith(b"%PDF-")
    status, out, err = report_pdf("incidents", "--period", "2026Q4", "-o", "q4.pdf")
    assert status == 0 and out.startswith("已生成 q4.pdf（")
    status, _out, _err = report_pdf("clauses", "--period", "2026")
    assert status == 0
    assert (tmp_path / "2026-界定标准年度评估.pdf").exists()
    status, _out, _err = report_pdf("clauses", "--period", "2026", "-o", "review.xlsx")
    assert status == 0
    assert openpyxl.load_workbook(tmp_path / "review.xlsx").sheetnames[0] == "条款使用情况"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("incidents",), "请用 --period 指明期间"),
        (("incidents", "--period", "2026"), "“三误”通报按月或按季度印发"),
        (("incidents", "--period", "2026-13"), "没有13月。"),
        (("clauses", "--period", "明年"), "“明年”不是有效的统计范围。"),
        (("incidents", "--period", "2026-10", "--all"), "不接受 --all"),
    ],
)
def test_the_command_refuses_bad_arguments_in_chinese(office, report_pdf, tmp_path, args, message):
    status, out, err = report_pdf(*args)
    assert status != 0
    assert message in err
    assert "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


# --- the reports page ----------------------------------------------------------------------


def test_leaders_and_supervisors_get_the_cards_and_their_links(office, incidents):
    for user in (office.leader, office.supervisor):
        client = login(user)
        response = client.get("/reports/", follow=True)
        html = response.content.decode()
        assert 'id="incident-reports"' in html
        assert 'action="/reports/incidents.pdf"' in html
        assert '<option value="2026-10" selected>2026年10月</option>' in html
        assert '<option value="2026Q4">2026年第4季度</option>' in html
        assert 'action="/reports/clauses.pdf"' in html
        assert 'formaction="/reports/clauses.xlsx"' in html
        pdf = client.get("/reports/incidents.pdf?period=2026-10")
        assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
        xlsx = client.get("/reports/clauses.xlsx?period=2026")
        assert xlsx.status_code == 200
        assert "attachment" in xlsx["Content-Disposition"]


def test_others_get_no_card_and_no_report(office, incidents):
    for user in (office.head, office.clerk, office.assessor, office.named):
        client = login(user)
        html = client.get("/reports/", follow=True).content.decode()
        assert 'id="incident-reports"' not in html
        assert client.get("/reports/incidents.pdf?period=2026-10").status_code == 403
        assert client.get("/reports/clauses.pdf?period=2026").status_code == 403


def test_a_bad_period_on_the_page_is_a_readable_400(office):
    client = login(office.leader)
    response = client.get("/reports/incidents.pdf?period=2026-13")
    assert response.status_code == 400
    assert "没有13月。" in response.content.decode()
    response = client.get("/reports/clauses.xlsx?period=")
    assert response.status_code == 400


def test_the_bulletin_prints_the_repeat_alerts_its_incidents_take_part_in(
    office, incidents, tmp_path
):
    first = incidents[0]  # 王建国, YW-01, October
    earlier = _report(office, office.a, office.person, office.delay, datetime.date(2026, 8, 10))
    incident_services.incident_verify(actor=office.supervisor, incident=earlier)
    october = squeeze(
        pdf_text(documents.incidents(documents.bulletin_span("2026-10")).content, tmp_path)
    )
    assert "四、重复发生提示" in october
    assert "王建国" in october and f"（{earlier.number}、{first.number}）" in october
    # August's bulletin lists August's incident but not an alert that only October completes:
    # the alert is the later bulletin's news.
    august = squeeze(
        pdf_text(documents.incidents(documents.bulletin_span("2026-08")).content, tmp_path)
    )
    assert earlier.number in august
    assert "未出现需要提示的重复情况" in august
