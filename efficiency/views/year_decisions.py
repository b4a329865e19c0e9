"""The year's decision pages (年度考核审定): the section head's proposals, the leaders' decisions.

The same shape as the quarter's 审核评鉴 (:mod:`.reviews`, whose filter, pagination and
addresses are reused): one small form per person on the head's page; on the leaders' page the
computed grade (建议等次), the proposal with its 评语, the decision with a confirmation page, and
"全部按建议审定" after one. The counter 可评“优秀”N人，已定M人 follows the selects through
static/efficiency/decisions.js.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from efficiency import consequences, results, wording
from efficiency.excel import access as excel_access
from efficiency.models import (
    COMMENT_MAX_LENGTH,
    AnnualAppraisal,
    AnnualReview,
    AnnualState,
    AnnualSummary,
    Staff,
)
from efficiency.scoring import AnnualGrade
from efficiency.services import ServiceError
from efficiency.services import annual as services
from efficiency.services.reviews import DECIDE_PERMISSION
from efficiency.services.summaries import is_administrator
from efficiency.views import confirm
from efficiency.views.reviews import filter_and_page, listing_address


@dataclass(frozen=True)
class Line:
    row: results.AnnualRow
    staff: Staff
    review: AnnualReview | None
    proposal: AnnualGrade | None  # the proposal, or the computed grade when nobody proposed
    grades: list[tuple[str, str]]  # the choices, named as the person's category names them
    error: str = ""
    sent: dict | None = None
    summary: AnnualSummary | None = None  # the year's 个人总结

    def label(self, value: str) -> str:
        return wording.annual_label(AnnualGrade(value), self.row.category) if value else ""

    @property
    def computed_label(self) -> str:
        return self.row.grade_label

    @property
    def notes(self) -> list[str]:
        """Why the computed grade is what it is (a veto, too few quarters 好, the places...)."""
        return wording.annual_notes(self.row.result)

    @property
    def proposed_label(self) -> str:
        return self.label(self.review.proposed_grade) if self.review else ""

    @property
    def decided_label(self) -> str:
        return self.label(self.review.grade) if self.review else ""


def _year_or_404(year: int) -> int:
    if not 2000 <= year <= 2100:
        raise Http404
    return year


def _lines(request, year, rollup, *, sections=None, errors=None, posted=None):
    rows = [
        row
        for row in rollup.rows
        if (row.result.grade is not None or row.undetermined)
        and (sections is None or row.facts.section_id in sections)
    ]
    filtered = filter_and_page(
        request,
        rows,
        lambda: (
            AnnualReview.objects.filter(appraisal__year=year)
            .exclude(grade="")
            .values_list("staff_id", flat=True)
        ),
    )
    ids = [row.facts.pk for row in filtered.page]
    staff = Staff.objects.select_related("section").in_bulk(ids)
    reviews = {
        r.staff_id: r for r in AnnualReview.objects.filter(appraisal__year=year, staff_id__in=ids)
    }
    summaries = {s.staff_id: s for s in AnnualSummary.objects.filter(year=year, staff_id__in=ids)}
    lines = []
    for row in filtered.page:
        review = reviews.get(row.facts.pk)
        proposal = (
            AnnualGrade(review.proposed_grade)
            if review and review.proposed_grade
            else row.result.grade
        )
        key = row.facts.key
        grades = [(g.value, wording.annual_label(g, row.category)) for g in AnnualGrade]
        lines.append(
            Line(
                row,
                staff[row.facts.pk],
                review,
                proposal,
                grades,
                (errors or {}).get(key, ""),
                (posted or {}).get(key),
                summaries.get(row.facts.pk),
            )
        )
    return filtered, lines


def _head_sections(user):
    """The sections whose people this user proposes for: None for the administrator (all)."""
    if is_administrator(user):
        return None
    if user.has_perm("efficiency.view_section_incidents") and user.headed_sections.exists():
        return set(user.headed_sections.values_list("pk", flat=True))
    raise PermissionDenied


@login_required
def year_review(request: HttpRequest, year: int) -> HttpResponse:
    year = _year_or_404(year)
    sections = _head_sections(request.user)
    errors: dict[str, str] = {}
    posted: dict[str, dict[str, str]] = {}
    if request.method == "POST":
        staff_no = request.POST.get("staff_no", "")
        person = Staff.objects.filter(staff_no=staff_no).first()
        if person is None or (sections is not None and person.section_id not in sections):
            raise Http404
        data = {k: request.POST.get(k, "") for k in ("grade", "comment", "reason")}
        try:
            services.propose(actor=request.user, year=year, staff=person, **data)
        except ServiceError as error:
            errors[staff_no] = error.message
            posted[staff_no] = data
        else:
            messages.success(
                request, _("The proposal for %(name)s is saved.") % {"name": person.name}
            )
            back = listing_address("year_review", year, request.GET)
            return redirect(f"{back}#row-{staff_no}")
    rollup = results.annual_rollup(year)
    listing, lines = _lines(request, year, rollup, sections=sections, errors=errors, posted=posted)
    return render(
        request,
        "efficiency/appraisal/year_review.html",
        {
            "year": year,
            "listing": listing,
            "lines": lines,
            "page": listing.page,
            "query": listing.query,
            "comment_max": COMMENT_MAX_LENGTH,
            "has_quarters": bool(rollup.periods),
            "may_export_summaries": excel_access.may_export(request.user, "year_summaries"),
            "published": AnnualAppraisal.objects.filter(year=year)
            .exclude(state=AnnualState.DECIDING)
            .exists(),
        },
        status=400 if errors else 200,
    )


@login_required
@permission_required(DECIDE_PERMISSION, raise_exception=True)
def year_decisions(request: HttpRequest, year: int) -> HttpResponse:
    year = _year_or_404(year)
    rollup = results.annual_rollup(year)
    listing, lines = _lines(request, year, rollup)
    return render(
        request,
        "efficiency/appraisal/year_decisions.html",
        {
            "year": year,
            "listing": listing,
            "lines": lines,
            "page": listing.page,
            "query": listing.query,
            "counter": services.counter(year, rollup),
            "has_quarters": bool(rollup.periods),
            "notified": notified_on(year),
        },
    )


def notified_on(year: int):
    """The day the year's result notices were issued (decisions are final then), else None."""
    appraisal = AnnualAppraisal.objects.filter(year=year, state=AnnualState.NOTIFIED).first()
    return appraisal.notice_date if appraisal else None


def _back(year: int, staff_no: str = "", source=None) -> HttpResponse:
    target = listing_address("year_decisions", year, source or {})
    return redirect(f"{target}#row-{staff_no}" if staff_no else target)


@require_POST
@login_required
@permission_required(DECIDE_PERMISSION, raise_exception=True)
def year_decide(request: HttpRequest, year: int, staff_no: str) -> HttpResponse:
    year = _year_or_404(year)
    staff = Staff.objects.filter(staff_no=staff_no).first()
    if staff is None:
        messages.error(
            request, _("No staff member has the number %(staff_no)s.") % {"staff_no": staff_no}
        )
        return _back(year, source=request.POST)
    reason = request.POST.get("reason", "").strip()
    try:
        decision = services.check_decision(
            actor=request.user,
            year=year,
            staff=staff,
            grade=request.POST.get("grade", ""),
            reason=reason,
        )
        category = staff.category

        def label(grade):
            return wording.annual_label(grade, category)

        if not confirm.confirmed(request):
            return confirm.ask(
                request,
                title=_("Decide the annual grade of %(name)s?") % {"name": staff.name},
                consequences=consequences.year_decision_set(
                    year,
                    staff,
                    computed=label(decision.computed),
                    proposal=label(decision.proposal),
                    grade=label(decision.grade),
                ),
                details=[(_("Reason"), decision.reason)] if decision.reason else [],
                submit_label=_("Save the decision"),
                back_url=_back(year, staff.staff_no, request.POST).url,
            )
        services.decide(
            actor=request.user, year=year, staff=staff, grade=decision.grade, reason=reason
        )
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(name)s's annual grade for %(year)s is now “%(grade)s”.")
            % {"name": staff.name, "year": year, "grade": label(decision.grade)},
        )
    return _back(year, staff.staff_no, request.POST)


@require_POST
@login_required
@permission_required(DECIDE_PERMISSION, raise_exception=True)
def year_decide_all(request: HttpRequest, year: int) -> HttpResponse:
    year = _year_or_404(year)
    reason = request.POST.get(confirm.REASON_FIELD, "").strip()
    try:
        rollup = results.annual_rollup(year)
        plan = services.check_all_as_proposed(actor=request.user, year=year, rollup=rollup)
        error = ""
        if confirm.confirmed(request) and plan.over:
            try:
                services.check_all_as_proposed(
                    actor=request.user, year=year, reason=reason, rollup=rollup
                )
            except ServiceError as refusal:
                error = refusal.message
        if not confirm.confirmed(request) or error:
            return confirm.ask(
                request,
                title=_("Decide all annual grades of %(year)s as proposed?") % {"year": year},
                consequences=consequences.year_decide_all(
                    year,
                    count=len(plan.pending),
                    excellent=plan.excellent,
                    places=plan.places,
                    over=[p.staff.name for p in plan.over],
                    pools=[(c.name, c.quota, c.decided_good) for c in plan.pools],
                ),
                submit_label=_("Decide %(count)s grades") % {"count": len(plan.pending)},
                back_url=_back(year).url,
                reason_label=_("Reason for going over the places") if plan.over else "",
                error=error,
            )
        count = services.decide_all_as_proposed(actor=request.user, year=year, reason=reason)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("%(count)s grades were decided as proposed.") % {"count": count}
        )
    return _back(year)
