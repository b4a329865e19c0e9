"""The demo office: 桂阳县委办公室 with its roster, standards, a year of three-errors incidents
and its quarterly appraisal (2026Q1–Q4); with ``year_end``, the same office carried on to late
January 2027, its year 2026 decided and notified (:mod:`.yearend`).

``load_demo`` fills an empty database in one transaction and refuses to touch one that already
holds an office. The roster and catalogue come from the office's own workbooks in
``fixtures/demo/`` through the Excel import (:mod:`.roster`); incidents (:mod:`.incidents`) and
marks (:mod:`.appraisal`) go through the services, so everything has its full history, stamped
on the demo's calendar (:mod:`.calendar`). Everything random comes from seeded generators, so
the same day always gives the same office.
"""

import datetime
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from efficiency.models import DemoMark, Incident, Period, Section, Staff, Standard
from efficiency.roles import ensure_roles
from efficiency.selectors import office_calendar
from efficiency.services.calendar import office_days_load

from .appraisal import load_appraisal
from .calendar import FIRST_DAY, YEAR, Timeline, at
from .incidents import IncidentYear, cited
from .roster import DEMO_ACCOUNTS, DEMO_PASSWORD, create_accounts, import_roster
from .yearend import load_year_end

__all__ = ["DEMO_ACCOUNTS", "DEMO_PASSWORD", "blocking_reason", "load_demo"]


def load_demo(*, stdout=None, fixtures: Path | None = None, year_end: bool = False) -> bool:
    """Fill an empty database with the demo office; False, and no change, if it is not empty.

    ``fixtures`` is the folder of the office's workbooks, ``fixtures/demo/`` if None;
    ``year_end`` carries it on to the year-end moment (:data:`.calendar.YEAR_END_TODAY`).
    """
    if blocking_reason():
        return False
    with transaction.atomic():
        if blocking_reason():
            return False
        _load(Path(fixtures or settings.BASE_DIR / "fixtures" / "demo"), stdout, year_end)
        DemoMark.objects.create()
    return True


def blocking_reason() -> str:
    """Why the demo cannot be loaded here, in the user's words; empty if it can."""
    if (
        Section.objects.exists()
        or Staff.objects.exists()
        or Standard.objects.exists()
        or Incident.objects.exists()
        or Period.objects.exists()
    ):
        return "数据库中已有数据，未载入演示数据。"
    taken = sorted(
        get_user_model()
        .objects.filter(username__in=[account.username for account in DEMO_ACCOUNTS])
        .values_list("username", flat=True)
    )
    if taken:
        return f"数据库中已有账号 {'、'.join(taken)}，未载入演示数据。"
    # The demo's accounts have public passwords: they go only into a database with no accounts.
    if get_user_model().objects.exists():
        return "数据库中已有账号，不是空数据库，未载入演示数据。"
    return ""


def _load(fixtures: Path, stdout, year_end: bool) -> None:
    def say(text: str) -> None:
        if stdout is not None:
            stdout.write(text)

    timeline = Timeline(at(FIRST_DAY, 8))
    # Everything happens on the demo's calendar: the office is set up (its workbooks imported)
    # early on its first working day, then the year's incidents and quarters unfold in date
    # order.
    with timeline.clock():
        ensure_roles()
        office_days_load(actor=None, year=YEAR)
        # Every step is scheduled on the office's calendar, as the app counts deadlines;
        # the first months of the next year count by the week, as they would in the office.
        timeline.use_calendar(
            office_calendar(datetime.date(YEAR, 1, 1), datetime.date(YEAR, 12, 31))
        )
        say("导入科室、人员和三误界定标准，建立演示账号……")
        roster = import_roster(fixtures)
        create_accounts(roster)
        year = IncidentYear(roster=roster, timeline=timeline)
        plans = year.plan()
        year.schedule(plans)
        loader = load_appraisal(
            timeline=timeline,
            staff=list(roster.staff.values()),
            sections=list(roster.sections.values()),
            users=roster.users,
            cited=cited(plans),
            say=say,
        )
        say(f"按 {YEAR} 年的日历登记、处理三误事件并逐季考核……")
        timeline.run()
    if year_end:
        load_year_end(loader=loader, say=say)
