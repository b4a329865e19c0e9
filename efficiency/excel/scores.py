"""The 评分 sheet: marks, one row per person or section, one column per criterion.

An assessor imports their own marks. The administrator (the right to enter marks for others)
imports one workbook with many assessors' marks typed in from paper, the 考评人工号 of each
row naming whose mark it is; each mark is saved as that assessor's, entered by the importer.

Every mark is written by ``services.appraisal.score_save``, so its rules hold here as on the
score sheet page, for the row's assessor: the period must be open, the assessor must be in the
assessment group, nobody marks themself or (as a head) their own section, a mark of 100 or
below 60 needs a reason. The rows are checked against the same rules first, so a file with one
bad mark writes nothing.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from efficiency.models import Criterion, Period, PeriodCriterion, PeriodState, Score
from efficiency.reasons import reason_problem
from efficiency.services import ServiceError
from efficiency.services import appraisal as services

from . import cleaners, layouts
from .engine import MISSING, Action, Cells, Change, Importer, RowPlan
from .reader import Table, period_codes
from .roster import SectionLookup, StaffLookup

STAFF, SECTION = "staff", "section"


@dataclass
class MarkChange:
    code: str
    mark: Decimal
    reason: str


@dataclass
class ScoreRow:
    period: Period
    assessor: object
    staff: object = None
    section: object = None
    marks: list[MarkChange] = field(default_factory=list)


def _mark_text(tenths: int | None) -> str:
    return "" if tenths is None else str(Decimal(tenths) / 10)


class ScoreImporter(Importer):
    layout = layouts.SCORES
    permissions = ("efficiency.add_score",)

    def refusal(self) -> str | None:
        if self.actor is None:
            return _("Importing marks needs --user: the assessor whose marks they are.")
        if self.for_others:
            return None
        return super().refusal()

    @property
    def for_others(self) -> bool:
        """Whether the importer types in other assessors' marks (the secretary)."""
        return self.actor is not None and self.actor.has_perm(services.ENTER_FOR_OTHERS)

    @staticmethod
    def _criterion_names() -> set[str]:
        names = set(PeriodCriterion.objects.values_list("name", flat=True))
        return names | set(Criterion.objects.values_list("name", flat=True))

    def accepts(self):
        names = self._criterion_names()
        fixed = {c.name for c in self.layout.importable}
        reasons = {layouts.reason_header(n) for n in names}
        return lambda header: header in fixed or header in names or header in reasons

    def load(self, table: Table) -> None:
        codes = period_codes(table)
        self.periods = {
            p.code: p for p in Period.objects.filter(code__in=codes).prefetch_related("criteria")
        }
        self.staff = StaffLookup()
        self.sections = SectionLookup()
        self.own = {self.actor.username}
        own_staff = getattr(self.actor, "staff", None)
        if own_staff is not None:
            self.own.add(own_staff.staff_no)
        self.existing: dict[tuple, Score] = {}
        recorded = Score.objects.filter(period__in=self.periods.values())
        if not self.for_others:
            recorded = recorded.filter(assessor=self.actor)
        for score in recorded.select_related("criterion"):
            self.existing[
                (
                    score.assessor_id,
                    score.period_id,
                    score.staff_id,
                    score.section_id,
                    score.criterion.code,
                )
            ] = score
        self.rights = {}
        self.assessors: dict[int, bool] = {}
        if self.for_others:
            users = get_user_model().objects.select_related("staff")
            self.users = {u.username: u for u in users}
            self.users_by_staff_no = {u.staff.staff_no: u for u in users if _has_staff(u)}
        # Found again here: the upload page reads the file once and plans it later, with
        # another importer that never ran accepts().
        names = self._criterion_names()
        self.criteria_columns = [c for c in table.columns if c in names]

    def plan(self, table: Table) -> list[RowPlan]:
        plans = []
        seen: dict[tuple, int] = {}
        period_codes = set()
        for row in table.rows:
            plan = RowPlan(row=row.number)
            cells = Cells(row, plan)
            payload = self._subject(cells, plan)
            if payload is not None:
                period_codes.add(payload.period.code)
                ident = (payload.assessor.pk, payload.period.pk, payload.staff is None, plan.key)
                if ident in seen:
                    plan.problem(
                        "对象编号",
                        _("“%(value)s” already appears on row %(row)s")
                        % {"value": cleaners.quote(plan.key), "row": seen[ident]},
                    )
                seen.setdefault(ident, row.number)
                self._marks(cells, plan, payload)
            plan.payload = payload
            plans.append(plan)
        if len(period_codes) == 1:
            self.period = self.periods[period_codes.pop()]
        return plans

    def _subject(self, cells: Cells, plan: RowPlan) -> ScoreRow | None:
        code = cells.get("考核期", cleaners.period, required=True)
        kind = cells.get("对象类型", cleaners.choice, required=True, options=layouts.SUBJECT_TYPES)
        typed_assessor = cells.get("考评人工号", cleaners.staff_no, required=True)
        subject_cell = cells.raw("对象编号")
        if cells.blank("对象编号"):
            plan.problem("对象编号", _("cannot be blank"))
        assessor = None
        if typed_assessor is not MISSING:
            if self.for_others:
                assessor = self._assessor(plan, *typed_assessor)
            else:
                assessor = self._own(plan, *typed_assessor)
        period = None
        if code is not MISSING:
            period = self.periods.get(code)
            if period is None:
                plan.problem("考核期", _("there is no period %(code)s") % {"code": code})
            elif period.state != PeriodState.OPEN:
                plan.problem(
                    "考核期",
                    _(
                        "period %(code)s is “%(state)s”; marks are imported only while it is "
                        "open for scoring"
                    )
                    % {"code": code, "state": period.get_state_display()},
                )
        if kind is MISSING or cells.blank("对象编号"):
            return None
        staff = section = None
        if kind == STAFF:
            try:
                typed, was_number = cleaners.staff_no(subject_cell)
            except cleaners.CellError as error:
                plan.problem("对象编号", error.message)
                return None
            staff = self.staff.person(plan, "对象编号", typed, was_number)
            if staff is None:
                return None
            if assessor is not None:
                self._check_rights(plan, assessor, staff=staff)
        else:
            try:
                section = self.sections.by_code.get(cleaners.code(subject_cell))
            except cleaners.CellError as error:
                plan.problem("对象编号", error.message)
                return None
            if section is None:
                plan.problem(
                    "对象编号",
                    _("“%(value)s” is not a section code")
                    % {"value": cleaners.quote(subject_cell)},
                )
                return None
            plan.key, plan.label = section.code, section.name
            if assessor is not None:
                self._check_rights(plan, assessor, section=section)
        if self.for_others and assessor is not None:
            # Rows of many assessors: the preview says whose mark each row holds.
            plan.label = _("%(subject)s (marked by %(assessor)s)") % {
                "subject": plan.label,
                "assessor": services.assessor_label(assessor),
            }
        if period is None or assessor is None or plan.problems:
            return None
        return ScoreRow(period=period, assessor=assessor, staff=staff, section=section)

    def _own(self, plan: RowPlan, typed: str, was_number: bool):
        """The importer themself, if the row's 考评人工号 is theirs; an assessor imports only
        their own marks."""
        own_staff = getattr(self.actor, "staff", None)
        matches = typed in self.own or (
            (was_number or typed.isdigit())
            and own_staff is not None
            and own_staff.staff_no.lstrip("0") == typed.lstrip("0")
        )
        if not matches:
            plan.problem(
                "考评人工号",
                _("you can import only your own marks; this row is for “%(value)s”")
                % {"value": cleaners.quote(typed)},
            )
            return None
        return self.actor

    def _assessor(self, plan: RowPlan, typed: str, was_number: bool):
        """The account whose 工号 (or login name) the row gives, if it is an assessor's."""
        number = self.staff.resolve(typed, was_number)
        user = self.users_by_staff_no.get(number) if number else None
        if user is None:
            user = self.users.get(typed)
        if user is None:
            plan.problem(
                "考评人工号",
                _("no account has the 工号 or login name “%(value)s”")
                % {"value": cleaners.quote(typed)},
            )
            return None
        if user.pk not in self.assessors:
            self.assessors[user.pk] = user.has_perm("efficiency.add_score")
        if not self.assessors[user.pk]:
            plan.problem(
                "考评人工号",
                _("assessor %(assessor)s is not a member of the assessment group")
                % {"assessor": _assessor_no(user)},
            )
            return None
        return user

    def _check_rights(self, plan: RowPlan, assessor, *, staff=None, section=None) -> None:
        """No self-marking, no head marking their own section: the row's assessor's rights."""
        if assessor.pk not in self.rights:
            self.rights[assessor.pk] = services.marking_rights(assessor)
        refusal = self.rights[assessor.pk].refusal(staff=staff, section=section)
        if not refusal:
            return
        if self.for_others:
            refusal = _("assessor %(assessor)s: %(refusal)s") % {
                "assessor": _assessor_no(assessor),
                "refusal": refusal,
            }
        plan.problem("对象编号", refusal)

    def _marks(self, cells: Cells, plan: RowPlan, payload: ScoreRow) -> None:
        criteria = {c.name: c for c in payload.period.criteria.all()}
        given = 0
        for name in self.criteria_columns:
            if cells.blank(name):
                continue
            criterion = criteria.get(name)
            if criterion is None:
                plan.problem(
                    name,
                    _("period %(code)s has no criterion “%(name)s”")
                    % {"code": payload.period.code, "name": name},
                )
                continue
            raw = cells.raw(name)
            try:
                cleaners.check_readable(raw)
                mark = services.parse_mark(cleaners.display(raw))
            except cleaners.CellError as error:
                plan.problem(name, error.message)
                continue
            except ServiceError as error:
                plan.problem(name, error.message)
                continue
            reason_column = layouts.reason_header(name)
            reason = cells.get(reason_column, cleaners.text)
            reason = "" if reason is MISSING else reason
            if services.needs_reason(mark) and not reason.strip():
                plan.problem(reason_column, services_reason_message())
                continue
            if services.needs_reason(mark) and reason_problem(reason):
                plan.problem(reason_column, reason_problem(reason))
                continue
            reason = reason if services.needs_reason(mark) else ""
            given += 1
            key = (
                payload.assessor.pk,
                payload.period.pk,
                getattr(payload.staff, "pk", None),
                getattr(payload.section, "pk", None),
                criterion.code,
            )
            existing = self.existing.get(key)
            tenths = int(mark * 10)
            if existing is not None and existing.tenths == tenths and existing.reason == reason:
                continue
            payload.marks.append(MarkChange(criterion.code, mark, reason))
            plan.changes.append(
                Change(name, _mark_text(existing.tenths if existing else None), str(mark))
            )
            if existing is not None and existing.reason != reason and reason:
                plan.changes.append(Change(reason_column, existing.reason, reason))
        if plan.changes:
            # New when the row only adds marks; changed when it alters a recorded one.
            plan.action = Action.UPDATE if any(c.old for c in plan.changes) else Action.CREATE
        if not given and not plan.problems:
            plan.notes.append(_("No marks in this row."))

    def write(self, plans: list[RowPlan]) -> None:
        for plan in plans:
            row: ScoreRow = plan.payload
            if row is None:
                continue
            for change in row.marks:
                services.score_save(
                    assessor=row.assessor,
                    entered_by=self.actor,
                    period=row.period,
                    criterion_code=change.code,
                    value=str(change.mark),
                    reason=change.reason,
                    staff=row.staff,
                    section=row.section,
                )


def _has_staff(user) -> bool:
    return getattr(user, "staff", None) is not None


def _assessor_no(user) -> str:
    """An assessor as the rows name them: their 工号, or the login name without one."""
    return user.staff.staff_no if _has_staff(user) else user.username


def services_reason_message() -> str:
    return _("A mark of 100 or below 60 needs a written reason.")
