"""个人总结 of a year: the person writes it on their year page (the result notice page, with the
same autosave as the quarter's 个人小结), the head of their section reads it from the year's
proposals page and accepts or returns it, or enters one from paper.

The steps, the reviewer's page and the write form are the quarter's (:mod:`.summaries`), given
``year=`` instead of ``period=``.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from efficiency import selectors
from efficiency.models import ANNUAL_SUMMARY_MAX_LENGTH, AnnualSummary, Staff
from efficiency.services import summaries as services

from .summaries import (
    enter_step,
    person_or_404,
    render_detail,
    review_step,
    write_own_step,
)
from .year_publicity import notice_page


def _year_or_404(year: int) -> int:
    if not 2000 <= year <= 2100:
        raise Http404
    return year


def _own_page(year: int, staff: Staff) -> str:
    return reverse("year_notice", args=[year, staff.staff_no]) + "#year-summary"


@require_POST
@login_required
def year_summary_mine(request: HttpRequest, year: int) -> HttpResponse:
    """The person's own 个人总结: 保存草稿 (also the autosave) or 提交."""
    year = _year_or_404(year)
    staff = selectors.staff_of(request.user)
    if staff is None:
        raise Http404
    return write_own_step(
        request,
        staff=staff,
        where={"year": year},
        refused=lambda text: notice_page(request, year, staff, typed=text),
        done=_own_page(year, staff),
    )


def _person_or_404(request: HttpRequest, year: int, staff_no: str) -> Staff:
    return person_or_404(request, services.subject_of(year=year).roster(), staff_no)


def _detail_url(year: int, staff: Staff) -> str:
    return reverse("year_summary_detail", args=[year, staff.staff_no])


@login_required
def year_summary_detail(request: HttpRequest, year: int, staff_no: str) -> HttpResponse:
    year = _year_or_404(year)
    staff = _person_or_404(request, year, staff_no)
    subject = services.subject_of(year=year)
    summary = (
        AnnualSummary.objects.filter(year=year, staff=staff).select_related("written_by").first()
    )
    return render_detail(
        request,
        staff=staff,
        summary=summary,
        may_review=services.may_review(request.user, staff) and subject.writable(),
        max_length=ANNUAL_SUMMARY_MAX_LENGTH,
        heading=_("Annual summary of %(name)s, %(year)s") % {"name": staff.name, "year": year},
        back=(reverse("year_review", args=[year]), _("Annual grade proposals")),
        urls=(
            reverse("year_summary_review", args=[year, staff.staff_no]),
            reverse("year_summary_enter", args=[year, staff.staff_no]),
        ),
    )


@require_POST
@login_required
def year_summary_review(request: HttpRequest, year: int, staff_no: str) -> HttpResponse:
    """接受 or 退回, each after a confirmation step."""
    year = _year_or_404(year)
    staff = _person_or_404(request, year, staff_no)
    return review_step(
        request,
        staff=staff,
        where={"year": year},
        back=_detail_url(year, staff),
        done=reverse("year_review", args=[year]) + f"#row-{staff.staff_no}",
    )


@require_POST
@login_required
def year_summary_enter(request: HttpRequest, year: int, staff_no: str) -> HttpResponse:
    """代为录入: a year summary handed in on paper, typed in by the head or the administrator."""
    year = _year_or_404(year)
    staff = _person_or_404(request, year, staff_no)
    return enter_step(request, staff=staff, where={"year": year}, back=_detail_url(year, staff))
