"""催办: reminders to those behind in a quarter, sent by a leader or by the app itself.

A reminder shows on the recipient's home page until what it asks for is done; "done" is read
from the marks and the summaries (:mod:`efficiency.progress`), never ticked by hand, and
stamped the first time it is seen. Each one is e-mailed where the user has an address and
recorded in the history.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from efficiency import deadlines, progress, selectors
from efficiency.models import Period, PeriodState, Reminder, ReminderKind
from efficiency.models.audit import AuditAction
from efficiency.quarters import Quarter
from efficiency.wording import person_name

from . import ServiceError
from .audit import record


def _due(period: Period, kind: str) -> datetime.date | None:
    return period.marks_due if kind == ReminderKind.MARKS else period.summary_due


def message_for(period: Period, kind: str) -> str:
    """The sentence the recipient reads, with the deadline when the period has one."""
    what = {
        ReminderKind.MARKS: _("finish your marks for %(period)s"),
        ReminderKind.SUMMARY: _("write and submit your personal summary for %(period)s"),
        ReminderKind.SUMMARY_REVIEW: _("review the personal summaries submitted for %(period)s"),
    }[kind] % {"period": period}
    due = _due(period, kind)
    if due is None:
        return _("Please %(what)s.") % {"what": what}
    return _("Please %(what)s by %(date)s.") % {"what": what, "date": due.isoformat()}


def check_can_remind(period: Period) -> None:
    if period.state != PeriodState.OPEN:
        raise ServiceError(
            _("Period %(code)s is not open; there is nothing to remind anyone of.")
            % {"code": period.code}
        )


@dataclass(frozen=True)
class Recipient:
    user_id: int
    name: str
    kind: str


def recipients_behind(period: Period) -> list[Recipient]:
    """Everyone behind in ``period``: assessors with marks to give, people with a login whose
    summary is not submitted, heads with submitted summaries to review."""
    found = [
        Recipient(line.user_id, line.name, ReminderKind.MARKS)
        for line in progress.assessors_behind(period)
    ]
    found += [
        Recipient(person.user_id, person.name, ReminderKind.SUMMARY)
        for person in progress.summary_writers_behind(period)
    ]
    heads = progress.reviewers_behind(period)
    if heads:
        for user in (
            get_user_model().objects.filter(pk__in=heads, is_active=True).select_related("staff")
        ):
            found.append(Recipient(user.pk, person_name(user), ReminderKind.SUMMARY_REVIEW))
    return found


def _send(*, actor, period: Period, user, kind: str, due: datetime.date | None = None) -> Reminder:
    message = message_for(period, kind)
    reminder = Reminder(
        period=period, to_user=user, kind=kind, sent_by=actor, message=message, due=due
    )
    reminder.full_clean()
    reminder.save()
    record(
        actor=actor,
        obj=reminder,
        action=AuditAction.REMIND,
        reason=message,
        changes={str(_("to")): ["", str(user)]},
    )
    if user.email:
        subject = _("Reminder: %(what)s") % {"what": reminder.get_kind_display()}
        sent = send_mail(subject, message, None, [user.email], fail_silently=True)
        if sent:
            Reminder.objects.filter(pk=reminder.pk).update(emailed=True)
            reminder.emailed = True
    return reminder


@transaction.atomic
def remind(*, actor, period: Period, user, kind: str) -> Reminder:
    """A leader's 催办 to one user; refused when there is nothing to remind them of."""
    period = Period.objects.get(pk=period.pk)
    check_can_remind(period)
    if kind not in ReminderKind.values:
        raise ServiceError(_("There is no such reminder."))
    if is_done(period, user, kind):
        raise ServiceError(
            _("%(user)s is not behind; no reminder was sent.") % {"user": person_name(user)}
        )
    return _send(actor=actor, period=period, user=user, kind=kind)


@transaction.atomic
def remind_all(*, actor, period: Period) -> list[Reminder]:
    """催办全部未完成: one reminder to everyone behind."""
    period = Period.objects.get(pk=period.pk)
    check_can_remind(period)
    found = recipients_behind(period)
    users = get_user_model().objects.in_bulk([r.user_id for r in found])
    return [_send(actor=actor, period=period, user=users[r.user_id], kind=r.kind) for r in found]


def is_done(period: Period, user, kind: str) -> bool:
    if kind == ReminderKind.MARKS:
        return not any(line.user_id == user.pk for line in progress.assessors_behind(period))
    if kind == ReminderKind.SUMMARY:
        return progress.staff_summary_done(period, user)
    return progress.reviewers_behind(period).get(user.pk, 0) == 0


def open_reminders(user) -> list[Reminder]:
    """The user's reminders not yet done; those now done are stamped and left out.

    A reminder of a quarter no longer open is done as well: nothing more can be given.
    """
    pending = list(
        Reminder.objects.filter(to_user=user, done_at__isnull=True).select_related(
            "period", "sent_by", "sent_by__staff"
        )
    )
    if not pending:
        return []
    now = timezone.now()
    done_ids, shown, seen = [], [], {}
    for reminder in pending:
        key = (reminder.period_id, reminder.kind)
        if key not in seen:
            seen[key] = reminder.period.state != PeriodState.OPEN or is_done(
                reminder.period, user, reminder.kind
            )
        if seen[key]:
            done_ids.append(reminder.pk)
        else:
            shown.append(reminder)
    if done_ids:
        Reminder.objects.filter(pk__in=done_ids).update(done_at=now)
    # One line per period and kind: the latest reminder stands for the earlier ones.
    latest: dict[tuple[int, str], Reminder] = {}
    for reminder in shown:
        latest.setdefault((reminder.period_id, reminder.kind), reminder)
    return list(latest.values())


@dataclass(frozen=True)
class Planned:
    period: Period
    kind: str
    due: datetime.date
    recipients: tuple[Recipient, ...]


def due_reminders(day: datetime.date) -> list[Planned]:
    """What the app sends on ``day``: for each open period whose deadline is two working days
    away, everyone behind for it who has not had the automatic reminder for that deadline."""
    plans = []
    for period in Period.objects.filter(state=PeriodState.OPEN).order_by("year", "quarter"):
        last = Quarter.parse(period.code).last_day
        calendar = selectors.office_calendar(last, last + deadlines.CALENDAR_SPAN)
        found = recipients_behind(period)
        for kinds, due in (
            ((ReminderKind.SUMMARY, ReminderKind.SUMMARY_REVIEW), period.summary_due),
            ((ReminderKind.MARKS,), period.marks_due),
        ):
            if not deadlines.is_reminder_day(day, due, calendar):
                continue
            sent = set(
                Reminder.objects.filter(
                    period=period, due=due, sent_by__isnull=True, kind__in=kinds
                ).values_list("to_user_id", "kind")
            )
            for kind in kinds:
                todo = tuple(r for r in found if r.kind == kind and (r.user_id, kind) not in sent)
                if todo:
                    plans.append(Planned(period, kind, due, todo))
    return plans


@transaction.atomic
def send_due(plans: list[Planned]) -> int:
    users = get_user_model().objects.in_bulk([r.user_id for plan in plans for r in plan.recipients])
    count = 0
    for plan in plans:
        for r in plan.recipients:
            _send(
                actor=None, period=plan.period, user=users[r.user_id], kind=plan.kind, due=plan.due
            )
            count += 1
    return count
