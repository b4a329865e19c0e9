"""/verify/ and the fingerprint printed on reports."""

import re

import pytest

from efficiency.reports.history_stamp import history_stamp
from efficiency.services import history_chain
from efficiency.services.audit import record


@pytest.fixture
def printed(incident_a):
    return history_chain.head().fingerprint


def test_it_requires_login(client):
    response = client.get("/verify/?fingerprint=1-abcdefabcdef")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/") or "login" in response["Location"]


def test_it_confirms_a_printed_fingerprint(office, printed, incident_a, as_user):
    record(actor=office.supervisor, obj=incident_a, action="remind", reason="提醒")
    page = as_user(office.named).get("/verify/", {"fingerprint": printed}).content.decode()
    assert "未被改动" in page
    assert f"当前历史仍包含打印时的链头 {printed}，未被改动；其后又写入了 1 条记录。" in page
    head = history_chain.head()
    assert f"当前历史共有 {head.count} 条记录，当前指纹为 {head.fingerprint}。" in page


def test_it_refuses_a_fingerprint_the_history_does_not_hold(office, printed, as_user):
    count = printed.split("-")[0]
    page = as_user(office.clerk).get("/verify/", {"fingerprint": f"{count}-000000000000"})
    text = page.content.decode()
    assert page.status_code == 200
    assert "无法确认" in text
    assert f"第 {count} 条记录已不是打印时的那一条：打印之前的历史被改写过。" in text


def test_it_explains_a_malformed_fingerprint(office, as_user):
    page = as_user(office.clerk).get("/verify/", {"fingerprint": "<b>x</b>"}).content.decode()
    assert "“&lt;b&gt;x&lt;/b&gt;”不是历史指纹：指纹形如 1234-3fa9c0d1e2b4。" in page


def test_the_stamp_encodes_the_verify_url(printed, settings):
    settings.SITE_URL = "https://kaohe.example.gov.cn/"
    stamp = history_stamp()
    assert stamp["history_fingerprint"] == printed
    assert stamp["history_verify_url"] == (
        f"https://kaohe.example.gov.cn/verify/?fingerprint={printed}"
    )
    assert re.match(r"<svg [^>]*width=\"[\d.]+mm\"", str(stamp["history_qr"]))
