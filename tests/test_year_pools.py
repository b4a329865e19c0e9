"""The year's 优秀 counted per quota pool, as the quarter's 好 (tests/test_pools.py).

The pools of tests/test_pools.py; 2026Q2 and 2026Q3 closed with four people marked alike:
优秀 places 公务员/参公 1 (李秀英, 好 twice so computed 优秀; 王建国 称职), 事业编 1 (刘科长,
赵志强, both 称职); 2 over the whole office.
"""

import pytest

from efficiency import results
from efficiency.models import AnnualReview, QuotaPool, Staff
from efficiency.services import ServiceError, reviews
from efficiency.services import annual as services

from . import test_annual_decision
from . import test_pools as pools_test
from .conftest import login

judges = pools_test.judges
YEAR = 2026


def close_two_pooled_quarters(office, judges) -> int:
    """Two pools as tests/test_pools.py; 2026Q2 and 2026Q3 closed, four people marked."""
    QuotaPool.objects.filter(category="civil_servant").update(rounding="up")
    QuotaPool.objects.filter(category="institution").update(minimum=1)
    Staff.objects.filter(pk__in=[office.head.staff.pk, office.other_person.pk]).update(
        category="institution"
    )
    return test_annual_decision.close_two_quarters(office, judges, count=4)


@pytest.fixture
def year(office, judges):
    return close_two_pooled_quarters(office, judges)


WHY = "专项任务突出。"


def as_leader(office) -> dict:
    return {"actor": office.leader, "year": YEAR}


def refused(call) -> str:
    with pytest.raises(ServiceError) as error:
        call()
    return error.value.message


def propose(office, staff, grade="excellent"):
    services.propose(
        actor=office.administrator,
        year=YEAR,
        staff=staff,
        grade=grade,
        comment="",
        reason="牵头完成重点工作。",
    )


def test_the_year_as_the_tests_expect(office, year):
    rollup = results.annual_rollup(year)
    grades = {row.facts.name: row.result.grade for row in rollup.rows}
    assert [(p.name, p.graded_count, p.places) for p in rollup.result.pools if p.graded_count] == [
        ("公务员/参公", 2, 1),
        ("事业编", 2, 1),
    ]
    assert grades["李秀英"] == "excellent"
    assert "excellent" not in {grades["王建国"], grades["刘科长"], grades["赵志强"]}
    assert results.annual_excellent_places(rollup) == 2


def test_over_one_pools_places_needs_a_reason_while_the_other_has_room(office, year):
    services.decide(actor=office.leader, year=year, staff=office.colleague, grade="excellent")
    message = refused(
        lambda: services.check_decision(
            actor=office.leader,
            year=year,
            staff=office.person,
            grade="excellent",
            reason="",
        )
    )
    assert "王建国" in message
    services.decide(**as_leader(office), staff=office.person, grade="excellent", reason=WHY)
    rollup = results.annual_rollup(year)
    # Two 优秀 fill the office's two places, yet 事业编's one place is still free.
    counter = services.counter(year, rollup)
    assert (counter.quota, counter.decided_good, counter.over) == (2, 2, True)
    assert [(c.name, c.quota, c.decided_good, c.over) for c in counter.pools] == [
        ("公务员/参公", 1, 2, True),
        ("事业编", 1, 0, False),
    ]
    holders = list(
        AnnualReview.objects.filter(grade="excellent").values_list("staff_id", flat=True)
    )
    assert reviews.pool_room(rollup, office.head.staff, holders) == ("事业编", 1, False)
    # The proposal and the computed grade agree: only the pool's places could ask a reason.
    AnnualReview.objects.filter(staff=office.colleague).update(grade="")
    message = refused(
        lambda: services.check_decision(
            actor=office.leader, year=year, staff=office.colleague, grade="excellent", reason=""
        )
    )
    assert message == "将李秀英审定为“优秀”会超过“公务员/参公”可评“优秀”的 1 人，请填写理由。"


def test_deciding_all_names_those_over_their_pools_places(office, year):
    propose(office, office.person)  # 公务员/参公: 李秀英 (computed) and 王建国
    propose(office, office.head.staff)  # 事业编: 刘科长 alone, within its place
    plan = services.check_all_as_proposed(actor=office.leader, year=year)
    assert [p.staff.name for p in plan.over] == ["王建国"]
    with pytest.raises(ServiceError, match="（公务员/参公 1 人、事业编 1 人）共 1 人") as error:
        services.decide_all_as_proposed(**as_leader(office), reason="")
    assert error.value.message.startswith("全部按建议审定将有 3 人为“优秀”，超出所在名额池")
    services.decide_all_as_proposed(actor=office.leader, year=year, reason="集体研究决定。")
    reasons = AnnualReview.objects.values_list("staff__name", "reason")
    assert {name: "集体研究决定。" in reason for name, reason in reasons} == {
        "李秀英": False,
        "王建国": True,  # the only one over his pool's place
        "刘科长": False,
        "赵志强": False,
    }


def test_within_each_pool_decide_all_needs_no_reason(office, year):
    """Two 优秀, one per pool: the office's count only would say nothing, the pools agree."""
    propose(office, office.head.staff)
    assert not services.check_all_as_proposed(actor=office.leader, year=year).over
    services.decide_all_as_proposed(actor=office.leader, year=year)
    assert [c.decided_good for c in services.counter(year).pools] == [1, 1]


def test_the_year_page_shows_one_counter_per_pool(office, year):
    html = login(office.leader).get(f"/appraisal/annual/{year}/decisions/").content.decode()
    civil, institution = pools_test.civil_pool().pk, pools_test.institution_pool().pk
    assert f'id="good-counter-p{civil}"' in html
    assert f'id="good-counter-p{institution}"' in html
    assert '公务员/参公：可评“优秀”<strong data-field="quota">1</strong>人' in html
    assert f'data-pool="p{institution}"' in html  # the selects say whose counter they move
