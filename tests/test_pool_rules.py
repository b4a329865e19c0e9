"""Who is counted in which quota pool (efficiency.pools): pure, no database."""

from decimal import Decimal

from efficiency import pools, scoring
from efficiency.pools import PoolRule, Scheme, assign

CIVIL, INSTITUTION = "civil_servant", "institution"
LEADERS = PoolRule(key="lead", name="领导班子成员", members=frozenset({7}))
OFFICE_A = PoolRule(key="a", name="综合组", sections=frozenset({1, 2}))
CIVIL_A = PoolRule(key="ca", name="公务员（一组）", category=CIVIL, sections=frozenset({1}))
CIVIL_ANY = PoolRule(key="c", name="公务员/参公", category=CIVIL)


def test_a_named_person_goes_to_the_pool_that_names_them_whatever_the_order() -> None:
    assert assign([OFFICE_A, LEADERS], 7, CIVIL, 1) == "lead"


def test_otherwise_the_first_matching_pool_in_order() -> None:
    assert assign([CIVIL_A, OFFICE_A, CIVIL_ANY], 1, CIVIL, 1) == "ca"
    assert assign([OFFICE_A, CIVIL_A], 1, CIVIL, 1) == "a"
    assert assign([CIVIL_A, CIVIL_ANY], 1, CIVIL, 3) == "c"  # section 3: not 一组
    assert assign([CIVIL_A, CIVIL_ANY], 1, INSTITUTION, 1) == "category:institution"


def test_a_pool_without_category_or_sections_takes_only_the_named() -> None:
    assert not LEADERS.matches_by_rule
    assert assign([LEADERS], 8, CIVIL, 1) == "category:civil_servant"


def test_the_frozen_assignment_wins_over_the_rules() -> None:
    scheme = Scheme(rules=(CIVIL_ANY,), assigned={5: "lead"})
    assert scheme.pool_of(5, CIVIL, 1) == "lead"
    assert scheme.pool_of(6, CIVIL, 1) == "c"  # someone added later: the frozen rules


def test_blank_shares_follow_the_thresholds_and_the_json_round_trips() -> None:
    own = PoolRule(
        key="lead",
        name="领导班子成员",
        share_good=Decimal("0.5"),
        rounding=scoring.PoolRounding.UP,
        minimum=1,
        members=frozenset({7}),
    )
    scheme = pools.from_json(pools.to_json([own, CIVIL_ANY], {7: "lead", 8: "c"}))
    assert scheme == Scheme(rules=(own, CIVIL_ANY), assigned={7: "lead", 8: "c"})
    thresholds = scoring.Thresholds(good_quota=Decimal("0.30"))
    specs = pools.specs(scheme, ["lead", "c", "category:institution"], thresholds)
    assert list(specs) == ["lead", "c", "category:institution"]
    assert (specs["lead"].share_good, specs["lead"].share_excellent) == (
        Decimal("0.5"),
        Decimal("0.20"),
    )
    assert specs["c"].share_good == Decimal("0.30")
    assert specs["category:institution"].name == "事业编"
    assert pools.from_json({}) is None and pools.from_json(None) is None  # type: ignore[arg-type]


def test_a_page_lists_pools_only_when_two_have_people() -> None:
    one = scoring.PoolResult("a", "甲", 3, 1, 1)
    empty = scoring.PoolResult("b", "乙", 0, 0, 0)
    other = scoring.PoolResult("c", "丙", 2, 1, 0)
    assert pools.shown([one, empty]) == []
    assert pools.shown([one, empty, other]) == [one, other]
