"""个人小结 pages: the person's own page, the head's list, review and entry from paper."""

import pytest
from django.utils import translation

from efficiency.models import Summary, SummaryStatus
from efficiency.services import appraisal
from efficiency.services import summaries as services

from .conftest import login

TEXT = "本季度完成收发文件登记，按时办结督办事项。"
MINE = "/appraisal/2026Q3/summary/"
LIST = "/appraisal/2026Q3/summaries/"
PERSON = "/appraisal/2026Q3/summaries/001001/"
AJAX = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}


@pytest.fixture(autouse=True)
def chinese(settings):
    settings.LANGUAGE_CODE = "zh-hans"
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def period(office):
    return appraisal.period_open(actor=office.leader, code="2026Q3")


def summaries():
    return list(Summary.objects.values_list("staff__staff_no", "status", "text", "head_comment"))


def test_it_shows_the_counter_and_the_buttons(office, period):
    page = login(office.named).get(MINE).content.decode()
    assert "已输入0/1000字" in page
    assert "保存草稿" in page and "提交" in page
    assert 'id="summary-texts"' in page and "<script>" not in page


def test_it_saves_a_draft_without_javascript(office, period):
    response = login(office.named).post(MINE, {"text": TEXT, "action": "save"})
    assert response.status_code == 302
    assert summaries() == [("001001", SummaryStatus.DRAFT, TEXT, "")]


def test_autosave_answers_json_with_the_time(office, period):
    response = login(office.named).post(MINE, {"text": TEXT, "action": "save"}, **AJAX)
    assert response.json() == {"ok": True, "time": "10:00", "status": "draft", "label": "草稿"}


def test_autosave_refusal_is_json_in_chinese(office, period):
    response = login(office.named).post(MINE, {"text": "字" * 1001, "action": "save"}, **AJAX)
    assert response.status_code == 400
    assert response.json()["message"] == "个人小结不能超过1000字，现有1001字。"
    assert summaries() == []


def test_it_submits_and_shows_a_return_with_the_comment(office, period):
    client = login(office.named)
    client.post(MINE, {"text": TEXT, "action": "submit"})
    services.return_(actor=office.head, period=period, staff=office.person, comment="请补充数量")
    page = client.get(MINE).content.decode()
    assert "已退回修改" in page and "请补充数量" in page


def test_an_account_without_a_staff_record_has_no_own_page(office, period):
    assert login(office.leader).get(MINE).status_code == 404


def test_the_head_lists_their_section_only(office, period):
    page = login(office.head).get(LIST).content.decode()
    assert "王建国" in page and "李秀英" in page
    assert "赵志强" not in page


def test_the_administrator_lists_all_and_filters(office, period):
    client = login(office.administrator)
    page = client.get(LIST).content.decode()
    assert "王建国" in page and "赵志强" in page
    page = client.get(LIST, {"section": "ZHK"}).content.decode()
    assert "王建国" not in page and "赵志强" in page
    page = client.get(LIST, {"q": "0010"}).content.decode()
    assert "王建国" in page and "赵志强" not in page


@pytest.mark.parametrize("persona", ["named", "clerk", "assessor", "outsider"])
def test_people_without_a_section_to_review_get_403(office, period, persona):
    assert login(getattr(office, persona)).get(LIST).status_code == 403


def test_another_sections_head_gets_404_and_changes_nothing(office, period):
    services.submit(actor=office.named, period=period, staff=office.person, text=TEXT)
    before = summaries()
    client = login(office.head_b)
    assert client.get(PERSON).status_code == 404
    confirmed = {"action": "accept", "confirmed": "1"}
    assert client.post(PERSON + "review/", confirmed).status_code == 404
    assert client.post(PERSON + "enter/", {"text": "改写"}).status_code == 404
    assert summaries() == before


def test_a_leader_reads_but_does_not_review(office, period):
    services.submit(actor=office.named, period=period, staff=office.person, text=TEXT)
    client = login(office.leader)
    page = client.get(PERSON).content.decode()
    assert TEXT in page and 'id="review-form"' not in page
    client.post(PERSON + "review/", {"action": "accept", "confirmed": "1"})
    assert summaries()[0][1] == SummaryStatus.SUBMITTED


def test_accepting_asks_for_confirmation_first(office, period):
    services.submit(actor=office.named, period=period, staff=office.person, text=TEXT)
    client = login(office.head)
    page = client.post(PERSON + "review/", {"action": "accept"}).content.decode()
    assert "接受王建国的个人小结" in page and "接受后，这份个人小结不能再更改。" in page
    assert summaries()[0][1] == SummaryStatus.SUBMITTED
    response = client.post(PERSON + "review/", {"action": "accept", "confirmed": "1"})
    assert response.status_code == 302
    assert summaries()[0][1] == SummaryStatus.ACCEPTED


def test_returning_needs_a_comment(office, period):
    services.submit(actor=office.named, period=period, staff=office.person, text=TEXT)
    client = login(office.head)
    response = client.post(PERSON + "review/", {"action": "return", "comment": ""}, follow=True)
    assert "退回个人小结须填写意见。" in response.content.decode()
    empty = {"action": "return", "comment": "。。。。"}
    response = client.post(PERSON + "review/", empty, follow=True)
    assert "理由须写明具体情况" in response.content.decode()
    comment = {"action": "return", "comment": "请补充数量", "confirmed": "1"}
    client.post(PERSON + "review/", comment)
    assert summaries() == [("001001", SummaryStatus.RETURNED, TEXT, "请补充数量")]


def test_the_head_enters_a_summary_from_paper(office, period):
    client = login(office.head)
    client.post("/appraisal/2026Q3/summaries/001002/enter/", {"text": TEXT})
    summary = Summary.objects.get()
    assert (summary.status, summary.written_by) == (SummaryStatus.SUBMITTED, office.head)
    page = client.get("/appraisal/2026Q3/summaries/001002/").content.decode()
    assert "由刘科长填写" in page


def test_home_links_to_the_summary_of_the_open_quarter(office, period):
    page = login(office.named).get("/").content.decode()
    assert f'href="{MINE}"' in page and f'href="{LIST}"' not in page
    page = login(office.head).get("/").content.decode()
    assert f'href="{MINE}"' in page and f'href="{LIST}"' in page
