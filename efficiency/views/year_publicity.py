"""After the year's decision: the 公示 page of the 优秀 (publish, objections and answers, the
notices) and each person's 考核结果通知书 page with their 本人意见.

Publishing, answering an objection and issuing the notices each show a confirmation page first.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from efficiency import consequences, deadlines, wording
from efficiency.models import (
    ANNUAL_SUMMARY_MAX_LENGTH,
    AnnualObjection,
    ClockOutcome,
    ClockStep,
    FeedbackOpinion,
    ObjectionAnswer,
    Staff,
    SummaryStatus,
)
from efficiency.models.publicity import FEEDBACK_TEXT_MAX_LENGTH
from efficiency.reports.notice import notice_basis
from efficiency.scoring import AnnualGrade
from efficiency.services import ServiceError, summaries
from efficiency.services import annual_clocks as clocks
from efficiency.services import annual_publicity as services
from efficiency.services.publicity import may_see_publicity
from efficiency.services.reviews import DECIDE_PERMISSION, may_decide
from efficiency.views import confirm
from efficiency.views.summaries import _texts


def _year_or_404(year: int) -> int:
    if not 2000 <= year <= 2100:
        raise Http404
    return year


def _back(year: int) -> HttpResponse:
    return redirect(reverse("year_publicity", args=[year]))


@login_required
def year_publicity(request: HttpRequest, year: int) -> HttpResponse:
    year = _year_or_404(year)
    if not may_see_publicity(request.user):
        raise PermissionDenied
    appraisal = services.appraisal_of(year)
    objections = AnnualObjection.objects.filter(appraisal__year=year).select_related(
        "staff", "lodged_by", "answered_by"
    )
    leader = may_decide(request.user)
    if not leader:
        objections = objections.filter(lodged_by=request.user)
    published = appraisal is not None and appraisal.published_on is not None
    return render(
        request,
        "efficiency/appraisal/year_publicity.html",
        {
            "year": year,
            "appraisal": appraisal,
            "published": published,
            "running": services.in_window(appraisal),
            "lines": list(services.excellent_list(year)) if published else [],
            "objections": objections,
            "leader": leader,
            "min_days": services.MIN_PUBLICITY_DAYS,
            "grades": [(g.value, g.label) for g in AnnualGrade],
            "today": timezone.localdate(),
        },
    )


@require_POST
@login_required
@permission_required(DECIDE_PERMISSION, raise_exception=True)
def year_publish(request: HttpRequest, year: int) -> HttpResponse:
    year = _year_or_404(year)
    raw = request.POST.get("days", str(services.MIN_PUBLICITY_DAYS)).strip()
    try:
        days = int(raw) if raw.isdigit() and len(raw) < 3 else -1
        ends = services.check_publish(actor=request.user, year=year, days=days)
        if not confirm.confirmed(request):
            names = [r.staff.name for r in services.excellent_list(year)]
            return confirm.ask(
                request,
                title=_("Publish the 优秀 of %(year)s?") % {"year": year},
                consequences=consequences.year_publish(year, names=names, days=days, ends=ends),
                submit_label=_("Publish"),
                back_url=reverse("year_publicity", args=[year]),
            )
        services.publish(actor=request.user, year=year, days=days)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The 优秀 of %(year)s are published until %(date)s.")
            % {"year": year, "date": deadlines.long_date(ends)},
        )
    return _back(year)


@require_POST
@login_required
def year_objection(request: HttpRequest, year: int) -> HttpResponse:
    year = _year_or_404(year)
    if not may_see_publicity(request.user):
        raise PermissionDenied
    staff = Staff.objects.filter(staff_no=request.POST.get("staff_no", "")[:20]).first()
    try:
        if staff is None:
            raise ServiceError(_("Choose a person from the list."))
        services.lodge_objection(
            actor=request.user, year=year, staff=staff, reason=request.POST.get("reason", "")
        )
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Your objection about %(name)s is recorded; a leader will answer it.")
            % {"name": staff.name},
        )
    return _back(year)


@require_POST
@login_required
@permission_required(DECIDE_PERMISSION, raise_exception=True)
def year_objection_answer(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    year = _year_or_404(year)
    objection = get_object_or_404(
        AnnualObjection.objects.select_related("staff"), pk=pk, appraisal__year=year
    )
    answer = request.POST.get("answer", "")
    reply = request.POST.get("reply", "").strip()
    new_grade = request.POST.get("new_grade", "") if answer == ObjectionAnswer.UPHELD else ""
    if answer not in (ObjectionAnswer.UPHELD, ObjectionAnswer.REJECTED):
        messages.error(request, _("Choose whether the objection is upheld or rejected."))
        return _back(year)
    if not confirm.confirmed(request):
        grade = (
            wording.annual_label(AnnualGrade(new_grade), objection.staff.category)
            if new_grade in {g.value for g in AnnualGrade}
            else ""
        )
        return confirm.ask(
            request,
            title=_("Answer the objection about %(name)s?") % {"name": objection.staff.name},
            consequences=consequences.year_objection_answer(
                objection.staff, upheld=answer == ObjectionAnswer.UPHELD, grade=grade
            ),
            details=[(_("Reply"), reply)] if reply else [],
            submit_label=_("Save the answer"),
            back_url=reverse("year_publicity", args=[year]),
        )
    try:
        services.answer_objection(
            actor=request.user, objection=objection, answer=answer, reply=reply, new_grade=new_grade
        )
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("The objection about %(name)s is answered.") % {"name": objection.staff.name}
        )
    return _back(year)


@require_POST
@login_required
@permission_required(DECIDE_PERMISSION, raise_exception=True)
def year_notices(request: HttpRequest, year: int) -> HttpResponse:
    year = _year_or_404(year)
    try:
        services.check_notices(actor=request.user, year=year)
        if not confirm.confirmed(request):
            return confirm.ask(
                request,
                title=_("Issue the result notices of %(year)s?") % {"year": year},
                consequences=consequences.year_notices(
                    year, today=timezone.localdate(), review_days=services.REVIEW_DAYS
                ),
                submit_label=_("Issue the notices"),
                back_url=reverse("year_publicity", args=[year]),
            )
        services.issue_notices(actor=request.user, year=year)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The result notices of %(year)s are issued.") % {"year": year})
    return _back(year)


def year_summary_context(user, year: int, staff: Staff, typed: str | None = None) -> dict:
    """The 个人总结 card of the person's year page: what they wrote, whether they may still
    change it, and the reviewer's page for those who review it. ``typed``: the text of a
    refused post, shown again as typed."""
    subject = summaries.subject_of(year=year)
    summary = subject.summary_of(staff)
    reviewer = summaries.reviewable_sections(user).filter(pk=staff.section_id).exists()
    return {
        "summary": summary,
        "text": typed if typed is not None else summary.text if summary else "",
        "summary_editable": summaries.is_self(user, staff)
        and subject.writable()
        and subject.roster().filter(pk=staff.pk).exists()
        and (summary is None or summary.status != SummaryStatus.ACCEPTED),
        "summary_review_url": reverse("year_summary_detail", args=[year, staff.staff_no])
        if reviewer and not summaries.is_self(user, staff)
        else "",
        "summary_write_url": reverse("year_summary_mine", args=[year]),
        "max_length": ANNUAL_SUMMARY_MAX_LENGTH,
        "texts": _texts(),
    }


@login_required
def year_notice(request: HttpRequest, year: int, staff_no: str) -> HttpResponse:
    """One person's 考核结果通知书, and their 本人意见 (by them, or the administrator)."""
    year = _year_or_404(year)
    staff = get_object_or_404(Staff.objects.select_related("section"), staff_no=staff_no)
    if not services.may_see_notice(request.user, staff):
        raise PermissionDenied
    error = ""
    if request.method == "POST":
        if not services.may_record_opinion(request.user, staff):
            raise PermissionDenied
        try:
            services.record_opinion(
                actor=request.user,
                year=year,
                staff=staff,
                opinion=request.POST.get("opinion", ""),
                text=request.POST.get("text", ""),
            )
        except ServiceError as refusal:
            error = refusal.message
        else:
            messages.success(request, _("The opinion is recorded."))
            return redirect(reverse("year_notice", args=[year, staff.staff_no]))
    return notice_page(request, year, staff, error=error)


def notice_page(
    request: HttpRequest, year: int, staff: Staff, *, error: str = "", typed: str | None = None
) -> HttpResponse:
    """The notice page; ``error``: a refused 本人意见, ``typed``: a refused 个人总结 (both
    shown again as sent, with status 400)."""
    notice = services.notice_of(year, staff)
    return render(
        request,
        "efficiency/appraisal/year_notice.html",
        {
            "year": year,
            "staff": staff,
            "notice": notice,
            "error": error,
            "sent": request.POST if error else None,
            "may_record": services.may_record_opinion(request.user, staff),
            "opinions": FeedbackOpinion.choices,
            "text_max": FEEDBACK_TEXT_MAX_LENGTH,
            "review_days": services.REVIEW_DAYS,
            "appeal_days": services.APPEAL_DAYS,
            "clock": clocks.clock_of(year, staff),
            "basis": notice_basis(year, staff, notice.review) if notice else [],
            "leader": may_decide(request.user),
            "grades": [(g.value, wording.annual_label(g, staff.category)) for g in AnnualGrade],
            **year_summary_context(request.user, year, staff, typed),
        },
        status=400 if error or typed is not None else 200,
    )


@require_POST
@login_required
def year_clock(request: HttpRequest, year: int, staff_no: str) -> HttpResponse:
    """A step of 复核/申诉: the person's (request, appeal) or a leader's (the decisions, after a
    confirmation page)."""
    year = _year_or_404(year)
    staff = get_object_or_404(Staff, staff_no=staff_no)
    step = request.POST.get("step", "")
    text = request.POST.get("text", "").strip()
    back = redirect(reverse("year_notice", args=[year, staff.staff_no]) + "#notice-clock")
    office = step in (ClockStep.REVIEW_DECISION, ClockStep.APPEAL_DECISION)
    if office and not may_decide(request.user):
        raise PermissionDenied
    if not office and not services.may_record_opinion(request.user, staff):
        raise PermissionDenied
    try:
        if office:
            outcome = request.POST.get("outcome", "")
            new_grade = request.POST.get("new_grade", "") if outcome == ClockOutcome.CHANGED else ""
            if not confirm.confirmed(request):
                grade = (
                    wording.annual_label(AnnualGrade(new_grade), staff.category)
                    if new_grade in {g.value for g in AnnualGrade}
                    else ""
                )
                return confirm.ask(
                    request,
                    title=_("Record the decision on %(name)s's request?") % {"name": staff.name},
                    consequences=consequences.year_clock_decision(
                        staff, changed=outcome == ClockOutcome.CHANGED, grade=grade
                    ),
                    details=[(_("Decision"), text)] if text else [],
                    submit_label=_("Record the decision"),
                    back_url=back.url,
                )
            clocks.office_step(
                actor=request.user,
                year=year,
                staff=staff,
                step=step,
                outcome=outcome,
                text=text,
                new_grade=new_grade,
            )
        else:
            clocks.person_step(actor=request.user, year=year, staff=staff, step=step, text=text)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The step is recorded."))
    return back
