"""Excel pages: templates and exports to download; upload → preview row by row → confirm.

An upload is read once, as it arrives; what it was read into waits on the server (see
:mod:`efficiency.excel.pending`) until it is confirmed, which re-checks every row against the
database as it is then. The browser never sends parsed rows back, so nothing it sends can slip
past the checks.
"""

import io
import os
import re
import secrets
import tempfile
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from efficiency.excel import access, engine, exports, layouts, pending, reader, sheets
from efficiency.excel.writer import XLSX_MIME
from efficiency.models import ImportRecord, Period, PeriodState
from efficiency.wording import file_too_big, file_too_big_template

SHEET_LABELS = {
    "sections": gettext_lazy("Sections"),
    "staff": gettext_lazy("Staff"),
    "standards": gettext_lazy("Three-errors standards"),
    "incidents": gettext_lazy("Three-errors incidents"),
    "scores": gettext_lazy("Marks"),
    "attendance": gettext_lazy("Attendance"),
    "summaries": gettext_lazy("Personal summaries"),
    "year_summaries": gettext_lazy("Annual personal summaries"),
    "rankings": gettext_lazy("Quarterly ranking"),
    "annual": gettext_lazy("Annual appraisal"),
}
SESSION_KEY = "excel_upload_tokens"
PREVIEW_ROWS = 500
PROBLEMS_SHOWN = 1000  # then “以及另外 N 处”
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


def _display_name(name: str) -> str:
    name = os.path.basename(name.replace("\\", "/"))
    name = "".join(ch for ch in name if ch.isprintable())
    return name[:200] or "upload.xlsx"


def _known(sheet: str, sheets) -> None:
    if sheet not in sheets:
        raise Http404


def _download(name: str, data: bytes) -> FileResponse:
    return FileResponse(io.BytesIO(data), as_attachment=True, filename=name, content_type=XLSX_MIME)


# --- the page ---------------------------------------------------------------------------------


@login_required
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    cards = [
        {
            "sheet": sheet,
            "label": SHEET_LABELS[sheet],
            "title": layouts.LAYOUTS[sheet].title,
            "about": layouts.LAYOUTS[sheet].about,
            "may_import": access.may_import(user, sheet),
            "may_export": access.may_export(user, sheet),
        }
        for sheet in access.IMPORT_SHEETS
    ]
    periods = list(Period.objects.exclude(state=PeriodState.DRAFT).order_by("-year", "-quarter"))
    open_period = next((p for p in periods if p.state == PeriodState.OPEN), None)
    return render(
        request,
        "efficiency/excel/index.html",
        {
            "cards": cards,
            "periods": periods,
            "open_period": open_period,
            "years": sorted({p.year for p in periods}, reverse=True),
            # The year whose 年度个人总结 are being written: the open quarter's.
            "summary_year": open_period.year if open_period else None,
            "may_see_results": access.may_export(user, "rankings"),
            "imports": [
                {"record": record, "label": SHEET_LABELS.get(record.sheet, record.sheet)}
                for record in ImportRecord.objects.filter(imported_by=user).select_related(
                    "period"
                )[:10]
            ],
            "max_mb": reader.max_upload_bytes() // reader.MB,
            "max_bytes": reader.max_upload_bytes(),
            # Filled in by upload.js with the chosen file's name and size.
            "too_big": file_too_big_template(reader.max_upload_bytes()),
            "max_rows": reader.max_rows(),
        },
    )


@login_required
def template_download(request: HttpRequest, sheet: str) -> HttpResponse:
    _known(sheet, layouts.LAYOUTS)
    return _download(*exports.template(sheet))


@login_required
def export_download(request: HttpRequest, sheet: str) -> HttpResponse:
    _known(sheet, access.EXPORT_SHEETS)
    if not access.may_export(request.user, sheet):
        raise PermissionDenied
    period = request.GET.get("period", "")[:10]
    try:
        return _download(*exports.export(sheet, user=request.user, period=period or None))
    except exports.ExportRefused as error:
        messages.error(request, error.message)
        return redirect("excel_index")


# --- upload, preview, confirm --------------------------------------------------------------------
# An upload is read once, as it arrives (efficiency.excel.pending keeps what it was read into);
# the session remembers which of its owner's waiting uploads were made in it.


def _pending(request: HttpRequest, sheet: str, token: str):
    """The upload's name and table (or refusal), if this session made it for this sheet."""
    if not TOKEN_RE.match(token) or token not in request.session.get(SESSION_KEY, []):
        return None
    loaded = pending.load(request.user.pk, token)
    if loaded is None or loaded[0]["sheet"] != sheet:
        return None
    return loaded


def _forget(request: HttpRequest, token: str) -> None:
    tokens = request.session.get(SESSION_KEY, [])
    request.session[SESSION_KEY] = [t for t in tokens if t != token]
    pending.forget(request.user.pk, token)


def forget_at_logout(sender, request, user, **kwargs) -> None:
    """Sweep the uploads the session leaving was waiting on (connected in apps.py)."""
    if user is None or request is None or not hasattr(request, "session"):
        return
    for token in request.session.get(SESSION_KEY, []):
        if TOKEN_RE.match(str(token)):
            pending.forget(user.pk, token)


def _expired(request: HttpRequest) -> HttpResponse:
    messages.error(
        request, _("That upload is no longer waiting for confirmation; upload the file again.")
    )
    return redirect("excel_index")


def _too_big(request: HttpRequest, name: str | None, size: int) -> HttpResponse:
    messages.error(request, file_too_big(reader.max_upload_bytes(), name, size))
    return redirect("excel_index")


@require_POST
@login_required
def upload(request: HttpRequest, sheet: str) -> HttpResponse:
    _known(sheet, access.IMPORT_SHEETS)
    if not access.may_import(request.user, sheet):
        raise PermissionDenied
    upload_file = request.FILES.get("file")
    refused_size = getattr(request, "upload_refused_size", None)
    if refused_size is not None:  # pending.SizeLimitHandler: the body was never read
        return _too_big(request, None, refused_size)
    if upload_file is None:
        messages.error(request, _("Choose a file to upload."))
        return redirect("excel_index")
    name = _display_name(upload_file.name)
    if upload_file.size > reader.max_upload_bytes():
        return _too_big(request, name, upload_file.size)
    pending.sweep()
    token = secrets.token_urlsafe(24)
    # The file is read here, once, from Django's own copy of it; only what it was read into
    # is kept (see efficiency.excel.pending).
    with tempfile.TemporaryDirectory(dir=pending.upload_dir()) as scratch:
        path = Path(scratch) / "upload"
        with path.open("xb") as target:
            for chunk in upload_file.chunks():
                target.write(chunk)
        try:
            result = sheets.read(sheet, path, name, request.user)
        except engine.NotAllowed:
            raise PermissionDenied from None
    pending.save(request.user.pk, token, result, sheet=sheet, name=name)
    tokens = [t for t in request.session.get(SESSION_KEY, []) if isinstance(t, str)]
    request.session[SESSION_KEY] = tokens[-(pending.PENDING_LIMIT - 1) :] + [token]
    return redirect("excel_preview", sheet=sheet, token=token)


def _rows_shown(preview: engine.Preview, show_all: bool) -> list[engine.RowPlan]:
    rows = [plan for plan in preview.rows if show_all or plan.action != engine.Action.UNCHANGED]
    rows.sort(key=lambda plan: (plan.action != engine.Action.ERROR, plan.row))
    return rows[:PREVIEW_ROWS]


@login_required
def preview_page(request: HttpRequest, sheet: str, token: str) -> HttpResponse:
    _known(sheet, access.IMPORT_SHEETS)
    loaded = _pending(request, sheet, token)
    if loaded is None:
        return _expired(request)
    meta, table = loaded
    try:
        preview = sheets.preview(sheet, None, meta["name"], request.user, table=table)
    except engine.NotAllowed:
        raise PermissionDenied from None
    show_all = request.GET.get("all") == "1"
    rows = _rows_shown(preview, show_all)
    return render(
        request,
        "efficiency/excel/preview.html",
        {
            "sheet": sheet,
            "label": SHEET_LABELS[sheet],
            "token": token,
            "preview": preview,
            "problems": preview.problems[:PROBLEMS_SHOWN],
            "more_problems": max(0, len(preview.problems) - PROBLEMS_SHOWN),
            "rows": rows,
            "show_all": show_all,
            "counts": preview.counts,
        },
    )


@require_POST
@login_required
def confirm(request: HttpRequest, sheet: str, token: str) -> HttpResponse:
    _known(sheet, access.IMPORT_SHEETS)
    loaded = _pending(request, sheet, token)
    if loaded is None:
        return _expired(request)
    meta, table = loaded
    try:
        result = sheets.run(sheet, None, meta["name"], request.user, table=table)
    except engine.NotAllowed:
        raise PermissionDenied from None
    if result.record is None:
        messages.error(
            request,
            _("Nothing was imported: the file has %(count)s problem(s); see them below.")
            % {"count": len(result.problems)},
        )
        return redirect("excel_preview", sheet=sheet, token=token)
    _forget(request, token)
    record = result.record
    messages.success(
        request,
        _("“%(name)s” imported: %(created)s new, %(updated)s changed, %(unchanged)s unchanged.")
        % {
            "name": record.file_name,
            "created": record.created,
            "updated": record.updated,
            "unchanged": record.unchanged,
        },
    )
    return redirect("excel_index")


@require_POST
@login_required
def cancel(request: HttpRequest, sheet: str, token: str) -> HttpResponse:
    _known(sheet, access.IMPORT_SHEETS)
    if _pending(request, sheet, token) is not None:
        _forget(request, token)
        messages.info(request, _("The upload was discarded; nothing was imported."))
    return redirect("excel_index")
