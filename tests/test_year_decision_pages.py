"""The year's decision pages: the head's proposals, the leaders' decisions with the 优秀 counter,
their confirmation pages and who may open them. The office of tests/test_annual_decision.py."""

from efficiency.models import AnnualReview, AuditEvent, StaffCategory
from efficiency.models.audit import AuditAction

from . import test_annual_decision as base
from .conftest import login

judges = base.judges
year = base.year

REVIEW = "/appraisal/annual/2026/review/"
DECISIONS = "/appraisal/annual/2026/decisions/"
DECIDE_ALL = "/appraisal/annual/2026/decisions/all/"
CONFIRMED = {"confirmed": "1"}


def decide_url(staff_no):
    return f"{DECISIONS}{staff_no}/"


def test_the_head_sees_their_section_only_and_proposes(office, year):
    head = login(office.head)
    response = head.get(REVIEW)
    assert response.status_code == 200
    content = response.content.decode()
    assert "王建国" in content and "李秀英" in content
    assert "赵志强" not in content  # another section
    assert "建议等次" in content or "等次建议" in content
    response = head.post(
        REVIEW, {"staff_no": "001001", "grade": "competent", "comment": "全年工作认真。"}
    )
    assert response.status_code == 302 and response.url.endswith("#row-001001")
    review = AnnualReview.objects.get(staff=office.person)
    assert (review.proposed_grade, review.comment) == ("competent", "全年工作认真。")


def test_a_refused_proposal_says_why_on_its_row(office, year):
    response = login(office.head).post(
        REVIEW, {"staff_no": "001001", "grade": "excellent", "comment": "草稿"}
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "为王建国建议“优秀”而非计算等次“称职”，须填写理由。" in content
    assert "草稿" in content  # what was typed is shown again
    assert not AnnualReview.objects.exists()


def test_a_head_cannot_propose_for_another_section(office, year):
    response = login(office.head).post(
        REVIEW, {"staff_no": "002001", "grade": "competent", "comment": ""}
    )
    assert response.status_code == 404
    assert not AnnualReview.objects.exists()


def test_institution_staff_read_their_grade_names(office, year):
    office.person.category = StaffCategory.INSTITUTION
    office.person.save()
    content = login(office.head).get(REVIEW).content.decode()
    row = content.split('id="row-001001"', 1)[1].split("</tr>", 1)[0]
    assert ">合格<" in row and "称职" not in row


def test_the_decisions_page_shows_the_counter(office, year):
    leader = login(office.leader)
    response = leader.get(DECISIONS)
    assert response.status_code == 200
    content = response.content.decode()
    assert 'data-counted="excellent"' in content
    assert '可评“优秀”<strong data-field="quota">1</strong>人' in content
    assert '已定<strong data-field="decided">0</strong>人' in content


def test_a_decision_asks_first_then_saves(office, year):
    leader = login(office.leader)
    data = {"grade": "basic", "reason": "全年多次迟报材料。"}
    ask = leader.post(decide_url("001001"), data)
    assert ask.status_code == 200
    content = ask.content.decode()
    assert "审定王建国的年度等次？" in content
    assert "计算等次“称职”" in content
    assert not AnnualReview.objects.exists()
    done = leader.post(decide_url("001001"), {**data, **CONFIRMED})
    assert done.status_code == 302
    assert AnnualReview.objects.get(staff=office.person).grade == "basic"


def test_a_refused_decision_is_a_message_not_a_question(office, year):
    leader = login(office.leader)
    response = leader.post(decide_url("001001"), {"grade": "basic"}, follow=True)
    messages = [str(m) for m in response.context["messages"]]
    assert messages == ["将王建国审定为“基本称职”须填写理由：计算等次为“称职”，建议等次为“称职”。"]
    assert not AnnualReview.objects.exists()
    response = leader.post(decide_url("999999"), {"grade": "basic"}, follow=True)
    assert [str(m) for m in response.context["messages"]] == ["没有工号为 999999 的人员。"]


def test_decide_all_asks_then_decides_and_the_counter_moves(office, year):
    leader = login(office.leader)
    ask = leader.post(DECIDE_ALL)
    assert ask.status_code == 200
    assert "将按建议审定2026年度 6 人的年度等次" in ask.content.decode()
    assert not AnnualReview.objects.exists()
    leader.post(DECIDE_ALL, CONFIRMED)
    assert AnnualReview.objects.exclude(grade="").count() == 6
    assert AuditEvent.objects.filter(action=AuditAction.ANNUAL_DECIDE).count() == 6
    content = leader.get(DECISIONS).content.decode()
    assert '已定<strong data-field="decided">1</strong>人' in content


def test_decide_all_over_the_places_asks_for_a_reason(office, year):
    login(office.head).post(
        REVIEW,
        {
            "staff_no": "001001",
            "grade": "excellent",
            "comment": "",
            "reason": "牵头完成全县防汛材料。",
        },
    )
    leader = login(office.leader)
    ask = leader.post(DECIDE_ALL)
    assert "超出名额的理由" in ask.content.decode()
    again = leader.post(DECIDE_ALL, CONFIRMED)
    assert again.status_code == 400
    assert not AnnualReview.objects.exclude(grade="").exists()
    leader.post(DECIDE_ALL, {**CONFIRMED, "reason": "经考核委员会研究同意。"})
    assert AnnualReview.objects.filter(grade="excellent").count() == 2


def test_who_may_open_the_pages(office, year):
    for user in (office.head_b, office.administrator):
        assert login(user).get(REVIEW).status_code == 200
    for user in (office.clerk, office.named, office.outsider, office.leader):
        assert login(user).get(REVIEW).status_code == 403
    for user in (office.head, office.administrator, office.named, office.outsider):
        assert login(user).get(DECISIONS).status_code == 403
        assert login(user).post(DECIDE_ALL).status_code == 403
        assert login(user).post(decide_url("001001"), {"grade": "basic"}).status_code == 403
    assert login(office.leader).get("/appraisal/annual/1999/decisions/").status_code == 404
    assert login(office.leader).get(decide_url("001001")).status_code == 405
