"""The reports pages: a period's downloads, the PDFs themselves, and the quarter's ZIP job.

Who gets what (decided here, tested in tests/test_report_views.py):

- ``efficiency.view_results`` (leaders, administrators): every report of every period that has
  results, including an open one (printed "provisional"), the annual roll-up and the ZIP.
- A section head: their sections' summaries, and the personal forms of the people who were in
  those sections that quarter (the head signs them), once the period is closed or locked.
- Anyone with a staff record: their own personal form, once the period is closed or locked.
- ``efficiency.view_all_incidents`` (leaders, supervisors): the 三误通报 of a month or a quarter
  and the clause review (PDF and Excel), whatever quarter the page shows.
- Everyone else: 403. Unknown periods, people and sections: 404.

Every number comes from :mod:`efficiency.reports.documents`, which takes them from
:mod:`efficiency.results`; a refusal the user can read (no Chinese font, no results) is shown
on a page of its own, never as a 500.
"""

import datetime
import io
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from efficiency import results, selectors, spans
from efficiency.excel import clauses as clause_excel
from efficiency.excel.writer import XLSX_MIME, CellTooLong
from efficiency.models import Period, PeriodState, ReportJob, ReportJobStatus, Section, Staff
from efficiency.models.appraisal import PUBLISHED_STATES
from efficiency.quarters import Quarter
from efficiency.reports import ReportError, documents, fonts, zipjob
from efficiency.services import annual_publicity, publicity
from efficiency.views import period_or_404

PAGE_SIZE = 50
JOBS_SHOWN = 20


@dataclass(frozen=True)
class Access:
    everyone: bool  # efficiency.view_results
    own_staff_no: str | None
    headed: tuple[Section, ...]

    @property
    def headed_ids(self) -> set[int]:
        return {s.pk for s in self.headed}

    @property
    def headed_codes(self) -> set[str]:
        return {s.code for s in self.headed}

    def sees_period(self, period: Period) -> bool:
        return self.everyone or period.state in PUBLISHED_STATES


def _access(user) -> Access:
    own = selectors.staff_of(user)
    return Access(
        everyone=user.has_perm("efficiency.view_results"),
        own_staff_no=own.staff_no if own else None,
        headed=tuple(Section.objects.filter(pk__in=selectors.headed_section_ids(user))),
    )


def _periods_for(access: Access):
    periods = Period.objects.exclude(state=PeriodState.DRAFT).order_by("-year", "-quarter")
    return periods if access.everyone else periods.filter(state__in=PUBLISHED_STATES)


def _refusal(request: HttpRequest, error: ReportError) -> HttpResponse:
    status = 503 if isinstance(error, fonts.NoCJKFont) else 404
    return render(request, "reports/error.html", {"message": error.message}, status=status)


def _pdf(rendered: documents.Rendered) -> FileResponse:
    return FileResponse(
        io.BytesIO(rendered.content),
        content_type=rendered.mimetype,
        filename=rendered.filename,
        as_attachment=False,  # opens in the browser's viewer, saves under its own name
    )


# --- the period's downloads -----------------------------------------------------------------


@login_required
def index_latest(request: HttpRequest) -> HttpResponse:
    """The newest quarter with published results (or, for leaders, the open one if none)."""
    periods = _periods_for(_access(request.user))
    period = periods.filter(state__in=PUBLISHED_STATES).first() or periods.first()
    if period is None:
        return render(
            request,
            "reports/index.html",
            {"period": None, "periods": [], **_incident_report_choices(request.user)},
        )
    return redirect("reports_index", code=period.code)


@login_required
def index(request: HttpRequest, code: str) -> HttpResponse:
    access = _access(request.user)
    period = period_or_404(code)
    if not access.sees_period(period):
        raise PermissionDenied
    table = results.ranking(period, results.STAFF)
    if access.everyone:
        people = list(table.rows)
        sections = list(Section.objects.filter(active=True))
    else:
        headed = access.headed_ids
        people = [
            row
            for row in table.rows
            if row.facts.key == access.own_staff_no or row.facts.section_id in headed
        ]
        sections = list(access.headed)
    text = request.GET.get("q", "").strip()[:30]
    if text:
        people = [r for r in people if text in r.facts.name or r.facts.key.startswith(text)]
    people.sort(key=lambda row: row.facts.key)
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "reports/index.html",
        {
            "period": period,
            "periods": list(_periods_for(access)),
            "access": access,
            "page": page,
            "query": query.urlencode(),
            "q": text,
            "sections": sections,
            "fonts_missing": fonts.cached() is None,
            "active_job": zipjob.active_job(period) if access.everyone else None,
            "active_annual_job": (
                zipjob.active_job(period, zipjob.ANNUAL_KIND) if access.everyone else None
            ),
            **_incident_report_choices(request.user),
        },
    )


MONTHS_OFFERED = 12
QUARTERS_OFFERED = 6
YEARS_OFFERED = 4


def _incident_report_choices(user) -> dict:
    """The month/quarter and year choosers of the 三误通报 and clause review cards."""
    if not user.has_perm("efficiency.view_all_incidents"):
        return {"incident_reports": False}
    today = timezone.localdate()
    months = []
    year, month = today.year, today.month
    for _step in range(MONTHS_OFFERED):
        months.append(spans.month(year, month))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    quarters = []
    quarter = Quarter.of(today)
    for _step in range(QUARTERS_OFFERED):
        quarters.append(spans.quarter(quarter))
        quarter = Quarter.of(quarter.first_day - datetime.timedelta(days=1))
    return {
        "incident_reports": True,
        "bulletin_months": months,
        "bulletin_quarters": quarters,
        # The last whole month is the one a bulletin is usually issued for.
        "bulletin_default": months[1].code,
        "review_years": [today.year - n for n in range(YEARS_OFFERED)],
    }


# --- the PDFs -------------------------------------------------------------------------------


@login_required
def personal_pdf(request: HttpRequest, code: str, staff_no: str) -> HttpResponse:
    access = _access(request.user)
    period = period_or_404(code)
    if not access.sees_period(period):
        raise PermissionDenied
    own = staff_no == access.own_staff_no
    staff = Staff.objects.select_related("section").filter(staff_no=staff_no).first()
    if not (access.everyone or own):
        # A head learns nothing about anyone outside their sections: an unknown number, a
        # person not in post that quarter and someone else's person all get the same 403.
        facts = results.person_facts(period, staff.pk) if staff is not None else None
        if facts is None or facts.section_id not in access.headed_ids:
            raise PermissionDenied
    if staff is None:
        raise Http404
    try:
        return _pdf(documents.render_personal(documents.personal_context(period, staff)))
    except ReportError as error:
        return _refusal(request, error)


@login_required
def section_pdf(request: HttpRequest, code: str, section_code: str) -> HttpResponse:
    access = _access(request.user)
    period = period_or_404(code)
    if not access.sees_period(period):
        raise PermissionDenied
    if not (access.everyone or section_code in access.headed_codes):
        raise PermissionDenied
    section = Section.objects.filter(code=section_code).first()
    if section is None:
        raise Http404
    try:
        return _pdf(documents.section(period, section))
    except ReportError as error:
        return _refusal(request, error)


def _office_pdf(request: HttpRequest, code: str, make) -> HttpResponse:
    """One of the office-wide PDFs of a period (``make(period)``), or a readable refusal."""
    period = period_or_404(code)
    try:
        return _pdf(make(period))
    except ReportError as error:
        return _refusal(request, error)


@login_required
@permission_required("efficiency.view_results", raise_exception=True)
def bulletin_pdf(request: HttpRequest, code: str) -> HttpResponse:
    return _office_pdf(request, code, documents.bulletin)


@login_required
def publicity_pdf(request: HttpRequest, code: str) -> HttpResponse:
    """The 公示 list for the notice board: whoever may see the 公示 page may print it."""
    if not publicity.may_see_publicity(request.user):
        raise PermissionDenied
    return _office_pdf(request, code, documents.publicity)


@login_required
@permission_required("efficiency.view_results", raise_exception=True)
def request_pdf(request: HttpRequest, code: str) -> HttpResponse:
    """关于审定…平时考核等次的请示, linked from the leaders' decisions page."""
    return _office_pdf(request, code, documents.request)


@login_required
@permission_required("efficiency.view_results", raise_exception=True)
def annual_pdf(request: HttpRequest, year: int) -> HttpResponse:
    if not 2000 <= year <= 2100:
        raise Http404
    try:
        return _pdf(documents.annual(year))
    except ReportError as error:
        return _refusal(request, error)


@login_required
def annual_form_pdf(request: HttpRequest, year: int, staff_no: str) -> HttpResponse:
    """公务员年度考核登记表: whoever may see the person's result notice."""
    return _person_year_pdf(request, year, staff_no, documents.annual_form)


# --- the 三误通报 and the clause review -----------------------------------------------------


def _span_refusal(request: HttpRequest, error: ReportError) -> HttpResponse:
    """A period code that names no month, quarter or year: say so (400), never a 500."""
    return render(request, "reports/error.html", {"message": error.message}, status=400)


def _span_pdf(request: HttpRequest, parse, make) -> HttpResponse:
    """``make(parse(?period=…))`` as PDF; a code that names no span is a readable 400."""
    try:
        span = parse(request.GET.get("period", ""))
    except ReportError as error:
        return _span_refusal(request, error)
    try:
        return _pdf(make(span))
    except ReportError as error:
        return _refusal(request, error)


@login_required
@permission_required("efficiency.view_all_incidents", raise_exception=True)
def incidents_pdf(request: HttpRequest) -> HttpResponse:
    """关于……“三误”情况的通报 of ``?period=2026-10`` (a month) or ``2026Q4`` (a quarter)."""
    return _span_pdf(request, documents.bulletin_span, documents.incidents)


@login_required
@permission_required("efficiency.view_all_incidents", raise_exception=True)
def clauses_pdf(request: HttpRequest) -> HttpResponse:
    """界定标准年度评估 of ``?period=2026`` (or any span) as PDF."""
    return _span_pdf(request, documents.review_span, documents.clauses)


@login_required
@permission_required("efficiency.view_all_incidents", raise_exception=True)
def clauses_xlsx(request: HttpRequest) -> HttpResponse:
    """The clause review as a workbook, the same rows as the PDF."""
    try:
        span = documents.review_span(request.GET.get("period", ""))
    except ReportError as error:
        return _span_refusal(request, error)
    try:
        filename, content = clause_excel.workbook(span)
    except CellTooLong as error:
        return _refusal(request, ReportError(error.message))
    return FileResponse(
        io.BytesIO(content), content_type=XLSX_MIME, filename=filename, as_attachment=True
    )


# --- the quarter's ZIP ----------------------------------------------------------------------


def _start_job(request: HttpRequest, period: Period, kind: str, *, started: str, running: str):
    """Start (or find) the job making ``kind``'s ZIP and go to its page, saying which."""
    try:
        job, new = zipjob.start(period=period, user=request.user, kind=kind)
    except ReportError as error:
        return _refusal(request, error)
    if job.status == ReportJobStatus.FAILED:
        pass  # could not be started: the job's page says why
    elif new:
        messages.success(request, started)
    else:
        messages.info(request, running)
    return redirect("report_job", job_id=job.pk)


@require_POST
@login_required
@permission_required("efficiency.view_results", raise_exception=True)
def zip_start(request: HttpRequest, code: str) -> HttpResponse:
    period = period_or_404(code)
    return _start_job(
        request,
        period,
        zipjob.KIND,
        started=_(
            "The personal forms of %(period)s are being made. You can leave this page and "
            "come back: the ZIP stays in the list of recent jobs."
        )
        % {"period": period},
        running=_("The personal forms of %(period)s are already being made; here is that job.")
        % {"period": period},
    )


@require_POST
@login_required
@permission_required("efficiency.view_results", raise_exception=True)
def annual_zip_start(request: HttpRequest, year: int) -> HttpResponse:
    """The year's 年度考核登记表 as one ZIP: the same background job as the quarter's."""
    # The job hangs on the year's latest quarter with results; its year is the job's year.
    period = (
        Period.objects.filter(year=year, state__in=PUBLISHED_STATES).order_by("-quarter").first()
    )
    if period is None:
        return _refusal(
            request,
            ReportError(
                _("No quarter of %(year)s is closed or locked yet: there is no annual roll-up.")
                % {"year": year}
            ),
        )
    return _start_job(
        request,
        period,
        zipjob.ANNUAL_KIND,
        started=_(
            "The annual appraisal forms of %(year)s are being made. You can leave this page "
            "and come back: the ZIP stays in the list of recent jobs."
        )
        % {"year": year},
        running=_(
            "The annual appraisal forms of %(year)s are already being made; here is that job."
        )
        % {"year": year},
    )


def _job_title(job: ReportJob) -> tuple[str, str]:
    """(what the job makes, of which period) as its pages name it."""
    if job.kind == zipjob.ANNUAL_KIND:
        return _("Annual appraisal forms"), _("Year %(year)s") % {"year": job.period.year}
    return _("Personal quarterly appraisal forms"), str(job.period)


def _job_or_404(job_id: int) -> ReportJob:
    job = (
        ReportJob.objects.filter(pk=job_id, kind__in=zipjob.KINDS)
        .select_related("period", "requested_by", "requested_by__staff")
        .first()
    )
    if job is None:
        raise Http404
    return zipjob.refresh(job)


def _job_status(job: ReportJob) -> dict:
    percent = int(job.done * 100 / job.total) if job.total else 0
    failed = job.status == ReportJobStatus.FAILED
    return {
        "id": job.pk,
        "status": job.status,
        "label": job.get_status_display(),
        "done": job.done,
        "total": job.total,
        "percent": 100 if job.status == ReportJobStatus.DONE else percent,
        "error": job.error,
        "note": (
            _(
                "Still waiting for the background worker. If this lasts, the worker "
                "(manage.py db_worker) is not running: tell the administrator. The job "
                "starts as soon as it runs."
            )
            if zipjob.is_waiting_long(job)
            else ""
        ),
        "download": (
            reverse("report_job_download", kwargs={"job_id": job.pk})
            if zipjob.stored_file(job)
            else ""
        ),
        "retry": reverse("report_job_retry", kwargs={"job_id": job.pk}) if failed else "",
        "finished": job.status not in zipjob.ACTIVE,
    }


@login_required
@permission_required("efficiency.view_results", raise_exception=True)
def job_list(request: HttpRequest) -> HttpResponse:
    jobs = [
        zipjob.refresh(job)
        for job in ReportJob.objects.filter(kind__in=zipjob.KINDS).select_related(
            "period", "requested_by", "requested_by__staff"
        )[:JOBS_SHOWN]
    ]
    return render(
        request,
        "reports/jobs.html",
        {"jobs": [(job, _job_status(job), *_job_title(job)) for job in jobs]},
    )


@login_required
@permission_required("efficiency.view_results", raise_exception=True)
def job_detail(request: HttpRequest, job_id: int) -> HttpResponse:
    job = _job_or_404(job_id)
    title, of = _job_title(job)
    return render(
        request,
        "reports/job.html",
        {
            "job": job,
            "status": _job_status(job),
            "zip_name": zipjob.job_filename(job),
            "title": title,
            "of": of,
        },
    )


@login_required
@permission_required("efficiency.view_results", raise_exception=True)
def job_status(request: HttpRequest, job_id: int) -> JsonResponse:
    return JsonResponse(_job_status(_job_or_404(job_id)))


@require_POST
@login_required
@permission_required("efficiency.view_results", raise_exception=True)
def job_retry(request: HttpRequest, job_id: int) -> HttpResponse:
    """重试: a failed job's ZIP made again, as a new job (the failed one stays as it was)."""
    job = _job_or_404(job_id)
    if job.status != ReportJobStatus.FAILED:
        return redirect("report_job", job_id=job.pk)
    try:
        again, started = zipjob.start(period=job.period, user=request.user, kind=job.kind)
    except ReportError as error:
        return _refusal(request, error)
    if started:
        messages.success(request, _("The ZIP is being made again."))
    else:
        messages.info(
            request,
            _("The personal forms of %(period)s are already being made; here is that job.")
            % {"period": job.period},
        )
    return redirect("report_job", job_id=again.pk)


@login_required
@permission_required("efficiency.view_results", raise_exception=True)
def job_download(request: HttpRequest, job_id: int) -> FileResponse:
    job = _job_or_404(job_id)
    name = zipjob.stored_file(job)
    if name is None:
        raise Http404
    return FileResponse(
        default_storage.open(name, "rb"),
        as_attachment=True,
        filename=zipjob.job_filename(job),
        content_type="application/zip",
    )


@login_required
def notice_pdf(request: HttpRequest, year: int, staff_no: str) -> HttpResponse:
    """考核结果通知书: the person themself, the administrator and the leaders."""
    return _person_year_pdf(request, year, staff_no, documents.notice)


def _person_year_pdf(request: HttpRequest, year: int, staff_no: str, make) -> HttpResponse:
    """One person's paper of the year, for whoever may see their result notice."""
    staff = get_object_or_404(Staff.objects.select_related("section"), staff_no=staff_no)
    if not annual_publicity.may_see_notice(request.user, staff):
        raise PermissionDenied
    try:
        return _pdf(make(year, staff))
    except ReportError as error:
        return _refusal(request, error)
