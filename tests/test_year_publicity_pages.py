"""The year's 公示 page, the result notice page with 本人意见, and the notice as a PDF (text and
image) and from the command line. The office of tests/test_annual_publicity.py."""

import subprocess

import pytest
import time_machine

from efficiency.management.commands.report_pdf import Command
from efficiency.models import AnnualAppraisal, AnnualObjection, AnnualReview
from efficiency.services import annual as decisions
from efficiency.services import annual_publicity as services

from . import test_annual_publicity as base
from .conftest import login
from .report_support import pdf_text, squeeze

judges = base.judges
year = base.year
decided = base.decided
published = base.published
AFTER_WINDOW = base.AFTER_WINDOW

PUBLICITY = "/appraisal/annual/2026/publicity/"
CONFIRMED = {"confirmed": "1"}


@pytest.fixture
def notified(office, published):
    decisions.decide(
        actor=office.leader,
        year=published,
        staff=office.other_person,
        grade="incompetent",
        reason="全年多次严重失误，经研究定为不称职。",
    )
    with time_machine.travel(AFTER_WINDOW, tick=True):
        services.issue_notices(actor=office.leader, year=published)
        yield published


def test_publish_asks_then_publishes(office, decided):
    leader = login(office.leader)
    page = leader.get(PUBLICITY).content.decode()
    assert "尚未公示" in page and 'id="year-publish"' in page
    ask = leader.post(f"{PUBLICITY}publish/", {"days": "5"})
    assert ask.status_code == 200
    content = ask.content.decode()
    assert "公示2026年度“优秀”人选：李秀英。" in content
    assert "至2026年11月27日" in content
    assert AnnualAppraisal.objects.get().state == "deciding"
    leader.post(f"{PUBLICITY}publish/", {"days": "5", **CONFIRMED})
    assert AnnualAppraisal.objects.get().state == "publicity"
    refused = leader.post(f"{PUBLICITY}publish/", {"days": "5", **CONFIRMED}, follow=True)
    assert [str(m) for m in refused.context["messages"]][-1] == "2026年度“优秀”人选已经公示。"


def test_bad_days_are_refused_with_a_message(office, decided):
    leader = login(office.leader)
    for days in ("3", "x", "", "999999"):
        response = leader.post(f"{PUBLICITY}publish/", {"days": days}, follow=True)
        assert [str(m) for m in response.context["messages"]] == [
            "公示期至少5个工作日（最多30个）。"
        ]
    assert AnnualAppraisal.objects.get().state == "deciding"


def test_anyone_with_a_login_sees_the_list_and_objects(office, published):
    named = login(office.named)
    content = named.get(PUBLICITY).content.decode()
    assert "李秀英" in content and 'id="year-objection"' in content
    assert 'id="year-notices"' not in content
    named.post(f"{PUBLICITY}objection/", {"staff_no": "001002", "reason": "该同志本年度有迟报。"})
    objection = AnnualObjection.objects.get()
    assert objection.lodged_by == office.named
    content = login(office.leader).get(PUBLICITY).content.decode()
    assert f'action="/appraisal/annual/2026/publicity/objection/{objection.pk}/answer/"' in content
    # The answer asks first, then is saved.
    url = f"{PUBLICITY}objection/{objection.pk}/answer/"
    data = {"answer": "upheld", "new_grade": "competent", "reply": "经核实确有迟报，改为称职。"}
    ask = login(office.leader).post(url, data)
    assert "异议成立：李秀英的年度等次重新审定为“称职”。" in ask.content.decode()
    assert not AnnualObjection.objects.get().answer
    login(office.leader).post(url, {**data, **CONFIRMED})
    assert AnnualReview.objects.get(staff=office.colleague).grade == "competent"
    assert login(office.outsider).get(PUBLICITY).status_code == 403


def test_the_notice_page_and_the_opinion(office, notified):
    url = f"/appraisal/annual/2026/notice/{office.person.staff_no}/"
    named = login(office.named)
    content = named.get(url).content.decode()
    assert "王建国同志：" in content and ">称职<" in content
    assert 'id="notice-rights"' not in content  # no review right for 称职
    response = named.post(url, {"opinion": "disagree", "text": ""})
    assert response.status_code == 400
    assert "请写明有异议的内容。" in response.content.decode()
    named.post(url, {"opinion": "agree", "text": ""})
    assert AnnualReview.objects.get(staff=office.person).opinion == "agree"
    assert login(office.outsider).get(url).status_code == 403
    # 赵志强, 不称职: the review right and its deadline.
    other = login(office.leader).get(
        f"/appraisal/annual/2026/notice/{office.other_person.staff_no}/"
    )
    content = other.content.decode()
    assert 'id="notice-rights"' in content and "2026-12-30" in content
    assert "以上期限均按自然日计算。" in content


def test_the_notice_pdf_as_text_and_image(office, notified, tmp_path):
    response = login(office.leader).get(
        f"/reports/annual/2026/notice/{office.other_person.staff_no}.pdf"
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    content = b"".join(response.streaming_content)
    text = squeeze(pdf_text(content, tmp_path))
    assert "2026年度考核结果通知书" in text
    assert "赵志强同志：" in text
    assert "不称职" in text
    assert "30日内（即2026年12月30日前）向本机关书面申请复核" in text
    assert "15日内提出申诉" in text
    assert "本人意见" in text and "（盖章）" in text
    (tmp_path / "notice.pdf").write_bytes(content)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", str(tmp_path / "notice.pdf"), str(tmp_path / "notice")],
        check=True,
    )
    assert (tmp_path / "notice-1.png").exists()
    assert not (tmp_path / "notice-2.png").exists()  # one page


def test_no_notice_before_it_is_issued(office, published):
    response = login(office.leader).get(f"/reports/annual/2026/notice/{office.person.staff_no}.pdf")
    assert response.status_code == 404
    assert "王建国尚无2026年度考核结果通知书。" in response.content.decode()


def test_the_notice_from_the_command_line(office, notified, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("django.core.management.base.connections.close_all", lambda: None)
    Command().run_from_argv(
        [
            "manage.py",
            "report_pdf",
            "notice",
            "--period",
            "2026",
            "--staff",
            "002001",
            "-o",
            "n.pdf",
        ]
    )
    text = squeeze(pdf_text((tmp_path / "n.pdf").read_bytes(), tmp_path))
    assert "赵志强同志：" in text and "不称职" in text
