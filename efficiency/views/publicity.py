"""公示 and 结果反馈: the published list with its countdown, objections, each person's opinion.

Every write is one call to ``efficiency.services.publicity``; answering an objection, which
cannot be taken back, is confirmed first.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from efficiency import results, selectors
from efficiency.models import (
    OBJECTION_REASON_MAX_LENGTH,
    Feedback,
    FeedbackOpinion,
    GradeReview,
    Objection,
    ObjectionAnswer,
    Period,
    PeriodState,
    Section,
    Staff,
)
from efficiency.models.publicity import FEEDBACK_TEXT_MAX_LENGTH, REPLY_MAX_LENGTH
from efficiency.scoring import Grade
from efficiency.services import ServiceError
from efficiency.services import publicity as services
from efficiency.services.reviews import may_decide
from efficiency.services.summaries import is_administrator

from . import confirm, period_or_404

PER_PAGE = 50


def _closed_or_404(code: str) -> Period:
    period = period_or_404(code)
    if period.state != PeriodState.CLOSED:
        raise Http404
    return period


def _query(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@dataclass(frozen=True)
class Listed:
    staff_no: str
    name: str
    section: str
    grade: Grade | None  # None: 不定等次 (not assessed)


def _listed(period: Period) -> list[Listed]:
    """The 公示 list: everyone of the quarter with the published (decided) grade, no marks."""
    table = results.ranking(period, results.STAFF)
    order = dict(Section.objects.values_list("pk", "order"))
    rows = sorted(
        table.rows,
        key=lambda r: (order.get(r.facts.section_id, 0), r.facts.section_code, r.facts.key),
    )
    return [
        Listed(
            staff_no=row.facts.key,
            name=row.facts.name,
            section=row.facts.section,
            grade=row.result.grade if row.result.assessed else None,
        )
        for row in rows
    ]


@login_required
def publicity(request: HttpRequest, code: str) -> HttpResponse:
    period = _closed_or_404(code)
    user = request.user
    if not services.may_see_publicity(user):
        raise PermissionDenied
    people = _listed(period)
    text = request.GET.get("q", "").strip()[:50]
    if text:
        people = [p for p in people if text in p.name or text in p.staff_no]
    window = services.window(period)
    about = None
    if window.running and request.GET.get("about"):
        about = Staff.objects.filter(staff_no=request.GET["about"]).first()
    return render(
        request,
        "efficiency/appraisal/publicity.html",
        {
            "period": period,
            "window": window,
            "page": Paginator(people, PER_PAGE).get_page(request.GET.get("page")),
            "q": text,
            "query": _query(request),
            "about": about,
            "mine": Objection.objects.filter(period=period, lodged_by=user).select_related("staff"),
            "may_answer": may_decide(user),
            "reason_max_length": OBJECTION_REASON_MAX_LENGTH,
            "my_staff": selectors.staff_of(user),
        },
    )


@login_required
@require_POST
def objection_lodge(request: HttpRequest, code: str) -> HttpResponse:
    period = _closed_or_404(code)
    if not services.may_see_publicity(request.user):
        raise PermissionDenied
    back = reverse("publicity", args=[period.code])
    staff = Staff.objects.filter(staff_no=request.POST.get("staff_no", "")).first()
    if staff is None:
        messages.error(request, _("Choose a person from the list."))
        return redirect(back)
    try:
        services.lodge_objection(
            actor=request.user, period=period, staff=staff, reason=request.POST.get("reason", "")
        )
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect(f"{back}?about={staff.staff_no}#objection")
    messages.success(
        request,
        _("Your objection about %(name)s has been lodged; a leader will answer it.")
        % {"name": staff.name},
    )
    return redirect(f"{back}#my-objections")


def _leader_or_403(user) -> None:
    if not may_decide(user):
        raise PermissionDenied


@login_required
def objection_list(request: HttpRequest, code: str) -> HttpResponse:
    period = period_or_404(code)
    _leader_or_403(request.user)
    objections = Objection.objects.filter(period=period).select_related(
        "staff", "staff__section", "lodged_by", "lodged_by__staff", "answered_by"
    )
    show = request.GET.get("show", "open")
    if show == "open":
        objections = objections.filter(answer="")
    grades = {
        r.staff_id: r
        for r in GradeReview.objects.filter(
            period=period, staff_id__in=[o.staff_id for o in objections]
        )
    }
    return render(
        request,
        "efficiency/appraisal/objections.html",
        {
            "period": period,
            "window": services.window(period),
            "objections": [(o, grades.get(o.staff_id)) for o in objections],
            "show": show,
            "unanswered": Objection.objects.filter(period=period, answer="").count(),
            "grades": [(g.value, g.label) for g in Grade],
            "answers": ObjectionAnswer,
            "reply_max_length": REPLY_MAX_LENGTH,
            "may_answer": period.state == PeriodState.CLOSED,
        },
    )


@login_required
@require_POST
def objection_answer(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    period = period_or_404(code)
    _leader_or_403(request.user)
    objection = get_object_or_404(
        Objection.objects.select_related("period", "staff"), period=period, pk=pk
    )
    back = reverse("objection_list", args=[period.code])
    answer = request.POST.get("answer", "")
    reply = request.POST.get("reply", "")
    new_grade = request.POST.get("new_grade", "") if answer == ObjectionAnswer.UPHELD else ""
    try:
        answer, reply, grade = services.check_answer(
            actor=request.user, objection=objection, answer=answer, reply=reply, new_grade=new_grade
        )
        if not confirm.confirmed(request):
            if grade is not None:
                sentence = _(
                    "The objection about %(name)s is upheld: their decided grade becomes "
                    "“%(grade)s”, recorded as a decision with your reply as its reason."
                ) % {"name": objection.staff.name, "grade": grade.label}
            else:
                sentence = _(
                    "The objection about %(name)s is rejected: their grade stays as published."
                ) % {"name": objection.staff.name}
            return confirm.ask(
                request,
                title=_("Answer the objection about %(name)s?") % {"name": objection.staff.name},
                consequences=[
                    sentence,
                    _("The person who lodged it sees the answer and the reply."),
                    _("An answer cannot be changed afterwards."),
                ],
                details=[
                    (_("Objection"), objection.reason),
                    (_("Answer"), answer.label),
                    (_("Reply"), reply),
                ],
                submit_label=_("Record the answer"),
                back_url=back,
            )
        services.answer_objection(
            actor=request.user,
            objection=objection,
            answer=answer,
            reply=reply,
            new_grade=new_grade,
        )
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect(back)
    messages.success(
        request, _("The objection about %(name)s is answered.") % {"name": objection.staff.name}
    )
    return redirect(back)


# --- 结果反馈 ----------------------------------------------------------------------------------


def _record_feedback(request: HttpRequest, period: Period, staff: Staff) -> bool:
    """The posted opinion recorded for ``staff``; False, with the refusal as a message, if not."""
    try:
        services.record_feedback(
            actor=request.user,
            period=period,
            staff=staff,
            opinion=request.POST.get("opinion", ""),
            text=request.POST.get("text", ""),
        )
    except ServiceError as error:
        messages.error(request, error.message)
        return False
    return True


@login_required
def feedback_mine(request: HttpRequest, code: str) -> HttpResponse:
    period = period_or_404(code)
    staff = selectors.staff_of(request.user)
    if staff is None:
        raise Http404
    if request.method == "POST":
        if _record_feedback(request, period, staff):
            messages.success(request, _("Your opinion has been recorded. Thank you."))
        return redirect("feedback_mine", code=period.code)
    table = results.ranking(period, results.STAFF)
    row = table.row(staff.staff_no)
    review = GradeReview.objects.filter(period=period, staff=staff).first()
    return render(
        request,
        "efficiency/appraisal/feedback.html",
        {
            "period": period,
            "staff": staff,
            "grade": row.result.grade if row is not None and row.result.assessed else None,
            "comment": review.comment if review else "",
            "feedback": Feedback.objects.filter(period=period, staff=staff).first(),
            "open": services.feedback_open(period),
            "window": services.window(period),
            "opinions": FeedbackOpinion,
            "text_max_length": FEEDBACK_TEXT_MAX_LENGTH,
        },
    )


def _board_or_403(user) -> None:
    if not (may_decide(user) or is_administrator(user)):
        raise PermissionDenied


@login_required
def feedback_all(request: HttpRequest, code: str) -> HttpResponse:
    period = period_or_404(code)
    _board_or_403(request.user)
    people = (
        results.staff_in_period(period)
        .filter(user__isnull=False)
        .select_related("section")
        .order_by("section__order", "section__code", "staff_no")
    )
    answered = {
        f.staff_id: f
        for f in Feedback.objects.filter(period=period).select_related(
            "recorded_by", "recorded_by__staff"
        )
    }
    ids = list(people.values_list("pk", flat=True))
    total, done = len(ids), sum(1 for pk in ids if pk in answered)
    text = request.GET.get("q", "").strip()[:50]
    if text:
        people = people.filter(Q(name__icontains=text) | Q(staff_no__icontains=text))
    show = request.GET.get("show", "")
    if show == "answered":
        people = people.filter(pk__in=list(answered))
    elif show == "missing":
        people = people.exclude(pk__in=list(answered))
    page = Paginator(people, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "efficiency/appraisal/feedback_all.html",
        {
            "period": period,
            "lines": [(s, answered.get(s.pk)) for s in page],
            "page": page,
            "query": _query(request),
            "q": text,
            "show": show,
            "total": total,
            "done": done,
            "open": services.feedback_open(period),
            "may_enter": is_administrator(request.user),
            "opinions": FeedbackOpinion,
            "text_max_length": FEEDBACK_TEXT_MAX_LENGTH,
        },
    )


@login_required
@require_POST
def feedback_enter(request: HttpRequest, code: str) -> HttpResponse:
    """The administrator records a person's opinion from paper."""
    period = period_or_404(code)
    if not is_administrator(request.user):
        raise PermissionDenied
    back = reverse("feedback_all", args=[period.code])
    staff = Staff.objects.filter(staff_no=request.POST.get("staff_no", "").strip()).first()
    if staff is None:
        messages.error(request, _("There is nobody with that staff number."))
        return redirect(back)
    if _record_feedback(request, period, staff):
        messages.success(
            request, _("The opinion of %(name)s has been recorded.") % {"name": staff.name}
        )
    return redirect(back)
