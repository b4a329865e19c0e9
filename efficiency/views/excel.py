"""Excel pages: templates and exports to download; upload → preview row by row → confirm.

The uploaded file is kept on the server between the preview and the confirmation, under a
random name in ``EXCEL_UPLOAD_DIR`` (default ``var/uploads``), and remembered in the
uploader's session; the confirmation re-reads and re-checks that file. The browser never sends
parsed rows back, so nothing it sends can slip past the checks.
"""

import io
import os
import re
import secrets
import time
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from efficiency.excel import access, engine, exports, layouts, reader
from efficiency.excel.writer import XLSX_MIME
from efficiency.models import ImportRecord, Period, PeriodState

SHEET_LABELS = {
    "sections": gettext_lazy("Sections"),
    "staff": gettext_lazy("Staff"),
    "standards": gettext_lazy("Three-errors standards"),
    "incidents": gettext_lazy("Three-errors incidents"),
    "scores": gettext_lazy("Marks"),
    "rankings": gettext_lazy("Quarterly ranking"),
    "annual": gettext_lazy("Annual appraisal"),
}
SESSION_KEY = "excel_uploads"
PENDING_LIMIT = 5  # uploads waiting for confirmation per session
STALE_SECONDS = 24 * 3600
PREVIEW_ROWS = 500
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


def upload_dir() -> Path:
    path = Path(getattr(settings, "EXCEL_UPLOAD_DIR", settings.BASE_DIR / "var" / "uploads"))
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def _sweep(directory: Path) -> None:
    """Forget uploads nobody confirmed within a day."""
    cutoff = time.time() - STALE_SECONDS
    for stale in directory.glob("*.upload"):
        try:
            if stale.stat().st_mtime < cutoff:
                stale.unlink()
        except OSError:
            pass


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
            "may_see_results": access.may_export(user, "rankings"),
            "imports": [
                {"record": record, "label": SHEET_LABELS.get(record.sheet, record.sheet)}
                for record in ImportRecord.objects.filter(imported_by=user).select_related(
                    "period"
                )[:10]
            ],
            "max_mb": reader.max_upload_bytes() // reader.MB,
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


def _pending(request: HttpRequest, sheet: str, token: str) -> dict | None:
    if not TOKEN_RE.match(token):
        return None
    entry = request.session.get(SESSION_KEY, {}).get(token)
    if not entry or entry.get("sheet") != sheet or entry.get("user") != request.user.pk:
        return None
    if not (upload_dir() / f"{token}.upload").exists():
        return None
    return entry


def _forget(request: HttpRequest, token: str) -> None:
    uploads = request.session.get(SESSION_KEY, {})
    uploads.pop(token, None)
    request.session[SESSION_KEY] = uploads
    (upload_dir() / f"{token}.upload").unlink(missing_ok=True)


def _expired(request: HttpRequest) -> HttpResponse:
    messages.error(
        request, _("That upload is no longer waiting for confirmation; upload the file again.")
    )
    return redirect("excel_index")


@require_POST
@login_required
def upload(request: HttpRequest, sheet: str) -> HttpResponse:
    _known(sheet, access.IMPORT_SHEETS)
    if not access.may_import(request.user, sheet):
        raise PermissionDenied
    upload_file = request.FILES.get("file")
    if upload_file is None:
        messages.error(request, _("Choose a file to upload."))
        return redirect("excel_index")
    if upload_file.size > reader.max_upload_bytes():
        messages.error(
            request,
            _("“%(name)s” is %(size)s MB; files up to %(limit)s MB are accepted.")
            % {
                "name": _display_name(upload_file.name),
                "size": f"{upload_file.size / reader.MB:.1f}",
                "limit": reader.max_upload_bytes() // reader.MB,
            },
        )
        return redirect("excel_index")
    directory = upload_dir()
    _sweep(directory)
    token = secrets.token_urlsafe(24)
    with (directory / f"{token}.upload").open("xb") as target:
        for chunk in upload_file.chunks():
            target.write(chunk)
    uploads = request.session.get(SESSION_KEY, {})
    for old in sorted(uploads, key=lambda t: uploads[t].get("at", 0))[: -PENDING_LIMIT + 1]:
        (directory / f"{old}.upload").unlink(missing_ok=True)
        uploads.pop(old)
    uploads[token] = {
        "sheet": sheet,
        "name": _display_name(upload_file.name),
        "user": request.user.pk,
        "at": time.time(),
    }
    request.session[SESSION_KEY] = uploads
    return redirect("excel_preview", sheet=sheet, token=token)


def _rows_shown(preview: engine.Preview, show_all: bool) -> list[engine.RowPlan]:
    rows = [plan for plan in preview.rows if show_all or plan.action != engine.Action.UNCHANGED]
    rows.sort(key=lambda plan: (plan.action != engine.Action.ERROR, plan.row))
    return rows[:PREVIEW_ROWS]


@login_required
def preview_page(request: HttpRequest, sheet: str, token: str) -> HttpResponse:
    _known(sheet, access.IMPORT_SHEETS)
    entry = _pending(request, sheet, token)
    if entry is None:
        return _expired(request)
    try:
        preview = engine.preview(
            sheet, upload_dir() / f"{token}.upload", entry["name"], request.user
        )
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
            "problems": preview.problems[:PREVIEW_ROWS],
            "more_problems": max(0, len(preview.problems) - PREVIEW_ROWS),
            "rows": rows,
            "show_all": show_all,
            "counts": preview.counts,
        },
    )


@require_POST
@login_required
def confirm(request: HttpRequest, sheet: str, token: str) -> HttpResponse:
    _known(sheet, access.IMPORT_SHEETS)
    entry = _pending(request, sheet, token)
    if entry is None:
        return _expired(request)
    try:
        result = engine.run(sheet, upload_dir() / f"{token}.upload", entry["name"], request.user)
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
