"""出勤情况: the quarter's people, each with a row to record their attendance.

The administrator edits (one row, one form, one service call); leaders read. Nothing changes
once the period is locked.
"""

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from efficiency.models import Attendance, Period, Staff
from efficiency.selectors import (
    attendance_by_staff,
    attendance_people,
    attendance_sections,
)
from efficiency.services import ServiceError
from efficiency.services.attendance import record_attendance

PAGE_SIZE = 30


class AttendanceForm(forms.Form):
    """Reads the three numbers; what they may be (not negative, half days, no more days than
    the quarter has) is the model's rule, checked by the service."""

    absent_days = forms.IntegerField(label=gettext_lazy("Days absent without leave"))
    leave_days = forms.DecimalField(label=gettext_lazy("Days of sick or personal leave"))
    late_times = forms.IntegerField(label=gettext_lazy("Times late or left early"))


@dataclass
class Row:
    staff: Staff
    form: AttendanceForm
    shown: dict  # the recorded figures as the page shows them


def _period_for(request: HttpRequest, code: str) -> Period:
    if not request.user.has_perm("efficiency.view_attendance"):
        raise PermissionDenied
    return get_object_or_404(Period, code=code)


def _initial(attendance: Attendance | None) -> dict:
    if attendance is None:
        return {"absent_days": 0, "leave_days": "0", "late_times": 0}
    return {
        "absent_days": attendance.absent_days,
        "leave_days": format(attendance.leave_days.normalize(), "f"),  # 1.5, 2 (not 2.0)
        "late_times": attendance.late_times,
    }


@login_required
def attendance(request: HttpRequest, code: str) -> HttpResponse:
    period = _period_for(request, code)
    editable = request.user.has_perm("efficiency.change_attendance") and not period.is_locked
    bound: tuple[str, AttendanceForm] | None = None
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        bound = (request.POST.get("staff_no", ""), AttendanceForm(request.POST))
        if saved := _save(request, period, *bound):
            return saved
    text = request.GET.get("q", "").strip()[:50]
    section_code = request.GET.get("section", "")[:20]
    people = attendance_people(period, text=text, section_code=section_code)
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    recorded = attendance_by_staff(period, [person.pk for person in page])
    rows = []
    for person in page:
        form = AttendanceForm(initial=_initial(recorded.get(person.pk)), auto_id=False)
        if bound is not None and bound[0] == person.staff_no:
            form = bound[1]
        rows.append(Row(person, form, _initial(recorded.get(person.pk))))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "efficiency/appraisal/attendance.html",
        {
            "period": period,
            "rows": rows,
            "page": page,
            "sections": attendance_sections(period),
            "q": text,
            "section_code": section_code,
            "query": query.urlencode(),
            "editable": editable,
        },
        status=400 if bound is not None else 200,
    )


def _save(request: HttpRequest, period: Period, staff_no: str, form: AttendanceForm):
    """The redirect after a saved row, or None to show the page again with the row's errors."""
    staff = Staff.objects.filter(staff_no=staff_no).first()
    if staff is None:
        messages.error(request, _("There is nobody with staff number “%(no)s”.") % {"no": staff_no})
        return None
    if not form.is_valid():
        messages.error(
            request,
            _("The attendance of %(name)s was not saved; see the row.") % {"name": staff.name},
        )
        return None
    try:
        record_attendance(actor=request.user, period=period, staff=staff, **form.cleaned_data)
    except ServiceError as error:
        form.add_error(None, error.message)
        messages.error(request, error.message)
        return None
    messages.success(request, _("Attendance of %(name)s saved.") % {"name": staff.name})
    # Back to the same page of the list (the form posts to the address with its query).
    return redirect(f"{request.get_full_path()}#staff-{staff.staff_no}")
