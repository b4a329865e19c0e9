"""The 个人小结 and 年度个人总结 sheets: summaries handed in on paper, typed in by a section head
(their own sections) or the administrator. Every row is written by
``services.summaries.enter_for``, so its rules hold here as on the page: the quarter or year
open for summaries, the person on its roster, the importer allowed to enter for them, an
accepted summary left alone. The rows are checked against the same rules first, so a file with
one bad row writes nothing.

One importer serves both sheets: :class:`SummaryImporter` (a quarter per row, under 考核期) and
:class:`YearSummaryImporter` (a year per row, under 年度) say only how a row names its
:class:`~efficiency.services.summaries.Subject` and when that subject takes no summaries.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from efficiency.models import AnnualSummary, Period, PeriodState, Summary, SummaryStatus
from efficiency.services import ServiceError
from efficiency.services import summaries as services

from . import cleaners, layouts
from .engine import MISSING, Action, Cells, Change, Importer, Problem, RowPlan
from .reader import Table
from .roster import StaffLookup


@dataclass
class SummaryRow:
    subject: services.Subject
    staff: object
    text: str


class SubjectSummaryImporter(Importer):
    """The rules both summary sheets share. A subclass names its columns and says, through
    :meth:`subjects` and :meth:`closed`, which quarter or year a row is about and whether it
    takes summaries now."""

    model: type  # Summary or AnnualSummary: its MAX_LENGTH is the text column's limit

    @property
    def subject_column(self) -> str:
        """The first column names the quarter or year (考核期, 年度)."""
        return self.layout.columns[0].name

    @property
    def text_column(self) -> str:
        """The last column holds the summary (个人小结, 年度个人总结)."""
        return self.layout.columns[-1].name

    @staticmethod
    def clean_subject(value):
        """The subject's key as the row names it (a quarter code, a year); raises CellError."""
        raise NotImplementedError

    def subjects(self, keys: set) -> dict:
        """The subjects the keys name, by key; a key left out is reported by :meth:`unknown`."""
        raise NotImplementedError

    def unknown(self, key) -> str:
        raise NotImplementedError

    def closed(self, subject: services.Subject) -> str | None:
        """Why this subject's summaries cannot be entered now, or None."""
        raise NotImplementedError

    def refusal(self) -> str | None:
        if self.actor is None:
            return _(
                "Importing summaries needs --user: the administrator or section head who "
                "enters them."
            )
        if not (
            services.is_administrator(self.actor)
            or (
                self.actor.has_perm("efficiency.view_section_incidents")
                and self.actor.headed_sections.exists()
            )
        ):
            return _("You are not allowed to import the “%(title)s” sheet.") % {
                "title": self.layout.title
            }
        return None

    def load(self, table: Table) -> None:
        keys = set()
        for row in table.rows:
            try:
                keys.add(self.clean_subject(row.values.get(self.subject_column)))
            except cleaners.CellError:
                pass  # left to the row's own check to report
        self.by_key = self.subjects(keys)
        self.refusals = {key: self.closed(subject) for key, subject in self.by_key.items()}
        self.rosters = {
            key: set(subject.roster().values_list("pk", flat=True))
            for key, subject in self.by_key.items()
        }
        self.existing = {
            (key, summary.staff_id): summary
            for key, subject in self.by_key.items()
            for summary in subject.model.objects.filter(**subject.key)
        }
        self.staff = StaffLookup()
        self.administrator = services.is_administrator(self.actor)
        self.headed = set(self.actor.headed_sections.values_list("pk", flat=True))

    def plan(self, table: Table) -> list[RowPlan]:
        plans = []
        seen: dict[tuple, int] = {}
        named = set()
        for row in table.rows:
            plan = RowPlan(row=row.number)
            cells = Cells(row, plan)
            key, payload = self._row(cells, plan)
            if payload is not None:
                ident = (key, payload.staff.pk)
                if ident in seen:
                    plan.problem(
                        "工号",
                        _("“%(value)s” already appears on row %(row)s")
                        % {"value": payload.staff.staff_no, "row": seen[ident]},
                    )
                    payload = None
                else:
                    seen[ident] = row.number
                    named.add(key)
                    self._changes(plan, key, payload)
            plan.payload = payload
            plans.append(plan)
        if len(named) == 1:
            self.period = self.by_key[named.pop()].period
        return plans

    def _row(self, cells: Cells, plan: RowPlan) -> tuple[object, SummaryRow | None]:
        key = cells.get(self.subject_column, self.clean_subject, required=True)
        number = cells.get("工号", cleaners.staff_no, required=True)
        # A blank summary is a row of the exported list nobody has filled in: skipped.
        text = cells.get(self.text_column, cleaners.text, max_length=self.model.MAX_LENGTH)
        if text is MISSING and cells.blank(self.text_column):
            plan.notes.append(_("No summary in this row."))
        subject = None
        if key is not MISSING:
            subject = self.by_key.get(key)
            refusal = self.unknown(key) if subject is None else self.refusals[key]
            if refusal:
                plan.problem(self.subject_column, refusal)
                subject = None
        staff = self._staff(number, plan, key, subject) if number is not MISSING else None
        if subject is None or staff is None or text is MISSING:
            return key, None
        return key, SummaryRow(subject=subject, staff=staff, text=text)

    def _staff(self, number, plan: RowPlan, key, subject: services.Subject | None):
        staff = self.staff.person(plan, "工号", *number)
        if staff is None:
            return None
        if not self.administrator and staff.section_id not in self.headed:
            plan.problem(
                "工号",
                _(
                    "%(name)s works in %(section)s; you enter summaries only for the "
                    "sections you head"
                )
                % {"name": staff.name, "section": staff.section.name},
            )
            return None
        if subject is not None and staff.pk not in self.rosters[key]:
            plan.problem(
                "工号",
                _("%(name)s is not on the roster in %(code)s.")
                % {"name": staff.name, "code": subject.label},
            )
            return None
        return staff

    def _changes(self, plan: RowPlan, key, payload: SummaryRow) -> None:
        existing = self.existing.get((key, payload.staff.pk))
        if existing is not None and existing.status == SummaryStatus.ACCEPTED:
            plan.problem(
                self.text_column,
                _("the %(summary)s of %(name)s has been accepted; it no longer changes")
                % {"summary": payload.subject.noun, "name": payload.staff.name},
            )
            return
        if (
            existing is not None
            and existing.status == SummaryStatus.SUBMITTED
            and existing.text == payload.text
        ):
            return
        plan.changes.append(
            Change(self.text_column, existing.text if existing else "", payload.text)
        )
        plan.action = Action.UPDATE if existing is not None else Action.CREATE

    def write(self, plans: list[RowPlan]) -> None:
        for plan in plans:
            row: SummaryRow = plan.payload
            if row is None or not plan.changes:
                continue
            try:
                services.enter_for(
                    actor=self.actor, staff=row.staff, text=row.text, **row.subject.key
                )
            except ServiceError as error:
                # The service's own refusal, said of the row it came from; sheets.run rolls
                # back every row written before it.
                raise ServiceError(str(Problem(plan.row, None, error.message))) from None


class SummaryImporter(SubjectSummaryImporter):
    """个人小结: a quarter's, while its period is open or closed for review."""

    layout = layouts.SUMMARIES
    model = Summary
    clean_subject = staticmethod(cleaners.period)

    def subjects(self, keys: set) -> dict:
        return {
            period.code: services.subject_of(period=period)
            for period in Period.objects.filter(code__in=keys)
        }

    def unknown(self, key) -> str:
        return _("there is no period %(code)s") % {"code": key}

    def closed(self, subject: services.Subject) -> str | None:
        period = subject.period
        if period.state in (PeriodState.OPEN, PeriodState.CLOSED):
            return None
        return _(
            "period %(code)s is “%(state)s”; summaries are entered only while it is open or "
            "closed for review"
        ) % {"code": period.code, "state": period.get_state_display()}


class YearSummaryImporter(SubjectSummaryImporter):
    """年度个人总结: a year's, from the opening of its fourth quarter until its result notices
    are issued (the service's own check and message)."""

    layout = layouts.YEAR_SUMMARIES
    model = AnnualSummary
    clean_subject = staticmethod(cleaners.year)

    def subjects(self, keys: set) -> dict:
        return {year: services.subject_of(year=year) for year in keys}

    def unknown(self, key) -> str:  # every year the cleaner accepts is a subject
        return ""

    def closed(self, subject: services.Subject) -> str | None:
        try:
            subject.check_writable()
        except ServiceError as error:
            return error.message
        return None
