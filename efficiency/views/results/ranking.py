"""The quarterly ranking of staff and of sections, and a leader's grade override."""

from dataclasses import dataclass
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from efficiency import consequences, results
from efficiency.models import Period, PeriodState, Staff
from efficiency.reasons import check_reason
from efficiency.scoring import Grade
from efficiency.services import ServiceError
from efficiency.services import appraisal as services
from efficiency.views import confirm, period_or_404
from efficiency.wording import quarter_grade_notes, quarter_warnings, quota_share_note

from .common import (
    DeductionLine,
    deduction_lines,
    filtered,
    names,
    nav,
    page_query,
    published_periods,
)


@dataclass(frozen=True)
class RankingLine:
    row: results.Row
    averages: list  # CriterionAverage | None, aligned with the period's criteria
    deductions: list[DeductionLine]
    grade_notes: list[str]  # why the grade is below what the final alone gives


def _lines(table: results.Ranking, rows) -> list[RankingLine]:
    lines = []
    for row in rows:
        by_code = {a.code: a for a in row.result.averages}
        lines.append(
            RankingLine(
                row=row,
                averages=[by_code.get(c.code) for c in table.criteria],
                deductions=deduction_lines(row.facts),
                grade_notes=quarter_grade_notes(row.result),
            )
        )
    return lines


def _ranking_page(request: HttpRequest, code: str, kind: str) -> HttpResponse:
    period = period_or_404(code)
    table = results.ranking(period, kind)
    form, page = filtered(request, table.rows, with_section=kind == results.STAFF)
    can_override = (
        kind == results.STAFF
        and request.user.has_perm("efficiency.override_grade")
        and period.state != PeriodState.LOCKED
    )
    return render(
        request,
        "efficiency/appraisal/ranking.html",
        {
            "period": period,
            "periods": list(published_periods()),
            "table": table,
            "kind": kind,
            "is_staff_ranking": kind == results.STAFF,
            "lines": _lines(table, page.object_list),
            "page": page,
            "form": form,
            "query": page_query(request),
            "warnings": quarter_warnings(table.result, names(table.rows)),
            "quota_note": quota_share_note(results.thresholds_of(period)),
            "can_override": can_override,
            "grades": [(g.value, g.label) for g in Grade],
            "back": request.get_full_path(),
            "colspan": len(table.criteria) + (8 if kind == results.STAFF else 5),
            "active": "ranking_staff" if kind == results.STAFF else "ranking_sections",
            **nav(period),
        },
    )


@login_required
@permission_required("efficiency.view_results", raise_exception=True)
def ranking_staff(request: HttpRequest, code: str) -> HttpResponse:
    return _ranking_page(request, code, results.STAFF)


@login_required
@permission_required("efficiency.view_results", raise_exception=True)
def ranking_sections(request: HttpRequest, code: str) -> HttpResponse:
    return _ranking_page(request, code, results.SECTION)


def _back_to_ranking(request: HttpRequest, period: Period, staff_no: str = "") -> HttpResponse:
    target = reverse("ranking_staff", kwargs={"code": period.code})
    back = request.POST.get("next", "")
    # Only back to this period's ranking, with whatever filters the leader had set.
    if back.startswith(target) and "//" not in back and "\\" not in back:
        target = back
    return redirect(f"{target}#row-{staff_no}" if staff_no else target)


@require_POST
@login_required
@permission_required("efficiency.override_grade", raise_exception=True)
def override(request: HttpRequest, code: str, staff_no: str) -> HttpResponse:
    period = period_or_404(code)
    staff = Staff.objects.filter(staff_no=staff_no).first()
    if staff is None:
        messages.error(
            request, _("No staff member has the number %(staff_no)s.") % {"staff_no": staff_no}
        )
        return _back_to_ranking(request, period)
    reason = request.POST.get("reason", "").strip()
    back = _back_to_ranking(request, period, staff.staff_no).url
    try:
        services.refuse_locked(period)
        if request.POST.get("action") == "clear":
            row = results.ranking(period, results.STAFF).row(staff.staff_no)
            computed = row.result.computed_grade if row is not None else None
            computed_label = computed.label if computed is not None else _("not assessed")
            # Every refusal comes before the question; the service checks them all again.
            check_reason(reason, missing=_("Withdrawing an override needs a written reason."))
            title = _("Withdraw the override of %(name)s's grade?") % {"name": staff.name}
            said = consequences.override_clear(period, staff, computed=computed_label)
            submit_label = _("Withdraw the override")
            save = partial(services.grade_override_clear, period=period, staff=staff)
            success = _(
                "The override of %(name)s's grade was withdrawn; the computed grade applies."
            ) % {"name": staff.name}
        else:
            grade = request.POST.get("grade", "")
            computed = services.check_override(period=period, staff=staff, grade=grade)
            check_reason(reason, missing=_("An override needs a written reason."))
            title = _("Override the grade of %(name)s?") % {"name": staff.name}
            said = consequences.override_set(
                period, staff, computed=computed.label, grade=Grade(grade).label
            )
            submit_label = _("Save the override")
            save = partial(services.grade_override, period=period, staff=staff, grade=grade)
            success = _("%(name)s's grade for %(period)s is now “%(grade)s”.") % {
                "name": staff.name,
                "period": period,
                "grade": Grade(grade).label,
            }
        if not confirm.confirmed(request):
            return confirm.ask(
                request,
                title=title,
                consequences=said,
                details=[(_("Reason"), reason)],
                submit_label=submit_label,
                back_url=back,
            )
        save(actor=request.user, reason=reason)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    return _back_to_ranking(request, period, staff.staff_no)
