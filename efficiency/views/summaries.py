"""个人小结 pages: a person's own summary, and the section head's list to accept, return or
enter one from paper.

The person's page is a plain form (保存草稿, 提交); static/efficiency/summary.js adds the
counter and the autosave, which posts the same form with ``X-Requested-With`` and gets JSON.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from efficiency import selectors
from efficiency.models import (
    SUMMARY_MAX_LENGTH,
    Period,
    PeriodState,
    Staff,
    Summary,
    SummaryStatus,
)
from efficiency.results import staff_in_period
from efficiency.services import ServiceError
from efficiency.services import summaries as services
from efficiency.views import confirm

PAGE_SIZE = 50


def _texts() -> dict[str, str]:
    """What the script writes into the page, in the reader's language."""
    return {
        "counter": _("%(count)s of %(max)s characters") % {"count": "__N__", "max": "__MAX__"},
        "saving": _("Saving…"),
        "saved": _("Autosaved at %(time)s") % {"time": "__TIME__"},
        "error": _("Not saved"),
    }


def _is_ajax(request: HttpRequest) -> bool:
    return request.headers.get("X-Requested-With") == "XMLHttpRequest"


def saved_answer(summary) -> JsonResponse:
    """What the autosave script reads back: the time saved and the status now."""
    saved = timezone.localtime(summary.updated_at).strftime("%H:%M")
    return JsonResponse(
        {"ok": True, "time": saved, "status": summary.status, "label": summary.get_status_display()}
    )


def refused_answer(error: ServiceError) -> JsonResponse:
    return JsonResponse({"ok": False, "message": error.message}, status=400)


# --- the person's own page ----------------------------------------------------------------------


@login_required
def mine(request: HttpRequest, code: str) -> HttpResponse:
    period = get_object_or_404(Period, code=code)
    staff = selectors.staff_of(request.user)
    if staff is None:
        raise Http404
    if request.method == "POST":
        return _write_own(request, period, staff)
    summary = Summary.objects.filter(period=period, staff=staff).first()
    return _render_mine(request, period, staff, summary, summary.text if summary else "")


def _render_mine(request, period, staff, summary, text, status=200) -> HttpResponse:
    editable = period.state in (PeriodState.OPEN, PeriodState.CLOSED) and (
        summary is None or summary.status != SummaryStatus.ACCEPTED
    )
    return render(
        request,
        "efficiency/summaries/mine.html",
        {
            "period": period,
            "staff": staff,
            "summary": summary,
            "text": text,
            "editable": editable,
            "max_length": SUMMARY_MAX_LENGTH,
            "texts": _texts(),
        },
        status=status,
    )


def _write_own(request: HttpRequest, period: Period, staff: Staff) -> HttpResponse:
    def refused(text: str) -> HttpResponse:
        summary = Summary.objects.filter(period=period, staff=staff).first()
        return _render_mine(request, period, staff, summary, text, status=400)

    return write_own_step(
        request,
        staff=staff,
        where={"period": period},
        refused=refused,
        done=reverse("summary_mine", args=[period.code]),
    )


def write_own_step(
    request: HttpRequest, *, staff: Staff, where: dict, refused, done: str
) -> HttpResponse:
    """保存草稿 (also the autosave, answered in JSON) or 提交 of one's own quarter's or year's
    summary (``where``: period= or year=); a refusal from a plain form is answered by
    ``refused(text)``, with the text as typed."""
    text = request.POST.get("text", "")
    submitting = request.POST.get("action") == "submit"
    step = services.submit if submitting else services.save_draft
    try:
        summary = step(actor=request.user, staff=staff, text=text, **where)
    except ServiceError as error:
        if _is_ajax(request):
            return refused_answer(error)
        messages.error(request, error.message)
        return refused(text)
    if _is_ajax(request):
        return saved_answer(summary)
    messages.success(request, submitted_or_saved(submitting, where))
    return redirect(done)


# --- the head's list ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    staff: Staff
    summary: Summary | None

    @property
    def status(self) -> str:
        return self.summary.status if self.summary else ""

    @property
    def status_label(self) -> str:
        return self.summary.get_status_display() if self.summary else _("Not written")


def _sections_or_403(user):
    sections = services.reviewable_sections(user)
    if not sections.exists():
        raise PermissionDenied
    return sections


@login_required
def summary_list(request: HttpRequest, code: str) -> HttpResponse:
    period = get_object_or_404(Period, code=code)
    sections = list(_sections_or_403(request.user))
    people = (
        staff_in_period(period)
        .filter(section__in=sections)
        .select_related("section")
        .order_by("section__order", "section__code", "staff_no")
    )
    chosen = request.GET.get("section", "")
    if chosen and any(s.code == chosen for s in sections):
        people = people.filter(section__code=chosen)
    else:
        chosen = ""
    search = request.GET.get("q", "").strip()[:30]
    if search:
        people = people.filter(Q(name__icontains=search) | Q(staff_no__icontains=search))
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    summaries = {
        s.staff_id: s for s in Summary.objects.filter(period=period, staff__in=[p.pk for p in page])
    }
    query = urlencode({k: v for k, v in (("section", chosen), ("q", search)) if v})
    return render(
        request,
        "efficiency/summaries/list.html",
        {
            "period": period,
            "sections": sections,
            "chosen": chosen,
            "search": search,
            "page": page,
            "query": query,
            "lines": [Line(staff=person, summary=summaries.get(person.pk)) for person in page],
        },
    )


def _person_or_404(request: HttpRequest, period: Period, staff_no: str) -> Staff:
    return person_or_404(request, staff_in_period(period), staff_no)


def person_or_404(request: HttpRequest, roster, staff_no: str) -> Staff:
    """A person whose summary this user may read: in a section they list, on the ``roster``
    (a quarter's, or the year's)."""
    sections = _sections_or_403(request.user)
    staff = roster.filter(section__in=sections, staff_no=staff_no).select_related("section").first()
    if staff is None:
        raise Http404
    return staff


@login_required
def summary_detail(request: HttpRequest, code: str, staff_no: str) -> HttpResponse:
    period = get_object_or_404(Period, code=code)
    staff = _person_or_404(request, period, staff_no)
    summary = Summary.objects.filter(period=period, staff=staff).select_related("written_by")
    summary = summary.first()
    may_review = services.may_review(request.user, staff) and period.state in (
        PeriodState.OPEN,
        PeriodState.CLOSED,
    )
    return render_detail(
        request,
        staff=staff,
        summary=summary,
        may_review=may_review,
        max_length=SUMMARY_MAX_LENGTH,
        heading=_("Summary of %(name)s, %(period)s") % {"name": staff.name, "period": period},
        back=(reverse("summary_list", args=[period.code]), _("All summaries")),
        urls=(
            reverse("summary_review", args=[period.code, staff.staff_no]),
            reverse("summary_enter", args=[period.code, staff.staff_no]),
        ),
    )


def render_detail(
    request, *, staff, summary, may_review, max_length, heading, back, urls
) -> HttpResponse:
    """A summary as its reviewer reads it, with 接受/退回 and 代为录入 when they may (a
    quarter's or a year's: ``back`` is (address, label), ``urls`` (review, enter))."""
    return render(
        request,
        "efficiency/summaries/detail.html",
        {
            "heading": heading,
            "back_url": back[0],
            "back_label": back[1],
            "review_url": urls[0],
            "enter_url": urls[1],
            "staff": staff,
            "summary": summary,
            "may_review": may_review
            and summary is not None
            and summary.status == SummaryStatus.SUBMITTED
            and not services.is_self(request.user, staff),
            "may_enter": may_review
            and (summary is None or summary.status != SummaryStatus.ACCEPTED),
            "max_length": max_length,
            "texts": _texts(),
        },
    )


@require_POST
@login_required
def summary_review(request: HttpRequest, code: str, staff_no: str) -> HttpResponse:
    """接受 or 退回, each after a confirmation step."""
    period = get_object_or_404(Period, code=code)
    staff = _person_or_404(request, period, staff_no)
    return review_step(
        request,
        staff=staff,
        where={"period": period},
        back=reverse("summary_detail", args=[period.code, staff.staff_no]),
        done=reverse("summary_list", args=[period.code]),
    )


def submitted_or_saved(submitting: bool, where: dict) -> str:
    """What the writer is told after saving their own quarter's or year's summary."""
    if not submitting:
        return _("Draft saved.")
    return _("Your %(summary)s has been submitted.") % {
        "summary": services.subject_of(**where).noun
    }


def review_step(request: HttpRequest, *, staff: Staff, where: dict, back: str, done: str):
    """接受 or 退回 a quarter's or a year's summary (``where``: period= or year=), after a
    confirmation page that appears only when the step would succeed."""
    accepting = request.POST.get("action") == "accept"
    names = {"name": staff.name, "summary": services.subject_of(**where).noun}
    comment = request.POST.get("comment", "")
    if not confirm.confirmed(request):
        try:
            services.check_review(
                actor=request.user, staff=staff, accepting=accepting, comment=comment, **where
            )
        except ServiceError as error:
            messages.error(request, error.message)
            return redirect(back)
        return confirm.ask(
            request,
            title=_("Accept the %(summary)s of %(name)s") % names
            if accepting
            else _("Return the %(summary)s of %(name)s") % names,
            consequences=[
                _("The %(summary)s is accepted and can no longer be changed.") % names
                if accepting
                else _("%(name)s sees it as returned, with your comment, and rewrites it.") % names,
                _("The step is recorded in the history with your name and the time."),
            ],
            details=[(_("Comment"), comment)],
            submit_label=_("Accept") if accepting else _("Return"),
            back_url=back,
            danger=not accepting,
        )
    step = services.accept if accepting else services.return_
    try:
        step(actor=request.user, staff=staff, comment=comment, **where)
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect(back)
    messages.success(
        request,
        _("The %(summary)s of %(name)s has been accepted.") % names
        if accepting
        else _("The %(summary)s of %(name)s has been returned.") % names,
    )
    return redirect(done)


@require_POST
@login_required
def summary_enter(request: HttpRequest, code: str, staff_no: str) -> HttpResponse:
    """代为录入: a summary handed in on paper, typed in by the head or the administrator."""
    period = get_object_or_404(Period, code=code)
    staff = _person_or_404(request, period, staff_no)
    return enter_step(
        request,
        staff=staff,
        where={"period": period},
        back=reverse("summary_detail", args=[period.code, staff.staff_no]),
    )


def enter_step(request: HttpRequest, *, staff: Staff, where: dict, back: str) -> HttpResponse:
    try:
        services.enter_for(
            actor=request.user, staff=staff, text=request.POST.get("text", ""), **where
        )
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The %(summary)s of %(name)s has been entered.")
            % {"name": staff.name, "summary": services.subject_of(**where).noun},
        )
    return redirect(back)
