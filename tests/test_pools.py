"""Quota pools (名额) with the database: frozen when a period opens, counted per pool on the
ranking, the decision page, the 请示 and the annual roll-up, edited in the admin with history.

The office of tests/test_view_results.py, split in two pools before 2026Q3 opens:
公务员/参公 (rounded up): 王建国 (001001, 较好 after a serious incident), 李秀英 (001002, 好)
  -> 2 graded, ceil(0.8) = 1 place;
事业编 (minimum 1): 刘科长 (001000, 较好) and 赵志强 (002001, 一般)
  -> 2 graded, floor(0.8) = 0, raised to 1 place.
Over the whole office the same four would have floor(1.6) = 1 place.
"""

from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType

from efficiency import results
from efficiency.models import AuditEvent, GradeReview, Period, QuotaPool, Staff
from efficiency.models.audit import AuditAction
from efficiency.reports import request as request_report
from efficiency.services import ServiceError, reviews
from efficiency.services.appraisal import period_close, period_open
from efficiency.services.pools import pool_set_membership

from . import test_view_results as base
from .conftest import login
from .factories import make_staff

judges = base.judges
DECISIONS = "/appraisal/2026Q3/decisions/"


def civil_pool() -> QuotaPool:
    return QuotaPool.objects.get(category="civil_servant")


def institution_pool() -> QuotaPool:
    return QuotaPool.objects.get(category="institution")


def split_in_two_pools(office) -> None:
    """公务员/参公 rounded up; 事业编 (刘科长 and 赵志强) with at least one place."""
    QuotaPool.objects.filter(category="civil_servant").update(rounding="up")
    QuotaPool.objects.filter(category="institution").update(minimum=1)
    Staff.objects.filter(pk__in=[office.head.staff.pk, office.other_person.pk]).update(
        category="institution"
    )


@pytest.fixture
def period(office, judges):
    split_in_two_pools(office)
    period = period_open(actor=office.leader, code="2026Q3")
    base.mark(
        period,
        judges,
        office.person,
        [("90", "80", "70"), ("92", "84", "74"), ("94", "88", "78"), ("96", "92", "82")]
        + [("98", "96", "86")],
    )
    base.mark(period, judges, office.colleague, [("95", "95", "95")] * 5)
    base.mark(period, judges, office.other_person, [("70", "72", "74")] * 2)
    base.mark(period, judges, office.head.staff, [("85", "86", "87")] * 3)
    base.established(office, office.person, severity="serious")
    return period


def figures(table) -> list[tuple[str, int, int, int]]:
    return [(p.name, p.graded_count, p.places, p.used) for p in table.pools if p.graded_count]


def refused(call) -> str:
    with pytest.raises(ServiceError) as error:
        call()
    return error.value.message


# --- the default pools and the frozen scheme -------------------------------------------------


def test_the_migration_creates_one_pool_per_staff_category(db):
    fields = ("name", "category", "good_percent", "excellent_percent", "rounding", "minimum")
    # Blank shares: the period's thresholds' (40% and 20% unless the rules say otherwise).
    assert list(QuotaPool.objects.values_list(*fields)) == [
        ("公务员/参公", "civil_servant", None, None, "down", 0),
        ("事业编", "institution", None, None, "down", 0),
    ]


def test_the_ranking_counts_places_per_pool(office, period):
    table = results.ranking(period)
    assert figures(table) == [("公务员/参公", 2, 1, 1), ("事业编", 2, 1, 0)]
    assert table.result.quota == 2
    civil, institution = f"p{civil_pool().pk}", f"p{institution_pool().pk}"
    pools_of = {row.facts.key: row.pool for row in table.rows}
    assert {key: pools_of[key] for key in ("001001", "001002", "001000", "002001")} == {
        "001001": civil,
        "001002": civil,
        "001000": institution,
        "002001": institution,
    }


def test_later_edits_never_change_an_opened_quarter(office, period):
    before = figures(results.ranking(period))
    QuotaPool.objects.filter(category="civil_servant").update(good_percent=0, rounding="down")
    QuotaPool.objects.filter(category="institution").update(minimum=0)
    Staff.objects.filter(pk=office.colleague.pk).update(category="institution")
    assert figures(results.ranking(period)) == before
    assert results.ranking(period).row("001002").result.grade.label == "好"


def test_someone_added_after_the_opening_goes_by_the_frozen_rules(office, period, judges):
    QuotaPool.objects.filter(category="institution").update(minimum=0)  # not frozen: ignored
    newcomer = make_staff(office.b, "新同志", "002099", category="institution")
    base.mark(period, judges, newcomer, [("96", "96", "96")] * 3)
    table = results.ranking(period)
    assert table.row("002099").pool == f"p{institution_pool().pk}"
    # 3 graded in 事业编: floor(1.2) = 1 place, taken by the newcomer's 96
    assert figures(table)[1] == ("事业编", 3, 1, 1)


def test_a_period_opened_before_pools_is_one_pool_as_then(office, period):
    Period.objects.filter(pk=period.pk).update(pools=None)
    period.refresh_from_db()
    table = results.ranking(period)
    assert table.pools == ()
    assert (table.result.quota, table.row("001000").pool) == (1, "")


# --- decisions -------------------------------------------------------------------------------


def test_going_over_a_pools_places_needs_a_reason(office, period):
    reviews.decide(
        actor=office.leader, period=period, staff=office.person, grade="good", reason="专项任务。"
    )
    message = refused(
        lambda: reviews.decide(
            actor=office.leader, period=period, staff=office.colleague, grade="good"
        )
    )
    assert message == "将李秀英审定为“好”会超过“公务员/参公”可评“好”的 1 人，请填写理由。"
    counter = reviews.counter(period)
    assert [(c.name, c.quota, c.decided_good, c.over) for c in counter.pools] == [
        ("公务员/参公", 1, 1, False),
        ("事业编", 1, 0, False),
    ]


def test_a_good_in_another_pool_takes_no_place_here(office, period):
    """Two 好, one per pool: over the whole office's one place, within each pool's."""
    reviews.propose(
        actor=office.administrator,
        period=period,
        staff=office.head.staff,
        grade="good",
        comment="",
        reason="牵头完成重点工作。",
    )
    assert not reviews.check_all_as_proposed(actor=office.leader, period=period).over
    assert reviews.decide_all_as_proposed(actor=office.leader, period=period) == 4
    counter = reviews.counter(period)
    assert (counter.decided_good, counter.over) == (2, False)
    assert [c.decided_good for c in counter.pools] == [1, 1]


def test_deciding_all_over_a_pools_places_needs_a_reason(office, period):
    for staff in (office.head.staff, office.other_person):
        reviews.propose(
            actor=office.administrator,
            period=period,
            staff=staff,
            grade="good",
            comment="",
            reason="牵头完成重点工作。",
        )
    plan = reviews.check_all_as_proposed(actor=office.leader, period=period)
    assert [p.staff.name for p in plan.over] == ["赵志强"]  # the lower-ranked of 事业编's two
    message = refused(
        lambda: reviews.decide_all_as_proposed(actor=office.leader, period=period, reason="")
    )
    assert message == (
        "全部按建议审定将有 3 人为“好”，超出所在名额池可评“好”人数（公务员/参公 1 人、事业编 1 人）"
        "共 1 人；请填写超出名额的理由。"
    )
    reviews.decide_all_as_proposed(actor=office.leader, period=period, reason="集体研究决定。")
    decided = dict(GradeReview.objects.filter(period=period).values_list("staff__name", "reason"))
    assert "集体研究决定。" in decided["赵志强"]
    assert "集体研究决定。" not in decided["刘科长"]


def test_the_decision_page_shows_one_counter_per_pool(office, period):
    html = login(office.leader).get(DECISIONS).content.decode()
    civil, institution = civil_pool().pk, institution_pool().pk
    assert f'id="good-counter-p{civil}"' in html
    assert f'id="good-counter-p{institution}"' in html
    assert '公务员/参公：可评“好”<strong data-field="quota">1</strong>人' in html
    assert f'data-pool="p{institution}"' in html  # the selects say whose counter they move


def test_one_pool_keeps_the_single_counter(office, judges):
    period = period_open(actor=office.leader, code="2026Q3")
    base.mark(period, judges, office.colleague, [("95", "95", "95")] * 5)
    html = login(office.leader).get(DECISIONS).content.decode()
    assert 'id="good-counter" data-good-counter' in html
    assert "good-counter-p" not in html


# --- reports and the year --------------------------------------------------------------------


def test_the_request_prints_one_line_per_pool(office, period):
    reviews.decide(
        actor=office.leader, period=period, staff=office.colleague, grade="good", reason=""
    )
    context = request_report.request_context(period)
    assert [(p.name, p.graded, p.quota, p.decided_good.count) for p in context["pools"]] == [
        ("公务员/参公", 2, 1, 1),
        ("事业编", 2, 1, 0),
    ]


def test_the_ranking_page_lists_the_pools(office, period):
    html = login(office.leader).get("/appraisal/2026Q3/ranking/").content.decode()
    assert "公务员/参公：参加定等 2 人，可评“好” 1 人，已评 1 人" in html
    assert "事业编：参加定等 2 人，可评“好” 1 人，已评 0 人" in html


def test_the_year_uses_the_last_quarters_pools(office, period):
    period_close(actor=office.leader, period=period)
    QuotaPool.objects.filter(category="institution").update(minimum=0)  # after: ignored
    rollup = results.annual_rollup(2026)
    # 优秀 places: 公务员/参公 ceil(0.2 x 2) = 1; 事业编 floor(0.4) = 0, raised to 1
    assert [(p.name, p.graded_count, p.places) for p in rollup.result.pools if p.graded_count] == [
        ("公务员/参公", 2, 1),
        ("事业编", 2, 1),
    ]
    assert {row.facts.key: row.pool for row in rollup.rows}["001000"] == (
        f"p{institution_pool().pk}"
    )
    html = login(office.leader).get("/appraisal/annual/2026/").content.decode()
    assert "事业编：参加定等 2 人，可评“优秀” 1 人，已评 0 人" in html


# --- editing the pools ------------------------------------------------------------------------


def pool_events(pool, action):
    return AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(QuotaPool),
        object_id=str(pool.pk),
        action=action,
    )


def test_membership_changes_are_recorded(office):
    pool = QuotaPool.objects.create(name="领导班子成员", order=1)
    assert pool_set_membership(
        actor=office.administrator, pool=pool, sections=[], members=[office.person]
    )
    event = pool_events(pool, AuditAction.POOL_MEMBERS).get()
    assert event.actor == office.administrator
    assert event.changes == {"members": ["", "王建国（001001）"]}
    assert not pool_set_membership(
        actor=office.administrator, pool=pool, sections=[], members=[office.person]
    )
    assert pool_events(pool, AuditAction.POOL_MEMBERS).count() == 1


def test_the_admin_creates_a_pool_with_history(office):
    client = login(office.administrator)
    response = client.post(
        "/admin/efficiency/quotapool/add/",
        {
            "name": "领导班子成员",
            "order": "1",
            "good_percent": "50",
            "excellent_percent": "20",
            "rounding": "nearest",
            "minimum": "1",
            "category": "",
            "sections": [str(office.a.pk)],
            "members": [str(office.person.pk)],
            "active": "on",
        },
    )
    assert response.status_code == 302
    pool = QuotaPool.objects.get(name="领导班子成员")
    assert pool_events(pool, AuditAction.CREATE).get().changes["rounding"] == ["", "nearest"]
    assert pool_events(pool, AuditAction.POOL_MEMBERS).get().changes == {
        "sections": ["", "秘书科"],
        "members": ["", "王建国（001001）"],
    }
    listing = client.get("/admin/efficiency/quotapool/").content.decode()
    assert "“好”40%、“优秀”20%的名额在各名额池内分别计算" in listing


def test_the_admin_refuses_a_share_over_100(office):
    response = login(office.administrator).post(
        "/admin/efficiency/quotapool/add/",
        {
            "name": "错误",
            "order": "1",
            "good_percent": "140",
            "excellent_percent": "20",
            "rounding": "down",
            "minimum": "0",
        },
    )
    assert response.status_code == 200
    assert "确保该值小于或等于100" in response.content.decode()
    assert not QuotaPool.objects.filter(name="错误").exists()


def test_the_bulletin_and_the_request_print_each_pool(office, period, tmp_path):
    from efficiency.reports import quarter as quarter_report

    from .report_support import pdf_text, squeeze

    bulletin = quarter_report.bulletin(period).content
    text = squeeze(pdf_text(bulletin, tmp_path))
    assert "名额池参加定等人数“好”等次名额评为“好”" in text
    assert "公务员/参公211" in text and "事业编210" in text
    request = request_report.request(period).content
    assert "事业编" in squeeze(pdf_text(request, tmp_path))
    artifacts = Path(__file__).resolve().parents[1] / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    (artifacts / "pools-bulletin.pdf").write_bytes(bulletin)
    (artifacts / "pools-request.pdf").write_bytes(request)


def test_the_period_admin_shows_the_frozen_pools(office, period):
    superuser = office.administrator
    superuser.is_superuser = True
    superuser.save()
    QuotaPool.objects.filter(category="institution").update(minimum=3)  # after: not shown
    html = login(superuser).get(f"/admin/efficiency/period/{period.pk}/change/").content.decode()
    assert "公务员/参公：“好” 按考核标准，“优秀” 按考核标准，向上取整，最少 0 个名额" in html
    assert "事业编：“好” 按考核标准，“优秀” 按考核标准，向下取整，最少 1 个名额" in html


def test_the_score_card_gives_the_persons_pools_quota(office, period):
    html = login(office.leader).get("/appraisal/2026Q3/card/001000/").content.decode()
    # 事业编: 2 graded, 1 place (the minimum), at the thresholds' 40%
    assert "本季度参加定等 2 人，“好”等次最多 1 名（40%，向下取整）。" in html
    assert "参加定等 4 人" not in html
