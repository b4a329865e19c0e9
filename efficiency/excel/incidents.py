"""The 三误事件 sheet: new incidents reported, recorded ones moved forward, nothing corrected.

What a file may do to incidents (the decision, documented on the 填写说明 sheet too):

* A row with a blank 编号 reports a new incident, under the same rules as the incident form
  (clause of the same kind and in force, not in the future, someone named, a description).
  A row identical to a recorded incident (same day, kind, clause, severity, section, people
  and description) *is* that incident, so importing the same file twice adds nothing.
* A row with a 编号 refers to a recorded incident. Its facts cannot change from a file: a
  correction needs a reason and happens on the incident's page (``incident_correct``); a row
  whose facts differ is an error. Its 状态 may move forward — 已登记 → 已认定
  (``incident_verify``) → 已处理 with a 处理决定 (``incident_handle``) — by someone who holds
  those rights. Going back, dismissing (it needs a reason) and changing a recorded decision
  are refused.

Speed: the incident form's service, ``incident_report``, takes about 5 ms a row on SQLite (its
full_clean, the number sequence and the history each cost queries), so 10,000 rows would take
nearly a minute. New incidents are therefore written by the service's bulk path,
:func:`~efficiency.services.incidents.report_many`: every row is
checked first with the service's own ``check_facts``, then the numbers are reserved once per
year and the incidents, the people named and their history entries are inserted in bulk.
The result is the same rows and the same history ``incident_report`` writes;
``tests/test_excel_incidents.py`` compares the two field by field.
"""

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from efficiency import selectors
from efficiency.models import (
    Incident,
    IncidentResponsible,
    IncidentSource,
    IncidentStatus,
    Staff,
    Standard,
)
from efficiency.services import incidents as services
from efficiency.services.incidents import (
    FactError,
    NewIncident,
    check_facts,
    open_dates,
    report_many,
)

from . import cleaners, layouts
from .engine import MISSING, Action, Cells, Change, Importer, RowPlan
from .reader import Table
from .roster import SectionLookup, StaffLookup

STEP = {IncidentStatus.REPORTED: 0, IncidentStatus.VERIFIED: 1, IncidentStatus.HANDLED: 2}
# The sheet's column for each fact the service's check_facts may refuse.
FACT_COLUMNS = {
    "kind": "类别",
    "standard": "条款编号",
    "occurred_on": "发生日期",
    "responsible": "责任人工号",
    "description": "情况描述",
}


@dataclass
class IncidentRow:
    facts: NewIncident | None
    existing: Incident | None = None
    status: str = IncidentStatus.REPORTED  # where the row wants it
    decision: str = ""
    dismissal_reason: str = ""  # with 状态 不予认定
    incident: Incident | None = field(default=None, repr=False)


def _fingerprint(occurred_on, kind, clause_code, severity, section_id, staff_ids, description):
    return (occurred_on, kind, clause_code, severity, section_id, frozenset(staff_ids), description)


class IncidentImporter(Importer):
    layout = layouts.INCIDENTS
    permissions = ("efficiency.verify_incident",)

    def refusal(self) -> str | None:
        if self.actor is None:
            return _("Importing incidents needs --user: the account recorded as reporter.")
        return super().refusal()

    def load(self, table: Table) -> None:
        self.sections = SectionLookup()
        self.standards = {s.code: s for s in Standard.objects.all()}
        self.staff = StaffLookup()
        self.staff_by_pk = {s.pk: s for s in self.staff.by_no.values()}
        numbers, days = set(), set()
        for row in table.rows:
            for column, target, cleaner in (
                ("编号", numbers, cleaners.key),
                ("发生日期", days, cleaners.date),
            ):
                if not cleaners.is_blank(row.values.get(column)):
                    try:
                        target.add(cleaner(row.values[column]))
                    except cleaners.CellError:
                        pass
        visible = selectors.incidents_visible_to(self.actor)
        self.by_number = {
            i.number: i
            for i in visible.filter(number__in=numbers).prefetch_related("responsibilities")
        }
        # Incidents on the file's days, to recognise a row that was imported before.
        people: dict[int, set[int]] = {}
        for incident_id, staff_id in IncidentResponsible.objects.filter(
            incident__occurred_on__in=days
        ).values_list("incident_id", "staff_id"):
            people.setdefault(incident_id, set()).add(staff_id)
        self.by_fingerprint: dict[tuple, Incident] = {}
        for incident in Incident.objects.filter(occurred_on__in=days).only(
            "pk",
            "number",
            "occurred_on",
            "kind",
            "clause_code",
            "severity",
            "section_id",
            "description",
            "status",
            "handling_decision",
        ):
            self.by_fingerprint[
                _fingerprint(
                    incident.occurred_on,
                    incident.kind,
                    incident.clause_code,
                    incident.severity,
                    incident.section_id,
                    people.get(incident.pk, ()),
                    incident.description,
                )
            ] = incident
        self.today = timezone.localdate()
        self.dates = open_dates()

    def plan(self, table: Table) -> list[RowPlan]:
        plans = []
        numbers_seen: dict[str, int] = {}
        fingerprints_seen: dict[tuple, int] = {}
        for row in table.rows:
            plan = RowPlan(row=row.number)
            cells = Cells(row, plan)
            number = cells.get("编号", cleaners.key)
            facts = self._facts(cells, plan)
            status = cells.get("状态", cleaners.choice, options=layouts.STATUSES)
            decision = cells.get("处理决定", cleaners.choice, options=layouts.DECISIONS)
            status = None if status is MISSING else status
            if number is MISSING and status == IncidentStatus.REPORTED:
                # A new row's 已登记 is where every incident starts, not a request to go back.
                status = None
            decision = "" if decision is MISSING else decision
            dismissal = cells.get("不予认定理由", cleaners.text, max_length=1000)
            dismissal = "" if dismissal is MISSING else dismissal
            if dismissal and status != IncidentStatus.DISMISSED:
                plan.problem("不予认定理由", _("only goes with 状态 不予认定"))
            existing = None
            if number is not MISSING:
                plan.key = number
                if number in numbers_seen:
                    plan.problem(
                        "编号",
                        _("“%(value)s” already appears on row %(row)s")
                        % {"value": cleaners.quote(number), "row": numbers_seen[number]},
                    )
                numbers_seen.setdefault(number, row.number)
                existing = self.by_number.get(number)
                if existing is None:
                    plan.problem(
                        "编号",
                        _("“%(value)s”: no such incident (leave 编号 blank for a new one)")
                        % {"value": cleaners.quote(number)},
                    )
            elif facts is not None:
                fingerprint = self._fingerprint_of(facts)
                if fingerprint in fingerprints_seen:
                    plan.problem(
                        None,
                        _("the same incident as row %(row)s")
                        % {"row": fingerprints_seen[fingerprint]},
                    )
                fingerprints_seen.setdefault(fingerprint, row.number)
                existing = self.by_fingerprint.get(fingerprint)
                if existing is not None:
                    plan.key = existing.number
                    plan.notes.append(
                        _("Already recorded as incident %(number)s.") % {"number": existing.number}
                    )
            if facts is not None:
                plan.label = (
                    f"{facts.section.name} · {'、'.join(s.name for s in facts.responsible)}"
                )
            payload = IncidentRow(facts=facts, existing=existing, dismissal_reason=dismissal)
            if existing is not None:
                if number is not MISSING and facts is not None:
                    self._compare_facts(
                        existing,
                        facts,
                        plan,
                        source_given=not cleaners.is_blank(row.values.get("来源")),
                    )
                self._move(existing, status, decision, plan, payload)
            else:
                if facts is not None:
                    # The form's rules, from the service itself: the same reason, word for word.
                    try:
                        check_facts(
                            kind=facts.kind,
                            standard=facts.standard,
                            occurred_on=facts.occurred_on,
                            responsible=facts.responsible,
                            description=facts.description,
                            dates=self.dates,
                        )
                    except FactError as error:
                        plan.problem(FACT_COLUMNS.get(error.field), error.message)
                plan.action = Action.CREATE
                self._new_status(status, decision, plan, payload)
            plan.payload = payload
            plans.append(plan)
        return plans

    # --- the facts of a row ---------------------------------------------------------------

    def _facts(self, cells: Cells, plan: RowPlan) -> NewIncident | None:
        occurred_on = cells.get("发生日期", cleaners.date, required=True)
        kind = cells.get("类别", cleaners.choice, required=True, options=layouts.KINDS)
        clause = cells.get("条款编号", cleaners.code, required=True)
        severity = cells.get("严重程度", cleaners.choice, required=True, options=layouts.SEVERITIES)
        section = cells.get("科室", self.sections, required=True)
        numbers = cells.get("责任人工号", cleaners.people, required=True)
        description = cells.get("情况描述", cleaners.text, required=True)
        source = cells.get("来源", cleaners.choice, options=layouts.SOURCES)
        standard = None
        if clause is not MISSING:
            standard = self.standards.get(clause)
            if standard is None:
                plan.problem(
                    "条款编号",
                    _("“%(value)s” is not a clause of the 三误界定标准")
                    % {"value": cleaners.quote(clause)},
                )
            elif kind is not MISSING and standard.kind != kind:
                plan.problem(
                    "条款编号",
                    _("clause %(code)s is a “%(clause_kind)s” clause, not “%(kind)s”")
                    % {
                        "code": standard.code,
                        "clause_kind": layouts.label_of(layouts.KINDS, standard.kind),
                        "kind": layouts.label_of(layouts.KINDS, kind),
                    },
                )
        if occurred_on is not MISSING and occurred_on > self.today:
            plan.problem(
                "发生日期",
                _("“%(value)s” is in the future") % {"value": occurred_on.isoformat()},
            )
        people: list[Staff] = []
        if numbers is not MISSING:
            for typed, was_number in numbers:
                recorded = self.staff.resolve(typed, was_number)
                if recorded is None:
                    plan.problem(
                        "责任人工号",
                        _("“%(value)s” is not on the roster") % {"value": cleaners.quote(typed)},
                    )
                elif self.staff.by_no[recorded] not in people:
                    people.append(self.staff.by_no[recorded])
        if plan.problems or standard is None:
            return None
        return NewIncident(
            kind=kind,
            standard=standard,
            severity=severity,
            occurred_on=occurred_on,
            section=section,
            responsible=people,
            description=description,
            source=IncidentSource.OTHER if source is MISSING else source,
        )

    def _fingerprint_of(self, facts: NewIncident) -> tuple:
        return _fingerprint(
            facts.occurred_on,
            facts.kind,
            facts.standard.code,
            facts.severity,
            facts.section.pk,
            {s.pk for s in facts.responsible},
            facts.description,
        )

    def _compare_facts(
        self, incident: Incident, facts: NewIncident, plan: RowPlan, *, source_given: bool
    ) -> None:
        recorded_people = [
            self.staff_by_pk[r.staff_id]
            for r in incident.responsibilities.all()
            if r.staff_id in self.staff_by_pk
        ]
        pairs = [
            ("发生日期", incident.occurred_on, facts.occurred_on, incident.occurred_on.isoformat()),
            ("类别", incident.kind, facts.kind, layouts.label_of(layouts.KINDS, incident.kind)),
            ("条款编号", incident.clause_code, facts.standard.code, incident.clause_code),
            (
                "严重程度",
                incident.severity,
                facts.severity,
                layouts.label_of(layouts.SEVERITIES, incident.severity),
            ),
            ("科室", incident.section_id, facts.section.pk, self._section_name(incident)),
            (
                "责任人工号",
                {s.pk for s in recorded_people},
                {s.pk for s in facts.responsible},
                "、".join(s.staff_no for s in recorded_people),
            ),
            ("情况描述", incident.description, facts.description, incident.description[:40]),
        ]
        if source_given:  # a file made before the column existed leaves it out
            pairs.append(
                (
                    "来源",
                    incident.source,
                    facts.source,
                    layouts.label_of(layouts.SOURCES, incident.source),
                )
            )
        for column, recorded, typed, recorded_text in pairs:
            if recorded != typed:
                plan.problem(
                    column,
                    _(
                        "differs from incident %(number)s as recorded (“%(recorded)s”); a "
                        "recorded incident is corrected on its page, with a reason"
                    )
                    % {"number": incident.number, "recorded": recorded_text},
                )

    def _section_name(self, incident: Incident) -> str:
        section = self.sections.by_pk.get(incident.section_id)
        return section.name if section else ""

    # --- status -------------------------------------------------------------------------------

    def _allowed(self, status: str, plan: RowPlan) -> bool:
        needed = {
            IncidentStatus.VERIFIED: "efficiency.verify_incident",
            IncidentStatus.HANDLED: "efficiency.handle_incident",
        }
        if status in needed and not self.actor.has_perm(needed[status]):
            plan.problem(
                "状态",
                _("you are not allowed to set “%(status)s”")
                % {"status": layouts.label_of(layouts.STATUSES, status)},
            )
            return False
        return True

    def _dismissal_fits(self, payload: IncidentRow, plan: RowPlan) -> bool:
        if not payload.dismissal_reason:
            plan.problem("不予认定理由", _("cannot be blank when 状态 is 不予认定"))
            return False
        return True

    def _new_status(self, status, decision, plan: RowPlan, payload: IncidentRow) -> None:
        status = status or IncidentStatus.REPORTED
        if status == IncidentStatus.DISMISSED:
            # A register's dismissed incidents come in whole: reported, then dismissed with
            # the reason written in the sheet, both recorded in the history.
            self._decision_fits(status, decision, plan)
            if self._dismissal_fits(payload, plan) and self._allowed(status, plan):
                payload.status = status
            return
        self._decision_fits(status, decision, plan)
        if self._allowed(status, plan):
            payload.status = status
            payload.decision = decision

    def _decision_fits(self, status: str, decision: str, plan: RowPlan) -> None:
        if status == IncidentStatus.HANDLED and not decision:
            plan.problem("处理决定", _("cannot be blank when 状态 is 已处理"))
        if decision and status != IncidentStatus.HANDLED:
            plan.problem("处理决定", _("a handling decision goes with 状态 已处理"))

    def _move(self, incident: Incident, status, decision, plan: RowPlan, payload) -> None:
        current = incident.status
        payload.status = current
        label = layouts.label_of(layouts.STATUSES, current)
        if status is None or status == current:
            if decision and decision != incident.handling_decision:
                plan.problem(
                    "处理决定",
                    _(
                        "incident %(number)s has the decision “%(recorded)s”; a file cannot "
                        "change it"
                    )
                    % {
                        "number": incident.number,
                        "recorded": layouts.label_of(layouts.DECISIONS, incident.handling_decision),
                    },
                )
            return
        if status == IncidentStatus.DISMISSED and current == IncidentStatus.REPORTED:
            self._decision_fits(status, decision, plan)
            if self._dismissal_fits(payload, plan) and self._allowed(status, plan):
                payload.status = status
                plan.changes.append(
                    Change("状态", label, layouts.label_of(layouts.STATUSES, status))
                )
                plan.changes.append(Change("不予认定理由", "", payload.dismissal_reason))
            return
        if current == IncidentStatus.DISMISSED or status == IncidentStatus.DISMISSED:
            plan.problem(
                "状态",
                _(
                    "incident %(number)s is “%(status)s”; a dismissal is decided on the "
                    "incident's page"
                )
                % {"number": incident.number, "status": label},
            )
            return
        if STEP[status] < STEP[current]:
            plan.problem(
                "状态",
                _("incident %(number)s is already “%(status)s”; it cannot go back")
                % {"number": incident.number, "status": label},
            )
            return
        self._decision_fits(status, decision, plan)
        if self._allowed(status, plan):
            payload.status = status
            payload.decision = decision
            plan.changes.append(Change("状态", label, layouts.label_of(layouts.STATUSES, status)))
            if decision:
                plan.changes.append(
                    Change("处理决定", "", layouts.label_of(layouts.DECISIONS, decision))
                )

    # --- writing ------------------------------------------------------------------------------

    def write(self, plans: list[RowPlan]) -> None:
        rows: list[IncidentRow] = [plan.payload for plan in plans]
        new = [row for row in rows if row.existing is None]
        created = report_many(reporter=self.actor, rows=[r.facts for r in new], reason=self.reason)
        for row, incident in zip(new, created, strict=True):
            row.incident = incident
        for row in rows:
            incident = row.incident or row.existing
            if (
                incident.status == IncidentStatus.REPORTED
                and row.status == IncidentStatus.DISMISSED
            ):
                services.incident_dismiss(
                    actor=self.actor, incident=incident, reason=row.dismissal_reason
                )
                continue
            if incident.status == IncidentStatus.REPORTED and STEP.get(row.status, 0) >= 1:
                incident = services.incident_verify(
                    actor=self.actor, incident=incident, note=self.reason
                )
            if incident.status == IncidentStatus.VERIFIED and row.status == IncidentStatus.HANDLED:
                services.incident_handle(
                    actor=self.actor, incident=incident, decision=row.decision, note=self.reason
                )
