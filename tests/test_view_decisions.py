"""The leaders' grade decisions (审核评鉴), one person at a time: who may, the reasons, the
confirmation, the refusals. These were the grade override's tests; their intent stands."""

import pytest
from django.contrib.contenttypes.models import ContentType

from efficiency import results
from efficiency.models import AuditEvent, GradeReview, Staff
from efficiency.models.audit import AuditAction
from efficiency.services import ServiceError
from efficiency.services.appraisal import period_close, period_lock, period_open
from efficiency.services.reviews import decide

from . import test_view_results as base
from .conftest import PERSONAS, login
from .test_view_results import CONFIRMED, mark, row_html, url

# The ranking tests' office: five judges, four people marked, an incident against 王建国.
judges = base.judges
period = base.period


def decision_url(period, staff_no):
    return f"/appraisal/{period.code}/decisions/{staff_no}/"


# --- overrides ------------------------------------------------------------------------------


def override_events(staff):
    return AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(Staff),
        object_id=str(staff.pk),
        action=AuditAction.REVIEW_DECIDE,
    )


def test_a_leader_decides_a_grade_with_a_reason(office, period):
    leader = login(office.leader)
    back = url("ranking", period) + "?section=MSK"
    response = leader.post(
        decision_url(period, "001001"),
        {"grade": "good", "reason": "牵头完成县委全会文稿，成效突出。", **CONFIRMED},
    )
    assert response.status_code == 302
    assert response.url == "/appraisal/2026Q3/decisions/#row-001001"
    override = GradeReview.objects.get(period=period, staff=office.person)
    assert (override.grade, override.decided_by) == ("good", office.leader)
    assert override_events(office.person).count() == 1
    row = results.ranking(period).row("001001")
    assert row.result.grade == "good" and row.result.overridden
    # The override lifts a capped grade: the leaders are warned; the reason is on the row.
    page = leader.get(back)
    content = page.content.decode()
    html = row_html(content, "001001")
    assert "override-mark" in html
    assert "牵头完成县委全会文稿，成效突出。" in html
    assert ">好<" in html
    assert "王建国（001001）" in content.split("results-warnings")[1].split("</div>")[0]
    messages = [str(m) for m in page.context["messages"]]
    assert messages == ["王建国 2026年第3季度的等次已调整为“好”。"]


def test_a_decision_counts_against_the_quota(office, judges):
    period = period_open(actor=office.leader, code="2026Q3")
    mark(period, judges[:1], office.person, [("95", "95", "95")])
    for staff in (office.colleague, office.other_person):
        mark(period, judges[:1], staff, [("80", "80", "80")])
    assert results.ranking(period).result.quota == 1
    login(office.leader).post(
        decision_url(period, "001002"),
        {"grade": "good", "reason": "承担专项任务", **CONFIRMED},
    )
    table = results.ranking(period)
    assert [w.code for w in table.result.warnings] == ["over_quota_after_overrides"]
    content = login(office.leader).get(url("ranking", period)).content.decode()
    assert "经领导调整后，2 人定为“好”等次，超过名额 1 个：" in content


@pytest.mark.parametrize(
    "data,message",
    [
        (
            {"grade": "good", "reason": "  "},
            "将王建国审定为“好”须填写理由：计算等次为“较好”，建议等次为“较好”。",
        ),
        ({"grade": "excellent", "reason": "理由"}, "请从列表中选择等次。"),
        ({"grade": "", "reason": "理由"}, "请从列表中选择等次。"),
        ({"reason": "理由"}, "请从列表中选择等次。"),
        ({"action": "clear", "reason": ""}, "撤销审定须填写理由。"),
    ],
)
def test_bad_decision_input_changes_nothing(office, period, data, message):
    decide(
        actor=office.leader,
        period=period,
        staff=office.colleague,
        grade="good",
        reason="原有调整理由",
    )
    before = list(GradeReview.objects.values_list("staff_id", "grade", "reason"))
    leader = login(office.leader)
    staff_no = "001002" if data.get("action") == "clear" else "001001"
    response = leader.post(decision_url(period, staff_no), data, follow=True)
    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]] == [message]
    assert list(GradeReview.objects.values_list("staff_id", "grade", "reason")) == before
    assert override_events(office.person).count() == 0


def test_a_decision_asks_for_confirmation_saying_what_will_happen(office, period):
    leader = login(office.leader)
    data = {"grade": "good", "reason": "牵头完成县委全会文稿，成效突出。"}
    response = leader.post(decision_url(period, "001001"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "审定王建国的等次？" in html
    assert "王建国2026年第3季度的等次审定为“好”（计算等次“较好”，建议等次“较好”）。" in html
    assert '<input type="hidden" name="reason" value="牵头完成县委全会文稿，成效突出。">' in html
    assert not GradeReview.objects.exclude(grade="").exists()
    leader.post(decision_url(period, "001001"), {**data, **CONFIRMED})
    assert GradeReview.objects.get().grade == "good"
    response = leader.post(
        decision_url(period, "001001"), {"action": "clear", "reason": "经复核维持"}
    )
    assert "王建国2026年第3季度的等次将恢复为计算所得的“较好”。" in response.content.decode()
    assert GradeReview.objects.exclude(grade="").exists()


@pytest.mark.parametrize("reason", ["abc", "-1", "NaN", "9" * 400, "？？？？", "好好好好"])
@pytest.mark.parametrize("action", ["set", "clear"])
def test_a_decision_reason_must_say_something(office, period, reason, action):
    decide(
        actor=office.leader,
        period=period,
        staff=office.colleague,
        grade="good",
        reason="原有调整理由",
    )
    staff_no = "001002" if action == "clear" else "001001"
    response = login(office.leader).post(
        decision_url(period, staff_no),
        {"action": action, "grade": "good", "reason": reason, **CONFIRMED},
        follow=True,
    )
    assert [str(m) for m in response.context["messages"]] == [
        "理由须写明具体情况：至少4个字，不能只是数字、标点或同一个字重复。"
    ]
    assert list(GradeReview.objects.values_list("staff__staff_no", "grade")) == [("001002", "good")]


def test_someone_not_assessed_has_no_grade_to_override(office, period):
    response = login(office.leader).post(
        decision_url(period, "002009"), {"grade": "good", "reason": "理由"}, follow=True
    )
    assert [str(m) for m in response.context["messages"]] == [
        "周文书本季度不参加考核，没有可审核的等次。"
    ]
    assert not GradeReview.objects.exclude(grade="").exists()


def test_the_service_itself_refuses_to_decide_for_someone_not_assessed(office, period):
    # The rule lives in the service, so the admin, a command or an import cannot skip it.
    clerk_b = Staff.objects.get(staff_no="002009")
    with pytest.raises(ServiceError) as refused:
        decide(actor=office.leader, period=period, staff=clerk_b, grade="good", reason="经研究调整")
    assert refused.value.message == "周文书本季度不参加考核，没有可审核的等次。"
    assert not GradeReview.objects.exclude(grade="").exists()
    assert not AuditEvent.objects.filter(action=AuditAction.REVIEW_DECIDE).exists()


def test_an_unknown_staff_number_is_refused_clearly(office, period):
    response = login(office.leader).post(
        decision_url(period, "999999"), {"grade": "good", "reason": "理由"}, follow=True
    )
    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]] == ["没有工号为 999999 的人员。"]
    assert not GradeReview.objects.exclude(grade="").exists()


def test_the_ranking_links_each_row_to_its_decision(office, period):
    content = login(office.leader).get(url("ranking", period)).content.decode()
    assert 'href="/appraisal/2026Q3/decisions/#row-001001"' in row_html(content, "001001")


def test_a_leader_withdraws_a_decision_with_a_reason(office, period):
    decide(
        actor=office.leader, period=period, staff=office.person, grade="good", reason="原有调整理由"
    )
    response = login(office.leader).post(
        decision_url(period, "001001"),
        {"action": "clear", "reason": "经复核，维持计算结果。", **CONFIRMED},
        follow=True,
    )
    assert not GradeReview.objects.exclude(grade="").exists()
    assert [str(m) for m in response.context["messages"]] == [
        "已撤销对王建国等次的审定，恢复为计算等次。"
    ]
    assert override_events(office.person).count() == 2
    assert results.ranking(period).row("001001").result.grade == "fairly_good"


def test_decisions_are_refused_on_a_locked_period(office, period):
    period_close(actor=office.leader, period=period)
    period_lock(actor=office.leader, period=period)
    leader = login(office.leader)
    response = leader.post(
        decision_url(period, "001001"), {"grade": "good", "reason": "理由"}, follow=True
    )
    assert [str(m) for m in response.context["messages"]] == [
        "考核期2026Q3已锁定，不能再作任何修改。"
    ]
    assert not GradeReview.objects.exclude(grade="").exists()
    # The ranking of a locked period offers no override button.
    assert "data-decide" not in leader.get(url("ranking", period)).content.decode()


def test_a_closed_period_still_takes_decisions(office, period):
    period_close(actor=office.leader, period=period)
    login(office.leader).post(
        decision_url(period, "001001"),
        {"grade": "good", "reason": "承担专项任务", **CONFIRMED},
    )
    assert GradeReview.objects.filter(period=period).count() == 1


@pytest.mark.parametrize("role", PERSONAS)
def test_only_leaders_decide(office, period, role):
    response = login(getattr(office, role)).post(
        decision_url(period, "002001"), {"grade": "good", "reason": "表现突出", **CONFIRMED}
    )
    assert response.status_code == (302 if role == "leader" else 403)
    assert GradeReview.objects.exclude(grade="").exists() == (role == "leader")


def test_a_decision_takes_only_post(office, period):
    assert login(office.leader).get(decision_url(period, "001001")).status_code == 405


def test_the_score_card_shows_a_decision_and_its_reason(office, period):
    decide(actor=office.leader, period=period, staff=office.person, grade="good", reason="特殊贡献")
    content = login(office.leader).get(url("card", period, "001001")).content.decode()
    assert "特殊贡献" in content
    assert "override-mark" in content
