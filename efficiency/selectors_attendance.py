"""Reads of 出勤情况 (attendance), shaped for its page and its sheet."""

from django.db.models import Q, QuerySet

from efficiency import results
from efficiency.models import Attendance, Period, Section, Staff


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
