"""Evidence on incidents: add a file, remove it (a recorded step that keeps the file).

A file is accepted only when its extension and its first bytes agree on one of the kinds an
office sends (PDF, images, Word and Excel): a program renamed ``.pdf`` is refused. Files live
in the ``"attachments"`` storage when STORAGES names one, else in a private folder
(``ATTACHMENT_DIR``), readable by the server's user only; nothing maps them to a URL.
"""

import hashlib
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from efficiency import selectors
from efficiency.models import Incident, IncidentAttachment, IncidentStatus
from efficiency.models.audit import AuditAction
from efficiency.models.incidents import AppealStatus
from efficiency.reasons import check_reason

from . import ServiceError
from .audit import record

STORAGE = "attachments"  # the name a deployment may give its own storage in STORAGES
CHUNK = 64 * 1024
NAME_MAX = 200

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the container of .doc and .xls
ZIP = b"PK\x03\x04"  # the container of .docx and .xlsx


@dataclass(frozen=True)
class Kind:
    label: str
    content_type: str
    magic: tuple[bytes, ...]
    zip_folder: str = ""  # for Office Open XML: the folder the zip must hold


KINDS = {
    "pdf": Kind("PDF", "application/pdf", (b"%PDF-",)),
    "png": Kind("PNG", "image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": Kind("JPEG", "image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": Kind("JPEG", "image/jpeg", (b"\xff\xd8\xff",)),
    "gif": Kind("GIF", "image/gif", (b"GIF87a", b"GIF89a")),
    "doc": Kind("Word", "application/msword", (OLE2,)),
    "xls": Kind("Excel", "application/vnd.ms-excel", (OLE2,)),
    "docx": Kind(
        "Word",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (ZIP,),
        "word/",
    ),
    "xlsx": Kind(
        "Excel",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        (ZIP,),
        "xl/",
    ),
}


def storage() -> Storage:
    """Where attachments are kept (read at each call: settings may change in tests)."""
    if STORAGE in settings.STORAGES:
        return storages[STORAGE]
    return FileSystemStorage(
        location=settings.ATTACHMENT_DIR,
        base_url="/no-url/",  # never served: nothing maps this path
        file_permissions_mode=0o600,
        directory_permissions_mode=0o700,
    )


def max_bytes() -> int:
    return settings.ATTACHMENT_MAX_BYTES


def max_count() -> int:
    return settings.ATTACHMENT_MAX_PER_INCIDENT


def allowed_extensions() -> str:
    return ", ".join(sorted(KINDS))


def _clean_name(name: str) -> str:
    """The uploader's file name without any folder part or control characters."""
    name = PurePath(name.replace("\\", "/")).name
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    if len(name) > NAME_MAX:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: NAME_MAX - len(ext) - 1] + dot + ext) if dot else name[:NAME_MAX]
    return name


def _is_office_zip(upload: File, folder: str) -> bool:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        upload.seek(0)
    return "[Content_Types].xml" in names and any(n.startswith(folder) for n in names)


def sniff(upload: File, name: str) -> Kind:
    """The file's kind, when its extension and its first bytes agree; ServiceError otherwise."""
    extension = name.rpartition(".")[2].lower() if "." in name else ""
    kind = KINDS.get(extension)
    if kind is None:
        raise ServiceError(
            _(
                "“%(name)s” cannot be attached: only PDF, images (PNG, JPEG, GIF) and Word or "
                "Excel files (%(extensions)s) are accepted."
            )
            % {"name": name, "extensions": allowed_extensions()}
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(magic) for magic in kind.magic) or (
        kind.zip_folder and not _is_office_zip(upload, kind.zip_folder)
    ):
        raise ServiceError(
            _(
                "“%(name)s” is not a real %(kind)s file: its content does not match its "
                "extension. Save it again as %(kind)s, or attach the original."
            )
            % {"name": name, "kind": kind.label}
        )
    return kind


def _digest(upload: File) -> str:
    upload.seek(0)
    sha = hashlib.sha256()
    for chunk in iter(lambda: upload.read(CHUNK), b""):
        sha.update(chunk)
    upload.seek(0)
    return sha.hexdigest()


def _closed(incident: Incident) -> bool:
    """Dismissed, or handled with no appeal pending: the file of evidence is closed."""
    if incident.status == IncidentStatus.DISMISSED:
        return True
    return (
        incident.status == IncidentStatus.HANDLED and incident.appeal_status != AppealStatus.PENDING
    )


def may_add(user, incident: Incident) -> bool:
    """Who may add evidence, while the incident is open.

    Before the handling decision: the reporter, and the supervisors and leaders (who see every
    incident). While an appeal is pending: they, and whoever filed the appeal, to support it.
    """
    if not user.is_authenticated or _closed(incident):
        return False
    if incident.reporter_id == user.pk or selectors.sees_all_incidents(user):
        return True
    return incident.appeal_status == AppealStatus.PENDING and incident.appealed_by_id == user.pk


def may_remove(user, attachment: IncidentAttachment, incident: Incident) -> bool:
    """The uploader before the incident is verified (认定); a supervisor (who verifies) while
    the incident is open."""
    if attachment.removed or not user.is_authenticated or _closed(incident):
        return False
    if user.has_perm("efficiency.verify_incident"):
        return True
    return attachment.uploaded_by_id == user.pk and incident.status == IncidentStatus.REPORTED


def _visible(user, incident: Incident) -> bool:
    return selectors.incidents_visible_to(user).filter(pk=incident.pk).exists()


def _locked(incident: Incident) -> Incident:
    return Incident.objects.select_for_update().get(pk=incident.pk)


def check_file(upload: File, *, name: str, count: int) -> tuple[str, Kind]:
    """Every limit on one file (``count``: the attachments the incident already has)."""
    name = _clean_name(name or "")
    if not name:
        raise ServiceError(_("Choose a file to attach."))
    if upload.size is None or upload.size == 0:
        raise ServiceError(_("“%(name)s” is empty: nothing to attach.") % {"name": name})
    if upload.size > max_bytes():
        raise ServiceError(
            _("“%(name)s” is %(size)s: an attachment may be %(limit)s at most.")
            % {
                "name": name,
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(max_bytes()),
            }
        )
    if count >= max_count():
        raise ServiceError(
            _(
                "This incident already has %(count)s attachments, the most it may have. "
                "Remove one that is not needed first."
            )
            % {"count": max_count()}
        )
    return name, sniff(upload, name)


def attachment_add(*, actor, incident: Incident, upload: File, name: str) -> IncidentAttachment:
    """Keep one file of evidence on the incident and record it (with its SHA-256) in the
    incident's history. Nothing is kept when any check fails."""
    if not _visible(actor, incident):
        raise ServiceError(_("You do not have the right to do this."))
    store = storage()
    stored = ""
    try:
        with transaction.atomic():
            incident = _locked(incident)
            if _closed(incident):
                raise ServiceError(
                    _("Incident %(number)s is “%(status)s”: you cannot add evidence to it now.")
                    % {"number": incident.number, "status": incident.get_status_display()}
                )
            if not may_add(actor, incident):
                raise ServiceError(
                    _(
                        "Evidence is added by whoever recorded the incident, the supervisors and "
                        "the leaders; while an appeal is pending, also by whoever appealed."
                    )
                )
            count = incident.attachments.filter(removed_at__isnull=True).count()
            clean_name, kind = check_file(upload, name=name, count=count)
            digest = _digest(upload)
            folder = f"{incident.occurred_on.year}/{incident.number}"
            extension = clean_name.rpartition(".")[2].lower()
            stored = store.save(f"{folder}/{uuid.uuid4().hex}.{extension}", upload)
            attachment = IncidentAttachment(
                incident=incident,
                file=stored,
                original_name=clean_name,
                size=upload.size,
                content_type=kind.content_type,
                sha256=digest,
                uploaded_by=actor,
                uploaded_at=timezone.now(),
            )
            attachment.full_clean()
            attachment.save()
            record(
                actor=actor,
                obj=incident,
                action=AuditAction.ATTACH,
                from_status=incident.status,
                to_status=incident.status,
                changes={
                    "attachment": ["", clean_name],
                    "size": ["", str(upload.size)],
                    "sha256": ["", digest],
                },
            )
    except BaseException:
        if stored:
            store.delete(stored)
        raise
    return attachment


@transaction.atomic
def attachment_remove(*, actor, attachment: IncidentAttachment, reason: str) -> IncidentAttachment:
    """Mark the attachment removed, with who, when and why; the row and the file stay."""
    incident = _locked(attachment.incident)
    attachment = IncidentAttachment.objects.select_for_update().get(pk=attachment.pk)
    if not _visible(actor, incident) or not may_remove(actor, attachment, incident):
        if attachment.removed:
            raise ServiceError(
                _("“%(name)s” has already been removed.") % {"name": attachment.original_name}
            )
        raise ServiceError(_("You do not have the right to remove this attachment now."))
    reason = check_reason(reason, missing=_("Say why the attachment is removed."))
    attachment.removed_by = actor
    attachment.removed_at = timezone.now()
    attachment.removal_reason = reason.strip()
    attachment.save(update_fields=["removed_by", "removed_at", "removal_reason"])
    record(
        actor=actor,
        obj=incident,
        action=AuditAction.ATTACH_REMOVE,
        from_status=incident.status,
        to_status=incident.status,
        reason=attachment.removal_reason,
        changes={"attachment": [attachment.original_name, ""], "sha256": [attachment.sha256, ""]},
    )
    return attachment


def open_file(attachment: IncidentAttachment):
    return storage().open(attachment.file, "rb")
