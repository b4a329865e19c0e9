"""The year's decision in Chromium: a section head proposes with a 评语, a leader decides all as
proposed after a confirmation page, and the 优秀 counter follows the selects and the decisions."""

import datetime

import pytest

from efficiency.models import AnnualReview, AuditEvent, QuotaPool
from efficiency.models.audit import AuditAction

from .. import test_annual_decision, test_pools, test_year_pools
from ..factories import ensure_default_criteria
from .conftest import ARTIFACTS, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

judges = test_annual_decision.judges


@pytest.fixture
def year(office, judges):
    """李秀英 computed 优秀 (one place of six graded), the others 称职."""
    ensure_default_criteria()
    return test_annual_decision.close_two_quarters(office, judges)


def test_a_head_proposes_and_a_leader_decides_all_as_proposed(page, office, year):
    ARTIFACTS.mkdir(exist_ok=True)
    log_in(page, "head")
    page.goto("/")
    page.locator("#year-decision").get_by_role("link", name="年度等次建议").click()
    page.locator("#year-review-list").wait_for()
    assert page.locator("#row-002001").count() == 0  # another section
    row = page.locator("#row-001001")
    assert row.get_by_label("建议等次", exact=True).input_value() == "competent"
    row.get_by_label("评价意见", exact=True).fill("全年工作认真负责，按时完成各项文稿任务。")
    row.get_by_label("建议等次", exact=True).select_option("excellent")
    row.get_by_role("button", name="保存").click()
    page.get_by_text("为王建国建议“优秀”而非计算等次“称职”，须填写理由。").wait_for()
    assert not AnnualReview.objects.exists()
    row = page.locator("#row-001001")
    row.get_by_label("理由（建议等次与计算等次不同时必填）").fill(
        "牵头完成全县防汛材料，成效突出。"
    )
    row.get_by_role("button", name="保存").click()
    page.get_by_text("已保存对王建国的等次建议。").wait_for()
    page.screenshot(path=ARTIFACTS / "year-review-head.png", full_page=True)

    log_in(page, "leader")
    page.goto("/appraisal/annual/2026/decisions/")
    counter = page.locator("#good-counter")
    assert counter.inner_text() == "可评“优秀”1人，已定0人"
    assert "牵头完成全县防汛材料，成效突出。" in page.locator("#row-001001").inner_text()
    # The counter follows the selects before anything is saved.
    page.locator("#row-002001 [data-grade-select]").select_option("excellent")
    assert counter.inner_text() == "可评“优秀”1人，已定1人"
    page.locator("#row-002001 [data-grade-select]").select_option("competent")
    assert counter.inner_text() == "可评“优秀”1人，已定0人"
    page.screenshot(path=ARTIFACTS / "year-decisions-before.png", full_page=True)

    # Two 优秀 for one place: the confirmation names who goes over and asks why.
    page.get_by_role("button", name="全部按建议审定").click()
    page.get_by_text("超出名额 1 人（王建国）：超出须填写理由").wait_for()
    page.screenshot(path=ARTIFACTS / "year-decide-all-confirm.png", full_page=True)
    page.get_by_label("超出名额的理由").fill("经考核委员会研究，同意王建国评为优秀。")
    page.get_by_role("button", name="审定 6 人的等次").click()
    page.get_by_text("已按建议审定 6 人的等次。").wait_for()
    counter = page.locator("#good-counter")
    assert counter.inner_text() == "可评“优秀”1人，已定2人"
    assert "text-danger" in (counter.get_attribute("class") or "")
    page.screenshot(path=ARTIFACTS / "year-decisions-after.png", full_page=True)

    decided = dict(AnnualReview.objects.values_list("staff__staff_no", "grade"))
    assert decided["001001"] == "excellent" and decided["001002"] == "excellent"
    assert AuditEvent.objects.filter(action=AuditAction.ANNUAL_DECIDE).count() == 6
    assert AuditEvent.objects.filter(action=AuditAction.ANNUAL_PROPOSE).count() == 1


def test_publicity_objection_notice_and_opinion(page, office, year):
    ARTIFACTS.mkdir(exist_ok=True)
    from efficiency.models import AnnualAppraisal
    from efficiency.services import annual as decisions

    decisions.decide_all_as_proposed(actor=office.leader, year=year)
    log_in(page, "leader")
    page.goto("/appraisal/annual/2026/publicity/")
    page.get_by_role("button", name="公示“优秀”人选").click()
    page.get_by_text("公示2026年度“优秀”人选：李秀英。").wait_for()
    page.screenshot(path=ARTIFACTS / "year-publish-confirm.png", full_page=True)
    page.get_by_role("button", name="公示", exact=True).click()
    page.get_by_text("2026年度“优秀”人选已公示，公示期至2026年11月27日。").wait_for()

    log_in(page, "named")
    page.goto("/")
    page.locator("#year-decision").get_by_role("link", name="“优秀”人选公示").click()
    page.get_by_label("理由").fill("该同志本年度有一次迟报。")
    page.get_by_role("button", name="提交异议").click()
    page.get_by_text("您对李秀英的异议已记录，将由领导答复。").wait_for()
    page.screenshot(path=ARTIFACTS / "year-publicity-named.png", full_page=True)

    log_in(page, "leader")
    page.goto("/appraisal/annual/2026/publicity/")
    objection = page.locator("#year-objections li").first
    objection.get_by_label("答复结论").select_option("rejected")
    objection.get_by_label("答复意见").fill("经核实，迟报已在季度考核中扣分，维持原等次。")
    page.screenshot(path=ARTIFACTS / "year-publicity-leader.png", full_page=True)
    objection.get_by_role("button", name="答复…").click()
    page.get_by_text("异议不成立：李秀英的年度等次维持原审定。").wait_for()
    page.get_by_role("button", name="保存答复").click()
    page.get_by_text("已答复对李秀英的异议。").wait_for()

    # The window is over (as if a week had passed): the notices are issued after a question.
    AnnualAppraisal.objects.update(publicity_ends=datetime.date(2026, 11, 19))
    page.goto("/appraisal/annual/2026/publicity/")
    page.get_by_role("button", name="发出考核结果通知书").click()
    page.get_by_role("button", name="发出通知书").click()
    page.get_by_text("2026年度考核结果通知书已发出。").wait_for()

    log_in(page, "named")
    page.goto("/")
    page.locator("#my-notice").click()
    page.locator("#notice").wait_for()
    assert "称职" in page.locator("#notice").inner_text()
    page.get_by_role("radio", name="有异议").check()
    page.get_by_role("button", name="保存本人意见").click()
    page.get_by_text("请写明有异议的内容。").wait_for()
    page.get_by_role("radio", name="同意").check()
    page.get_by_role("button", name="保存本人意见").click()
    page.get_by_text("本人意见已记录。").wait_for()
    page.screenshot(path=ARTIFACTS / "year-notice.png", full_page=True)
    assert AnnualReview.objects.get(staff=office.person).opinion == "agree"


def test_a_review_of_an_incompetent_grade_through_to_its_outcome(page, office, year):
    """赵志强 decided 不称职: he asks for 复核 from his notice; the leader sees the clock on the
    home page and decides 基本称职, which becomes his annual grade."""
    ARTIFACTS.mkdir(exist_ok=True)
    from efficiency.models import AnnualAppraisal
    from efficiency.services import annual as decisions
    from efficiency.services import annual_publicity

    from ..factories import make_user

    decisions.decide_all_as_proposed(actor=office.leader, year=year)
    decisions.decide(
        actor=office.leader,
        year=year,
        staff=office.other_person,
        grade="incompetent",
        reason="全年多次严重失误，经研究定为不称职。",
    )
    annual_publicity.publish(actor=office.leader, year=year)
    AnnualAppraisal.objects.update(publicity_ends=datetime.date(2026, 11, 19))
    annual_publicity.issue_notices(actor=office.leader, year=year)
    make_user("zhao", staff=office.other_person)

    log_in(page, "zhao")
    page.goto("/")
    page.locator("#my-notice").click()
    page.locator("#notice-rights").wait_for()
    assert "2026-12-20" in page.locator("#notice-rights").inner_text()
    page.locator("#notice-clock").get_by_label("理由").fill("失误多为系统故障所致，请求复核。")
    page.locator("#notice-clock").get_by_role("button", name="申请复核").click()
    page.get_by_text("已记录。").wait_for()
    page.screenshot(path=ARTIFACTS / "year-notice-review-requested.png", full_page=True)

    log_in(page, "leader")
    page.goto("/")
    clock = page.locator("#year-clocks")
    assert "赵志强 · 复核决定" in clock.inner_text() and "期限2026-12-20" in clock.inner_text()
    page.screenshot(path=ARTIFACTS / "year-home-clocks.png", full_page=True)
    clock.get_by_role("link", name="赵志强 · 复核决定").click()
    form = page.locator("#notice-clock")
    form.get_by_label("结果").select_option("changed")
    form.get_by_label("变更后等次").select_option("basic")
    form.get_by_label("决定及依据").fill("经复核，部分失误系系统故障所致，改为基本称职。")
    form.get_by_role("button", name="记录决定…").click()
    page.get_by_text("赵志强的年度等次将变更为“基本称职”，变更记录在案。").wait_for()
    page.get_by_role("button", name="记录决定", exact=True).click()
    page.get_by_text("已记录。").wait_for()
    assert "基本称职" in page.locator("#notice").inner_text()
    assert "提出申诉" in page.locator("#clock-next").inner_text()
    page.screenshot(path=ARTIFACTS / "year-notice-review-decided.png", full_page=True)
    assert AnnualReview.objects.get(staff=office.other_person).grade == "basic"


def test_a_select_moves_only_its_pools_counter(page, office, judges):
    """Two 优秀 pools (tests/test_year_pools.py): one counter each, and a select moves its own."""
    ARTIFACTS.mkdir(exist_ok=True)
    ensure_default_criteria()
    for name, order, category in (
        ("公务员/参公", 10, "civil_servant"),
        ("事业编", 20, "institution"),
    ):
        # the migration's default pools (a transactional test flushes them)
        QuotaPool.objects.get_or_create(name=name, defaults={"order": order, "category": category})
    year = test_year_pools.close_two_pooled_quarters(office, judges)
    civil, institution = test_pools.civil_pool().pk, test_pools.institution_pool().pk
    log_in(page, "leader")
    page.goto(f"/appraisal/annual/{year}/decisions/")
    civil_counter = page.locator(f"#good-counter-p{civil}")
    institution_counter = page.locator(f"#good-counter-p{institution}")
    assert civil_counter.inner_text() == "公务员/参公：可评“优秀”1人，已定0人"
    assert institution_counter.inner_text() == "事业编：可评“优秀”1人，已定0人"
    page.locator("#row-002001 [data-grade-select]").select_option("excellent")  # 事业编
    assert institution_counter.inner_text() == "事业编：可评“优秀”1人，已定1人"
    assert civil_counter.inner_text() == "公务员/参公：可评“优秀”1人，已定0人"
    page.locator("#row-001001 [data-grade-select]").select_option("excellent")  # 公务员/参公
    assert civil_counter.inner_text() == "公务员/参公：可评“优秀”1人，已定1人"
    assert institution_counter.inner_text() == "事业编：可评“优秀”1人，已定1人"
    page.locator("#row-002001 [data-grade-select]").select_option("competent")
    assert institution_counter.inner_text() == "事业编：可评“优秀”1人，已定0人"
    assert civil_counter.inner_text() == "公务员/参公：可评“优秀”1人，已定1人"
    page.screenshot(path=ARTIFACTS / "year-decisions-pools.png", full_page=True)
