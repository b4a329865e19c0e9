"""Workbooks out: each sheet's blank template and export, the quarter's rankings and the
year's roll-up. Numbers come from :mod:`efficiency.results` only.

Workbooks are the office's paperwork, so they are always written in Chinese
(``translation.override("zh-hans")``), whatever language the pages are read in; their
column names are the layouts' Chinese literals, so an exported sheet imports again unchanged.
"""

from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from efficiency import results, selectors, wording
from efficiency.models import (
    Criterion,
    Incident,
    IncidentResponsible,
    Period,
    PeriodState,
    Score,
    Section,
    Staff,
    Standard,
)
from efficiency.models.incidents import number_order
from efficiency.quarters import Quarter
from efficiency.services import appraisal as appraisal_services
from efficiency.services import summaries as summary_services
from efficiency.wording import annual_notes, ranking_remarks

from . import access, layouts, writer
from .layouts import SCORE, Column
from .writer import SheetWriter, new_workbook, notes_sheet, to_bytes

CHUNK = 2000


class ExportRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _today() -> str:
    return timezone.localdate().isoformat()


# --- templates ----------------------------------------------------------------------------------


def template(sheet: str) -> tuple[str, bytes]:
    """The blank template: the header row with drop-downs, and the 填写说明 sheet."""
    if sheet not in layouts.LAYOUTS:
        raise ExportRefused(_("There is no template for “%(sheet)s”.") % {"sheet": sheet})
    with translation.override("zh-hans"):
        layout = layouts.LAYOUTS[sheet]
        if sheet == "scores":
            layout = layouts.scores_layout(_criteria_names(_open_period()))
        if any(c.name == SECTION_COLUMN for c in layout.columns):
            layout = layouts.with_choices(
                layout,
                SECTION_COLUMN,
                _section_names(),
                strict=False,  # a code is fine too
            )
        workbook = new_workbook()
        writer = SheetWriter(workbook, name=layout.title, columns=layout.importable, template=True)
        writer.close()
        notes_sheet(workbook, layout)
        return f"{layout.title}导入模板.xlsx", to_bytes(workbook)


SECTION_COLUMN = "科室"


def _section_names() -> tuple[str, ...]:
    """The active sections, for the 科室 drop-down of the staff and incidents templates."""
    return tuple(Section.objects.filter(active=True).values_list("name", flat=True))


def _open_period() -> Period | None:
    return Period.objects.filter(state=PeriodState.OPEN).order_by("-year", "-quarter").first()


def _criteria_names(period: Period | None) -> list[str]:
    if period is not None:
        return list(period.criteria.values_list("name", flat=True))
    return list(Criterion.objects.filter(active=True).values_list("name", flat=True))


# --- the export entry point ---------------------------------------------------------------------


def export(sheet: str, *, user=None, period: str | None = None) -> tuple[str, bytes]:
    """(file name, xlsx bytes) for one sheet as ``user`` may see it (None: the command line)."""
    if sheet not in access.EXPORT_SHEETS:
        raise ExportRefused(
            _("“%(sheet)s” is not a sheet that can be exported.") % {"sheet": sheet}
        )
    if not access.may_export(user, sheet):
        raise ExportRefused(_("You are not allowed to export this sheet."))
    try:
        return _export(sheet, user, period)
    except writer.CellTooLong as error:
        raise ExportRefused(error.message) from None


def _export(sheet: str, user, period: str | None) -> tuple[str, bytes]:
    with translation.override("zh-hans"):
        if sheet == "sections":
            return _simple(layouts.SECTIONS, _section_rows())
        if sheet == "standards":
            return _simple(layouts.STANDARDS, _standard_rows())
        if sheet == "staff":
            return _simple(layouts.STAFF, _staff_rows(user))
        if sheet == "incidents":
            quarter = _quarter_or_none(period)
            return _simple(layouts.INCIDENTS, _incident_rows(user, quarter), suffix=quarter)
        if sheet == "scores":
            return _scores(user, _period(period, default_open=True))
        if sheet == "attendance":
            return _attendance(_period(period, default_open=True))
        if sheet == "summaries":
            return _summaries(user, _period(period, default_open=True))
        if sheet == "year_summaries":
            return _year_summaries(user, _summary_year(period))
        if sheet == "rankings":
            return _rankings(_period(period, published=True))
        return _annual(_year(period))


def _simple(layout: layouts.Layout, rows, suffix: str | None = None) -> tuple[str, bytes]:
    workbook = new_workbook()
    writer = SheetWriter(workbook, name=layout.title, columns=layout.all_columns)
    for row in rows:
        writer.append(row)
    writer.close()
    name = f"{layout.title}_{suffix or _today()}.xlsx"
    return name, to_bytes(workbook)


def _quarter_or_none(code: str | None) -> str | None:
    if not code:
        return None
    code = code.strip().upper()
    if Quarter.parse(code) is None:
        raise ExportRefused(
            _("“%(code)s” is not a quarter; write it like 2026Q3.") % {"code": code}
        )
    return code


def _period(code: str | None, *, default_open: bool = False, published: bool = False) -> Period:
    if not code and default_open:
        period = _open_period()
        if period is not None:
            return period
    if not code:
        raise ExportRefused(_("Say which quarter, e.g. 2026Q3."))
    code = _quarter_or_none(code)
    period = Period.objects.filter(code=code).first()
    if period is None or (published and period.state == PeriodState.DRAFT):
        raise ExportRefused(_("There is no period %(code)s.") % {"code": code})
    return period


def _year(value: str | None) -> int:
    text = (value or "").strip().upper()
    if Quarter.parse(text) is not None:
        text = text[:4]
    if not (text.isdigit() and len(text) == 4 and 2000 <= int(text) <= 2100):
        raise ExportRefused(_("Say which year, e.g. 2026."))
    return int(text)


# --- rows of the importable sheets ---------------------------------------------------------------


def _attendance(period: Period) -> tuple[str, bytes]:
    """Everyone on the quarter's roster, with what is recorded (0 where nothing is)."""
    people = selectors.attendance_people(period)
    recorded = selectors.attendance_by_staff(period, people.values("pk"))

    def rows() -> Iterator[list]:
        for person in people:
            attendance = recorded.get(person.pk)
            yield [
                period.code,
                person.staff_no,
                person.name,
                attendance.absent_days if attendance else 0,
                attendance.leave_days if attendance else Decimal(0),
                attendance.late_times if attendance else 0,
            ]

    return _simple(layouts.ATTENDANCE, rows(), suffix=period.code)


def _section_rows() -> Iterator[list]:
    for section in Section.objects.order_by("order", "code"):
        yield [section.code, section.name, section.order, layouts.yes_no_label(section.active)]


def _standard_rows() -> Iterator[list]:
    for standard in Standard.objects.order_by("code"):
        yield [
            standard.code,
            layouts.label_of(layouts.KINDS, standard.kind),
            standard.text,
            standard.points_minor,
            standard.points_serious,
            standard.points_grave,
            layouts.yes_no_label(standard.active),
            standard.valid_from,
            standard.valid_until,
        ]


def _staff_rows(user) -> Iterator[list]:
    staff = Staff.objects.filter(section__in=selectors.roster_sections(user)).select_related(
        "section"
    )
    for person in staff.order_by("section__order", "staff_no"):
        yield [
            person.staff_no,
            person.name,
            person.section.name,
            person.post,
            person.start_date,
            person.end_date,
            layouts.label_of(layouts.GENDERS, person.gender) if person.gender else None,
            person.birth_date,
            layouts.label_of(layouts.POLITICAL_STATUSES, person.political_status)
            if person.political_status
            else None,
            person.rank,
            person.duties,
            layouts.label_of(layouts.STAFF_CATEGORIES, person.category),
            person.probation_ends,
            person.post_since,
        ]


def _incident_rows(user, quarter: str | None) -> Iterator[list]:
    incidents = selectors.incidents_visible_to(user) if user else Incident.objects.all()
    if quarter:
        incidents = incidents.filter(occurred_on__range=Quarter.parse(quarter).bounds)
    fields = (
        "pk",
        "number",
        "occurred_on",
        "kind",
        "clause_code",
        "severity",
        "section__name",
        "description",
        "status",
        "handling_decision",
        "dismissal_reason",
        "source",
        "points",
    )
    batch: list[tuple] = []
    ordered = incidents.order_by("occurred_on", *number_order())
    for values in ordered.values_list(*fields).iterator(CHUNK):
        batch.append(values)
        if len(batch) == CHUNK:
            yield from _incidents_with_people(batch)
            batch = []
    yield from _incidents_with_people(batch)


def _incidents_with_people(batch: list[tuple]) -> Iterator[list]:
    if not batch:
        return
    people: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for incident_id, staff_no, name in (
        IncidentResponsible.objects.filter(incident_id__in=[values[0] for values in batch])
        .order_by("staff__section__order", "staff__staff_no")
        .values_list("incident_id", "staff__staff_no", "staff__name")
    ):
        people[incident_id].append((staff_no, name))
    kinds, severities, statuses, decisions, sources = (
        {stored: word for word, stored in options.items()}
        for options in (
            layouts.KINDS,
            layouts.SEVERITIES,
            layouts.STATUSES,
            layouts.DECISIONS,
            layouts.SOURCES,
        )
    )
    for (
        pk,
        number,
        day,
        kind,
        clause,
        severity,
        section,
        text,
        status,
        decision,
        dismissal,
        source,
        points,
    ) in batch:
        named = people.get(pk, ())
        yield [
            number,
            day,
            kinds.get(kind, kind),
            clause,
            severities.get(severity, severity),
            section,
            "、".join(staff_no for staff_no, _name in named),
            text,
            statuses.get(status, status),
            decisions.get(decision, decision),
            dismissal,
            sources.get(source, source),
            "、".join(name for _staff_no, name in named),
            points,
        ]


# --- 评分 -----------------------------------------------------------------------------------------


def assessor_key(user) -> tuple[str, str]:
    """(考评人工号, 考评人): the staff number and name, or the login name without one."""
    staff = getattr(user, "staff", None)
    if staff is not None:
        return staff.staff_no, staff.name
    return user.username, user.get_full_name() or user.username


def _scores(user, period: Period) -> tuple[str, bytes]:
    criteria = list(period.criteria.all())
    layout = layouts.scores_layout([c.name for c in criteria])
    everyone = user is None or user.has_perm("efficiency.view_results")
    scores = Score.objects.filter(period=period).select_related(
        "criterion", "assessor", "assessor__staff", "staff__section", "section"
    )
    if not everyone:
        scores = scores.filter(assessor=user)
    grouped: dict[tuple, dict] = {}
    for score in scores:
        if score.staff_id:
            subject = ("个人", score.staff.section.order, score.staff.staff_no, score.staff.name)
        else:
            subject = ("科室", score.section.order, score.section.code, score.section.name)
        number, name = assessor_key(score.assessor)
        key = (subject[0] != "个人", subject[1], subject[2], number)
        entry = grouped.setdefault(key, {"subject": subject, "assessor": (number, name)})
        entry[score.criterion.code] = score
    if not everyone:
        _add_unmarked(user, period, grouped)
    workbook = new_workbook()
    writer = SheetWriter(workbook, name=layout.title, columns=layout.all_columns)
    for key in sorted(grouped):
        entry = grouped[key]
        kind, _order, number, name = entry["subject"]
        marks = [entry.get(c.code) for c in criteria]
        writer.append(
            [
                period.code,
                kind,
                number,
                name,
                entry["assessor"][0],
                entry["assessor"][1],
                *[score.mark if score else None for score in marks],
                *[score.reason if score else "" for score in marks],
            ]
        )
    writer.close()
    return f"{layout.title}_{period.code}.xlsx", to_bytes(workbook)


def _add_unmarked(user, period: Period, grouped: dict) -> None:
    """An assessor's own sheet lists everyone they may mark, so it is ready to fill in."""
    number, name = assessor_key(user)
    rights = appraisal_services.marking_rights(user)
    orders = dict(Section.objects.values_list("pk", "order"))
    for pk, facts in results.subject_facts(period, results.STAFF).items():
        if not rights.may_mark_staff(pk):
            continue
        subject = ("个人", orders.get(facts.section_id, 0), facts.key, facts.name)
        grouped.setdefault(
            (False, subject[1], facts.key, number), {"subject": subject, "assessor": (number, name)}
        )
    for pk, facts in results.subject_facts(period, results.SECTION).items():
        if not rights.may_mark_section(pk):
            continue
        subject = ("科室", orders.get(facts.section_id, 0), facts.key, facts.name)
        grouped.setdefault(
            (True, subject[1], facts.key, number), {"subject": subject, "assessor": (number, name)}
        )


# --- 个人小结 --------------------------------------------------------------------------------


def _summaries(user, period: Period) -> tuple[str, bytes]:
    """Everyone on the period's roster in the sections the user lists, with their summary (blank
    rows are theirs to fill in from paper and import again)."""
    subject = summary_services.subject_of(period=period)
    return _simple(layouts.SUMMARIES, _summary_rows(user, subject, period.code), period.code)


def _year_summaries(user, year: int) -> tuple[str, bytes]:
    """The year's 年度个人总结 as :func:`_summaries` lists a quarter's: everyone on the year's
    roster (its fourth quarter's) in the sections the user lists."""
    subject = summary_services.subject_of(year=year)
    return _simple(layouts.YEAR_SUMMARIES, _summary_rows(user, subject, year), str(year))


def _summary_rows(user, subject: summary_services.Subject, named) -> Iterator[list]:
    people = subject.roster().select_related("section")
    if user is not None:
        people = people.filter(section__in=summary_services.reviewable_sections(user))
    texts = dict(subject.model.objects.filter(**subject.key).values_list("staff_id", "text"))
    for person in people.order_by("section__order", "section__code", "staff_no"):
        yield [named, person.staff_no, person.name, texts.get(person.pk, "")]


def _summary_year(value: str | None) -> int:
    """The year asked for; by default the open quarter's year, else the latest with a
    period."""
    if value:
        return _year(value)
    period = _open_period() or Period.objects.order_by("-year", "-quarter").first()
    if period is None:
        raise ExportRefused(_("Say which year, e.g. 2026."))
    return period.year


# --- 排名 and 年度 --------------------------------------------------------------------------------


def _criterion_columns(table: results.Ranking) -> list[Column]:
    return [Column(c.name, 10, kind=SCORE) for c in table.criteria]


def _period_subheading(period: Period) -> str:
    return _("Period %(code)s, state: %(state)s. Exported %(when)s.") % {
        "code": period.code,
        "state": period.get_state_display(),
        "when": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
    }


def _remarks(table: results.Ranking, row: results.Row) -> str:
    remarks = ranking_remarks(
        row.result,
        missing=[c.name for c in table.criteria if c.code in row.result.missing_criteria],
        deductions=[d.number for d in row.facts.deductions],
        given=row.progress.given,
        expected=row.progress.expected,
    )
    # A 更正 after lock is shown beside the stored result, never instead of it.
    if row.correction is None:
        return remarks
    return "；".join(text for text in (remarks, row.correction.text) if text)


def _average(row: results.Row, code: str) -> Decimal | None:
    for average in row.result.averages:
        if average.code == code:
            return average.average
    return None


def _pool_names(result) -> dict[str, str] | None:
    """Pool key -> name when the graded are split over quota pools (a 名额池 column), else None."""
    split = wording.split_pools(result.pools)
    return {p.key: p.name for p in result.pools} if split else None


def _ranking_sheet(workbook, table: results.Ranking, *, name: str, heading: str) -> None:
    """One ranking as a sheet: people (with their section, pool and grade) or sections."""
    staff = table.kind == results.STAFF
    pools = _pool_names(table.result) if staff else None
    if staff:
        who = [
            Column("工号", 10, kind=layouts.STAFF_NO),
            Column("姓名", 10),
            Column("科室", 12),
            *([Column("名额池", 12)] if pools else []),
        ]
    else:
        who = [Column("科室代码", 10), Column("科室名称", 12)]
    columns = [
        Column("排名", 6, kind=layouts.INT),
        *who,
        *_criterion_columns(table),
        Column("基础分", 9, kind=SCORE),
        Column("扣分", 8, kind=SCORE),
        Column("最终得分", 10, kind=SCORE),
        *([Column("等次", 8)] if staff else []),
        Column("备注", 40, wrap=True),
    ]
    writer = SheetWriter(
        workbook,
        name=name,
        columns=columns,
        heading=heading,
        subheading=_period_subheading(table.period),
    )
    for row in table.rows:
        result = row.result
        grade = (
            result.grade.label
            if result.grade
            else _("No grade determined")
            if result.undetermined
            else _("Not assessed")
        )
        writer.append(
            [
                result.rank,
                row.facts.key,
                row.facts.name,
                *([row.facts.section] if staff else []),
                *([pools.get(row.pool, "")] if pools else []),
                *[_average(row, c.code) for c in table.criteria],
                result.base,
                result.deductions_total,
                result.final,
                *([grade] if staff else []),
                _remarks(table, row),
            ]
        )
    writer.close()


def _rankings(period: Period) -> tuple[str, bytes]:
    workbook = new_workbook()
    _ranking_sheet(
        workbook,
        results.ranking(period, results.STAFF),
        name="个人排名",
        heading=_("Ranking of staff, %(period)s") % {"period": str(period)},
    )
    _ranking_sheet(
        workbook,
        results.ranking(period, results.SECTION),
        name="科室排名",
        heading=_("Ranking of sections, %(period)s") % {"period": str(period)},
    )
    return f"考核排名_{period.code}.xlsx", to_bytes(workbook)


def _annual_remarks(result, row: results.AnnualRow) -> str:
    notes = [
        f"{code} {_('Not assessed')}"
        for code, quarter in row.quarters.items()
        if quarter is None or not quarter.result.assessed
    ]
    if row.undetermined and row.standing_reason_label:
        notes.append(row.standing_reason_label)
    notes.extend(annual_notes(result))
    return "；".join(notes)


def _annual(year: int) -> tuple[str, bytes]:
    rollup = results.annual_rollup(year)
    workbook = new_workbook()
    quarters = [Column(f"{p.code}", 10, kind=SCORE) for p in rollup.periods]
    pools = _pool_names(rollup.result)
    columns = [
        Column("排名", 6, kind=layouts.INT),
        Column("工号", 10, kind=layouts.STAFF_NO),
        Column("姓名", 10),
        Column("科室", 12),
        *([Column("名额池", 12)] if pools else []),
        *quarters,
        Column("年度得分", 10, kind=SCORE),
        Column("等次", 9),
        Column("审定等次", 9),
        Column("备注", 40, wrap=True),
    ]
    heading = _("Annual appraisal %(year)s") % {"year": year}
    subheading = _(
        "From the closed and locked quarters of %(year)s: %(quarters)s. Exported %(when)s."
    ) % {
        "year": year,
        "quarters": "、".join(p.code for p in rollup.periods) or "—",
        "when": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
    }
    writer = SheetWriter(
        workbook, name="年度考核", columns=columns, heading=heading, subheading=subheading
    )
    decided = results.annual_decided_labels(year, rollup.rows)
    for row in rollup.rows:
        result = row.result
        finals = []
        for period in rollup.periods:
            quarter = row.quarters.get(period.code)
            finals.append(quarter.result.final if quarter and quarter.result.assessed else None)
        writer.append(
            [
                result.rank,
                row.facts.key,
                row.facts.name,
                row.facts.section,
                *([pools.get(row.pool, "")] if pools else []),
                *finals,
                result.score,
                row.grade_label
                or (_("No grade determined") if row.undetermined else _("Not assessed")),
                decided.get(row.facts.key, ""),
                _annual_remarks(result, row),
            ]
        )
    writer.close()
    return f"年度考核_{year}.xlsx", to_bytes(workbook)
