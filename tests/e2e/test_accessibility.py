"""Every page, as each role, passes axe-core's WCAG 2.1 AA checks in Chromium.

The office is built once per role: a closed quarter (rankings, score cards, reports) and an
open one (the score sheet), incidents in several states. Its dates are pinned; the browsing
itself runs on the real clock so that the session cookie is never already expired.
"""

import datetime

import pytest
import time_machine

from efficiency.models import Incident
from efficiency.services import incidents as incident_services

from ..factories import ensure_default_criteria, report
from ..report_support import quarter
from .axe import violations
from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PINNED = datetime.datetime(2026, 11, 20, 10, 0, tzinfo=datetime.UTC)

PAGES = [
    "/",
    "/roster/",
    "/incidents/",
    "/incidents/new/",
    "/incidents/{incident}/",
    "/analysis/?span=2026",
    "/appraisal/",
    "/appraisal/2026Q4/sheet/",
    "/appraisal/2026Q4/sheet/sections/",
    "/appraisal/2026Q3/ranking/",
    "/appraisal/2026Q3/ranking/sections/",
    "/appraisal/2026Q3/card/001001/",
    "/appraisal/2026Q3/review/",
    "/appraisal/2026Q3/decisions/",
    "/appraisal/2026Q4/summary/",
    "/appraisal/2026Q4/summaries/",
    "/appraisal/2026Q4/summaries/001001/",
    "/appraisal/2026Q3/publicity/",
    "/appraisal/2026Q3/objections/",
    "/appraisal/2026Q3/feedback/",
    "/appraisal/2026Q3/feedback/all/",
    "/appraisal/trends/",
    "/appraisal/annual/2026/",
    "/sanctions/",
    "/sanctions/new/",
    "/sanctions/months/",
    "/people/001001/influence/",
    "/excel/",
    "/reports/",
    "/reports/jobs/",
]
ROLES = ["clerk", "head", "supervisor", "assessor", "leader", "administrator"]


@pytest.fixture
def busy_office(office):
    ensure_default_criteria()
    with time_machine.travel(PINNED, tick=False):
        quarter(office, "2026Q3")
        quarter(office, "2026Q4", state="open", incidents=False)
        pending = report(
            office.clerk,
            section=office.a,
            responsible=[office.colleague],
            standard=office.slip,
            occurred_on=datetime.date(2026, 11, 2),
        )
        incident_services.incident_verify(actor=office.supervisor, incident=pending)
    return office


def crawl(page, username: str, incident: str) -> dict[str, list[str]]:
    log_in(page, username)
    found = {}
    for template in PAGES:
        url = template.format(incident=incident)
        response = page.goto(url)
        if response.status >= 400 and url != "/":
            continue  # refused: the refusal page itself is checked below
        problems = violations(page)
        if problems:
            found[url] = problems
    return found


@pytest.mark.parametrize("username", ROLES)
def test_every_page_passes_axe(page, busy_office, username):
    incident = Incident.objects.order_by("number").first().number
    found = crawl(page, username, incident)
    report_ = [f"{url}  {problem}" for url, problems in found.items() for problem in problems]
    assert not report_, f"{len(report_)} violations as {username}:\n" + "\n".join(report_)


def test_the_login_and_refusal_pages_pass_axe(page, busy_office):
    page.goto("/accounts/login/")
    assert violations(page) == []
    log_in(page, "outsider")
    assert page.goto("/appraisal/2026Q3/ranking/").status == 403
    assert violations(page) == []
    assert page.goto("/incidents/2030-0001/").status == 404
    assert violations(page) == []


def test_focus_is_a_visible_outline(page, busy_office):
    log_in(page, "leader")
    page.goto("/incidents/")
    seen = set()
    for _ in range(25):  # the skip link, the navbar, the filters, the table's links
        page.keyboard.press("Tab")
        style = page.evaluate(
            """() => {
                const el = document.activeElement, s = getComputedStyle(el);
                return [el.tagName + '.' + el.className, s.outlineStyle, s.outlineWidth];
            }"""
        )
        element, outline, width = style
        if element.startswith("BODY"):
            continue  # between the page and the browser's own controls
        assert (outline, width) == ("solid", "2px"), element
        seen.add(element.split(".")[0])
    assert {"A", "INPUT", "SELECT", "BUTTON"} <= seen
