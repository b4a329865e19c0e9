"""The home page leads each role to its work: sheets to mark, quarters to lock, appeals."""

import re

from efficiency.services import incidents as incident_services

from .conftest import login
from .report_support import quarter


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def section(html: str, element_id: str) -> str:
    start = html.index(f'id="{element_id}"')
    return html[start : html.index("</ul>", start) if "</ul>" in html[start:] else None]


def test_an_assessor_sees_the_open_sheets_with_progress_and_a_link(office):
    quarter(office, "2026Q3")
    open_quarter = quarter(office, "2026Q4", state="open", incidents=False)
    html = login(office.assessor).get("/").content.decode()
    sheets = section(html, "my-sheets")
    assert 'href="/appraisal/2026Q4/sheet/"' in sheets
    assert 'href="/appraisal/2026Q4/sheet/sections/"' in sheets
    assert "2026Q3" not in sheets  # closed: nothing left to mark
    people = 8  # everyone in post but the assessor, all marked by quarter()
    assert f"已评 {people * 3} / {people * 3} 项 ✓" in text(sheets)
    marks = people * 3
    assert f'<progress class="sheet-progress mt-1" value="{marks}" max="{marks}"' in sheets
    assert open_quarter.state == "open"


def test_an_unmarked_sheet_shows_what_is_left(office):
    from efficiency.services.appraisal import period_open

    period_open(actor=office.leader, code="2026Q4")
    sheets = text(section(login(office.assessor).get("/").content.decode(), "my-sheets"))
    assert "2026年第4季度 · 人员评分 已评 0 / 24 项" in sheets


def test_a_leader_sees_each_period_and_what_waits_for_them(office):
    quarter(office, "2026Q2", state="locked", incidents=False)
    quarter(office, "2026Q3")
    quarter(office, "2026Q4", state="open", incidents=False)
    html = login(office.leader).get("/").content.decode()
    board = section(html, "period-board")
    lines = text(board)
    assert "2026年第4季度 评分中" in lines
    assert "2026年第3季度 已关闭（公示中） 待您锁定" in lines
    assert "2026年第2季度 已锁定 排名 →" in lines
    assert lines.count("待您锁定") == 1
    for code in ("2026Q2", "2026Q3", "2026Q4"):
        assert f'href="/appraisal/{code}/ranking/"' in board


def test_a_supervisor_sees_the_appeals_to_decide(office, incident_a):
    incident_services.incident_verify(actor=office.supervisor, incident=incident_a)
    incident_services.incident_handle(
        actor=office.supervisor, incident=incident_a, decision="criticism", note=""
    )
    incident_services.incident_appeal(
        actor=office.named, incident=incident_a, text="处理偏重，申请复核。"
    )
    html = login(office.supervisor).get("/").content.decode()
    assert f'href="/incidents/{incident_a.number}/#appeal"' in section(html, "appeals-waiting")


def test_a_clerk_sees_none_of_it(office):
    quarter(office, "2026Q3")
    html = login(office.clerk).get("/").content.decode()
    for block in ("my-sheets", "period-board", "appeals-waiting"):
        assert f'id="{block}"' not in html
