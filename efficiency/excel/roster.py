"""The roster and configuration sheets: 科室, 人员, 三误界定标准.

Their writes go through :func:`efficiency.services.roster.save_audited`, as the admin's do:
``full_clean()``, save, and one history entry with what changed. Rows are upserted on their
natural key (科室代码, 工号, 条款编号); a blank optional cell keeps what is recorded.
"""

import copy
import datetime
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from efficiency.models import Section, Staff, Standard
from efficiency.models.incidents import DEFAULT_POINTS
from efficiency.services.roster import save_audited

from . import cleaners, layouts
from .engine import MISSING, Action, Cells, Change, Importer, RowPlan, model_problems, shown
from .reader import Table


class _RosterImporter(Importer):
    """Shared steps: one object per row, checked by the model's own validators."""

    model: type[models.Model]
    columns: dict[str, str]  # model field -> column
    exclude_from_clean: list[str] = []

    def plan(self, table: Table) -> list[RowPlan]:
        plans = []
        first_row: dict[str, int] = {}
        for row in table.rows:
            plan = RowPlan(row=row.number)
            cells = Cells(row, plan)
            obj = self.build(cells, plan)
            if obj is not None:
                key = self.natural_key(obj)
                if key in first_row:
                    plan.problem(
                        self.layout.key,
                        _("“%(value)s” already appears on row %(row)s")
                        % {"value": cleaners.quote(key), "row": first_row[key]},
                    )
                else:
                    first_row[key] = row.number
                self.validate(obj, plan)
                self.compare(obj, plan)
                plan.payload = obj
            plans.append(plan)
        self.check_across(plans)
        return plans

    def natural_key(self, obj) -> str:
        raise NotImplementedError

    def build(self, cells: Cells, plan: RowPlan):
        raise NotImplementedError

    def validate(self, obj, plan: RowPlan) -> None:
        try:
            obj.full_clean(
                exclude=self.exclude_from_clean, validate_unique=False, validate_constraints=False
            )
        except ValidationError as error:
            model_problems(
                plan, error, self.columns, {f: getattr(obj, f, "") for f in self.columns}
            )

    def compare(self, obj, plan: RowPlan) -> None:
        if obj.pk is None:
            plan.action = Action.CREATE
            return
        before = self.existing[obj.pk]
        for name, column in self.columns.items():
            old, new = getattr(before, name), getattr(obj, name)
            if old != new:
                plan.changes.append(Change(column, shown(old), shown(new)))

    def check_across(self, plans: list[RowPlan]) -> None:
        """Checks that need every row at once (unique names)."""

    def write(self, plans: list[RowPlan]) -> None:
        for plan in plans:
            if plan.action in (Action.CREATE, Action.UPDATE):
                save_audited(actor=self.actor, obj=plan.payload, reason=self.reason)


def _unique_across(plans, existing, attribute: str, column: str) -> None:
    """A value that must be unique (a section's name) once the file is applied."""
    final: dict[object, str] = {obj.pk: getattr(obj, attribute) for obj in existing}
    holders: dict[str, list[object]] = defaultdict(list)
    rows: dict[object, RowPlan] = {}
    for plan in plans:
        obj = plan.payload
        if obj is None:
            continue
        ident = obj.pk if obj.pk is not None else ("new", plan.row)
        final[ident] = getattr(obj, attribute)
        rows[ident] = plan
    for ident, value in final.items():
        holders[value].append(ident)
    for value, idents in holders.items():
        if len(idents) > 1:
            for ident in idents:
                if ident in rows:
                    rows[ident].problem(
                        column,
                        _("“%(value)s” is used by another row or record")
                        % {"value": cleaners.quote(value)},
                    )


# --- 科室 ----------------------------------------------------------------------------------------


class SectionImporter(_RosterImporter):
    layout = layouts.SECTIONS
    model = Section
    columns = {"code": "科室代码", "name": "科室名称", "order": "排序", "active": "启用"}
    permissions = ("efficiency.add_section", "efficiency.change_section")

    def load(self, table: Table) -> None:
        self.existing = {s.pk: s for s in Section.objects.all()}
        self.by_code = {s.code.upper(): s for s in self.existing.values()}

    def natural_key(self, obj) -> str:
        return obj.code.upper()

    def build(self, cells: Cells, plan: RowPlan):
        code = cells.get("科室代码", cleaners.code, required=True, upper=False)
        name = cells.get("科室名称", cleaners.name, required=True)
        order = cells.get("排序", cleaners.whole_number)
        active = cells.get("启用", cleaners.yes_no)
        if code is MISSING:
            return None
        current = self.by_code.get(code.upper())
        section = copy.copy(current) if current else Section(code=code)
        plan.key = section.code
        if name is not MISSING:
            section.name = name
        if order is not MISSING:
            section.order = order
        if active is not MISSING:
            section.active = active
        plan.label = section.name
        return section

    def check_across(self, plans: list[RowPlan]) -> None:
        _unique_across(plans, self.existing.values(), "name", "科室名称")


# --- 人员 ----------------------------------------------------------------------------------------


class SectionLookup:
    """A section by its code (any case) or its exact name, loaded once."""

    def __init__(self) -> None:
        sections = list(Section.objects.all())
        self.by_code = {s.code.upper(): s for s in sections}
        self.by_name = {s.name: s for s in sections}
        self.by_pk = {s.pk: s for s in sections}

    def __call__(self, value) -> Section:
        name = cleaners.name(value)
        section = self.by_name.get(name) or self.by_code.get(cleaners.code(value))
        if section is None:
            raise cleaners.CellError(
                _("“%(value)s” is not a section code or name") % {"value": cleaners.quote(name)}
            )
        return section


class StaffLookup:
    """People by 工号, loaded once; a number that lost its leading zeros still finds its owner."""

    def __init__(self, queryset=None) -> None:
        self.by_no = {s.staff_no: s for s in (queryset or Staff.objects.select_related("section"))}
        stripped: dict[str, list[str]] = defaultdict(list)
        for number in self.by_no:
            stripped[number.lstrip("0")].append(number)
        self.stripped = stripped

    def resolve(self, number: str, was_number: bool = False) -> str | None:
        """The recorded 工号 this cell means, or None if nobody has it.

        Digits that lost their leading zeros — typed as a number, or passed through a CSV
        that Excel opened — still find the one person whose 工号 they are.
        """
        if number in self.by_no:
            return number
        if was_number or number.isdigit():
            candidates = self.stripped.get(number.lstrip("0"), [])
            if len(candidates) == 1:
                return candidates[0]
        return None

    def person(self, plan: RowPlan, column: str, typed: str, was_number: bool) -> Staff | None:
        """The person a 工号 cell names, shown on the row's plan; None, with the problem on the
        row, if nobody has that number."""
        recorded = self.resolve(typed, was_number)
        if recorded is None:
            plan.problem(
                column, _("“%(value)s” is not on the roster") % {"value": cleaners.quote(typed)}
            )
            return None
        staff = self.by_no[recorded]
        plan.key, plan.label = staff.staff_no, staff.name
        return staff


class StaffImporter(_RosterImporter):
    layout = layouts.STAFF
    model = Staff
    columns = {
        "staff_no": "工号",
        "name": "姓名",
        "section": "科室",
        "post": "职务",
        "start_date": "入职日期",
        "end_date": "离岗日期",
        "gender": "性别",
        "birth_date": "出生年月",
        "political_status": "政治面貌",
        "rank": "职级",
        "duties": "从事或分管工作",
        "category": "人员类别",
        "probation_ends": "试用期截止",
        "post_since": "任职时间",
    }
    # The details are read the same way: a blank cell keeps what is recorded.
    details = {
        "gender": ("性别", cleaners.choice, {"options": layouts.GENDERS}),
        "birth_date": ("出生年月", cleaners.month, {}),
        "political_status": ("政治面貌", cleaners.choice, {"options": layouts.POLITICAL_STATUSES}),
        "rank": ("职级", cleaners.text, {}),
        "duties": ("从事或分管工作", cleaners.text, {}),
        "category": ("人员类别", cleaners.choice, {"options": layouts.STAFF_CATEGORIES}),
        "probation_ends": ("试用期截止", cleaners.date, {}),
        "post_since": ("任职时间", cleaners.month, {}),
    }
    exclude_from_clean = ["section", "user"]
    permissions = ("efficiency.add_staff", "efficiency.change_staff")

    def load(self, table: Table) -> None:
        self.staff = StaffLookup()
        self.existing = {s.pk: s for s in self.staff.by_no.values()}
        self.sections = SectionLookup()

    def natural_key(self, obj) -> str:
        return obj.staff_no

    def build(self, cells: Cells, plan: RowPlan):
        number = cells.get("工号", cleaners.staff_no, required=True)
        name = cells.get("姓名", cleaners.name, required=True)
        section = cells.get("科室", self.sections)
        post = cells.get("职务", cleaners.text)
        start = cells.get("入职日期", cleaners.date)
        end = cells.get("离岗日期", cleaners.date)
        details = {
            field: cells.get(column, clean, **options)
            for field, (column, clean, options) in self.details.items()
        }
        if number is MISSING:
            return None
        typed, was_number = number
        recorded = self.staff.resolve(typed, was_number)
        if recorded is not None and recorded != typed:
            plan.notes.append(
                _("工号 “%(typed)s” lacks its leading zeros: read as %(staff_no)s")
                % {"typed": typed, "staff_no": recorded}
            )
        current = self.staff.by_no.get(recorded) if recorded else None
        staff = copy.copy(current) if current else Staff(staff_no=typed)
        plan.key = staff.staff_no
        if name is not MISSING:
            staff.name = name
        plan.label = staff.name
        if section is not MISSING:
            staff.section = section
        elif current is None and cells.blank("科室"):
            plan.problem("科室", _("cannot be blank"))
        if post is not MISSING:
            staff.post = post
        if start is not MISSING:
            staff.start_date = start
        if end is not MISSING:
            staff.end_date = end
        for field, value in details.items():
            if value is not MISSING:
                setattr(staff, field, value)
        if isinstance(staff.start_date, datetime.date) and isinstance(
            staff.end_date, datetime.date
        ):
            if staff.end_date < staff.start_date:
                plan.problem(
                    "离岗日期",
                    _("“%(value)s” is before the start date %(start)s")
                    % {"value": staff.end_date.isoformat(), "start": staff.start_date.isoformat()},
                )
        return staff


# --- 三误界定标准 ---------------------------------------------------------------------------------

POINT_COLUMNS = {"minor": "一般扣分", "serious": "较重扣分", "grave": "严重扣分"}


class StandardImporter(_RosterImporter):
    layout = layouts.STANDARDS
    model = Standard
    columns = {
        "code": "条款编号",
        "kind": "类别",
        "text": "条款内容",
        "points_minor": "一般扣分",
        "points_serious": "较重扣分",
        "points_grave": "严重扣分",
        "active": "启用",
        "valid_from": "施行日期",
        "valid_until": "停止适用日期",
    }
    permissions = ("efficiency.add_standard", "efficiency.change_standard")

    def load(self, table: Table) -> None:
        self.existing = {s.pk: s for s in Standard.objects.all()}
        self.by_code = {s.code: s for s in self.existing.values()}

    def natural_key(self, obj) -> str:
        return obj.code

    def build(self, cells: Cells, plan: RowPlan):
        code = cells.get("条款编号", cleaners.code, required=True)
        kind = cells.get("类别", cleaners.choice, options=layouts.KINDS)
        clause = cells.get("条款内容", cleaners.text)
        points = {
            severity: cells.get(column, cleaners.decimal, places=1)
            for severity, column in POINT_COLUMNS.items()
        }
        active = cells.get("启用", cleaners.yes_no)
        valid_from = cells.get("施行日期", cleaners.date)
        valid_until = cells.get("停止适用日期", cleaners.date)
        if code is MISSING:
            return None
        current = self.by_code.get(code)
        standard = copy.copy(current) if current else Standard(code=code)
        plan.key = standard.code
        if kind is not MISSING:
            standard.kind = kind
        elif current is None and cells.blank("类别"):
            plan.problem("类别", _("cannot be blank"))
        if clause is not MISSING:
            standard.text = clause
        elif current is None and cells.blank("条款内容"):
            plan.problem("条款内容", _("cannot be blank"))
        plan.label = standard.text[:30]
        for severity, value in points.items():
            if value is not MISSING:
                setattr(standard, f"points_{severity}", value)
            elif current is None and standard.kind in DEFAULT_POINTS:
                setattr(standard, f"points_{severity}", DEFAULT_POINTS[standard.kind][severity])
        if active is not MISSING:
            standard.active = active
        if valid_from is not MISSING:
            standard.valid_from = valid_from
        if valid_until is not MISSING:
            standard.valid_until = valid_until
        if (
            standard.valid_from
            and standard.valid_until
            and standard.valid_until < standard.valid_from
        ):
            plan.problem(
                "停止适用日期",
                _("“%(value)s” is before the date it came into force, %(start)s")
                % {
                    "value": standard.valid_until.isoformat(),
                    "start": standard.valid_from.isoformat(),
                },
            )
        return standard
