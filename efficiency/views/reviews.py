"""审核评鉴 pages: the section head's proposals, the leaders' decisions.

The head's page has one small form per person (评价意见 and a proposed grade), so an error names
that row and nothing else is saved. The leaders' page lists everyone with the computed grade,
the proposal and the decision; one row is decided (or withdrawn) after a confirmation page, and
"全部按建议审定" decides every undecided person at once, also after a confirmation page.
static/efficiency/decisions.js updates the 好 counter as the selects change; the page works
without it.
"""

from dataclasses import dataclass
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from efficiency import consequences, results
from efficiency.models import COMMENT_MAX_LENGTH, GradeReview, PeriodState, Staff
from efficiency.reasons import check_reason
from efficiency.scoring import Grade
from efficiency.services import ServiceError
from efficiency.services import reviews as services
from efficiency.services.summaries import reviewable_sections
from efficiency.views import confirm, period_or_404


@dataclass(frozen=True)
class Line:
    row: results.Row
    staff: Staff
    review: GradeReview | None
    proposal: Grade  # the proposal, or the computed grade when nobody proposed
    error: str = ""
    sent: dict | None = None  # what was posted, shown again with the error
    stale: results.StaleDecision | None = None  # a decision the marks have overtaken


PAGE_SIZE = 50
SEARCH_MAX = 30
FILTERS = ("q", "section", "undecided")  # what a listing's address may carry besides the page


@dataclass(frozen=True)
class Listing:
    """One page of a review or decision list, with its filters."""

    page: Page
    lines: list[Line]
    sections: list[tuple[str, str]]  # (code, name) of the sections listed, for the filter
    search: str
    section: str
    undecided: bool
    query: str  # the filters, for the pagination links


@dataclass(frozen=True)
class Filtered:
    """One page of rows narrowed by the list's filters (section, name or 工号, undecided)."""

    page: Page
    sections: list[tuple[str, str]]
    search: str
    section: str
    undecided: bool
    query: str


def filter_and_page(request: HttpRequest, rows: list, decided_ids) -> Filtered:
    """Narrow ``rows`` (each with ``facts``) by the filters ``request`` asks for and cut out the
    page asked for. ``decided_ids``: called only when "only those undecided" is asked, returns
    the staff ids decided. Shared by the quarter's and the year's review and decision lists."""
    sections = sorted({(row.facts.section_code, row.facts.section) for row in rows})
    section = request.GET.get("section", "")[:20]
    if section in {code for code, _name in sections}:
        rows = [row for row in rows if row.facts.section_code == section]
    else:
        section = ""
    search = request.GET.get("q", "").strip()[:SEARCH_MAX]
    if search:
        rows = [row for row in rows if search in row.facts.name or search in row.facts.key]
    undecided = request.GET.get("undecided") == "1"
    if undecided:
        decided = set(decided_ids())
        rows = [row for row in rows if row.facts.pk not in decided]
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    filters = {"q": search, "section": section, "undecided": "1" if undecided else ""}
    return Filtered(
        page=page,
        sections=sections,
        search=search,
        section=section,
        undecided=undecided,
        query=urlencode({k: v for k, v in filters.items() if v}),
    )


def _listing(
    request: HttpRequest,
    period,
    table: results.Ranking,
    *,
    allowed: set[int] | None = None,
    errors=None,
    posted=None,
    stale: list[results.StaleDecision] | None = None,
) -> Listing:
    """The page of graded (or 不定等次) people ``request`` asks for, in ranking order.

    The rows are narrowed (``allowed``: the staff ids this user may see; a name or 工号; a
    section; only those undecided) and paginated from the ranking alone, so only the shown
    page's people and reviews are read, whatever the size of the office."""
    rows = [
        row
        for row in table.rows
        if row.result.assessed
        # 不定等次: listed for the comment, with no grade to propose or decide
        and (row.result.computed_grade is not None or row.undetermined)
        and (allowed is None or row.facts.pk in allowed)
    ]
    filtered = filter_and_page(
        request,
        rows,
        lambda: (
            GradeReview.objects.filter(period=period)
            .exclude(grade="")
            .values_list("staff_id", flat=True)
        ),
    )
    page = filtered.page
    ids = [row.facts.pk for row in page]
    staff = {s.pk: s for s in Staff.objects.filter(pk__in=ids).select_related("section")}
    reviews = {r.staff_id: r for r in GradeReview.objects.filter(period=period, staff_id__in=ids)}
    stale_by_key = {s.staff_no: s for s in stale or ()}
    lines = []
    for row in page:
        person = staff[row.facts.pk]
        review = reviews.get(person.pk)
        proposal = (
            Grade(review.proposed_grade)
            if review and review.proposed_grade
            else row.result.computed_grade
        )
        key = person.staff_no
        lines.append(
            Line(
                row,
                person,
                review,
                proposal,
                (errors or {}).get(key, ""),
                (posted or {}).get(key),
                stale_by_key.get(key),
            )
        )
    return Listing(
        page=page,
        lines=lines,
        sections=filtered.sections,
        search=filtered.search,
        section=filtered.section,
        undecided=filtered.undecided,
        query=filtered.query,
    )


def listing_address(name: str, key, source) -> str:
    """The listing's address with the filters and page found in ``source`` (a QueryDict):
    only known keys, so nothing else is ever redirected to."""
    kept = {k: source.get(k, "") for k in (*FILTERS, "page")}
    query = urlencode({k: v[:SEARCH_MAX] for k, v in kept.items() if v})
    target = reverse(name, args=[key])
    return f"{target}?{query}" if query else target


def _grades() -> list[tuple[str, str]]:
    return [(g.value, g.label) for g in Grade]


# --- the section head's page ------------------------------------------------------------------


def _head_staff(request: HttpRequest, period):
    """The people whose grades this user proposes: their sections' (every section for the
    administrator). Anyone else is refused."""
    user = request.user
    if services.is_administrator(user):
        sections = None
    elif user.has_perm("efficiency.view_section_incidents") and user.headed_sections.exists():
        sections = user.headed_sections.all()
    else:
        raise PermissionDenied
    people = results.staff_in_period(period)
    if sections is not None:
        people = people.filter(section__in=sections)
    return people


@login_required
def review(request: HttpRequest, code: str) -> HttpResponse:
    period = period_or_404(code)
    staff = _head_staff(request, period)
    errors: dict[str, str] = {}
    posted: dict[str, dict[str, str]] = {}
    if request.method == "POST":
        staff_no = request.POST.get("staff_no", "")
        person = staff.filter(staff_no=staff_no).select_related("section").first()
        if person is None:
            raise Http404
        data = {k: request.POST.get(k, "") for k in ("grade", "comment", "reason")}
        try:
            services.propose(actor=request.user, period=period, staff=person, **data)
        except ServiceError as error:
            errors[staff_no] = error.message
            posted[staff_no] = data
        else:
            messages.success(
                request,
                _("The proposal for %(name)s is saved.") % {"name": person.name},
            )
            back = listing_address("grade_review", period.code, request.GET)
            return redirect(f"{back}#row-{staff_no}")
    table = results.ranking(period, results.STAFF)
    allowed = set(staff.values_list("pk", flat=True))
    listing = _listing(request, period, table, allowed=allowed, errors=errors, posted=posted)
    return render(
        request,
        "efficiency/appraisal/review.html",
        {
            "period": period,
            "listing": listing,
            "lines": listing.lines,
            "page": listing.page,
            "query": listing.query,
            "grades": _grades(),
            "editable": period.state in (PeriodState.OPEN, PeriodState.CLOSED),
            "comment_max": COMMENT_MAX_LENGTH,
            "sections": reviewable_sections(request.user),
        },
        status=400 if errors else 200,
    )


# --- the leaders' page ------------------------------------------------------------------------


@login_required
@permission_required(services.DECIDE_PERMISSION, raise_exception=True)
def decisions(request: HttpRequest, code: str) -> HttpResponse:
    period = period_or_404(code)
    table = results.ranking(period, results.STAFF)
    stale = results.stale_decisions(period, table)
    listing = _listing(request, period, table, stale=stale)
    return render(
        request,
        "efficiency/appraisal/decisions.html",
        {
            "period": period,
            "listing": listing,
            "lines": listing.lines,
            "page": listing.page,
            "query": listing.query,
            "stale": stale,
            "grades": _grades(),
            "counter": services.counter(period, table),
            "editable": period.state in (PeriodState.OPEN, PeriodState.CLOSED),
        },
    )


def _back(period, staff_no: str = "", source=None) -> HttpResponse:
    """Back to the decisions, on the page and with the filters the form was posted from."""
    target = listing_address("grade_decisions", period.code, source or {})
    return redirect(f"{target}#row-{staff_no}" if staff_no else target)


@require_POST
@login_required
@permission_required(services.DECIDE_PERMISSION, raise_exception=True)
def decide(request: HttpRequest, code: str, staff_no: str) -> HttpResponse:
    period = period_or_404(code)
    staff = Staff.objects.filter(staff_no=staff_no).first()
    if staff is None:
        messages.error(
            request, _("No staff member has the number %(staff_no)s.") % {"staff_no": staff_no}
        )
        return _back(period, source=request.POST)
    reason = request.POST.get("reason", "").strip()
    back = _back(period, staff.staff_no, request.POST).url
    try:
        services.refuse_locked(period)
        if request.POST.get("action") == "clear":
            row = results.ranking(period, results.STAFF).row(staff.staff_no)
            computed = row.result.computed_grade if row is not None else None
            computed_label = computed.label if computed is not None else _("not assessed")
            # Every refusal comes before the question; the service checks them all again.
            check_reason(reason, missing=_("Withdrawing a decision needs a written reason."))
            title = _("Withdraw the decision on %(name)s's grade?") % {"name": staff.name}
            said = consequences.decision_clear(period, staff, computed=computed_label)
            submit_label = _("Withdraw the decision")
            save = partial(services.withdraw_decision, period=period, staff=staff, reason=reason)
            success = _(
                "The decision on %(name)s's grade was withdrawn; the computed grade applies."
            ) % {"name": staff.name}
        else:
            grade = request.POST.get("grade", "")
            chosen, computed, proposal, reason = services.check_decision(
                actor=request.user, period=period, staff=staff, grade=grade, reason=reason
            )
            title = _("Decide the grade of %(name)s?") % {"name": staff.name}
            said = consequences.decision_set(
                period,
                staff,
                computed=computed.label,
                proposal=proposal.label,
                grade=chosen.label,
            )
            submit_label = _("Save the decision")
            save = partial(services.decide, period=period, staff=staff, grade=chosen, reason=reason)
            success = _("%(name)s's grade for %(period)s is now “%(grade)s”.") % {
                "name": staff.name,
                "period": period,
                "grade": chosen.label,
            }
        if not confirm.confirmed(request):
            return confirm.ask(
                request,
                title=title,
                consequences=said,
                details=[(_("Reason"), reason)] if reason else [],
                submit_label=submit_label,
                back_url=back,
            )
        save(actor=request.user)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    return _back(period, staff.staff_no, request.POST)


@require_POST
@login_required
@permission_required(services.DECIDE_PERMISSION, raise_exception=True)
def decide_all(request: HttpRequest, code: str) -> HttpResponse:
    period = period_or_404(code)
    reason = request.POST.get(confirm.REASON_FIELD, "").strip()
    try:
        # The ranking is the costly part of the question: computed once for every read.
        table = results.ranking(period, results.STAFF)
        plan = services.check_all_as_proposed(actor=request.user, period=period, table=table)
        error = ""
        if confirm.confirmed(request) and plan.over:
            try:
                services.check_all_as_proposed(
                    actor=request.user, period=period, reason=reason, table=table
                )
            except ServiceError as refusal:
                error = refusal.message
        if not confirm.confirmed(request) or error:
            return confirm.ask(
                request,
                title=_("Decide all grades of %(period)s as proposed?") % {"period": period},
                consequences=consequences.decide_all(
                    period,
                    count=len(plan.pending),
                    good=plan.good,
                    quota=plan.quota,
                    over=[p.staff.name for p in plan.over],
                    pools=[(c.name, c.quota, c.decided_good) for c in plan.pools],
                ),
                submit_label=_("Decide %(count)s grades") % {"count": len(plan.pending)},
                back_url=_back(period).url,
                reason_label=_("Reason for going over the quota") if plan.over else "",
                error=error,
            )
        count = services.decide_all_as_proposed(actor=request.user, period=period, reason=reason)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("%(count)s grades were decided as proposed.") % {"count": count}
        )
    return _back(period)
