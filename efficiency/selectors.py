"""Reads shaped for pages: who sees what is decided here, in the queries."""

import datetime
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from efficiency import deadlines, results
from efficiency.models import (
    Attendance,
    AuditEvent,
    DayKind,
    Incident,
    IncidentStatus,
    OfficeDay,
    Period,
    PeriodState,
    Sanction,
    Section,
    Staff,
)
from efficiency.models.incidents import ESTABLISHED_STATUSES, HandlingDecision
from efficiency.workdays import Calendar


def sees_all_incidents(user) -> bool:
    return user.has_perm("efficiency.view_all_incidents")


def headed_section_ids(user) -> list[int]:
    if not user.has_perm("efficiency.view_section_incidents"):
        return []
    return list(user.headed_sections.values_list("pk", flat=True))


def staff_of(user) -> Staff | None:
    return getattr(user, "staff", None) if user.is_authenticated else None


def incidents_visible_to(user) -> QuerySet[Incident]:
    """Every incident this user may read.

    Supervisors and leaders see the whole office; a section head sees their sections; a clerk
    sees what they reported; anyone sees the incidents that name them.
    """
    incidents = Incident.objects.select_related("section", "standard", "reporter")
    if not user.is_authenticated or not user.is_active:
        return incidents.none()
    if sees_all_incidents(user):
        return incidents
    scope = Q(reporter=user)
    section_ids = headed_section_ids(user)
    if section_ids:
        scope |= Q(section_id__in=section_ids)
    staff = staff_of(user)
    if staff is not None:
        scope |= Q(pk__in=staff.responsibilities.values("incident_id"))
    return incidents.filter(scope)


def reporting_sections(user) -> QuerySet[Section]:
    """Sections this user may record incidents against."""
    if not user.has_perm("efficiency.add_incident"):
        return Section.objects.none()
    sections = Section.objects.filter(active=True)
    if sees_all_incidents(user):
        return sections
    return sections.filter(clerks=user)


def staff_choices(
    section_id: int | None = None, *, left_since: datetime.date | None = None
) -> QuerySet[Staff]:
    """Current staff, the given section's people first, then everyone else by section.

    ``left_since``: also those who left on or after that day (an incident may be recorded
    late, for a day they were still in post).
    """
    staff = Staff.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=left_since)
        if left_since
        else Q(end_date__isnull=True)
    ).select_related("section")
    if section_id:
        staff = staff.annotate(
            own=Case(
                When(section_id=section_id, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        ).order_by("own", "section__order", "staff_no")
    return staff


def explainable_staff(user, incident: Incident) -> list[Staff]:
    """The people named in the incident on whose behalf this user may write an explanation."""
    if incident.status != IncidentStatus.REPORTED:
        return []
    named = [r.staff for r in incident.responsibilities.select_related("staff")]
    own = staff_of(user)
    heads = set(headed_section_ids(user))
    return [
        staff
        for staff in named
        if (own is not None and staff.pk == own.pk)
        or staff.section_id in heads
        or incident.section_id in heads
    ]


def may_appeal(user, incident: Incident) -> bool:
    if incident.status != IncidentStatus.HANDLED or incident.appeal_status:
        return False
    own = staff_of(user)
    if own is not None and incident.responsibilities.filter(staff=own).exists():
        return True
    return incident.section_id in headed_section_ids(user)


def suggested_handling(incident: Incident) -> HandlingDecision:
    """The step above the last one used on the same people for the same kind this year."""
    steps = HandlingDecision.ordered()
    earlier = (
        Incident.objects.filter(
            status__in=ESTABLISHED_STATUSES,
            kind=incident.kind,
            occurred_on__year=incident.occurred_on.year,
            responsibilities__staff__in=incident.responsibilities.values("staff_id"),
        )
        .exclude(pk=incident.pk)
        .exclude(handling_decision="")
        .values_list("handling_decision", flat=True)
    )
    used = [steps.index(HandlingDecision(value)) for value in earlier]
    if not used:
        return steps[0]
    return HandlingDecision.next_after(steps[max(used)])


@dataclass(frozen=True)
class HistoryRow:
    event: AuditEvent
    changes: list[tuple[str, str, str]]
    status_change: tuple[str, str] | None


def incident_history(incident: Incident) -> list[HistoryRow]:
    events = AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(Incident), object_id=str(incident.pk)
    ).select_related("actor", "actor__staff")
    return [
        HistoryRow(
            event=event,
            changes=_readable_changes(event.changes),
            status_change=(
                (status_label(event.from_status), status_label(event.to_status))
                if event.from_status and event.from_status != event.to_status
                else None
            ),
        )
        for event in events
    ]


EXTRA_CHANGE_LABELS = {
    "explanation_for": _("on behalf of"),
    "attachment": _("attachment"),
    "size": _("size in bytes"),
    "sha256": _("SHA-256"),
}


def _readable_changes(changes: dict, model=Incident) -> list[tuple[str, str, str]]:
    readable = []
    for name, (old, new) in changes.items():
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            readable.append((str(EXTRA_CHANGE_LABELS.get(name, name)), old, new))
            continue
        if field.choices:
            labels = dict(field.flatchoices)
            old, new = labels.get(old, old), labels.get(new, new)
        readable.append((str(field.verbose_name), str(old), str(new)))
    return readable


def sanction_history(staff: Staff) -> list[HistoryRow]:
    """Every record, correction and withdrawal of one person's 处分, newest first."""
    ids = [str(pk) for pk in Sanction.objects.filter(staff=staff).values_list("pk", flat=True)]
    events = (
        AuditEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(Sanction), object_id__in=ids
        )
        .select_related("actor", "actor__staff")
        .order_by("-at", "-pk")
    )
    return [
        HistoryRow(
            event=event,
            changes=_readable_changes(event.changes, Sanction),
            status_change=None,
        )
        for event in events
    ]


def status_label(value: str) -> str:
    """An incident's or a period's status, in the reader's language."""
    for choices in (IncidentStatus, PeriodState):
        if value in choices.values:
            return str(choices(value).label)
    return value


def roster_sections(user):
    """The sections whose people this user may list, on the roster page and in the staff
    export: every section for office-wide roles and the command line (``user`` None); otherwise
    the sections they head and those they record incidents for (a clerk)."""
    if user is None or sees_all_incidents(user) or user.has_perm("efficiency.view_staff"):
        return Section.objects.all()
    return Section.objects.filter(
        Q(pk__in=headed_section_ids(user)) | Q(pk__in=reporting_sections(user))
    )


# --- the office's calendar, shaped for efficiency.workdays ---------------------------------


def office_calendar(first: datetime.date, last: datetime.date) -> Calendar:
    """The office's days off and weekend days worked from ``first`` to ``last`` (inclusive),
    in one query. Counting past ``last`` treats later days by the week alone, so ask for a
    span that covers every day the count may reach."""
    rows = OfficeDay.objects.filter(date__range=(first, last)).values_list("date", "kind")
    off, worked = [], []
    for day, kind in rows:
        (worked if kind == DayKind.WORKED else off).append(day)
    return Calendar.of(off=off, worked=worked)


# --- 公示 and 结果反馈 ------------------------------------------------------------------


@dataclass(frozen=True)
class PublicityWindow:
    """Where a closed quarter stands in its 公示 window today."""

    ends: datetime.date | None
    days: int | None
    left: int  # working days still to run, today included; 0 when over or never held

    @property
    def running(self) -> bool:
        return self.ends is not None and self.left > 0

    @property
    def countdown(self) -> str:
        if self.ends is None:
            return ""
        return deadlines.publicity_countdown(self.left, self.ends)


def publicity_window(period: Period, today: datetime.date | None = None) -> PublicityWindow:
    today = today or timezone.localdate()
    ends = period.publicity_ends
    if period.state != PeriodState.CLOSED or ends is None or period.closed_at is None:
        return PublicityWindow(ends=ends, days=period.publicity_days, left=0)
    closed_on = timezone.localdate(period.closed_at)
    calendar = office_calendar(closed_on, ends)
    if today > ends:
        left = 0
    else:
        # The window counts as running from the close itself to its last day, even on a
        # day off: on the close day and a weekend the count is of the days still to come.
        left = max(deadlines.publicity_days_left(closed_on, ends, today, calendar), 1)
    return PublicityWindow(ends=ends, days=period.publicity_days, left=left)


def publicity_dates(period: Period) -> tuple[datetime.date, datetime.date] | None:
    """The 公示 window's first and last day, or None for a quarter never published with one.
    It runs the working days after the close day (``deadlines.publicity_end``)."""
    if period.publicity_ends is None or period.closed_at is None:
        return None
    closed_on = timezone.localdate(period.closed_at)
    first = deadlines.publicity_end(closed_on, 1, office_calendar(closed_on, period.publicity_ends))
    return first, period.publicity_ends


def feedback_owed(period: Period):
    """The quarter's people with a login who have not recorded their own opinion yet."""
    return (
        results.staff_in_period(period)
        .filter(user__isnull=False, user__is_active=True)
        .exclude(feedback__period=period)
        .order_by("section__order", "staff_no")
    )


# --- 出勤情况 (attendance), shaped for its page and its sheet ------------------------------
def attendance_people(period: Period, *, text: str = "", section_code: str = "") -> QuerySet[Staff]:
    """The quarter's people (on the roster during it), in section order, narrowed by a
    name or 工号 fragment and a section."""
    staff = results.staff_in_period(period).select_related("section")
    if text:
        staff = staff.filter(Q(name__icontains=text) | Q(staff_no__icontains=text))
    if section_code:
        staff = staff.filter(section__code=section_code)
    return staff.order_by("section__order", "section__code", "staff_no")


def attendance_by_staff(period: Period, staff_ids) -> dict[int, Attendance]:
    return {a.staff_id: a for a in Attendance.objects.filter(period=period, staff_id__in=staff_ids)}


def attendance_sections(period: Period) -> QuerySet[Section]:
    """The sections the quarter's people work in, for the filter."""
    return Section.objects.filter(
        pk__in=results.staff_in_period(period).values("section_id")
    ).order_by("order", "code")
