"""Writes to incidents: report, correct, explain, verify, dismiss, handle, appeal."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from efficiency.models import (
    AuditEvent,
    Explanation,
    Incident,
    IncidentResponsible,
    IncidentSequence,
    IncidentStatus,
    Period,
    PeriodState,
    Section,
    Staff,
    Standard,
)
from efficiency.models.audit import AuditAction
from efficiency.models.incidents import (
    AppealStatus,
    HandlingDecision,
    IncidentSource,
    ResultUse,
)
from efficiency.quarters import Quarter
from efficiency.reasons import check_reason

from . import ServiceError, history_chain
from .audit import diff, record, snapshot

CORRECTABLE_FIELDS = [
    "kind",
    "standard",
    "severity",
    "points",
    "occurred_on",
    "section",
    "responsible",
    "description",
    "source",
]


class FactError(ServiceError):
    """A refused fact of an incident; ``field`` names the form field it is about."""

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class OpenDates:
    """Which dates the appraisal periods still take incidents for (read once per import)."""

    first_day: datetime.date | None  # None: no period yet, no limit
    first_period: Period | None  # the period that sets first_day
    locked: dict[str, Period]  # quarter code -> a locked period


def open_dates() -> OpenDates:
    """The earliest period not locked sets the first day an incident may still be dated.

    Incidents dated earlier would fall into quarters already frozen (or never appraised
    again); with every period locked, the day after the last one is the first day.
    """
    periods = list(Period.objects.defer("frozen", "thresholds").order_by("year", "quarter"))
    locked = {p.code: p for p in periods if p.state == PeriodState.LOCKED}
    unlocked = [p for p in periods if p.state != PeriodState.LOCKED]
    if unlocked:
        return OpenDates(Quarter.parse(unlocked[0].code).first_day, unlocked[0], locked)
    if periods:
        last = periods[-1]
        return OpenDates(Quarter.parse(last.code).next.first_day, last, locked)
    return OpenDates(None, None, locked)


def _day(value: datetime.date) -> str:
    return date_format(value, "DATE_FORMAT")


def check_facts(
    *,
    kind: str,
    standard: Standard,
    occurred_on: datetime.date,
    responsible: Sequence[Staff],
    description: str,
    dates: OpenDates | None = None,
) -> None:
    """The one home of the rules on an incident's facts: the form, the Excel import and the
    command line all refuse through here, with the same reason.

    ``dates``: :func:`open_dates`, passed in by callers that check many rows at once.
    """
    if standard.kind != kind:
        raise FactError(
            _("Clause %(code)s belongs to another kind of error; choose a clause of this kind.")
            % {"code": standard.code},
            field="standard",
        )
    if not standard.active and standard.valid_until is None:
        raise FactError(
            _("Clause %(code)s is no longer in force.") % {"code": standard.code},
            field="standard",
        )
    if occurred_on > timezone.localdate():
        raise FactError(_("The date it happened cannot be in the future."), field="occurred_on")
    dates = dates or open_dates()
    locked = dates.locked.get(f"{occurred_on.year}Q{(occurred_on.month - 1) // 3 + 1}")
    if locked is not None:
        raise FactError(
            _(
                "The date it happened, %(date)s, falls in %(period)s, which is locked: no "
                "incident can be recorded in it any more."
            )
            % {"date": _day(occurred_on), "period": locked},
            field="occurred_on",
        )
    if dates.first_day is not None and occurred_on < dates.first_day:
        raise FactError(
            _(
                "The date it happened, %(date)s, is before %(first)s: incidents can only be "
                "recorded from the earliest appraisal period not locked (%(period)s) on."
            )
            % {
                "date": _day(occurred_on),
                "first": _day(dates.first_day),
                "period": dates.first_period,
            },
            field="occurred_on",
        )
    if standard.valid_from is not None and occurred_on < standard.valid_from:
        raise FactError(
            _(
                "Clause %(code)s is in force from %(start)s; it does not apply to an incident "
                "of %(date)s."
            )
            % {
                "code": standard.code,
                "start": _day(standard.valid_from),
                "date": _day(occurred_on),
            },
            field="standard",
        )
    if standard.valid_until is not None and occurred_on > standard.valid_until:
        raise FactError(
            _(
                "Clause %(code)s was in force until %(end)s; it does not apply to an incident "
                "of %(date)s."
            )
            % {"code": standard.code, "end": _day(standard.valid_until), "date": _day(occurred_on)},
            field="standard",
        )
    if not responsible:
        raise FactError(_("Name at least one person responsible."), field="responsible")
    for staff in responsible:
        if staff.start_date is not None and occurred_on < staff.start_date:
            raise FactError(
                _(
                    "%(name)s started on %(start)s, after the date it happened (%(date)s): "
                    "they cannot be named responsible."
                )
                % {"name": staff.name, "start": _day(staff.start_date), "date": _day(occurred_on)},
                field="responsible",
            )
        if staff.end_date is not None and occurred_on > staff.end_date:
            raise FactError(
                _(
                    "%(name)s left on %(end)s, before the date it happened (%(date)s): they "
                    "cannot be named responsible."
                )
                % {"name": staff.name, "end": _day(staff.end_date), "date": _day(occurred_on)},
                field="responsible",
            )
    if not description.strip():
        raise FactError(_("Describe what happened."), field="description")


def _next_number(year: int) -> str:
    sequence, _created = IncidentSequence.objects.select_for_update().get_or_create(year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return f"{year}-{sequence.last:04d}"


def _locked(incident: Incident) -> Incident:
    """The incident re-read under a row lock, so a stale page cannot act on an old status."""
    return Incident.objects.select_for_update().get(pk=incident.pk)


def require_right(actor, permission: str) -> None:
    """The service's own check of the actor's right, whatever page, sheet or command calls it."""
    if actor is not None and not actor.has_perm(f"efficiency.{permission}"):
        raise ServiceError(_("You do not have the right to do this."))


def require_status(incident: Incident, *allowed: str) -> None:
    if incident.status not in allowed:
        raise ServiceError(
            _(
                "Incident %(number)s is now “%(status)s”; this action no longer applies. "
                "The page has been refreshed with its current state."
            )
            % {"number": incident.number, "status": incident.get_status_display()}
        )


def _set_responsible(incident: Incident, responsible: Sequence[Staff]) -> None:
    wanted = {staff.pk: staff for staff in responsible}
    current = set(incident.responsibilities.values_list("staff_id", flat=True))
    for staff_id in current - wanted.keys():
        # A correction before verification may remove a name; the history keeps who it was.
        IncidentResponsible.objects.filter(incident=incident, staff_id=staff_id).delete()
    IncidentResponsible.objects.bulk_create(
        IncidentResponsible(incident=incident, staff=staff, section_id=staff.section_id)
        for staff_id, staff in wanted.items()
        if staff_id not in current
    )


@transaction.atomic
def incident_report(
    *,
    reporter,
    kind: str,
    standard: Standard,
    severity: str,
    occurred_on: datetime.date,
    section: Section,
    responsible: Sequence[Staff],
    description: str,
    source: str = IncidentSource.OTHER,
) -> Incident:
    check_facts(
        kind=kind,
        standard=standard,
        occurred_on=occurred_on,
        responsible=responsible,
        description=description,
    )
    incident = Incident(
        number=_next_number(occurred_on.year),
        kind=kind,
        standard=standard,
        clause_code=standard.code,
        clause_text=standard.text,
        severity=severity,
        points=standard.points_for(severity),
        occurred_on=occurred_on,
        section=section,
        description=description.strip(),
        source=source,
        reporter=reporter,
    )
    incident.full_clean()
    incident.save()
    _set_responsible(incident, responsible)
    record(
        actor=reporter,
        obj=incident,
        action=AuditAction.CREATE,
        to_status=incident.status,
        changes={key: ["", value] for key, value in snapshot(incident, CORRECTABLE_FIELDS).items()},
    )
    return incident


BATCH = 500
# Foreign keys are checked against the lookups loaded once, not by a query per row.
FOREIGN_KEYS = [
    "standard",
    "section",
    "reporter",
    "decided_by",
    "handled_by",
    "appealed_by",
    "appeal_decided_by",
]


@dataclass
class NewIncident:
    kind: str
    standard: Standard
    severity: str
    occurred_on: datetime.date
    section: Section
    responsible: list[Staff]
    description: str
    source: str = IncidentSource.OTHER


def _responsible_text(people: list[Staff]) -> str:
    # The order incident.responsible.all() gives: Staff.Meta.ordering.
    ordered = sorted(people, key=lambda s: (s.section.order, s.staff_no))
    return "、".join(str(s) for s in ordered)


@transaction.atomic
def report_many(*, reporter, rows: list[NewIncident], reason: str = "") -> list[Incident]:
    """Report many incidents at once: ``incident_report``'s checks and records, in bulk."""
    dates = open_dates()
    for row in rows:
        check_facts(
            kind=row.kind,
            standard=row.standard,
            occurred_on=row.occurred_on,
            responsible=row.responsible,
            description=row.description,
            dates=dates,
        )
    numbers: dict[int, list[str]] = {}
    for year in sorted({row.occurred_on.year for row in rows}):
        count = sum(1 for row in rows if row.occurred_on.year == year)
        sequence, _created = IncidentSequence.objects.select_for_update().get_or_create(year=year)
        first = sequence.last + 1
        sequence.last += count
        sequence.save(update_fields=["last"])
        numbers[year] = [f"{year}-{n:04d}" for n in range(first, first + count)]
    incidents = []
    for row in rows:
        incident = Incident(
            number=numbers[row.occurred_on.year].pop(0),
            kind=row.kind,
            standard=row.standard,
            clause_code=row.standard.code,
            clause_text=row.standard.text,
            severity=row.severity,
            points=row.standard.points_for(row.severity),
            occurred_on=row.occurred_on,
            section=row.section,
            description=row.description.strip(),
            source=row.source,
            reporter=reporter,
        )
        incident.clean_fields(exclude=FOREIGN_KEYS)
        incidents.append(incident)
    Incident.objects.bulk_create(incidents, batch_size=BATCH)
    IncidentResponsible.objects.bulk_create(
        (
            IncidentResponsible(incident=incident, staff=staff, section_id=staff.section_id)
            for incident, row in zip(incidents, rows, strict=True)
            for staff in {s.pk: s for s in row.responsible}.values()
        ),
        batch_size=BATCH,
    )
    content_type = ContentType.objects.get_for_model(Incident)
    actor = reporter if reporter is not None and reporter.is_authenticated else None
    facts = [name for name in CORRECTABLE_FIELDS if name != "responsible"]
    events = []
    for incident, row in zip(incidents, rows, strict=True):
        values = snapshot(incident, facts)
        values["responsible"] = _responsible_text(list({s.pk: s for s in row.responsible}.values()))
        events.append(
            AuditEvent(
                actor=actor,
                content_type=content_type,
                object_id=str(incident.pk),
                object_repr=str(incident)[:200],
                action=AuditAction.CREATE,
                to_status=incident.status,
                reason=reason,
                changes={name: ["", values[name]] for name in CORRECTABLE_FIELDS},
            )
        )
    history_chain.append(events)
    return incidents


@transaction.atomic
def incident_correct(
    *,
    actor,
    incident: Incident,
    reason: str,
    kind: str,
    standard: Standard,
    severity: str,
    occurred_on: datetime.date,
    section: Section,
    responsible: Sequence[Staff],
    description: str,
    source: str | None = None,
) -> Incident:
    incident = _locked(incident)
    require_status(incident, IncidentStatus.REPORTED)
    reason = check_reason(reason, missing=_("Say why the entry is corrected."))
    check_facts(
        kind=kind,
        standard=standard,
        occurred_on=occurred_on,
        responsible=responsible,
        description=description,
    )
    before = snapshot(incident, CORRECTABLE_FIELDS)
    incident.kind = kind
    incident.standard = standard
    incident.clause_code = standard.code
    incident.clause_text = standard.text
    incident.severity = severity
    incident.points = standard.points_for(severity)
    incident.occurred_on = occurred_on
    incident.section = section
    incident.description = description.strip()
    if source is not None:
        incident.source = source
    incident.full_clean()
    incident.save()
    _set_responsible(incident, responsible)
    changes = diff(before, snapshot(incident, CORRECTABLE_FIELDS))
    if not changes:
        raise ServiceError(_("Nothing was changed."))
    record(
        actor=actor,
        obj=incident,
        action=AuditAction.CORRECT,
        from_status=incident.status,
        to_status=incident.status,
        reason=reason.strip(),
        changes=changes,
    )
    return incident


@transaction.atomic
def incident_explain(*, actor, incident: Incident, staff: Staff, text: str) -> Explanation:
    incident = _locked(incident)
    require_status(incident, IncidentStatus.REPORTED)
    if not incident.responsibilities.filter(staff=staff).exists():
        raise ServiceError(_("%(name)s is not named in this incident.") % {"name": staff.name})
    if not text.strip():
        raise ServiceError(_("Write the explanation."))
    explanation = Explanation.objects.create(
        incident=incident, staff=staff, author=actor, text=text.strip()
    )
    record(
        actor=actor,
        obj=incident,
        action=AuditAction.EXPLAIN,
        from_status=incident.status,
        to_status=incident.status,
        reason=explanation.text,
        changes={"explanation_for": ["", staff.name]},
    )
    return explanation


def _transition(
    *, actor, incident: Incident, action: str, new_status: str, reason: str = "", **fields
) -> Incident:
    old_status = incident.status
    incident.status = new_status
    for name, value in fields.items():
        setattr(incident, name, value)
    incident.full_clean()
    incident.save()
    record(
        actor=actor,
        obj=incident,
        action=action,
        from_status=old_status,
        to_status=new_status,
        reason=reason,
        changes={
            name: ["", str(value)] for name, value in fields.items() if name.endswith("decision")
        },
    )
    return incident


@transaction.atomic
def incident_verify(*, actor, incident: Incident, note: str = "") -> Incident:
    require_right(actor, "verify_incident")
    incident = _locked(incident)
    require_status(incident, IncidentStatus.REPORTED)
    return _transition(
        actor=actor,
        incident=incident,
        action=AuditAction.VERIFY,
        new_status=IncidentStatus.VERIFIED,
        reason=note.strip(),
        decided_by=actor,
        decided_at=timezone.now(),
    )


@transaction.atomic
def incident_dismiss(*, actor, incident: Incident, reason: str) -> Incident:
    require_right(actor, "verify_incident")
    incident = _locked(incident)
    require_status(incident, IncidentStatus.REPORTED)
    reason = check_reason(reason, missing=_("A dismissal needs a reason."))
    return _transition(
        actor=actor,
        incident=incident,
        action=AuditAction.DISMISS,
        new_status=IncidentStatus.DISMISSED,
        reason=reason.strip(),
        dismissal_reason=reason.strip(),
        decided_by=actor,
        decided_at=timezone.now(),
    )


@transaction.atomic
def incident_handle(
    *, actor, incident: Incident, decision: str, note: str, result_use: str = ResultUse.NONE
) -> Incident:
    require_right(actor, "handle_incident")
    incident = _locked(incident)
    require_status(incident, IncidentStatus.VERIFIED)
    if decision not in HandlingDecision.values:
        raise ServiceError(_("Choose a handling decision from the list."))
    return _transition(
        actor=actor,
        incident=incident,
        action=AuditAction.HANDLE,
        new_status=IncidentStatus.HANDLED,
        reason=note.strip(),
        handling_decision=decision,
        handling_note=note.strip(),
        result_use=result_use,
        handled_by=actor,
        handled_at=timezone.now(),
    )


@transaction.atomic
def incident_appeal(*, actor, incident: Incident, text: str) -> Incident:
    incident = _locked(incident)
    require_status(incident, IncidentStatus.HANDLED)
    if incident.appeal_status:
        raise ServiceError(_("This incident has already been appealed; it can be appealed once."))
    text = check_reason(text, missing=_("Write the grounds of the appeal."))
    incident.appeal_status = AppealStatus.PENDING
    incident.appeal_text = text
    incident.appealed_by = actor
    incident.appealed_at = timezone.now()
    incident.save()
    record(
        actor=actor,
        obj=incident,
        action=AuditAction.APPEAL,
        from_status=incident.status,
        to_status=incident.status,
        reason=incident.appeal_text,
    )
    return incident


def require_pending_appeal(incident: Incident) -> None:
    if incident.appeal_status != AppealStatus.PENDING:
        raise ServiceError(
            _("The appeal on incident %(number)s has already been decided.")
            % {"number": incident.number}
        )


def lighter_decisions(decision: str) -> list[HandlingDecision]:
    """The handling steps below ``decision``: what an appeal upheld in part may change it to."""
    steps = HandlingDecision.ordered()
    if decision not in HandlingDecision.values:
        return []
    return steps[: steps.index(HandlingDecision(decision))]


@transaction.atomic
def incident_decide_appeal(
    *, actor, incident: Incident, uphold: bool, reason: str, lighten_to: str = ""
) -> Incident:
    """Decide a pending appeal: reject it (the incident stands), uphold it (the incident is
    dismissed), or uphold it in part with ``lighten_to``: the incident stands with its points,
    and the handling decision becomes that lighter step."""
    require_right(actor, "decide_appeal")
    incident = _locked(incident)
    require_pending_appeal(incident)
    reason = check_reason(reason, missing=_("An appeal decision needs a reason."))
    if lighten_to and uphold:
        raise ServiceError(_("Either uphold the appeal or lighten the handling, not both."))
    old_status = incident.status
    changes = {}
    if lighten_to:
        if lighten_to not in {step.value for step in lighter_decisions(incident.handling_decision)}:
            raise ServiceError(
                _("Choose a handling step lighter than “%(decision)s”.")
                % {"decision": incident.get_handling_decision_display()}
            )
        changes["handling_decision"] = [incident.handling_decision, lighten_to]
        incident.handling_decision = lighten_to
        incident.appeal_status = AppealStatus.PARTLY_UPHELD
        action = AuditAction.APPEAL_LIGHTEN
    elif uphold:
        incident.appeal_status = AppealStatus.UPHELD
        incident.status = IncidentStatus.DISMISSED
        incident.dismissal_reason = reason
        action = AuditAction.APPEAL_UPHOLD
    else:
        incident.appeal_status = AppealStatus.REJECTED
        action = AuditAction.APPEAL_REJECT
    incident.appeal_reason = reason
    incident.appeal_decided_by = actor
    incident.appeal_decided_at = timezone.now()
    incident.save()
    record(
        actor=actor,
        obj=incident,
        action=action,
        from_status=old_status,
        to_status=incident.status,
        reason=reason,
        changes=changes,
    )
    return incident
