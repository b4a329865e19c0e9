"""The quarter's two deadlines (小结截止, 评分截止) and when to remind before them.

Pure: dates and an :class:`efficiency.workdays.Calendar` in, dates and sentences out.
"""

import datetime

from django.utils.translation import gettext as _

from efficiency.workdays import Calendar

SUMMARY_DAYS = 10  # 小结截止: working days after the quarter's last day
MARKS_DAYS = 15  # 评分截止
REMIND_DAYS = 2  # the app reminds those behind this many working days before a deadline
# How far past the quarter's end the office's calendar is read for these counts.
CALENDAR_SPAN = datetime.timedelta(days=120)


def default_deadlines(last_day: datetime.date, calendar: Calendar) -> tuple[datetime.date, ...]:
    """(小结截止, 评分截止) proposed for a quarter ending on ``last_day``."""
    return (
        calendar.add_working_days(last_day, SUMMARY_DAYS),
        calendar.add_working_days(last_day, MARKS_DAYS),
    )


def deadline_errors(
    last_day: datetime.date,
    summary_due: datetime.date | None,
    marks_due: datetime.date | None,
) -> list[str]:
    """Every reason the two dates do not fit the quarter; empty when they do (or are unset)."""
    errors = []
    end = last_day.isoformat()
    if summary_due is not None and summary_due < last_day:
        errors.append(
            _("The summaries cannot be due (%(date)s) before the quarter ends (%(end)s).")
            % {"date": summary_due.isoformat(), "end": end}
        )
    if marks_due is not None and marks_due < last_day:
        errors.append(
            _("The marks cannot be due (%(date)s) before the quarter ends (%(end)s).")
            % {"date": marks_due.isoformat(), "end": end}
        )
    if summary_due is not None and marks_due is not None and marks_due < summary_due:
        errors.append(
            _("The marks cannot be due (%(marks)s) before the summaries (%(summary)s).")
            % {"marks": marks_due.isoformat(), "summary": summary_due.isoformat()}
        )
    return errors


def is_reminder_day(day: datetime.date, due: datetime.date | None, calendar: Calendar) -> bool:
    """Whether ``day`` is the working day ``REMIND_DAYS`` working days before ``due``."""
    return (
        due is not None
        and calendar.is_working_day(day)
        and calendar.working_days_between(day, due) == REMIND_DAYS
    )
