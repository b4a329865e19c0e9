"""Leaders' result pages: the quarterly ranking (staff and sections), grade overrides, a
person's score card, trends across quarters and the annual roll-up.

Every number comes from :mod:`efficiency.results` (which calls :mod:`efficiency.scoring`);
these views only choose, filter, page and put the numbers into words.
"""

from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from efficiency import charts, consequences, results, selectors
from efficiency.models import IncidentKind, Period, PeriodState, Section, Severity, Staff
from efficiency.models.appraisal import PUBLISHED_STATES
from efficiency.reasons import check_reason
from efficiency.scoring import AnnualGrade, Grade, ReasonCode, WarningCode
from efficiency.services import ServiceError
from efficiency.services import appraisal as services
from efficiency.views import period_or_404
from efficiency.wording import annual_notes, quarter_grade_notes

from . import confirm

PAGE_SIZE = 50
CARD_TREND_QUARTERS = 6


# --- shared -------------------------------------------------------------------------------


def _published_periods():
    """Periods that have results (opened at least once), newest first.

    Without a locked period's frozen inputs (every person's facts: hundreds of kB at 2,000
    staff, parsed on every fetch): menus and lists never need them; results loads them itself.
    """
    return (
        Period.objects.exclude(state=PeriodState.DRAFT)
        .order_by("-year", "-quarter")
        .defer("frozen")
    )


def _nav(period: Period | None = None, year: int | None = None) -> dict:
    """What the results sub-navigation links to: this or the newest period, and its year."""
    nav_period = period or _published_periods().first()
    return {
        "nav_period": nav_period,
        "nav_year": year or (nav_period.year if nav_period else None),
    }


def _page_query(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _section_codes(rows) -> dict[int, tuple[str, str]]:
    """Section id -> (current code, name shown in the rows), in the office's order.

    Rows are matched by section id: a locked quarter shows the name a section had then, and
    ?section= takes the code it has now.
    """
    present = {row.facts.section_id: row.facts for row in rows}
    current = dict(Section.objects.values_list("pk", "code"))
    codes = {pk: (current[pk], present[pk].section) for pk in current if pk in present}
    for pk, facts in present.items():
        codes.setdefault(pk, (facts.section_code, facts.section))
    return codes


class ResultFilterForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Name or staff number"),
        required=False,
        max_length=30,
        widget=forms.TextInput(
            attrs={"class": "form-control", "type": "search", "autocomplete": "off"}
        ),
    )
    section = forms.ChoiceField(
        label=gettext_lazy("Section"),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, sections: list[tuple[str, str]], q_label: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if q_label:
            self.fields["q"].label = q_label
        self.fields["section"].choices = [("", _("All sections")), *sections]


def _filtered(request: HttpRequest, rows, *, with_section: bool = True):
    """The rows matching ?q= and ?section=, the form, and the page of rows to show."""
    codes = _section_codes(rows) if with_section else {}
    form = ResultFilterForm(
        request.GET or None,
        sections=list(codes.values()),
        q_label="" if with_section else _("Section name or code"),
    )
    shown = list(rows)
    if form.is_bound:
        if form.is_valid():
            text = form.cleaned_data["q"].strip()
            section = form.cleaned_data["section"]
            if text:
                shown = [r for r in shown if text in r.facts.name or r.facts.key.startswith(text)]
            if section:
                shown = [r for r in shown if codes[r.facts.section_id][0] == section]
        else:
            messages.error(
                request, _("Some filters were not valid; correct them and filter again.")
            )
    page = Paginator(shown, PAGE_SIZE).get_page(request.GET.get("page"))
    return form, page


def _names(by_key: dict, keys) -> str:
    return "、".join(f"{by_key[k].facts.name}（{k}）" if k in by_key else k for k in keys)


def _warning_texts(table: results.Ranking) -> list[str]:
    texts = []
    result = table.result
    for warning in result.warnings:
        names = _names(table.by_key, warning.subject_keys)
        if warning.code == WarningCode.TIE_ON_QUOTA_LINE:
            row = table.row(warning.subject_keys[0])
            texts.append(
                _(
                    "%(count)s people are tied at %(final)s on the line of the “好” quota "
                    "(%(quota)s places): %(names)s. By the rules all of them were graded "
                    "“较好”; the leadership group should decide."
                )
                % {
                    "count": len(warning.subject_keys),
                    "final": row.result.final if row else "",
                    "quota": result.quota,
                    "names": names,
                }
            )
        elif warning.code == WarningCode.OVER_QUOTA_AFTER_OVERRIDES:
            texts.append(
                _(
                    "After the leaders' overrides %(count)s people are graded “好”, more than "
                    "the quota of %(quota)s: %(names)s."
                )
                % {"count": len(warning.subject_keys), "quota": result.quota, "names": names}
            )
        elif warning.code == WarningCode.OVERRIDE_ABOVE_CAP:
            texts.append(
                _(
                    "An override grants a grade above the cap set by an established "
                    "three-errors incident: %(names)s."
                )
                % {"names": names}
            )
        elif warning.code == WarningCode.OVERRIDE_IGNORED:
            texts.append(
                _(
                    "These people are not assessed this quarter, so their grade override "
                    "has no effect: %(names)s."
                )
                % {"names": names}
            )
        else:  # a warning added to scoring later still reaches the leaders
            texts.append(f"{warning.detail}: {names}")
    return texts


@dataclass(frozen=True)
class DeductionLine:
    number: str
    points: Decimal
    kind: str
    severity: str
    severity_code: str
    clause_code: str


def _deduction_lines(facts: results.SubjectFacts) -> list[DeductionLine]:
    return [
        DeductionLine(
            number=d.number,
            points=d.points,
            kind=_label(IncidentKind, d.kind),
            severity=_label(Severity, d.severity),
            severity_code=d.severity,
            clause_code=d.clause_code,
        )
        for d in facts.deductions
    ]


def _label(choices, value: str) -> str:
    return str(choices(value).label) if value in choices.values else value


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
                deductions=_deduction_lines(row.facts),
                grade_notes=quarter_grade_notes(row.result),
            )
        )
    return lines


# --- ranking ------------------------------------------------------------------------------


def _ranking_page(request: HttpRequest, code: str, kind: str) -> HttpResponse:
    period = period_or_404(code)
    table = results.ranking(period, kind)
    form, page = _filtered(request, table.rows, with_section=kind == results.STAFF)
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
            "periods": list(_published_periods()),
            "table": table,
            "kind": kind,
            "is_staff_ranking": kind == results.STAFF,
            "lines": _lines(table, page.object_list),
            "page": page,
            "form": form,
            "query": _page_query(request),
            "warnings": _warning_texts(table),
            "can_override": can_override,
            "grades": [(g.value, g.label) for g in Grade],
            "back": request.get_full_path(),
            "colspan": len(table.criteria) + (8 if kind == results.STAFF else 5),
            "active": "ranking_staff" if kind == results.STAFF else "ranking_sections",
            **_nav(period),
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
            if not confirm.confirmed(request):
                return confirm.ask(
                    request,
                    title=_("Withdraw the override of %(name)s's grade?") % {"name": staff.name},
                    consequences=consequences.override_clear(
                        period, staff, computed=computed_label
                    ),
                    details=[(_("Reason"), reason)],
                    submit_label=_("Withdraw the override"),
                    back_url=back,
                )
            services.grade_override_clear(
                actor=request.user, period=period, staff=staff, reason=reason
            )
            success = _(
                "The override of %(name)s's grade was withdrawn; the computed grade applies."
            ) % {"name": staff.name}
        else:
            grade = request.POST.get("grade", "")
            computed = services.check_override(period=period, staff=staff, grade=grade)
            check_reason(reason, missing=_("An override needs a written reason."))
            if not confirm.confirmed(request):
                return confirm.ask(
                    request,
                    title=_("Override the grade of %(name)s?") % {"name": staff.name},
                    consequences=consequences.override_set(
                        period, staff, computed=computed.label, grade=Grade(grade).label
                    ),
                    details=[(_("Reason"), reason)],
                    submit_label=_("Save the override"),
                    back_url=back,
                )
            services.grade_override(
                actor=request.user, period=period, staff=staff, grade=grade, reason=reason
            )
            success = _("%(name)s's grade for %(period)s is now “%(grade)s”.") % {
                "name": staff.name,
                "period": period,
                "grade": Grade(grade).label,
            }
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    return _back_to_ranking(request, period, staff.staff_no)


# --- score card ---------------------------------------------------------------------------


@dataclass(frozen=True)
class MarkShown:
    value: Decimal
    dropped: str  # "", "high" or "low"


@dataclass(frozen=True)
class CriterionLine:
    name: str
    weight: Decimal
    average: object  # CriterionAverage | None
    marks: list[MarkShown]
    sentence: str


def _marks_shown(average) -> list[MarkShown]:
    """All marks, highest first; the dropped highest is the first, the dropped lowest the last."""
    ordered = sorted(average.marks, reverse=True)
    shown = [MarkShown(value, "") for value in ordered]
    if average.dropped_high is not None:
        shown[0] = MarkShown(ordered[0], "high")
        shown[-1] = MarkShown(ordered[-1], "low")
    return shown


def _criterion_lines(table: results.Ranking, result) -> list[CriterionLine]:
    by_code = {a.code: a for a in result.averages}
    lines = []
    for spec in table.criteria:
        average = by_code.get(spec.code)
        if average is None:
            sentence = _("No marks yet on this criterion.")
            marks = []
        else:
            marks = _marks_shown(average)
            if average.dropped_high is not None:
                sentence = _(
                    "%(count)s marks: the highest (%(high)s) and the lowest (%(low)s) are "
                    "dropped, the other %(used)s are averaged."
                ) % {
                    "count": len(average.marks),
                    "high": f"{average.dropped_high:.1f}",
                    "low": f"{average.dropped_low:.1f}",
                    "used": len(average.used),
                }
            else:
                sentence = _(
                    "%(count)s marks, fewer than five: none is dropped, all are averaged."
                ) % {"count": len(average.marks)}
        lines.append(CriterionLine(spec.name, spec.weight, average, marks, sentence))
    return lines


def _grade_sentences(table: results.Ranking, result, period: Period) -> list[str]:
    limits = results.thresholds_of(period)
    sentences = []
    for step in result.grade_steps:
        grade = step.grade.label
        if step.code == ReasonCode.THRESHOLD:
            sentences.append(
                _(
                    "A final of %(final)s gives “%(grade)s” (好 from %(good)s, 较好 from "
                    "%(fairly_good)s, 一般 from %(average)s, 较差 below that)."
                )
                % {
                    "final": result.final,
                    "grade": grade,
                    "good": limits.good,
                    "fairly_good": limits.fairly_good,
                    "average": limits.average,
                }
            )
        elif step.code == ReasonCode.CAP_INCIDENT:
            sentences.append(
                _(
                    "An established three-errors incident in the quarter caps the grade at "
                    "“较好”: the grade becomes “%(grade)s”."
                )
                % {"grade": grade}
            )
        elif step.code == ReasonCode.CAP_GRAVE_INCIDENT:
            sentences.append(
                _(
                    "An established grave (严重) incident in the quarter caps the grade at "
                    "“一般”: the grade becomes “%(grade)s”."
                )
                % {"grade": grade}
            )
        elif step.code == ReasonCode.QUOTA_DEMOTION:
            sentences.append(
                _(
                    "At most %(quota)s of the %(count)s people graded may be “好” (40%%, "
                    "rounded down); this rank is beyond that line, so the grade becomes "
                    "“%(grade)s”."
                )
                % {"quota": table.result.quota, "count": table.result.graded_count, "grade": grade}
            )
        elif step.code == ReasonCode.TIE_ON_QUOTA_LINE:
            sentences.append(
                _(
                    "Tied with others at %(final)s on the line of the “好” quota (%(quota)s "
                    "places): by the rules everyone tied becomes “%(grade)s”, and the leaders "
                    "are asked to decide."
                )
                % {"final": result.final, "quota": table.result.quota, "grade": grade}
            )
        elif step.code == ReasonCode.OVERRIDE:
            sentences.append(
                _("A leader set the grade to “%(grade)s”. Reason: %(reason)s")
                % {"grade": grade, "reason": step.detail}
            )
    return sentences


def _card_periods(user, period: Period, everyone: bool) -> list[Period]:
    """The last quarters up to this one, oldest first (only published ones for a person)."""
    periods = _published_periods().filter(
        Q(year__lt=period.year) | Q(year=period.year, quarter__lte=period.quarter)
    )
    if not everyone:
        periods = periods.filter(state__in=PUBLISHED_STATES)
    return list(reversed(periods[:CARD_TREND_QUARTERS]))


def _person_chart(staff: Staff, periods: list[Period], title: str):
    points = results.staff_trend(staff, periods)
    labels = [_quarter_label(p, len(periods)) for p in periods]
    chart = charts.line_chart(
        title=title,
        x_labels=labels,
        series=[(staff.name, [p.final for p in points])],
        y_title=_("Final score"),
        height=320,
        show_values=True,
        legend=False,
    )
    return chart, list(zip(labels, points, strict=True))


@login_required
def score_card(request: HttpRequest, code: str, staff_no: str) -> HttpResponse:
    period = period_or_404(code)
    everyone = request.user.has_perm("efficiency.view_results")
    staff = Staff.objects.filter(staff_no=staff_no).first()
    if not everyone:
        # Oneself, or a head for the people in their sections that quarter (the personal
        # form PDF shows a head the same numbers). Whoever else is asked about gets the same
        # 403, whether the number exists or not.
        if period.state not in PUBLISHED_STATES:
            raise PermissionDenied
        own = selectors.staff_of(request.user)
        if own is None or own.staff_no != staff_no:
            facts = results.person_facts(period, staff.pk) if staff is not None else None
            headed = set(selectors.headed_section_ids(request.user))
            if facts is None or facts.section_id not in headed:
                raise PermissionDenied
    table = results.ranking(period, results.STAFF)
    row = table.row(staff_no)
    if row is None or staff is None:
        raise Http404
    result = row.result
    periods = _card_periods(request.user, period, everyone)
    chart, chart_points = _person_chart(staff, periods, _("Final score, quarter by quarter"))
    tied = sum(1 for r in table.rows if r.result.rank == result.rank) if result.rank else 0
    override = row.override
    return render(
        request,
        "efficiency/appraisal/card.html",
        {
            "period": period,
            "periods": list(_published_periods()) if everyone else [],
            "row": row,
            "facts": row.facts,
            "result": result,
            "table": table,
            "criteria_lines": _criterion_lines(table, result),
            "missing": [c.name for c in table.criteria if c.code in result.missing_criteria],
            "deductions": _deduction_lines(row.facts),
            "grade_sentences": _grade_sentences(table, result, period),
            "tied_with": tied - 1 if tied > 1 else 0,
            "override": override,
            "decided_by": (
                (
                    getattr(getattr(override.decided_by, "staff", None), "name", "")
                    or override.decided_by.get_full_name()
                    or override.decided_by.username
                )
                if override
                else ""
            ),
            "chart": chart,
            "chart_points": chart_points,
            "everyone": everyone,
            "can_override": everyone
            and request.user.has_perm("efficiency.override_grade")
            and period.state != PeriodState.LOCKED,
            "active": "ranking_staff" if everyone else "",
            **_nav(period),
        },
    )


# --- trends -------------------------------------------------------------------------------


def _quarter_label(period: Period, how_many: int) -> str:
    # Long labels crowd the axis beyond six quarters; the code form stays readable.
    label = str(period) if how_many <= 6 else period.code
    # An open quarter's numbers still move as marks come in: say so on the axis.
    return f"{label}*" if period.state == PeriodState.OPEN else label


class TrendForm(forms.Form):
    staff = forms.CharField(
        label=gettext_lazy("Staff number or name"),
        required=False,
        max_length=30,
        widget=forms.TextInput(
            attrs={"class": "form-control", "type": "search", "autocomplete": "off"}
        ),
    )


def _staff_for_trend(request: HttpRequest, text: str) -> Staff | None:
    matches = list(
        Staff.objects.filter(Q(staff_no=text) | Q(name=text)).select_related("section")[:5]
    )
    exact = [s for s in matches if s.staff_no == text]
    if exact:
        return exact[0]
    if len(matches) == 1:
        return matches[0]
    if matches:
        messages.warning(
            request,
            _("Several people are called %(name)s; enter the staff number: %(numbers)s.")
            % {
                "name": text,
                "numbers": "、".join(f"{s.staff_no}（{s.section.name}）" for s in matches),
            },
        )
    else:
        messages.error(
            request, _("No staff member has the number or name “%(text)s”.") % {"text": text}
        )
    return None


@login_required
@permission_required("efficiency.view_results", raise_exception=True)
def trends(request: HttpRequest) -> HttpResponse:
    periods = list(reversed(_published_periods()))
    labels = [_quarter_label(p, len(periods)) for p in periods]
    series = results.section_trends(periods)
    order = [name for name in Section.objects.values_list("name", flat=True) if name in series]
    order += sorted(set(series) - set(order))
    section_rows = [(name, series[name]) for name in order]
    section_chart = charts.line_chart(
        title=_("Sections' final scores by quarter"),
        x_labels=labels,
        series=[(name, [p.final for p in points]) for name, points in section_rows],
        y_title=_("Final score"),
    )
    form = TrendForm(request.GET or None)
    person = person_chart = None
    person_points: list = []
    if form.is_bound:
        if not form.is_valid():
            messages.error(
                request, _("Some filters were not valid; correct them and filter again.")
            )
        elif form.cleaned_data["staff"].strip():
            person = _staff_for_trend(request, form.cleaned_data["staff"].strip())
            if person is not None:
                person_chart, person_points = _person_chart(
                    person,
                    periods,
                    _("%(name)s's final score by quarter") % {"name": person.name},
                )
    return render(
        request,
        "efficiency/appraisal/trends.html",
        {
            "periods": periods,
            "labels": labels,
            "section_chart": section_chart if section_rows else "",
            "section_rows": section_rows,
            "has_open": any(p.state == PeriodState.OPEN for p in periods),
            "form": form,
            "person": person,
            "person_chart": person_chart,
            "person_points": person_points,
            "years": _years(),
            "active": "trends",
            **_nav(periods[-1] if periods else None),
        },
    )


# --- annual -------------------------------------------------------------------------------


def _years() -> list[int]:
    return sorted(set(_published_periods().values_list("year", flat=True)), reverse=True)


@dataclass(frozen=True)
class AnnualLine:
    row: results.AnnualRow
    quarters: list  # (Period, results.Row | None), one per quarter of the year
    notes: list[str]


@login_required
@permission_required("efficiency.view_results", raise_exception=True)
def annual(request: HttpRequest, year: int) -> HttpResponse:
    if not 2000 <= year <= 2100:
        raise Http404
    rollup = results.annual_rollup(year)
    form, page = _filtered(request, rollup.rows)
    by_key = {row.facts.key: row for row in rollup.rows}
    warnings = []
    for warning in rollup.result.warnings:
        names = _names(by_key, warning.subject_keys)
        if warning.code == WarningCode.TIE_ON_QUOTA_LINE:
            warnings.append(
                _(
                    "%(count)s people are tied on the line of the “优秀” quota (%(quota)s "
                    "places): %(names)s. By the rules all of them were graded “称职”; the "
                    "leadership group should decide."
                )
                % {"count": len(warning.subject_keys), "quota": rollup.result.quota, "names": names}
            )
        else:
            warnings.append(f"{warning.detail}: {names}")
    lines = [
        AnnualLine(
            row=row,
            quarters=[(p, row.quarters.get(p.code)) for p in rollup.periods],
            notes=annual_notes(row.result),
        )
        for row in page.object_list
    ]
    counts = {grade: 0 for grade in AnnualGrade}
    for row in rollup.rows:
        if row.result.grade is not None:
            counts[row.result.grade] += 1
    return render(
        request,
        "efficiency/appraisal/annual.html",
        {
            "year": year,
            "years": _years(),
            "rollup": rollup,
            "lines": lines,
            "page": page,
            "form": form,
            "query": _page_query(request),
            "warnings": warnings,
            "grade_counts": [(grade.label, counts[grade]) for grade in AnnualGrade],
            "chart": charts.bar_chart(
                title=_("Annual grades"),
                x_labels=[grade.label for grade in AnnualGrade],
                series=[(_("People"), [counts[grade] for grade in AnnualGrade])],
                width=720,
                height=240,
            )
            if rollup.rows
            else "",
            "active": "annual",
            **_nav(year=year),
        },
    )
