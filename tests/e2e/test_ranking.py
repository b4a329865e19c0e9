"""A leader reads the quarter's ranking and decides a grade from it, in Chromium."""

import pytest

from efficiency import results
from efficiency.models import GradeReview
from efficiency.roles import Role
from efficiency.services.appraisal import period_open, score_save

from ..factories import ensure_default_criteria, make_user
from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def scored_period(office):
    ensure_default_criteria()
    period = period_open(actor=office.leader, code="2026Q3")
    judges = [office.assessor, office.leader, make_user("judge", Role.ASSESSOR)]
    marks = {office.person: "86", office.colleague: "93", office.other_person: "78"}
    for staff, value in marks.items():
        for judge in judges:
            for code in ("duty", "performance", "service"):
                score_save(
                    assessor=judge, period=period, criterion_code=code, staff=staff, value=value
                )
    return period


def test_a_leader_decides_a_grade_from_the_ranking(page, office, scored_period):
    dialogs = []
    page.on("dialog", lambda dialog: dialogs.append(dialog.message))  # conftest accepts it
    log_in(page, "leader")
    page.goto("/appraisal/2026Q3/ranking/")

    # The ranks, highest final first.
    table = results.ranking(scored_period)
    for key in ("001002", "001001", "002001"):
        row = page.locator(f"#row-{key}")
        assert row.locator(".rank").inner_text() == str(table.row(key).result.rank)
        assert str(table.row(key).result.final) in row.inner_text()
    assert page.locator("#row-001001 .grade").inner_text() == "较好"

    # The row's 审定 link leads to the decision page's row; decide with a reason there, then
    # confirm on the page that follows.
    page.locator("#row-001001 [data-decide]").click()
    page.wait_for_url("**/appraisal/2026Q3/decisions/#row-001001")
    row = page.locator("#row-001001")
    row.get_by_label("审定等次").select_option("good")
    row.get_by_label("理由", exact=True).fill("牵头完成全县防汛值班调度，成效突出。")
    row.get_by_role("button", name="审定", exact=True).click()

    # The second look says what will happen; nothing has changed yet.
    page.get_by_text(
        "王建国2026年第3季度的等次审定为“好”（计算等次“较好”，建议等次“较好”）。"
    ).wait_for()
    assert not GradeReview.objects.exists()
    page.get_by_role("button", name="保存审定").click()
    page.wait_for_url("**/appraisal/2026Q3/decisions/**")
    page.get_by_text("王建国 2026年第3季度的等次已调整为“好”。").wait_for()
    page.goto("/appraisal/2026Q3/ranking/")
    row = page.locator("#row-001001")
    row.locator(".override-mark").wait_for()
    assert row.locator(".grade").inner_text() == "好"
    assert "牵头完成全县防汛值班调度，成效突出。" in row.inner_text()
    assert dialogs == []
    decision = GradeReview.objects.get()
    assert (decision.staff, decision.grade) == (office.person, "good")
