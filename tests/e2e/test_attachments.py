"""Evidence: a clerk attaches a PDF; the supervisor sees it before verifying, and downloads it."""

import pytest

from efficiency.models import IncidentAttachment
from tests.factories import report

from .conftest import ARTIFACTS, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_a_clerk_attaches_a_pdf_the_supervisor_sees_it_before_verifying(
    page, office, settings, tmp_path
):
    settings.ATTACHMENT_DIR = tmp_path / "attachments"
    incident = report(
        office.clerk, section=office.a, responsible=[office.person], standard=office.delay
    )
    evidence = tmp_path / "督查通报第3期.pdf"
    evidence.write_bytes(PDF)

    log_in(page, "clerk")
    page.goto("/incidents/new/")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "incident-form-source.png", full_page=True)
    page.goto("/incidents/?source=other")
    page.screenshot(path=ARTIFACTS / "incident-list-source.png", full_page=True)
    page.goto(f"/incidents/{incident.number}/")
    page.get_by_label("上传证据材料").set_input_files(str(evidence))
    page.get_by_role("button", name="上传", exact=True).click()
    page.get_by_text(f"“督查通报第3期.pdf”已附在事件 {incident.number} 上。").wait_for()
    assert IncidentAttachment.objects.get().uploaded_by == office.clerk

    log_in(page, "supervisor")
    page.goto(f"/incidents/{incident.number}/")
    evidence_card = page.locator("#attachments")
    assert "督查通报第3期.pdf" in evidence_card.inner_text()
    assert "陈文书" in evidence_card.inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "incident-detail-attachments.png", full_page=True)
    page.get_by_role("button", name="认定", exact=True).click()
    # The 认定 page lists the evidence, with a link to each file, before anything is decided.
    confirm = page.locator(".confirm-step")
    confirm.get_by_text("督查通报第3期.pdf").wait_for()
    page.screenshot(path=ARTIFACTS / "incident-verify-attachments.png", full_page=True)
    with page.expect_download() as caught:
        confirm.get_by_role("link", name="督查通报第3期.pdf").click()
    download = caught.value
    assert download.suggested_filename == "督查通报第3期.pdf"
    assert open(download.path(), "rb").read() == PDF
    page.get_by_role("button", name="认定", exact=True).click()
    page.get_by_text(f"事件{incident.number}已认定").wait_for()


def test_a_file_over_the_limit_is_refused_before_it_is_sent(page, office, settings, tmp_path):
    """The server resets a body over the limit without reading it, which a browser shows as a
    broken connection: so the page refuses the file first, in Chinese, and nothing is sent."""
    settings.ATTACHMENT_DIR = tmp_path / "attachments"
    settings.ATTACHMENT_MAX_BYTES = 1024 * 1024
    incident = report(
        office.clerk, section=office.a, responsible=[office.person], standard=office.delay
    )
    big = tmp_path / "扫描件.pdf"
    big.write_bytes(PDF + b"0" * (3 * 1024 * 1024 // 2))

    log_in(page, "clerk")
    page.goto(f"/incidents/{incident.number}/")
    field = page.get_by_label("上传证据材料")
    field.set_input_files(str(big))
    message = field.evaluate("input => input.validationMessage")
    assert message == "“扫描件.pdf”大小为 1.5 MB，只接受 1 MB 以内的文件。"
    page.get_by_role("button", name="上传", exact=True).click()
    page.wait_for_timeout(300)
    assert page.url.endswith(f"/incidents/{incident.number}/")
    assert not IncidentAttachment.objects.exists()
