"""The leaders' result pages: ranking (staff, sections), score card, trends, annual."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from efficiency import results
from efficiency.models import Period, Staff
from efficiency.roles import Role
from efficiency.services import incidents as incident_services
from efficiency.services.appraisal import (
    period_close,
    period_open,
    score_save,
)

from .conftest import PERSONAS, login
from .factories import make_staff, make_user, report

SEES_RESULTS = {"leader", "administrator"}
MESSAGE_BAD_FILTERS = "部分筛选条件无效，请修改后重新筛选。"
CODES = ("duty", "performance", "service")


@pytest.fixture
def judges(office):
    """Five assessors: with five marks the highest and the lowest are dropped."""
    extra = [make_user(f"judge{n}", Role.ASSESSOR) for n in range(3)]
    return [office.assessor, office.leader, *extra]


def mark(period, judges, staff, marks):
    """``marks``: one (duty, performance, service) triple per judge, in order."""
    for judge, triple in zip(judges, marks, strict=False):
        for code, value in zip(CODES, triple, strict=True):
            score_save(assessor=judge, period=period, criterion_code=code, staff=staff, value=value)


def mark_section(period, judges, section, value="88"):
    for judge in judges:
        for code in CODES:
            score_save(
                assessor=judge, period=period, criterion_code=code, section=section, value=value
            )


def established(office, staff, *, standard=None, severity="minor", day=datetime.date(2026, 8, 3)):
    incident = report(
        office.clerk,
        section=office.a,
        responsible=[staff],
        standard=standard or office.slip,
        severity=severity,
        occurred_on=day,
    )
    incident_services.incident_verify(actor=office.supervisor, incident=incident)
    return incident


@pytest.fixture
def period(office, judges):
    """2026Q3, open: four people fully marked by five judges, one incident against 王建国."""
    period = period_open(actor=office.leader, code="2026Q3")
    mark(
        period,
        judges,
        office.person,
        [("90", "80", "70"), ("92", "84", "74"), ("94", "88", "78"), ("96", "92", "82")]
        + [("98", "96", "86")],
    )
    mark(period, judges, office.colleague, [("95", "95", "95")] * 5)
    mark(period, judges, office.other_person, [("70", "72", "74")] * 2)
    mark(period, judges, office.head.staff, [("85", "86", "87")] * 3)
    mark_section(period, judges[:2], office.a)
    mark_section(period, judges[:2], office.b, "91")
    established(office, office.person, severity="serious")
    return period


def url(name, period=None, staff_no=None):
    code = period.code if period is not None else ""
    return {
        "ranking": f"/appraisal/{code}/ranking/",
        "sections": f"/appraisal/{code}/ranking/sections/",
        "card": f"/appraisal/{code}/card/{staff_no}/",
        "trends": "/appraisal/trends/",
        "annual": "/appraisal/annual/2026/",
    }[name]


def row_html(content: str, key: str) -> str:
    match = re.search(rf'<tr id="row-{key}".*?</tr>', content, re.S)
    assert match, f"no row for {key}"
    return match.group(0)


# --- who may see ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", PERSONAS)
@pytest.mark.parametrize("page", ["ranking", "sections", "card", "trends", "annual"])
def test_only_leaders_and_administrators_see_results(office, period, role, page):
    user = getattr(office, role)
    response = login(user).get(url(page, period, "002001"))
    assert response.status_code == (200 if role in SEES_RESULTS else 403)


CONFIRMED = {"confirmed": "1"}


@pytest.mark.parametrize("page", ["ranking", "sections", "card", "trends", "annual"])
def test_anonymous_is_sent_to_login(client, period, page):
    response = client.get(url(page, period, "001001"))
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_unknown_or_draft_period_is_404(office, period):
    leader = login(office.leader)
    assert leader.get("/appraisal/2030Q1/ranking/").status_code == 404
    assert leader.get("/appraisal/2030Q1/ranking/sections/").status_code == 404
    assert leader.get("/appraisal/2030Q1/card/001001/").status_code == 404
    Period.objects.create(code="2026Q4", year=2026, quarter=4)  # a draft has no results
    assert leader.get("/appraisal/2026Q4/ranking/").status_code == 404


def test_a_person_sees_their_own_card_once_published(office, period):
    named = login(office.named)  # the account of 王建国 (001001)
    assert named.get(url("card", period, "001001")).status_code == 403  # still open
    period_close(actor=office.leader, period=period)
    response = named.get(url("card", period, "001001"))
    assert response.status_code == 200
    assert "王建国" in response.content.decode()
    assert named.get(url("card", period, "001002")).status_code == 403  # a colleague's card
    assert named.get(url("ranking", period)).status_code == 403
    # The head's own card, and their section's people's cards (the personal form PDF shows
    # them the same numbers); not another section's, and an unknown number is refused alike.
    head = login(office.head)
    assert head.get(url("card", period, "001000")).status_code == 200
    assert head.get(url("card", period, "001001")).status_code == 200
    assert head.get(url("card", period, "002001")).status_code == 403
    assert head.get(url("card", period, "999999")).status_code == 403


def test_unknown_staff_number_on_a_card_is_404(office, period):
    assert login(office.leader).get(url("card", period, "999999")).status_code == 404


# --- the ranking ----------------------------------------------------------------------------


def test_the_ranking_shows_the_numbers_of_results_ranking(office, period):
    response = login(office.leader).get(url("ranking", period))
    assert response.status_code == 200
    content = response.content.decode()
    table = results.ranking(period)
    for row in table.rows:
        html = row_html(content, row.facts.key)
        assert row.facts.name in html
        if not row.result.assessed:
            assert "未考核" in html
            continue
        assert '<span class="rank' in html and f">{row.result.rank}</span>" in html
        for average in row.result.averages:
            assert f">{average.average}<" in html
        assert f">{row.result.base}<" in html
        assert f">{row.result.final}<" in html
        assert f">{row.result.grade.label}<" in html
    # 王建国: five marks, 88.40 base, 4 points deducted for the 较重 失误, capped at 较好.
    person = row_html(content, "001001")
    assert ">88.40<" in person and ">84.40<" in person and "−4.00" in person
    # Not assessed people come last, without a rank.
    keys = re.findall(r'<tr id="row-([^"]+)"', content)
    assessed = [r.facts.key for r in table.rows if r.result.assessed]
    assert keys[: len(assessed)] == assessed
    assert "002009" in keys[len(assessed) :]  # 周文书 has no marks


def test_the_ranking_shows_quota_and_unfinished_counts(office, period):
    response = login(office.leader).get(url("ranking", period))
    table = results.ranking(period)
    stats = response.content.decode()
    assert table.not_fully_marked > 0
    assert response.context["table"].not_fully_marked == table.not_fully_marked
    assert f'<span class="stat-value">{table.not_fully_marked}</span>' in stats
    assert f"{table.result.quota}<small" in stats
    assert f"/ {table.result.graded_count}</small>" in stats


def test_each_deduction_links_to_its_incident(office, period):
    number = results.ranking(period).row("001001").facts.deductions[0].number
    html = row_html(login(office.leader).get(url("ranking", period)).content.decode(), "001001")
    assert f'href="/incidents/{number}/"' in html
    sections = login(office.leader).get(url("sections", period)).content.decode()
    assert f'href="/incidents/{number}/"' in row_html(sections, "MSK")


def test_the_section_ranking_has_finals_and_no_grades(office, period):
    response = login(office.leader).get(url("sections", period))
    content = response.content.decode()
    table = results.ranking(period, results.SECTION)
    msk = row_html(content, "MSK")
    assert f">{table.row('MSK').result.final}<" in msk
    assert "grade-" not in msk
    assert "data-decide" not in content


def test_a_tie_on_the_quota_line_is_shown_to_the_leaders(office, judges):
    period = period_open(actor=office.leader, code="2026Q3")
    tied = [office.person, office.colleague, office.other_person]
    for staff in tied:
        mark(period, judges[:1], staff, [("95", "95", "95")])
    for staff in (office.head.staff, office.head_b.staff):
        mark(period, judges[:1], staff, [("80", "80", "80")])
    table = results.ranking(period)
    assert table.result.quota == 2
    response = login(office.leader).get(url("ranking", period))
    content = response.content.decode()
    assert "results-warnings" in content
    assert (
        "3 人最终得分 95.00 分并列于“好”等次名额线上（名额 2 个）：王建国（001001）、"
        "李秀英（001002）、赵志强（002001）。按规定均定为“较好”，请领导小组研究决定。"
    ) in content


def test_filters_search_and_pages(office, period, judges):
    for n in range(55):
        make_staff(office.b, f"新人{n:02d}", f"0900{n:02d}")
    leader = login(office.leader)
    page = leader.get(url("ranking", period)).context["page"]
    assert len(page.object_list) == 50
    assert page.paginator.num_pages == 2
    found = leader.get(url("ranking", period), {"q": "王建国"})
    assert [line.row.facts.key for line in found.context["lines"]] == ["001001"]
    # The rank is over everyone, not over the rows shown.
    assert (
        found.context["lines"][0].row.result.rank
        == results.ranking(period).row("001001").result.rank
    )
    by_number = leader.get(url("ranking", period), {"q": "0020"})
    assert {line.row.facts.key for line in by_number.context["lines"]} == {
        "002001",
        "002009",
        "002000",
    }
    section = leader.get(url("ranking", period), {"section": "MSK"})
    assert {line.row.facts.section for line in section.context["lines"]} == {"秘书科"}


@pytest.mark.parametrize(
    "query",
    [
        {"page": "abc"},
        {"page": "-3"},
        {"page": "99999"},
        {"section": "不存在的科室"},
        {"q": "x" * 200},
        {"q": "<script>", "section": ""},
    ],
)
def test_bad_query_strings_never_fail(office, period, query):
    leader = login(office.leader)
    for page in ("ranking", "sections"):
        response = leader.get(url(page, period), query)
        assert response.status_code == 200
    annual = leader.get(url("annual"), query)
    assert annual.status_code == 200


def test_invalid_filters_say_so_and_show_everyone(office, period):
    response = login(office.leader).get(url("ranking", period), {"section": "不存在的科室"})
    assert [str(m) for m in response.context["messages"]] == [MESSAGE_BAD_FILTERS]
    assert len(response.context["lines"]) == len(results.ranking(period).rows)


def test_the_period_selector_lists_every_period_newest_first(office, period, judges):
    period_close(actor=office.leader, period=period)
    period_open(actor=office.leader, code="2026Q4")
    Period.objects.create(code="2027Q1", year=2027, quarter=1)  # draft: no results yet
    response = login(office.leader).get(url("ranking", period))
    assert [p.code for p in response.context["periods"]] == ["2026Q4", "2026Q3"]
    menu = response.content.decode().split('class="dropdown-menu', 1)[1].split("</ul>", 1)[0]
    assert re.findall(r"/appraisal/(\w+)/ranking/", menu) == ["2026Q4", "2026Q3"]


def test_the_pages_link_to_each_other(office, period):
    leader = login(office.leader)
    for page in ("ranking", "sections", "trends", "annual"):
        content = leader.get(url(page, period, "001001")).content.decode()
        assert 'href="/appraisal/2026Q3/ranking/"' in content
        assert 'href="/appraisal/2026Q3/ranking/sections/"' in content
        assert 'href="/appraisal/trends/"' in content
        assert 'href="/appraisal/annual/2026/"' in content
    ranking = leader.get(url("ranking", period)).content.decode()
    assert 'href="/appraisal/2026Q3/card/001001/"' in row_html(ranking, "001001")


# --- the score card -------------------------------------------------------------------------


def test_the_score_card_explains_the_final_step_by_step(office, period):
    response = login(office.leader).get(url("card", period, "001001"))
    assert response.status_code == 200
    content = response.content.decode()
    row = results.ranking(period).row("001001")
    # Five marks on each criterion: the highest and the lowest are struck out and named.
    assert content.count("mark-dropped") == 6
    assert "5 个评分，去掉一个最高分（98.0）和一个最低分（90.0），其余 3 个取平均。" in content
    for average in row.result.averages:
        assert f">{average.average}<" in content
    assert "40 × 94.00 ÷ 100 + 40 × 88.00 ÷ 100 + 20 × 78.00 ÷ 100" in content
    assert "<strong>88.40</strong>" in content
    # The deduction and the incident behind it.
    deduction = row.facts.deductions[0]
    assert f'href="/incidents/{deduction.number}/"' in content
    assert deduction.clause_code in content
    assert "88.40 − 4.00 = <strong>84.40</strong>" in content
    table = results.ranking(period)
    assert (
        f"在本季度参加排名的 {table.result.assessed_count} 人中排第 {row.result.rank} 名。"
        in content
    )
    # The grade in words: the threshold, and the quota of the quarter.
    assert "最终得分 84.40 分，按等次标准定为“较好”" in content
    assert (
        f"本季度参加定等 {table.result.graded_count} 人，“好”等次最多 {table.result.quota} 名"
        in content
    )
    # The last quarters as a chart, with its numbers in a table.
    assert "<svg" in content
    assert "chart-data" in content


def test_the_score_card_names_the_cap_an_incident_sets(office, period):
    established(office, office.colleague, standard=office.delay)  # 95 by threshold: 好
    content = login(office.leader).get(url("card", period, "001002")).content.decode()
    assert "最终得分 94.00 分，按等次标准定为“好”" in content
    assert "本季度有已认定的三误事件，等次最高为“较好”，定为“较好”。" in content
    grave = established(office, office.colleague, standard=office.delay, severity="grave")
    content = login(office.leader).get(url("card", period, "001002")).content.decode()
    assert "本季度有已认定的严重三误事件，等次最高为“一般”，定为“一般”。" in content
    assert f'href="/incidents/{grave.number}/"' in content


def test_fewer_than_five_marks_drop_nothing(office, period):
    content = login(office.leader).get(url("card", period, "002001")).content.decode()
    assert "mark-dropped" not in content
    assert "2 个评分，不足 5 个，不去掉最高分和最低分，全部取平均。" in content


def test_a_card_for_someone_not_assessed_says_what_is_missing(office, period):
    content = login(office.leader).get(url("card", period, "002009")).content.decode()
    assert "未考核" in content


# --- trends and the annual roll-up ----------------------------------------------------------


def test_trends_draw_the_sections_and_a_person(office, period):
    leader = login(office.leader)
    response = leader.get(url("trends"))
    assert response.status_code == 200
    content = response.content.decode()
    assert content.count("<svg") == 1
    assert "<script" not in content.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert "秘书科" in content
    person = leader.get(url("trends"), {"staff": "001001"})
    assert person.content.decode().count("<svg") >= 1
    assert person.context["person"] == office.person
    assert [p.final for _label, p in person.context["person_points"]] == [
        results.ranking(period).row("001001").result.final
    ]
    by_name = leader.get(url("trends"), {"staff": "王建国"})
    assert by_name.context["person"] == office.person


@pytest.mark.parametrize("text", ["999999", "无此人", "x" * 100])
def test_trends_for_an_unknown_person_say_so(office, period, text):
    response = login(office.leader).get(url("trends"), {"staff": text})
    assert response.status_code == 200
    assert response.context["person"] is None
    assert len(list(response.context["messages"])) == 1


def test_the_annual_roll_up(office, period):
    leader = login(office.leader)
    empty = leader.get(url("annual"))
    assert empty.status_code == 200
    assert not empty.context["rollup"].periods
    period_close(actor=office.leader, period=period)
    response = leader.get(url("annual"))
    content = response.content.decode()
    rollup = results.annual_rollup(2026)
    for row in rollup.rows:
        assert row.facts.name in content
        if row.result.score is not None:
            assert f">{row.result.score}<" in content
            assert f">{row.result.grade.label}<" in content
    assert f"{rollup.result.quota}<small" in content
    chart = content.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert "年度等次分布" in chart and "<script" not in chart
    assert leader.get("/appraisal/annual/1999/").status_code == 404
    assert leader.get("/appraisal/annual/2027/").status_code == 200


# --- speed: the same number of queries at two office sizes ----------------------------------


def _grow(office, period, judges, count, start):
    for n in range(start, start + count):
        staff = make_staff(office.b, f"加{n:03d}", f"07{n:04d}")
        mark(period, judges[:2], staff, [("85", "86", "87"), ("88", "89", "90")])
        if n % 3 == 0:
            established(office, staff, standard=office.delay)


def _queries(client, address):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(address).status_code == 200
    return len(captured.captured_queries)


def test_the_ranking_and_the_card_take_the_same_queries_at_two_sizes(office, period, judges):
    leader = login(office.leader)
    # A first request refreshes the new session (SessionRefreshMiddleware); count after it.
    leader.get("/")
    _grow(office, period, judges, 5, 0)
    small = [
        _queries(leader, url("ranking", period)),
        _queries(leader, url("sections", period)),
        _queries(leader, url("card", period, "001001")),
    ]
    _grow(office, period, judges, 35, 5)
    assert Staff.objects.count() >= 48
    large = [
        _queries(leader, url("ranking", period)),
        _queries(leader, url("sections", period)),
        _queries(leader, url("card", period, "001001")),
    ]
    assert large == small


def test_the_ranking_page_shows_a_mark_count_to_assessors_progress(office, period):
    # An extra assessor who has marked nobody leaves everyone not fully marked.
    make_user("late_judge", Role.ASSESSOR)
    assert Group.objects.get(name=Role.ASSESSOR).user_set.count() == 6
    table = results.ranking(period)
    content = login(office.leader).get(url("ranking", period)).content.decode()
    assert table.not_fully_marked == len(table.rows)
    given = table.row("001001").progress
    assert f"已评 {given.given}/{given.expected}" in row_html(content, "001001")
