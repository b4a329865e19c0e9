"""The 出勤 sheet: each person's 旷工天数, 病事假天数 and 迟到早退次数 in a quarter.

Every row is written by ``services.attendance.record_attendance``, so its rules hold here as
on the attendance page: the period is not locked, the person was on the roster during the
quarter, and the figures pass the model's own checks (not negative, half days, no more days
than the quarter has). Rows are checked against the same rules first, so a file with one bad
row writes nothing.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from efficiency import results
from efficiency.models import Attendance, Period, PeriodState, Staff
from efficiency.services import ServiceError
from efficiency.services import attendance as services
from efficiency.services.appraisal import refuse_locked

from . import cleaners, layouts
from .engine import MISSING, Action, Cells, Change, Importer, RowPlan, model_problems, shown
from .reader import Table, period_codes
from .roster import StaffLookup

# model field -> column, and how each column's cell is read
COLUMNS = {"absent_days": "旷工天数", "leave_days": "病事假天数", "late_times": "迟到早退次数"}
CLEANERS = {
    "absent_days": (cleaners.whole_number, {}),
    "leave_days": (cleaners.decimal, {"places": 1}),
    "late_times": (cleaners.whole_number, {}),
}


@dataclass
class AttendanceRow:
    period: Period
    staff: Staff
    figures: dict


class AttendanceImporter(Importer):
    layout = layouts.ATTENDANCE
    permissions = ("efficiency.change_attendance",)

    def load(self, table: Table) -> None:
        codes = period_codes(table)
        self.periods = {p.code: p for p in Period.objects.filter(code__in=codes)}
        self.roster = {
            code: set(results.staff_in_period(period).values_list("pk", flat=True))
            for code, period in self.periods.items()
        }
        self.staff = StaffLookup()
        self.existing = {
            (a.period_id, a.staff_id): a
            for a in Attendance.objects.filter(period__in=self.periods.values())
        }

    def plan(self, table: Table) -> list[RowPlan]:
        plans = []
        seen: dict[tuple, int] = {}
        codes = set()
        for row in table.rows:
            plan = RowPlan(row=row.number)
            cells = Cells(row, plan)
            period = self._period(cells, plan)
            staff = self._staff(cells, plan, period)
            figures = {
                name: cells.get(COLUMNS[name], cleaner, **kwargs)
                for name, (cleaner, kwargs) in CLEANERS.items()
            }
            if period is not None and staff is not None:
                codes.add(period.code)
                ident = (period.pk, staff.pk)
                if ident in seen:
                    plan.problem(
                        "工号",
                        _("“%(value)s” already appears on row %(row)s")
                        % {"value": cleaners.quote(staff.staff_no), "row": seen[ident]},
                    )
                seen.setdefault(ident, row.number)
                if not plan.problems:
                    plan.payload = self._changes(plan, period, staff, figures)
            plans.append(plan)
        if len(codes) == 1:
            self.period = self.periods[codes.pop()]
        return plans

    def _period(self, cells: Cells, plan: RowPlan) -> Period | None:
        code = cells.get("考核期", cleaners.period, required=True)
        if code is MISSING:
            return None
        period = self.periods.get(code)
        if period is None or period.state == PeriodState.DRAFT:
            plan.problem("考核期", _("there is no period %(code)s") % {"code": code})
            return None
        try:
            refuse_locked(period)
        except ServiceError as error:
            plan.problem("考核期", error.message)
            return None
        return period

    def _staff(self, cells: Cells, plan: RowPlan, period: Period | None) -> Staff | None:
        typed = cells.get("工号", cleaners.staff_no, required=True)
        if typed is MISSING:
            return None
        staff = self.staff.person(plan, "工号", *typed)
        if staff is None:
            return None
        if period is not None and staff.pk not in self.roster[period.code]:
            plan.problem("工号", services.not_on_roster(period=period, staff=staff))
            return None
        return staff

    def _changes(self, plan: RowPlan, period, staff, figures: dict) -> AttendanceRow | None:
        existing = self.existing.get((period.pk, staff.pk))
        old = {
            "absent_days": existing.absent_days if existing else 0,
            "leave_days": existing.leave_days if existing else Decimal(0),
            "late_times": existing.late_times if existing else 0,
        }
        new = {name: old[name] if value is MISSING else value for name, value in figures.items()}
        candidate = Attendance(period=period, staff=staff, **new)
        try:
            candidate.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            model_problems(plan, error, COLUMNS, new)
            return None
        for name, column in COLUMNS.items():
            if new[name] != old[name]:
                plan.changes.append(Change(column, shown(old[name]), shown(new[name])))
        if plan.changes and existing is None:
            plan.action = Action.CREATE
        return AttendanceRow(period, staff, new) if plan.changes else None

    def write(self, plans: list[RowPlan]) -> None:
        for plan in plans:
            row: AttendanceRow | None = plan.payload
            if row is None:
                continue
            services.record_attendance(
                actor=self.actor,
                period=row.period,
                staff=row.staff,
                reason=self.reason,
                **row.figures,
            )
