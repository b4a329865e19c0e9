"""The 个人小结 sheet: summaries handed in on paper, typed in by a section head (their own
sections) or the administrator. Every row is written by ``services.summaries.enter_for``, so
its rules hold here as on the page: the period open (not locked), the person on its roster,
the importer allowed to enter for them, an accepted summary left alone. The rows are checked
against the same rules first, so a file with one bad row writes nothing.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from efficiency.models import SUMMARY_MAX_LENGTH, Period, PeriodState, Summary, SummaryStatus
from efficiency.results import staff_in_period
from efficiency.services import summaries as services

from . import cleaners, layouts
from .engine import MISSING, Action, Cells, Change, Importer, RowPlan
from .reader import Table, period_codes
from .roster import StaffLookup

TEXT_COLUMN = "个人小结"


@dataclass
class SummaryRow:
    period: Period
    staff: object
    text: str


class SummaryImporter(Importer):
    layout = layouts.SUMMARIES

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
        codes = period_codes(table)
        self.periods = {p.code: p for p in Period.objects.filter(code__in=codes)}
        self.rosters = {
            p.pk: set(staff_in_period(p).values_list("pk", flat=True))
            for p in self.periods.values()
        }
        self.staff = StaffLookup()
        self.existing = {
            (s.period_id, s.staff_id): s
            for s in Summary.objects.filter(period__in=self.periods.values())
        }
        self.administrator = services.is_administrator(self.actor)
        self.headed = set(self.actor.headed_sections.values_list("pk", flat=True))

    def plan(self, table: Table) -> list[RowPlan]:
        plans = []
        seen: dict[tuple, int] = {}
        named_codes = set()
        for row in table.rows:
            plan = RowPlan(row=row.number)
            cells = Cells(row, plan)
            payload = self._row(cells, plan)
            if payload is not None:
                ident = (payload.period.pk, payload.staff.pk)
                if ident in seen:
                    plan.problem(
                        "工号",
                        _("“%(value)s” already appears on row %(row)s")
                        % {"value": payload.staff.staff_no, "row": seen[ident]},
                    )
                    payload = None
                else:
                    seen[ident] = row.number
                    named_codes.add(payload.period.code)
                    self._changes(plan, payload)
            plan.payload = payload
            plans.append(plan)
        if len(named_codes) == 1:
            self.period = self.periods[named_codes.pop()]
        return plans

    def _row(self, cells: Cells, plan: RowPlan) -> SummaryRow | None:
        code = cells.get("考核期", cleaners.period, required=True)
        number = cells.get("工号", cleaners.staff_no, required=True)
        # A blank summary is a row of the exported list nobody has filled in: skipped.
        text = cells.get(TEXT_COLUMN, cleaners.text, max_length=SUMMARY_MAX_LENGTH)
        if text is MISSING and cells.blank(TEXT_COLUMN):
            plan.notes.append(_("No summary in this row."))
        period = None
        if code is not MISSING:
            period = self.periods.get(code)
            if period is None:
                plan.problem("考核期", _("there is no period %(code)s") % {"code": code})
            elif period.state not in (PeriodState.OPEN, PeriodState.CLOSED):
                plan.problem(
                    "考核期",
                    _(
                        "period %(code)s is “%(state)s”; summaries are entered only while it "
                        "is open or closed for review"
                    )
                    % {"code": code, "state": period.get_state_display()},
                )
                period = None
        staff = None
        if number is not MISSING:
            typed, was_number = number
            recorded = self.staff.resolve(typed, was_number)
            if recorded is None:
                plan.problem(
                    "工号",
                    _("“%(value)s” is not on the roster") % {"value": cleaners.quote(typed)},
                )
            else:
                staff = self.staff.by_no[recorded]
                plan.key, plan.label = staff.staff_no, staff.name
                if not self.administrator and staff.section_id not in self.headed:
                    plan.problem(
                        "工号",
                        _(
                            "%(name)s works in %(section)s; you enter summaries only for the "
                            "sections you head"
                        )
                        % {"name": staff.name, "section": staff.section.name},
                    )
                    staff = None
                elif period is not None and staff.pk not in self.rosters[period.pk]:
                    plan.problem(
                        "工号",
                        _("%(name)s is not on the roster in %(code)s.")
                        % {"name": staff.name, "code": period.code},
                    )
                    staff = None
        if period is None or staff is None or text is MISSING:
            return None
        return SummaryRow(period=period, staff=staff, text=text)

    def _changes(self, plan: RowPlan, payload: SummaryRow) -> None:
        existing = self.existing.get((payload.period.pk, payload.staff.pk))
        if existing is not None and existing.status == SummaryStatus.ACCEPTED:
            plan.problem(
                TEXT_COLUMN,
                _("the summary of %(name)s has been accepted; it no longer changes")
                % {"name": payload.staff.name},
            )
            return
        if (
            existing is not None
            and existing.status == SummaryStatus.SUBMITTED
            and existing.text == payload.text
        ):
            return
        plan.changes.append(Change(TEXT_COLUMN, existing.text if existing else "", payload.text))
        plan.action = Action.UPDATE if existing is not None else Action.CREATE

    def write(self, plans: list[RowPlan]) -> None:
        for plan in plans:
            row: SummaryRow = plan.payload
            if row is None or not plan.changes:
                continue
            services.enter_for(actor=self.actor, period=row.period, staff=row.staff, text=row.text)
