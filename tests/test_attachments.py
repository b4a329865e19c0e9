"""Evidence on incidents: the limits on a file, who may add and remove, the download, the
history, and the pages that show the files before a decision."""

import hashlib
import io
import stat
import zipfile
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from efficiency.models import AuditEvent, Incident, IncidentAttachment
from efficiency.services import ServiceError
from efficiency.services import attachments as services
from efficiency.services import incidents as incident_services

from .conftest import login

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
WHO_ADDS = "证据材料由事件登记人、督查人员和领导添加；申诉期间，申诉人也可添加。"
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 100


def office_zip(folder: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{folder}document.xml", "<document/>")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def private_folder(settings, tmp_path):
    settings.ATTACHMENT_DIR = tmp_path / "attachments"
    settings.ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
    settings.ATTACHMENT_MAX_PER_INCIDENT = 10
    with translation.override("zh-hans"):
        yield settings.ATTACHMENT_DIR


def upload(content: bytes, name: str = "督查记录.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def attach(user, incident, content: bytes = PDF, name: str = "督查记录.pdf"):
    return services.attachment_add(
        actor=user, incident=incident, upload=upload(content, name), name=name
    )


def stored_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def events(incident: Incident, action: str) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(Incident),
            object_id=str(incident.pk),
            action=action,
        ).order_by("pk")
    )


def refused(user, incident, content=PDF, name="督查记录.pdf") -> str:
    with pytest.raises(ServiceError) as caught:
        attach(user, incident, content, name)
    return caught.value.message


# --- adding -------------------------------------------------------------------------------


def test_it_keeps_the_file_privately_and_records_it(office, incident_a, private_folder):
    attachment = attach(office.clerk, incident_a)
    assert attachment.original_name == "督查记录.pdf"
    assert (attachment.size, attachment.content_type) == (len(PDF), "application/pdf")
    assert attachment.sha256 == hashlib.sha256(PDF).hexdigest()
    assert attachment.uploaded_by == office.clerk
    (path,) = stored_files(private_folder)
    assert path.read_bytes() == PDF
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.name != "督查记录.pdf"  # the stored name is ours, not the uploader's
    (event,) = events(incident_a, "attach")
    assert event.actor == office.clerk
    assert event.changes["attachment"] == ["", "督查记录.pdf"]
    assert event.changes["sha256"] == ["", attachment.sha256]


def test_office_files_and_images_are_accepted(office, incident_a):
    for content, name, kind in [
        (PNG, "现场.png", "image/png"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 20, "照片.JPG", "image/jpeg"),
        (b"GIF89a" + b"\x00" * 20, "截图.gif", "image/gif"),
        (services.OLE2 + b"\x00" * 50, "旧版.doc", "application/msword"),
        (office_zip("word/"), "说明.docx", services.KINDS["docx"].content_type),
        (office_zip("xl/"), "台账.xlsx", services.KINDS["xlsx"].content_type),
    ]:
        assert attach(office.clerk, incident_a, content, name).content_type == kind


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (EXE, "督查记录.pdf", "“督查记录.pdf”不是真正的 PDF 文件"),
        (EXE, "setup.exe", "“setup.exe”不能作为附件"),
        (PDF, "无扩展名", "“无扩展名”不能作为附件"),
        (office_zip("ppt/"), "伪装.docx", "“伪装.docx”不是真正的 Word 文件"),
        (b"PK\x03\x04broken", "坏的.xlsx", "“坏的.xlsx”不是真正的 Excel 文件"),
        (b"", "空白.pdf", "“空白.pdf”是空文件"),
    ],
)
def test_a_file_that_is_not_what_it_says_is_refused(
    office, incident_a, private_folder, content, name, message
):
    assert message in refused(office.clerk, incident_a, content, name)
    assert not IncidentAttachment.objects.exists()
    assert stored_files(private_folder) == []
    assert events(incident_a, "attach") == []


def test_a_file_over_the_size_limit_is_refused(settings, office, incident_a, private_folder):
    settings.ATTACHMENT_MAX_BYTES = 1024 * 1024
    message = refused(office.clerk, incident_a, PDF + b"x" * (1024 * 1024 * 3 // 2))
    assert message == "“督查记录.pdf”大小为 1.5\xa0MB，每个附件最大为 1.0\xa0MB。"
    assert stored_files(private_folder) == []
    settings.ATTACHMENT_MAX_BYTES = len(PDF)
    attach(office.clerk, incident_a)  # exactly the limit is fine


def test_an_incident_holds_a_limited_number_of_files(settings, office, incident_a):
    settings.ATTACHMENT_MAX_PER_INCIDENT = 2
    first = attach(office.clerk, incident_a)
    attach(office.clerk, incident_a)
    assert "已有 2 个附件" in refused(office.clerk, incident_a)
    # A removed file no longer counts against the limit (it is kept, but not as evidence).
    services.attachment_remove(
        actor=office.clerk, attachment=first, reason="上传错了文件，重新上传"
    )
    attach(office.clerk, incident_a)
    assert IncidentAttachment.objects.count() == 3


def test_a_failure_after_the_file_is_written_leaves_no_file(
    office, incident_a, private_folder, monkeypatch
):
    def broken(**kwargs):
        raise RuntimeError("the history could not be written")

    monkeypatch.setattr(services, "record", broken)
    with pytest.raises(RuntimeError):
        attach(office.clerk, incident_a)
    assert stored_files(private_folder) == []
    assert not IncidentAttachment.objects.exists()


# --- who may add -------------------------------------------------------------------------


def test_who_may_add_before_the_decision(office, incident_a):
    for user in (office.clerk, office.supervisor, office.leader):
        attach(user, incident_a)
    # The section head and the person named may read the incident, not add to its evidence
    # (they write an explanation); an outsider cannot even see it.
    for user in (office.head, office.named):
        assert refused(user, incident_a) == WHO_ADDS
    assert refused(office.outsider, incident_a) == "您没有执行此操作的权限。"
    assert refused(office.clerk_b, incident_a) == "您没有执行此操作的权限。"


def test_nobody_adds_to_a_closed_incident(office, incident_a, incident_b):
    incident_services.incident_dismiss(
        actor=office.supervisor, incident=incident_b, reason="经核实，文件已按时转办，不构成延误"
    )
    incident_services.incident_verify(actor=office.supervisor, incident=incident_a)
    attach(office.clerk, incident_a)  # verified: the handling decision is still to come
    incident_services.incident_handle(
        actor=office.supervisor, incident=incident_a, decision="reminder_talk", note=""
    )
    for incident, reporter in ((incident_a, office.clerk), (incident_b, office.clerk_b)):
        for user in (reporter, office.supervisor):
            assert "不能再为它添加证据" in refused(user, incident)


def test_an_appeal_pending_may_bring_evidence(office, incident_a):
    incident_services.incident_verify(actor=office.supervisor, incident=incident_a)
    incident_services.incident_handle(
        actor=office.supervisor, incident=incident_a, decision="reminder_talk", note=""
    )
    incident_services.incident_appeal(
        actor=office.head, incident=incident_a, text="当天系统故障，文件无法流转，有截图为证"
    )
    attach(office.head, incident_a, PNG, "系统故障截图.png")
    attach(office.supervisor, incident_a)
    assert refused(office.named, incident_a) == WHO_ADDS


# --- removing ----------------------------------------------------------------------------


def test_removal_keeps_the_row_the_file_and_says_why(office, incident_a, private_folder):
    attachment = attach(office.clerk, incident_a)
    removed = services.attachment_remove(
        actor=office.clerk, attachment=attachment, reason="传错了文件，应为另一份督查记录"
    )
    assert removed.removed_by == office.clerk and removed.removed_at is not None
    assert removed.removal_reason == "传错了文件，应为另一份督查记录"
    assert len(stored_files(private_folder)) == 1  # the file stays
    (event,) = events(incident_a, "attach_remove")
    assert event.reason == "传错了文件，应为另一份督查记录"
    assert event.changes["sha256"] == [attachment.sha256, ""]
    with pytest.raises(ServiceError, match="已被移除"):
        services.attachment_remove(actor=office.supervisor, attachment=removed, reason="再次移除")


def test_a_removal_needs_a_reason(office, incident_a):
    attachment = attach(office.clerk, incident_a)
    with pytest.raises(ServiceError, match="请说明移除附件的原因"):
        services.attachment_remove(actor=office.clerk, attachment=attachment, reason="  ")
    assert not IncidentAttachment.objects.get().removed


def test_the_uploader_removes_before_verification_a_supervisor_after(office, incident_a):
    by_clerk = attach(office.clerk, incident_a)
    by_supervisor = attach(office.supervisor, incident_a)
    with pytest.raises(ServiceError, match="您无权"):  # not the clerk's own upload
        services.attachment_remove(
            actor=office.clerk, attachment=by_supervisor, reason="不是我上传的文件"
        )
    incident_services.incident_verify(actor=office.supervisor, incident=incident_a)
    with pytest.raises(ServiceError, match="您无权"):  # verified: the evidence is fixed
        services.attachment_remove(
            actor=office.clerk, attachment=by_clerk, reason="想换一份更清楚的扫描件"
        )
    services.attachment_remove(
        actor=office.supervisor, attachment=by_clerk, reason="与本事件无关，误传"
    )


# --- the pages ---------------------------------------------------------------------------


def url(incident, attachment=None, action=""):
    base = f"/incidents/{incident.number}/attachments/"
    return base + (f"{attachment.pk}/" if attachment else "") + action


def test_the_download_is_an_attachment_with_its_chinese_name(office, incident_a):
    attachment = attach(office.clerk, incident_a)
    response = login(office.supervisor).get(url(incident_a, attachment))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''%E7%9D%A3%E6%9F%A5%E8%AE%B0%E5%BD%95.pdf"
    )


def test_another_sections_attachment_is_not_found(office, incident_a, incident_b):
    attachment = attach(office.clerk, incident_a)
    other = attach(office.clerk_b, incident_b)
    assert login(office.clerk_b).get(url(incident_a, attachment)).status_code == 404
    assert login(office.head_b).get(url(incident_a, attachment)).status_code == 404
    assert login(office.outsider).get(url(incident_a, attachment)).status_code == 404
    # Nor through an incident one may see: the attachment must belong to it.
    assert login(office.clerk_b).get(url(incident_b, attachment)).status_code == 404
    assert login(office.clerk_b).get(url(incident_b, other)).status_code == 200
    assert login(office.head).get(url(incident_a, attachment)).status_code == 200


def test_uploading_through_the_page(office, incident_a, private_folder):
    client = login(office.clerk)
    response = client.post(url(incident_a), {"file": upload(PDF)}, follow=True)
    assert "“督查记录.pdf”已附在事件" in response.content.decode()
    assert IncidentAttachment.objects.count() == 1
    response = client.post(url(incident_a), {"file": upload(EXE, "a.pdf")}, follow=True)
    assert "“a.pdf”不是真正的 PDF 文件" in response.content.decode()
    response = client.post(url(incident_a), {}, follow=True)
    assert "请选择要附加的文件" in response.content.decode()
    assert IncidentAttachment.objects.count() == 1
    assert login(office.outsider).post(url(incident_a), {"file": upload(PDF)}).status_code == 404


def test_removing_through_the_page_asks_for_a_reason(office, incident_a):
    attachment = attach(office.clerk, incident_a)
    client = login(office.clerk)
    page = client.post(url(incident_a, attachment, "remove/"))
    assert page.status_code == 200
    assert "请确认" in page.content.decode() or "确认" in page.content.decode()
    assert not IncidentAttachment.objects.get().removed
    client.post(
        url(incident_a, attachment, "remove/"), {"confirmed": "1", "reason": "上传错了文件"}
    )
    assert IncidentAttachment.objects.get().removal_reason == "上传错了文件"
    # Someone who may not remove it is turned away, and nothing changes.
    second = attach(office.supervisor, incident_a)
    login(office.clerk).post(
        url(incident_a, second, "remove/"), {"confirmed": "1", "reason": "不需要这个文件"}
    )
    assert not IncidentAttachment.objects.get(pk=second.pk).removed


def test_the_supervisor_sees_the_evidence_before_deciding(office, incident_a):
    attach(office.clerk, incident_a)
    client = login(office.supervisor)
    detail = client.get(f"/incidents/{incident_a.number}/").content.decode()
    assert "督查记录.pdf" in detail and url(incident_a) in detail
    for action, data in (
        ("verify", {"note": ""}),
        ("dismiss", {"reason": "经核实，文件已按时转办"}),
    ):
        page = client.post(f"/incidents/{incident_a.number}/{action}/", data).content.decode()
        assert "督查记录.pdf" in page, action
        assert "陈文书" in page  # who uploaded it
    assert Incident.objects.get().status == "reported"  # only asked, not decided
