"""Evidence on an incident: add a file, download it, remove it (with a reason)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from efficiency.models import Incident, IncidentAttachment
from efficiency.services import ServiceError
from efficiency.services import attachments as services
from efficiency.wording import file_too_big_template, person_name

from . import confirm, incident_or_404


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        error_messages={"required": _("Choose a file to attach."), "empty": ""},
        allow_empty_file=True,  # the service refuses it, with the file's name
    )


def incident_attachments(user, incident: Incident) -> list[dict]:
    """The attachments of an incident as the pages show them, with what this user may do."""
    rows = []
    for attachment in incident.attachments.select_related(
        "uploaded_by__staff", "removed_by__staff"
    ):
        rows.append(
            {
                "item": attachment,
                "uploader": person_name(attachment.uploaded_by),
                "remover": person_name(attachment.removed_by) if attachment.removed_by else "",
                "removable": services.may_remove(user, attachment, incident),
            }
        )
    return rows


def attachment_context(user, incident: Incident) -> dict:
    return {
        "attachments": incident_attachments(user, incident),
        "may_attach": services.may_add(user, incident),
        "attachment_limits": _(
            "PDF, PNG, JPEG, GIF, Word or Excel; up to %(size)s each, %(count)s per incident."
        )
        % {"size": filesizeformat(services.max_bytes()), "count": services.max_count()},
        "attachment_max_bytes": services.max_bytes(),
        # Filled in by upload.js with the chosen file's name and size.
        "attachment_too_big": file_too_big_template(services.max_bytes()),
    }


def _back(incident: Incident) -> str:
    return reverse("incident_detail", kwargs={"number": incident.number}) + "#attachments"


def _attachment_or_404(incident: Incident, pk: int) -> IncidentAttachment:
    return get_object_or_404(
        IncidentAttachment.objects.select_related("incident"), pk=pk, incident=incident
    )


@require_POST
@login_required
def attachment_add(request: HttpRequest, number: str) -> HttpResponse:
    incident = incident_or_404(request.user, number)
    if getattr(request, "upload_refused_size", None):
        messages.error(
            request,
            _("The file is too large: an attachment may be %(limit)s at most.")
            % {"limit": filesizeformat(services.max_bytes())},
        )
        return redirect(_back(incident))
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(_back(incident))
    upload = form.cleaned_data["file"]
    try:
        attachment = services.attachment_add(
            actor=request.user, incident=incident, upload=upload, name=upload.name
        )
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("“%(name)s” attached to incident %(number)s.")
            % {"name": attachment.original_name, "number": incident.number},
        )
    return redirect(_back(incident))


@login_required
def attachment_download(request: HttpRequest, number: str, pk: int) -> FileResponse:
    """The file, to whoever may read the incident (404 to anyone else, so ids cannot be
    probed); always as a download, never shown inline by the browser."""
    incident = incident_or_404(request.user, number)
    attachment = _attachment_or_404(incident, pk)
    try:
        handle = services.open_file(attachment)
    except FileNotFoundError as missing:
        raise Http404(_("The file of this attachment is missing.")) from missing
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_POST
@login_required
def attachment_remove(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    incident = incident_or_404(request.user, number)
    attachment = _attachment_or_404(incident, pk)
    if not services.may_remove(request.user, attachment, incident):
        messages.error(request, _("You do not have the right to remove this attachment now."))
        return redirect(_back(incident))
    question = {
        "title": _("Remove “%(name)s” from incident %(number)s?")
        % {"name": attachment.original_name, "number": incident.number},
        "consequences": [
            _(
                "The attachment is marked removed: it is no longer counted as evidence, but the "
                "file and its record stay, and the removal is written into the incident's "
                "history with your reason."
            )
        ],
        "details": [
            (_("File name"), attachment.original_name),
            (_("Size"), filesizeformat(attachment.size)),
            (_("Uploaded by"), person_name(attachment.uploaded_by)),
        ],
        "submit_label": _("Remove the attachment"),
        "back_url": _back(incident),
        "danger": True,
        "reason_label": _("Reason for removal"),
    }
    answer = confirm.ask_reason_then(
        request,
        question,
        lambda reason: services.attachment_remove(
            actor=request.user, attachment=attachment, reason=reason
        ),
    )
    if answer is not None:
        return answer
    messages.success(
        request,
        _("“%(name)s” removed from incident %(number)s.")
        % {"name": attachment.original_name, "number": incident.number},
    )
    return redirect(_back(incident))
