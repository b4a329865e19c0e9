"""关于审定…平时考核等次的请示 and the 公示 list: their numbers, their order, the command."""

import datetime

import pytest
from django.core.management import CommandError

from efficiency import results
from efficiency.management.commands.report_pdf import Command
from efficiency.models import Staff
from efficiency.reports import documents
from efficiency.reports.request import share
from efficiency.services import reviews
from efficiency.services.appraisal import period_close

from .report_support import pdf_pages, quarter, squeeze


@pytest.fixture
def period(office):
    """Q3 open: 李秀英 proposed 好 and decided so; 赵志强 proposed 较好, not decided."""
    period = quarter(office, state="open")
    reviews.propose(
        actor=office.head, period=period, staff=office.colleague, grade="good", comment="突出。"
    )
    reviews.decide(actor=office.leader, period=period, staff=office.colleague, grade="good")
    table = results.ranking(period, results.STAFF)
    computed = table.row("002001").result.computed_grade
    assert computed.value == "fairly_good"
    reviews.propose(
        actor=office.head_b,
        period=period,
        staff=office.other_person,
        grade="fairly_good",
        comment="",
    )
    Staff.objects.create(staff_no="001077", name="新同志", section=office.a, post="科员")
    return period


def test_share_is_a_percentage_of_the_people_graded():
    assert share(3, 8).percent == pytest.approx(37.5)
    assert str(share(1, 3).percent) == "33.3"
    assert share(0, 0).percent is None


def test_the_request_counts_proposals_and_decisions_per_pool(office, period):
    context = documents.request_context(period)
    table = results.ranking(period, results.STAFF)
    graded = sum(1 for row in table.rows if row.result.computed_grade is not None)
    [pool] = context["pools"]
    assert pool.graded == graded == 8
    assert pool.quota == table.result.quota
    assert (pool.proposed, pool.decided) == (2, 1)
    assert (pool.proposed_good.count, pool.proposed_fairly_good.count) == (1, 1)
    assert (pool.decided_good.count, pool.decided_fairly_good.count) == (1, 0)
    assert str(pool.proposed_good.percent) == "12.5"
    assert [u.name for u in context["unsettled"]] == ["新同志"]


def test_the_request_prints_the_memo_and_the_attached_table(office, period, tmp_path):
    rendered = documents.request(period)
    assert rendered.filename == "2026Q3-平时考核等次审定请示.pdf"
    pages = pdf_pages(rendered.content, tmp_path)
    memo = squeeze(pages[0])
    assert "关于审定2026年第3季度平时考核等次的请示" in memo
    assert "全体定等人员" in memo
    # pool, graded, places, then 好/较好 proposed and decided: people and share
    assert "全体定等人员83112.5%112.5%112.5%00.0%" in memo
    assert "新同志（秘书科）：本季度未考核：" in memo
    assert "妥否，请批示。" in memo
    annex = squeeze("".join(pages[1:]))
    assert "2026年第3季度平时考核等次审定表" in annex
    table = results.ranking(period, results.STAFF)
    for row in table.rows:
        assert row.facts.key in annex
    line = next(line for page in pages[1:] for line in page.splitlines() if "001002" in line)
    assert squeeze(line).endswith("好好好")  # computed, proposed, decided
    line = next(line for page in pages[1:] for line in page.splitlines() if "002001" in line)
    assert squeeze(line).endswith("较好较好—")


def test_report_pdf_request(period, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("django.core.management.base.connections.close_all", lambda: None)
    monkeypatch.chdir(tmp_path)
    Command().run_from_argv(["manage.py", "report_pdf", "request", "--period", "2026Q3"])
    out = capsys.readouterr().out
    assert out.startswith("已生成 2026Q3-平时考核等次审定请示.pdf")
    text = squeeze(
        "".join(pdf_pages((tmp_path / "2026Q3-平时考核等次审定请示.pdf").read_bytes(), tmp_path))
    )
    assert "关于审定2026年第3季度平时考核等次的请示" in text


def test_the_decisions_page_links_the_request(client, office, period):
    client.force_login(office.leader)
    page = client.get("/appraisal/2026Q3/decisions/").content.decode()
    assert 'href="/reports/2026Q3/request.pdf"' in page
    response = client.get("/reports/2026Q3/request.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


# --- 公示 -------------------------------------------------------------------------------------


def test_the_publicity_list_names_sections_and_grades_only(office, period, tmp_path):
    rendered = documents.publicity(
        period, starts=datetime.date(2026, 10, 21), ends=datetime.date(2026, 10, 27)
    )
    pages = pdf_pages(rendered.content, tmp_path)
    text = squeeze("".join(pages))
    assert "2026年第3季度平时考核结果公示" in text
    assert "公示时间：2026年10月21日至2026年10月27日" in text
    assert "提出异议" in text
    assert text.rstrip().count("县委办公室") >= 1 and "2026年10月21日" in text
    table = results.ranking(period, results.STAFF)
    for row in table.rows:
        assert row.facts.name in text
        if row.result.final is not None:
            assert str(row.result.final) not in text  # no marks on the notice board
    # section order (秘书科 before 综合科), then name; the decided grade is the one shown
    names = [
        line.split()[1]
        for page in pages
        for line in page.splitlines()
        if line.strip()[:1].isdigit() and len(line.split()) == 4
    ]
    sections = {row.facts.name: (row.facts.section_id, row.facts.name) for row in table.rows}
    order = {office.a.pk: office.a.order, office.b.pk: office.b.order}
    assert names == sorted(names, key=lambda n: (order.get(sections[n][0], 99), n))
    line = next(line for page in pages for line in page.splitlines() if "李秀英" in line)
    assert line.split()[-1] == "好"


def test_the_publicity_list_prints_the_window_recorded_at_closing(
    office, period, tmp_path, capsys, monkeypatch
):
    # Closed on Friday 20 November with 5 working days: Monday 23 to Friday 27 November.
    period_close(actor=office.leader, period=period, days=5)
    monkeypatch.setattr("django.core.management.base.connections.close_all", lambda: None)
    monkeypatch.chdir(tmp_path)
    Command().run_from_argv(["manage.py", "report_pdf", "publicity", "--period", "2026Q3"])
    written = next(tmp_path.glob("2026Q3-*.pdf"))
    text = squeeze("".join(pdf_pages(written.read_bytes(), tmp_path)))
    assert "公示时间：2026年11月23日至2026年11月27日" in text


def test_the_publicity_page_links_its_pdf_for_every_reader(client, office, period):
    period_close(actor=office.leader, period=period, days=5)
    client.force_login(office.named)
    page = client.get("/appraisal/2026Q3/publicity/").content.decode()
    assert 'href="/reports/2026Q3/publicity.pdf"' in page
    response = client.get("/reports/2026Q3/publicity.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


def test_a_quarter_without_a_window_has_no_publicity_list(client, office, period):
    client.force_login(office.leader)
    response = client.get("/reports/2026Q3/publicity.pdf")  # still open: never published
    assert response.status_code == 404
    assert "未设公示期" in response.content.decode()
    with pytest.raises(CommandError, match="未设公示期"):
        Command().handle(
            kind="publicity",
            period="2026Q3",
            staff="",
            section="",
            all=False,
            output="",
            workers=0,
        )
