"""The review and decision pages read one page of people, not the office: their queries do
not grow with the people listed, and the lists are paginated on the server with the 好
counter still over the whole pool (bench/pages.py times them at 2,000 staff)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from efficiency import results
from efficiency.models import GradeReview
from efficiency.services.appraisal import period_open, score_save
from efficiency.services.reviews import decide, propose
from efficiency.views import reviews as review_views

from .conftest import login
from .factories import make_staff
from .test_progress import chinese  # noqa: F401  (autouse: the pages in Chinese)

CODES = ("duty", "performance", "service")
CONFIRMED = {"confirmed": "1"}
REVIEW = "/appraisal/2026Q3/review/"
DECISIONS = "/appraisal/2026Q3/decisions/"


@pytest.fixture
def period(office):
    return period_open(actor=office.leader, code="2026Q3")


def add_people(office, period, section, count: int, first: int) -> None:
    """``count`` new people in ``section``, each marked (the later, the higher); every second
    one proposed and decided as computed, so each kind of row is on the page."""
    people = []
    for i in range(first, first + count):
        person = make_staff(section, f"新{i}", f"9{i:05d}")
        for code in CODES:
            score_save(
                assessor=office.assessor,
                period=period,
                criterion_code=code,
                staff=person,
                value=str(80 + i % 20),
            )
        people.append(person)
    table = results.ranking(period)
    for person in people[1::2]:
        grade = table.row(person.staff_no).result.computed_grade.value
        propose(
            actor=office.administrator,
            period=period,
            staff=person,
            grade=grade,
            comment="工作认真。",
        )
        decide(actor=office.leader, period=period, staff=person, grade=grade)


def queries(user, address: str) -> int:
    # Each count computes the quarter's ranking: a kept one would take fewer queries.
    results.forget_kept()
    client = login(user)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(address).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    ("who", "address"),
    [("head", REVIEW), ("administrator", REVIEW), ("leader", DECISIONS)],
)
def test_the_pages_take_the_same_queries_for_three_times_the_people(office, period, who, address):
    user = getattr(office, who)
    add_people(office, period, office.a, 4, 0)
    small = queries(user, address)
    add_people(office, period, office.a, 8, 4)  # three times the people of the first count
    listed = len(queries_lines(user, address))
    assert listed >= 12
    assert queries(user, address) == small


def queries_lines(user, address: str) -> list:
    return login(user).get(address).context["lines"]


def test_the_decisions_are_paginated_with_the_counter_over_the_whole_pool(
    office, period, monkeypatch
):
    monkeypatch.setattr(review_views, "PAGE_SIZE", 5)
    add_people(office, period, office.a, 12, 0)
    table = results.ranking(period)
    graded = [
        row.facts.key
        for row in table.rows
        if row.result.assessed and row.result.computed_grade is not None
    ]
    good = GradeReview.objects.filter(period=period, grade="good").count()
    assert len(graded) > 10 and good > 0
    client = login(office.leader)
    first = client.get(DECISIONS)
    assert [line.staff.staff_no for line in first.context["lines"]] == graded[:5]
    third = client.get(DECISIONS + "?page=3")
    assert [line.staff.staff_no for line in third.context["lines"]] == graded[10:15]
    for page in (first, third):
        content = page.content.decode()
        assert f'data-quota="{table.result.quota}" data-decided="{good}"' in content
    assert f"共{len(graded)}条 · 第1页，共3页" in first.content.decode()
    # A decision taken on page 3 brings the leader back to page 3, at the row.
    staff_no = graded[11]
    response = client.post(
        f"/appraisal/2026Q3/decisions/{staff_no}/",
        {"grade": "average", "reason": "本季度有一次工作延误。", "page": "3", **CONFIRMED},
    )
    assert response.status_code == 302
    assert response.url == f"{DECISIONS}?page=3#row-{staff_no}"
    assert GradeReview.objects.get(period=period, staff__staff_no=staff_no).grade == "average"


def test_the_decisions_filter_by_name_section_and_undecided(office, period):
    add_people(office, period, office.a, 4, 0)
    add_people(office, period, office.b, 4, 4)
    client = login(office.leader)

    def listed(query: str) -> set[str]:
        return {line.staff.staff_no for line in client.get(DECISIONS + query).context["lines"]}

    assert listed("?q=新5") == {"900005"}
    assert listed("?section=ZHK") >= {"900004", "900005", "900006", "900007"}
    assert not listed("?section=ZHK") & {"900000", "900001", "900002", "900003"}
    decided = set(
        GradeReview.objects.filter(period=period)
        .exclude(grade="")
        .values_list("staff__staff_no", flat=True)
    )
    assert decided and not listed("?undecided=1") & decided
    assert listed("?undecided=1") >= {"900000", "900002", "900004", "900006"}
    # A section that is not listed is ignored, not an error.
    assert listed("?section=NOPE") == listed("")
    page = client.get(DECISIONS + "?q=没有这个人")
    assert "没有符合筛选条件的人员。" in page.content.decode()


def test_the_review_page_keeps_its_page_after_a_proposal(office, period, monkeypatch):
    monkeypatch.setattr(review_views, "PAGE_SIZE", 3)
    add_people(office, period, office.a, 6, 0)
    client = login(office.head)
    second = client.get(REVIEW + "?page=2")
    line = second.context["lines"][0]
    grade = line.row.result.computed_grade.value
    response = client.post(
        REVIEW + "?page=2",
        {"staff_no": line.staff.staff_no, "grade": grade, "comment": "按时完成任务。"},
    )
    assert response.status_code == 302
    assert response.url == f"{REVIEW}?page=2#row-{line.staff.staff_no}"
    review = GradeReview.objects.get(period=period, staff=line.staff)
    assert review.comment == "按时完成任务。"


def test_an_assessors_home_takes_the_same_queries_for_three_times_the_people(office, period):
    add_people(office, period, office.a, 4, 0)
    small = queries(office.assessor, "/")
    add_people(office, period, office.b, 8, 4)
    page = login(office.assessor).get("/")
    staff_sheet = next(s for s in page.context["sheets"] if s.kind == "staff")
    # Everyone in post but the assessor themself, three criteria each; the new people marked.
    eligible = results.staff_in_period(period).exclude(user=office.assessor).count()
    assert staff_sheet.to_mark == 3 * eligible
    assert staff_sheet.marked == 3 * 12
    assert queries(office.assessor, "/") == small


def test_the_board_pages_its_sections(office, period, monkeypatch):
    from efficiency.models import Section
    from efficiency.views import progress as progress_views

    monkeypatch.setattr(progress_views, "SECTIONS_PER_PAGE", 1)
    Section.objects.create(code="XXK", name="信息科", order=30)
    client = login(office.leader)

    def sections(query: str) -> list[str]:
        page = client.get("/appraisal/2026Q3/progress/" + query)
        return [line.code for line in page.context["section_page"]]

    assert sections("") == ["MSK"]
    assert sections("?spage=2") == ["ZHK"]
    assert sections("?spage=3") == ["XXK"]
    # The sections' pages keep the filters and the assessors' page.
    content = client.get("/appraisal/2026Q3/progress/?behind=1&page=1").content.decode()
    assert "?behind=1&amp;page=1&amp;spage=2" in content
