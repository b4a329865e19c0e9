"""An assessor marks the score sheet with the keyboard only, in Chromium."""

import re

import pytest
from playwright.sync_api import expect

from efficiency.models import Score
from efficiency.services.appraisal import period_open

from ..factories import ensure_default_criteria
from ..report_support import many_people
from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHEET = "/appraisal/2026Q3/sheet/"


@pytest.fixture
def open_period(office):
    ensure_default_criteria()
    return period_open(actor=office.leader, code="2026Q3")


def cell(page, staff_no, criterion):
    return page.locator(
        f'tr.sheet-row:has(.subject-meta:has-text("{staff_no}")) td[data-criterion="{criterion}"]'
    )


def all_saved(page):
    # A function, not an expression: Playwright evaluates a bare expression with eval(),
    # which the page's Content Security Policy forbids.
    page.wait_for_function(
        "() => document.querySelectorAll('.mark-cell.is-saving, .mark-cell.is-retrying')"
        ".length === 0"
        " && !document.getElementById('sheet-status').classList.contains('has-unsaved')"
    )


def test_an_assessor_marks_the_sheet_by_keyboard(page, office, open_period):
    log_in(page, "assessor")
    page.goto(SHEET)
    assert "履行职责（40%）" in page.locator("thead").inner_text()
    keyboard = page.keyboard

    # Into the grid from the search box; the first row is 刘科长 (001000).
    page.locator("#sheet-search").focus()
    keyboard.press("Tab")
    keyboard.type("85")
    keyboard.press("Tab")
    keyboard.type("90.5")
    keyboard.press("Tab")
    keyboard.type("78")
    keyboard.press("Enter")  # down to 王建国 (001001), same criterion

    # 100 asks for a reason: the cell waits until it is written.
    keyboard.type("100")
    keyboard.press("Tab")
    reason = cell(page, "001001", "service").locator(".reason-input")
    expect(reason).to_be_visible()
    expect(reason).to_be_focused()
    expect(cell(page, "001001", "service")).to_have_class(re.compile(r"\bis-waiting\b"))
    keyboard.type("牵头完成防汛值班保障。")
    keyboard.press("Enter")  # saved, and down to 李秀英 (001002)

    keyboard.type("88")
    keyboard.press("Enter")  # down to 陈文书 (001009)
    keyboard.type("70")
    keyboard.press("Shift+Enter")  # back up to 李秀英, who gets 89 instead
    keyboard.type("89")
    keyboard.press("Enter")

    all_saved(page)
    expect(page.locator("#progress-marked")).to_have_text("6")
    expect(page.locator("#progress-total")).to_have_text(str(8 * 3))

    page.reload()
    assert cell(page, "001000", "duty").locator(".mark-input").input_value() == "85"
    assert cell(page, "001000", "performance").locator(".mark-input").input_value() == "90.5"
    assert cell(page, "001000", "service").locator(".mark-input").input_value() == "78"
    assert cell(page, "001001", "service").locator(".mark-input").input_value() == "100"
    expect(reason).to_have_value("牵头完成防汛值班保障。")
    assert cell(page, "001002", "service").locator(".mark-input").input_value() == "89"
    assert cell(page, "001009", "service").locator(".mark-input").input_value() == "70"
    expect(page.locator("tr.sheet-row.is-done")).to_have_count(1)  # 刘科长's row is complete

    saved = {
        (s.staff.staff_no, s.criterion.code): (s.tenths, s.reason)
        for s in Score.objects.select_related("staff", "criterion")
    }
    assert saved == {
        ("001000", "duty"): (850, ""),
        ("001000", "performance"): (905, ""),
        ("001000", "service"): (780, ""),
        ("001001", "service"): (1000, "牵头完成防汛值班保障。"),
        ("001002", "service"): (890, ""),
        ("001009", "service"): (700, ""),
    }
    assert set(Score.objects.values_list("assessor__username", flat=True)) == {"assessor"}


def test_the_filter_box_narrows_the_rows(page, office, open_period):
    log_in(page, "assessor")
    page.goto(SHEET)
    page.locator("#sheet-search").fill("002001")
    expect(page.locator("tr.sheet-row:visible")).to_have_count(1)
    expect(page.locator("tbody.sheet-group:visible .group-title")).to_contain_text("综合科")
    page.locator("#sheet-search").fill("王建")
    expect(page.locator("tr.sheet-row:visible .subject-name")).to_have_text(["王建国"])
    page.locator("#sheet-search").press("Enter")  # jumps into the row
    expect(cell(page, "001001", "duty").locator(".mark-input")).to_be_focused()


def test_a_failed_save_is_kept_and_sent_again(page, office, open_period):
    log_in(page, "assessor")
    page.goto(SHEET)
    # The network drops the first attempt; the mark is kept and retried.
    failures = []

    def flaky(route):
        if not failures:
            failures.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    page.route("**/sheet/save/", flaky)
    target = cell(page, "001001", "duty").locator(".mark-input")
    target.focus()
    page.keyboard.type("81")
    page.keyboard.press("Enter")
    expect(page.locator("#sheet-alert")).to_be_visible()
    all_saved(page)
    expect(page.locator("#sheet-alert")).to_be_hidden()
    assert failures
    assert list(Score.objects.values_list("tenths", flat=True)) == [810]


VISIBILITY = """() => {
    const input = document.activeElement;
    const scroller = input.closest('.sheet-scroll').getBoundingClientRect();
    const head = document.querySelector('#score-sheet thead').getBoundingClientRect();
    const names = document.querySelector('#score-sheet thead .col-subject').getBoundingClientRect();
    const r = input.getBoundingClientRect();
    return r.top >= head.bottom && r.bottom <= scroller.bottom && r.left >= names.right
        && r.right <= scroller.right;
}"""


def test_the_focused_cell_is_never_under_the_sticky_header(page, office, open_period):
    many_people(office, 45)
    log_in(page, "assessor")
    page.set_viewport_size({"width": 1100, "height": 700})
    page.goto(SHEET)
    inputs = page.locator("tr.sheet-row td[data-criterion=duty] .mark-input")
    count = inputs.count()
    inputs.nth(count - 1).focus()
    hidden = 0
    for at in range(count - 1, count - 41, -1):
        # Scrolled (by the wheel, say) so that the row above sits inside the scrolling box but
        # under its sticky header: the browser thinks it is visible and does not scroll.
        page.evaluate(
            """(at) => {
                const scroller = document.querySelector('.sheet-scroll');
                const row = document.querySelectorAll('tr.sheet-row')[at - 1];
                scroller.scrollTop += row.getBoundingClientRect().top
                    - scroller.getBoundingClientRect().top;
            }""",
            at,
        )
        page.keyboard.press("Shift+Enter")
        page.wait_for_timeout(20)
        hidden += not page.evaluate(VISIBILITY)
    assert hidden == 0
    for _ in range(40):  # and back down with Enter
        page.keyboard.press("Enter")
        page.wait_for_timeout(20)
        hidden += not page.evaluate(VISIBILITY)
    assert hidden == 0


def test_a_refused_mark_is_tied_to_its_input_and_announced(page, office, open_period):
    log_in(page, "assessor")
    page.goto(SHEET)
    target = cell(page, "001001", "duty")
    mark = target.locator(".mark-input")
    mark.fill("120")
    mark.press("Tab")
    message = target.locator(".mark-message")
    expect(message).to_have_text("分数须在0至100之间。")
    text = message.inner_text()
    message_id = message.get_attribute("id")
    assert mark.get_attribute("aria-describedby") == message_id
    assert mark.get_attribute("aria-invalid") == "true"
    assert message.get_attribute("aria-live") == "assertive"
    assert page.evaluate("(id) => document.getElementById(id).textContent", message_id) == text
