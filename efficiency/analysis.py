"""Where the office goes wrong: incident analytics for a span of days (issue 13).

One module feeds the analytics page, the 三误通报 PDF and the clause review, so a count a leader
sees on screen is the count printed on paper. Every count is made in SQL (GROUP BY), so the
number and size of the queries stay flat as incidents grow; rates are Decimal percentages,
rounded half-up once, here.

A :class:`Scope` says what is counted: the incidents that happened in a span, in some sections
(a section head's own) or all, of one kind or all. "Established" means verified or handled
(``ESTABLISHED_STATUSES``); a dismissal rate is dismissed ÷ decided (established + dismissed);
an appeals-upheld rate is (upheld + upheld in part) ÷ decided appeals.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import ExtractMonth, ExtractQuarter, ExtractYear
from django.utils.translation import gettext as _

from efficiency import results, scoring, spans
from efficiency.models import Incident, Period, PeriodState, Section, Standard
from efficiency.models.incidents import (
    ESTABLISHED_STATUSES,
    AppealStatus,
    IncidentKind,
    IncidentResponsible,
    IncidentStatus,
    Severity,
)
from efficiency.quarters import Quarter

# An alert is raised when a clause recurs this often in one section in one quarter, or for one
# person in one calendar year (issue 13 §2).
SECTION_REPEATS = 3
PERSON_REPEATS = 2

Month = tuple[int, int]


@dataclass(frozen=True)
class Scope:
    span: spans.Span
    sections: tuple[int, ...] | None = None  # None: every section; a head: their own
    kind: str = ""  # an IncidentKind value, or "" for every kind

    def incidents(self) -> QuerySet[Incident]:
        """Every incident the scope covers, in any status."""
        found = Incident.objects.filter(occurred_on__range=(self.span.first, self.span.last))
        if self.sections is not None:
            found = found.filter(section_id__in=self.sections)
        if self.kind:
            found = found.filter(kind=self.kind)
        return found.order_by()

    def established(self) -> QuerySet[Incident]:
        return self.incidents().filter(status__in=ESTABLISHED_STATUSES)

    def section_list(self) -> list[Section]:
        """The sections the scope shows as rows: the chosen ones, or every active section and
        any inactive one with incidents in the span."""
        if self.sections is not None:
            return list(Section.objects.filter(pk__in=self.sections))
        used = self.incidents().values("section_id")
        return list(Section.objects.filter(Q(active=True) | Q(pk__in=used)))


def rate(part: int, whole: int) -> Decimal | None:
    """``part`` of ``whole`` as a percentage with one decimal, half-up; None when whole is 0."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _month_of():
    return {"year": ExtractYear("occurred_on"), "month": ExtractMonth("occurred_on")}


# --- heatmap ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Heatmap:
    """Established incidents by section × month."""

    sections: list[Section]
    months: list[Month]
    counts: dict[tuple[int, Month], int]  # (section_id, (year, month)) -> count; 0 left out
    row_totals: dict[int, int]  # section_id -> count
    column_totals: dict[Month, int]
    total: int

    def count(self, section_id: int, month: Month) -> int:
        return self.counts.get((section_id, month), 0)

    def values(self) -> list[list[int]]:
        """The grid as rows of counts, one row per section, one column per month."""
        return [[self.count(s.pk, m) for m in self.months] for s in self.sections]


def heatmap(scope: Scope) -> Heatmap:
    rows = (
        scope.established()
        .values("section_id", **_month_of())
        .annotate(n=Count("pk"))
        .values_list("section_id", "year", "month", "n")
    )
    counts: dict[tuple[int, Month], int] = {}
    row_totals: dict[int, int] = defaultdict(int)
    column_totals: dict[Month, int] = defaultdict(int)
    for section_id, year, month, n in rows:
        counts[(section_id, (year, month))] = n
        row_totals[section_id] += n
        column_totals[(year, month)] += n
    sections = scope.section_list()
    months = scope.span.months
    return Heatmap(
        sections=sections,
        months=months,
        counts=counts,
        row_totals={s.pk: row_totals.get(s.pk, 0) for s in sections},
        column_totals={m: column_totals.get(m, 0) for m in months},
        total=sum(counts.values()),
    )


# --- over time -------------------------------------------------------------------------------


@dataclass(frozen=True)
class OverTime:
    """Established incidents per month, by kind and by severity."""

    months: list[Month]
    by_kind: dict[str, list[int]]  # IncidentKind value -> a count per month
    by_severity: dict[str, list[int]]  # Severity value -> a count per month
    totals: list[int]  # a count per month

    @property
    def total(self) -> int:
        return sum(self.totals)


def over_time(scope: Scope) -> OverTime:
    months = scope.span.months
    column = {m: index for index, m in enumerate(months)}
    by_kind = {kind.value: [0] * len(months) for kind in IncidentKind}
    by_severity = {severity.value: [0] * len(months) for severity in Severity}
    totals = [0] * len(months)
    rows = (
        scope.established()
        .values("kind", "severity", **_month_of())
        .annotate(n=Count("pk"))
        .values_list("kind", "severity", "year", "month", "n")
    )
    for kind, severity, year, month, n in rows:
        index = column[(year, month)]
        by_kind[kind][index] += n
        by_severity[severity][index] += n
        totals[index] += n
    return OverTime(months=months, by_kind=by_kind, by_severity=by_severity, totals=totals)


# --- clauses ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClauseRow:
    standard_id: int
    code: str
    text: str
    kind: str
    reported: int  # every incident under the clause, in any status
    established: int
    dismissed: int
    dismissal_rate: Decimal | None  # percent of decided ones dismissed
    appeals: int
    appeals_decided: int
    appeals_upheld: int  # upheld, wholly or in part
    upheld_rate: Decimal | None  # percent of decided appeals upheld
    sections: list[str] = field(default_factory=list)  # where it was established
    dismissal_reasons: list[str] = field(default_factory=list)
    appeal_reasons: list[str] = field(default_factory=list)

    @property
    def decided(self) -> int:
        return self.established + self.dismissed

    @property
    def kind_label(self) -> str:
        return str(IncidentKind(self.kind).label)


_UPHELD = (AppealStatus.UPHELD, AppealStatus.PARTLY_UPHELD)
_APPEAL_DECIDED = (*_UPHELD, AppealStatus.REJECTED)


def clause_stats(scope: Scope, *, reasons: bool = True) -> list[ClauseRow]:
    """Per clause used in the scope: counts, rates and the sections concerned, most
    established first. ``reasons``: also the free-text reasons given for dismissals and appeal
    decisions (the clause review reads them; the page leaves them out, as they grow with the
    number of incidents)."""
    counted = (
        scope.incidents()
        .values("standard_id")
        .annotate(
            reported=Count("pk"),
            established=Count("pk", filter=Q(status__in=ESTABLISHED_STATUSES)),
            dismissed=Count("pk", filter=Q(status=IncidentStatus.DISMISSED)),
            appeals=Count("pk", filter=~Q(appeal_status="")),
            appeals_decided=Count("pk", filter=Q(appeal_status__in=_APPEAL_DECIDED)),
            appeals_upheld=Count("pk", filter=Q(appeal_status__in=_UPHELD)),
        )
        .values_list(
            "standard_id",
            "reported",
            "established",
            "dismissed",
            "appeals",
            "appeals_decided",
            "appeals_upheld",
        )
    )
    counts = {row[0]: row[1:] for row in counted}
    if not counts:
        return []
    standards = Standard.objects.in_bulk(list(counts))
    section_names: dict[int, list[str]] = defaultdict(list)
    pairs = (
        scope.established()
        .values_list("standard_id", "section__name", "section__order", "section__code")
        .distinct()
    )
    for standard_id, name, _order, _code in sorted(pairs, key=lambda p: (p[2], p[3])):
        section_names[standard_id].append(name)
    dismissal_reasons: dict[int, list[str]] = defaultdict(list)
    appeal_reasons: dict[int, list[str]] = defaultdict(list)
    if reasons:
        for standard_id, text in (
            scope.incidents()
            .filter(status=IncidentStatus.DISMISSED)
            .exclude(dismissal_reason="")
            .exclude(appeal_status=AppealStatus.UPHELD)  # its reason is the appeal's
            .order_by("occurred_on", "pk")
            .values_list("standard_id", "dismissal_reason")
        ):
            dismissal_reasons[standard_id].append(text)
        for standard_id, text in (
            scope.incidents()
            .filter(appeal_status__in=_APPEAL_DECIDED)
            .exclude(appeal_reason="")
            .order_by("occurred_on", "pk")
            .values_list("standard_id", "appeal_reason")
        ):
            appeal_reasons[standard_id].append(text)
    rows = []
    for standard_id, (reported, est, dismissed, appeals, decided, upheld) in counts.items():
        standard = standards[standard_id]
        rows.append(
            ClauseRow(
                standard_id=standard_id,
                code=standard.code,
                text=standard.text,
                kind=standard.kind,
                reported=reported,
                established=est,
                dismissed=dismissed,
                dismissal_rate=rate(dismissed, est + dismissed),
                appeals=appeals,
                appeals_decided=decided,
                appeals_upheld=upheld,
                upheld_rate=rate(upheld, decided),
                sections=section_names.get(standard_id, []),
                dismissal_reasons=dismissal_reasons.get(standard_id, []),
                appeal_reasons=appeal_reasons.get(standard_id, []),
            )
        )
    rows.sort(key=lambda r: (-r.established, -r.reported, r.code))
    return rows


def unused_clauses(scope: Scope) -> list[Standard]:
    """Active clauses in force for some day of the span that no incident in the scope cites."""
    span = scope.span
    standards = Standard.objects.filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=span.last),
        Q(valid_until__isnull=True) | Q(valid_until__gte=span.first),
        active=True,
    )
    if scope.kind:
        standards = standards.filter(kind=scope.kind)
    used = scope.incidents().filter(standard_id=OuterRef("pk"))
    return list(standards.filter(~Exists(used)).order_by("kind", "code"))


# --- repeat alerts ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Alert:
    """A clause that keeps recurring: in one section in a quarter, or for one person in a year."""

    kind: str  # "section" or "person"
    code: str  # the clause
    standard_id: int
    section_id: int | None  # "section" alerts
    staff_id: int | None  # "person" alerts
    staff_no: str
    who: str  # the section's or the person's name
    span: spans.Span  # the quarter or year, within the scope's span
    count: int
    sentence: str
    numbers: list[str]  # the established incidents behind it


def _clipped(span: spans.Span, scope: Scope) -> spans.Span:
    """The alert's quarter or year as far as the scope's span covers it."""
    first, last = max(span.first, scope.span.first), min(span.last, scope.span.last)
    if (first, last) == (span.first, span.last):
        return span
    if (first, last) == (scope.span.first, scope.span.last):
        return scope.span
    return spans.Span("range", first, last)


def _when(span: spans.Span, scope: Scope) -> str:
    """How a sentence names the alert's span: 本季度 when it is the span chosen."""
    if span == scope.span:
        return {
            "month": _("this month"),
            "quarter": _("this quarter"),
            "year": _("this year"),
        }.get(span.kind, _("in the chosen span"))
    return span.label


def repeat_alerts(scope: Scope) -> list[Alert]:
    """Section alerts (a clause ≥ 3 times in one section in one quarter), then person alerts
    (a clause ≥ 2 times for one person in one calendar year), established incidents only,
    each with a sentence saying what to do and the numbers behind it."""
    established = scope.established()
    section_groups = list(
        established.values(
            "standard_id",
            "section_id",
            year=ExtractYear("occurred_on"),
            quarter=ExtractQuarter("occurred_on"),
        )
        .annotate(n=Count("pk"))
        .filter(n__gte=SECTION_REPEATS)
        .values_list("standard_id", "section_id", "year", "quarter", "n")
    )
    person_groups = list(
        IncidentResponsible.objects.filter(incident__in=established)
        .values("staff_id", "incident__standard_id", year=ExtractYear("incident__occurred_on"))
        .annotate(n=Count("incident_id"))
        .filter(n__gte=PERSON_REPEATS)
        .values_list("staff_id", "incident__standard_id", "year", "n")
        .order_by()
    )
    if not section_groups and not person_groups:
        return []
    standard_ids = {g[0] for g in section_groups} | {g[1] for g in person_groups}
    codes = dict(Standard.objects.filter(pk__in=standard_ids).values_list("pk", "code"))
    section_names = dict(
        Section.objects.filter(pk__in={g[1] for g in section_groups}).values_list("pk", "name")
    )
    # The incidents behind the alerts: one query each, limited to the clauses flagged.
    behind: dict[tuple, list[tuple[datetime.date, str]]] = defaultdict(list)
    flagged_sections = {(g[0], g[1], g[2], g[3]) for g in section_groups}
    if section_groups:
        for standard_id, section_id, occurred_on, number in established.filter(
            standard_id__in={g[0] for g in section_groups},
            section_id__in={g[1] for g in section_groups},
        ).values_list("standard_id", "section_id", "occurred_on", "number"):
            key = (standard_id, section_id, occurred_on.year, (occurred_on.month - 1) // 3 + 1)
            if key in flagged_sections:
                behind[("section", *key)].append((occurred_on, number))
    people: dict[int, tuple[str, str]] = {}
    flagged_people = {(g[0], g[1], g[2]) for g in person_groups}
    if person_groups:
        for staff_id, staff_no, name, standard_id, occurred_on, number in (
            IncidentResponsible.objects.filter(
                incident__in=established,
                staff_id__in={g[0] for g in person_groups},
                incident__standard_id__in={g[1] for g in person_groups},
            )
            .order_by()
            .values_list(
                "staff_id",
                "staff__staff_no",
                "staff__name",
                "incident__standard_id",
                "incident__occurred_on",
                "incident__number",
            )
        ):
            people[staff_id] = (staff_no, name)
            key = (staff_id, standard_id, occurred_on.year)
            if key in flagged_people:
                behind[("person", *key)].append((occurred_on, number))

    alerts = []
    for standard_id, section_id, year, number, n in section_groups:
        quarter = _clipped(spans.quarter(Quarter(year, number)), scope)
        alerts.append(
            Alert(
                kind="section",
                code=codes[standard_id],
                standard_id=standard_id,
                section_id=section_id,
                staff_id=None,
                staff_no="",
                who=section_names[section_id],
                span=quarter,
                count=n,
                sentence=_(
                    "The same clause (%(code)s) has occurred %(count)s times in %(section)s "
                    "%(quarter)s: consider fixing the process."
                )
                % {
                    "code": codes[standard_id],
                    "count": n,
                    "section": section_names[section_id],
                    "quarter": _when(quarter, scope),
                },
                numbers=[
                    num
                    for _day, num in sorted(
                        behind[("section", standard_id, section_id, year, number)]
                    )
                ],
            )
        )
    for staff_id, standard_id, year, n in person_groups:
        staff_no, name = people[staff_id]
        within = _clipped(spans.year(year), scope)
        alerts.append(
            Alert(
                kind="person",
                code=codes[standard_id],
                standard_id=standard_id,
                section_id=None,
                staff_id=staff_id,
                staff_no=staff_no,
                who=name,
                span=within,
                count=n,
                sentence=_(
                    "%(name)s has broken the same clause (%(code)s) %(count)s times %(year)s: "
                    "consider a reminder talk."
                )
                % {
                    "name": name,
                    "code": codes[standard_id],
                    "count": n,
                    "year": _when(within, scope),
                },
                numbers=[
                    num for _day, num in sorted(behind[("person", staff_id, standard_id, year)])
                ],
            )
        )
    alerts.sort(key=lambda a: (a.kind != "section", -a.count, a.span.first, a.code, a.who))
    return alerts


# --- grades ----------------------------------------------------------------------------------

GRADES = (
    scoring.Grade.GOOD,
    scoring.Grade.FAIRLY_GOOD,
    scoring.Grade.AVERAGE,
    scoring.Grade.POOR,
)


@dataclass(frozen=True)
class GradeRow:
    label: str  # the quarter's name (2026年第4季度), or the section's name
    key: str  # the quarter's code, or the section's id as text
    counts: dict[str, int]  # Grade value -> people
    undetermined: int  # 不定等次
    not_assessed: int

    @property
    def total(self) -> int:
        return sum(self.counts.values()) + self.undetermined + self.not_assessed

    def ordered(self) -> list[int]:
        return [self.counts.get(grade.value, 0) for grade in GRADES]


@dataclass(frozen=True)
class GradeDistribution:
    """Staff grades per quarter of the span and per section (summed over those quarters).

    Only published quarters (closed for review or locked) count: an open quarter's grades
    are still moving, and a draft one has none. ``pending`` names the quarters left out."""

    quarters: list[GradeRow]
    sections: list[GradeRow]
    pending: list[str]  # codes of quarters in the span opened but not yet published

    @property
    def empty(self) -> bool:
        return not self.quarters


def _quarters_of(span: spans.Span) -> list[Quarter]:
    quarter, last = Quarter.of(span.first), Quarter.of(span.last)
    found = []
    while (quarter.year, quarter.number) <= (last.year, last.number):
        found.append(quarter)
        quarter = quarter.next
    return found


def grade_distribution(scope: Scope) -> GradeDistribution:
    """From each quarter's staff ranking: a locked quarter's is read from its stored ranking,
    a closed one's is the ranking the results pages show (reused while nothing changes)."""
    codes = [q.code for q in _quarters_of(scope.span)]
    periods = {p.code: p for p in Period.objects.filter(code__in=codes)}
    allowed = None if scope.sections is None else set(scope.sections)
    by_quarter = []
    per_section: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    pending = []
    for code in codes:
        period = periods.get(code)
        if period is None or period.state == PeriodState.DRAFT:
            continue
        if period.state == PeriodState.OPEN:
            pending.append(code)
            continue
        counts: dict[str, int] = defaultdict(int)
        for row in results.ranking(period, results.STAFF).rows:
            if allowed is not None and row.facts.section_id not in allowed:
                continue
            if not row.result.assessed:
                bucket = "not_assessed"
            elif row.undetermined or row.counted_grade is None:
                bucket = "undetermined"
            else:
                bucket = row.counted_grade.value
            counts[bucket] += 1
            per_section[row.facts.section_id][bucket] += 1
        by_quarter.append(_grade_row(period_label(period), code, counts))
    sections = Section.objects.filter(pk__in=list(per_section))
    return GradeDistribution(
        quarters=by_quarter,
        sections=[_grade_row(s.name, str(s.pk), per_section[s.pk]) for s in sections],
        pending=pending,
    )


def period_label(period: Period) -> str:
    return spans.quarter(Quarter(period.year, period.quarter)).label


def _grade_row(label: str, key: str, counts: dict[str, int]) -> GradeRow:
    return GradeRow(
        label=label,
        key=key,
        counts={grade.value: counts.get(grade.value, 0) for grade in GRADES},
        undetermined=counts.get("undetermined", 0),
        not_assessed=counts.get("not_assessed", 0),
    )
