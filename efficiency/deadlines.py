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


# --- 公示: the window after closing -------------------------------------------------------------

PUBLICITY_DAYS = 5  # the default window, in working days
PUBLICITY_MIN_DAYS, PUBLICITY_MAX_DAYS = 1, 30


def publicity_end(closed_on: datetime.date, days: int, calendar: Calendar) -> datetime.date:
    """The last day of a 公示 window of ``days`` working days for a quarter closed on
    ``closed_on``: the window runs the ``days`` working days starting with the first working
    day after the close date (the close date itself never counts, even when worked)."""
    return calendar.add_working_days(closed_on, days)


def publicity_days_left(
    closed_on: datetime.date, ends: datetime.date, today: datetime.date, calendar: Calendar
) -> int:
    """Working days of the window still to run, today included when it is one; 0 once over."""
    if today > ends:
        return 0
    start = max(today - datetime.timedelta(days=1), closed_on)
    return calendar.working_days_between(start, ends)


def long_date(day: datetime.date) -> str:
    """2026年10月27日."""
    return _("%(month)s/%(day)s/%(year)s") % {
        "year": day.year,
        "month": day.month,
        "day": day.day,
    }


def short_date(day: datetime.date) -> str:
    """10月27日."""
    return _("%(month)s/%(day)s") % {"month": day.month, "day": day.day}


def publicity_window_sentence(ends: datetime.date, days: int) -> str:
    """公示期至2026年10月27日（5个工作日）, as the close confirmation states it."""
    return _("Published for review until %(date)s (%(days)s working days).") % {
        "date": long_date(ends),
        "days": days,
    }


def publicity_countdown(left: int, ends: datetime.date) -> str:
    """公示期剩余3个工作日，至10月27日; or 公示期已结束."""
    if left <= 0:
        return _("The publicity window has ended.")
    return _("%(left)s working days of the publicity window left, until %(date)s.") % {
        "left": left,
        "date": short_date(ends),
    }
