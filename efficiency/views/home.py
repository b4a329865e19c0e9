"""The start page: what is waiting for this user, and the roster they may see."""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from efficiency import results, selectors
from efficiency.models import Feedback, IncidentStatus, Objection, Period, PeriodState, Staff
from efficiency.models.incidents import AppealStatus
from efficiency.services import annual_clocks, annual_publicity, publicity
from efficiency.services.reminders import open_reminders
from efficiency.services.reviews import may_decide
from efficiency.services.summaries import is_administrator, reviewable_sections
from efficiency.views.scoresheet import sheet_progress


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    incidents = selectors.incidents_visible_to(user)
    counts = incidents.aggregate(
        reported=Count("pk", filter=Q(status=IncidentStatus.REPORTED)),
        verified=Count("pk", filter=Q(status=IncidentStatus.VERIFIED)),
        handled=Count("pk", filter=Q(status=IncidentStatus.HANDLED)),
        dismissed=Count("pk", filter=Q(status=IncidentStatus.DISMISSED)),
        appeals=Count("pk", filter=Q(appeal_status=AppealStatus.PENDING)),
    )
    staff = selectors.staff_of(user)
    context = {
        "counts": counts,
        "recent": incidents.order_by("-reported_at")[:8],
        "mine": (
            incidents.filter(responsibilities__staff=staff).order_by("-occurred_on")[:5]
            if staff
            else []
        ),
        "my_reports": incidents.filter(reporter=user).count(),
        "can_report": user.has_perm("efficiency.add_incident"),
        "can_verify": user.has_perm("efficiency.verify_incident"),
        "reminders": open_reminders(user),
        "sheets": _open_sheets(user),
        "periods": _period_board(user),
        "summaries": _summary_links(user, staff),
        "publicity": _publicity_cards(user, staff),
        "year_links": _year_links(user, staff),
        "appeals": (
            incidents.filter(appeal_status=AppealStatus.PENDING).order_by("appealed_at")[:8]
            if user.has_perm("efficiency.decide_appeal")
            else []
        ),
    }
    return render(request, "efficiency/home.html", context)


@dataclass(frozen=True)
class SummaryLinks:
    period: Period
    mine: bool  # the user has a staff record: their own 个人小结
    reviews: bool  # they list others' summaries (a head, the administrator, a leader)
    year_summary: str = ""  # in a fourth quarter: the user's own year page, for the 个人总结


def _summary_links(user, staff) -> list[SummaryLinks]:
    """The 个人小结 of each open quarter: one's own, and the list of those one reviews."""
    reviews = reviewable_sections(user).exists()
    if staff is None and not reviews:
        return []
    return [
        SummaryLinks(
            period=period,
            mine=staff is not None,
            reviews=reviews,
            year_summary=reverse("year_notice", args=[period.year, staff.staff_no])
            + "#year-summary"
            if staff is not None and period.quarter == 4
            else "",
        )
        for period in Period.objects.filter(state=PeriodState.OPEN).order_by("year", "quarter")
    ]


@dataclass(frozen=True)
class YearLinks:
    """The year's decision, for those who take part in it: the latest year with a closed
    quarter."""

    year: int
    propose: bool  # a section head or the administrator: the 评语 and proposed grades
    decide: bool  # a leader: the decisions
    publicity: bool  # the 优秀 are published: the 公示 page
    notice: str  # the user's own 工号 once their result notice is issued, else ""
    clocks: tuple = ()  # leaders: the 复核/申诉 still running, with their last days
    appraisal: object = None  # the year's AnnualAppraisal once started: where it stands


def _year_links(user, staff) -> list[YearLinks]:
    propose = is_administrator(user) or (
        user.has_perm("efficiency.view_section_incidents") and user.headed_sections.exists()
    )
    decide = may_decide(user)
    year = (
        Period.objects.filter(state__in=[PeriodState.CLOSED, PeriodState.LOCKED])
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )
    if year is None:
        return []
    appraisal = annual_publicity.appraisal_of(year)
    published = appraisal is not None and appraisal.published_on is not None
    notice = (
        staff.staff_no
        if staff is not None and annual_publicity.notice_of(year, staff) is not None
        else ""
    )
    shown = YearLinks(
        year=year,
        propose=propose,
        decide=decide,
        publicity=published and publicity.may_see_publicity(user),
        notice=notice,
        clocks=tuple(annual_clocks.open_clocks(year)) if decide else (),
        appraisal=appraisal,
    )
    return [shown] if (propose or decide or shown.publicity or notice) else []


@dataclass(frozen=True)
class PublicityCard:
    period: Period
    kind: str  # "window", "objections", "answered", "feedback"
    text: str
    url: str


def _publicity_cards(user, staff) -> list[PublicityCard]:
    """公示 and 结果反馈 of each closed quarter: the list while the window runs, answers to the
    user's objections, their own opinion still to give, objections waiting for a leader."""
    if not publicity.may_see_publicity(user):
        return []
    cards = []
    leader = may_decide(user)
    for period in Period.objects.filter(state=PeriodState.CLOSED).order_by("year", "quarter"):
        window = publicity.window(period)
        code = period.code
        if window.running:
            cards.append(
                PublicityCard(period, "window", window.countdown, reverse("publicity", args=[code]))
            )
        for objection in (
            Objection.objects.filter(period=period, lodged_by=user)
            .exclude(answer="")
            .select_related("staff")
        ):
            cards.append(
                PublicityCard(
                    period,
                    "answered",
                    _("Your objection about %(name)s has been answered: %(answer)s.")
                    % {"name": objection.staff.name, "answer": objection.get_answer_display()},
                    reverse("publicity", args=[code]) + "#my-objections",
                )
            )
        unanswered = Objection.objects.filter(period=period, answer="").count() if leader else 0
        if unanswered:
            cards.append(
                PublicityCard(
                    period,
                    "objections",
                    ngettext(
                        "%(count)s objection waits for your answer.",
                        "%(count)s objections wait for your answer.",
                        unanswered,
                    )
                    % {"count": unanswered},
                    reverse("objection_list", args=[code]),
                )
            )
        if (
            staff is not None
            and not window.running
            and not Feedback.objects.filter(period=period, staff=staff).exists()
            and results.staff_in_period(period).filter(pk=staff.pk).exists()
        ):
            cards.append(
                PublicityCard(
                    period,
                    "feedback",
                    _("Your result is published: record your own opinion of it."),
                    reverse("feedback_mine", args=[code]),
                )
            )
    return cards


@dataclass(frozen=True)
class SheetProgress:
    period: Period
    kind: str  # "staff" or "section"
    marked: int
    to_mark: int

    @property
    def percent(self) -> int:
        return round(100 * self.marked / self.to_mark) if self.to_mark else 100


def _open_sheets(user) -> list[SheetProgress]:
    """An assessor's sheets of every open quarter, with how far they have got."""
    if not user.has_perm("efficiency.add_score"):
        return []
    return [
        SheetProgress(period=period, kind=kind, marked=marked, to_mark=to_mark)
        for period in Period.objects.filter(state=PeriodState.OPEN).order_by("year", "quarter")
        for kind, marked, to_mark in sheet_progress(period, user)
    ]


@dataclass(frozen=True)
class PeriodLine:
    period: Period
    to_lock: bool  # closed: the leader's next step is to lock it


BOARD_PERIODS = 6


def _period_board(user) -> list[PeriodLine]:
    """A leader's latest quarters: their state, and which wait for them to lock."""
    if not user.has_perm("efficiency.view_results"):
        return []
    may_lock = user.has_perm("efficiency.close_period")
    periods = (
        Period.objects.exclude(state=PeriodState.DRAFT)
        .order_by("-year", "-quarter")
        .defer("frozen")  # a locked quarter's frozen inputs: large, and not shown here
    )
    return [
        PeriodLine(period=period, to_lock=may_lock and period.state == PeriodState.CLOSED)
        for period in periods[:BOARD_PERIODS]
    ]


@login_required
def roster(request: HttpRequest) -> HttpResponse:
    sections = selectors.roster_sections(request.user)
    staff = Staff.objects.filter(section__in=sections).select_related("section")
    text = request.GET.get("q", "").strip()[:50]
    if text:
        staff = staff.filter(Q(name__icontains=text) | Q(staff_no__icontains=text))
    section_code = request.GET.get("section", "")
    if section_code:
        staff = staff.filter(section__code=section_code)
    if request.GET.get("all") != "1":
        staff = staff.filter(end_date__isnull=True)
    page = Paginator(staff, 30).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "efficiency/roster.html",
        {
            "sections": sections.annotate(
                headcount=Count("staff", filter=Q(staff__end_date__isnull=True))
            ),
            "page": page,
            "q": text,
            "section_code": section_code,
            "show_all": request.GET.get("all") == "1",
            # Sex, birth month and political status are personnel-file details: only for
            # those who keep the staff records.
            "may_see_personal": request.user.has_perm("efficiency.change_staff"),
            "query": query.urlencode(),
        },
    )
