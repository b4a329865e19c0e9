"""/verify/ in Chromium: a printed fingerprint typed in, as anyone signed in; axe and CSP clean."""

import pytest

from efficiency.services import history_chain

from ..factories import report
from .axe import violations
from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_clerk_checks_a_printed_fingerprint(page, office):
    report(office.clerk, section=office.a, responsible=[office.person], standard=office.delay)
    printed = history_chain.head().fingerprint
    log_in(page, "clerk")
    page.goto("/verify/")
    assert violations(page) == []
    page.get_by_label("历史指纹").fill(printed)  # the field has focus on arrival
    page.keyboard.press("Enter")
    page.wait_for_url("**/verify/?fingerprint=*")
    status = page.get_by_role("status")
    assert "未被改动" in status.inner_text()
    assert f"当前历史仍包含打印时的链头 {printed}" in status.inner_text()
    assert violations(page) == []

    count = printed.split("-")[0]
    page.get_by_label("历史指纹").fill(f"{count}-ffffffffffff")
    page.get_by_role("button", name="核验").click()
    page.wait_for_url("**/verify/?fingerprint=*ffffffffffff")
    assert "无法确认" in page.get_by_role("status").inner_text()
    assert violations(page) == []
