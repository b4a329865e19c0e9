"""The appraisal's landing page: every period with its state, and the lifecycle actions.

Opening, closing, reopening and locking each go through one service call; the page only
shows what the reader's role allows and says what happened.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.contenttypes.models import ContentType
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from efficiency import selectors
from efficiency.models import AuditEvent, Criterion, Period, PeriodState
from efficiency.services import ServiceError
from efficiency.services import appraisal as services

# What each action says when it has been done; the command line prints the same words.
ACTION_DONE = {
    "open": gettext_lazy("Period %(code)s is open for scoring."),
    "close": gettext_lazy("Period %(code)s is closed; its results are published for review."),
    "reopen": gettext_lazy("Period %(code)s is open for scoring again."),
    "lock": gettext_lazy("Period %(code)s is locked; nothing about it can change any more."),
}

REASON_MAX_LENGTH = 1000


def weight_text(weight: Decimal) -> str:
    """40.00 → 40, 33.50 → 33.5: weights as people write them."""
    text = f"{weight:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@dataclass(frozen=True)
class CriterionLine:
    name: str
    weight: str


@dataclass(frozen=True)
class PeriodEntry:
    period: Period
    criteria: tuple[CriterionLine, ...]
    history: tuple[AuditEvent, ...]
    reopened: bool  # open again after a close: the scores may still change


@dataclass(frozen=True)
class YearGroup:
    year: int
    entries: tuple[PeriodEntry, ...]
    has_results: bool  # some quarter has been opened, so the year has something to roll up


def _history(periods: list[Period]) -> dict[str, list[AuditEvent]]:
    events = AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(Period),
        object_id__in=[str(p.pk) for p in periods],
    ).select_related("actor", "actor__staff")
    by_period: dict[str, list[AuditEvent]] = defaultdict(list)
    for event in events:
        by_period[event.object_id].append(event)
    return by_period


def _year_groups(periods: list[Period]) -> list[YearGroup]:
    history = _history(periods)
    entries: dict[int, list[PeriodEntry]] = defaultdict(list)
    for period in periods:
        entries[period.year].append(
            PeriodEntry(
                period=period,
                criteria=tuple(
                    CriterionLine(c.name, weight_text(c.weight)) for c in period.criteria.all()
                ),
                history=tuple(history.get(str(period.pk), ())),
                reopened=period.state == PeriodState.OPEN and period.closed_at is not None,
            )
        )
    return [
        YearGroup(
            year=year,
            entries=tuple(items),
            has_results=any(e.period.state != PeriodState.DRAFT for e in items),
        )
        for year, items in entries.items()
    ]


def _next_quarter(code: str) -> str:
    year, quarter = int(code[:4]), int(code[5])
    return f"{year + 1}Q1" if quarter == 4 else f"{year}Q{quarter + 1}"


def default_code(periods: list[Period]) -> str:
    """The current quarter, or the first one after it that has not been opened yet."""
    taken = {p.code for p in periods if p.state != PeriodState.DRAFT}
    code = selectors.quarter_of(timezone.localdate())
    while code in taken:
        code = _next_quarter(code)
    return code


class OpenForm(forms.Form):
    code = forms.CharField(
        max_length=10,
        error_messages={
            "required": gettext_lazy("Write the quarter like 2026Q3."),
            "max_length": gettext_lazy("Write the quarter like 2026Q3."),
        },
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(required=False, max_length=REASON_MAX_LENGTH)


@login_required
def period_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    periods = list(Period.objects.order_by("-year", "-quarter").prefetch_related("criteria"))
    can_open = user.has_perm("efficiency.open_period")
    context = {
        "years": _year_groups(periods),
        "can_open": can_open,
        "can_close": user.has_perm("efficiency.close_period"),
        "can_mark": user.has_perm("efficiency.add_score"),
        "can_view_results": user.has_perm("efficiency.view_results"),
        "my_staff": selectors.staff_of(user),
        "reason_max_length": REASON_MAX_LENGTH,
    }
    if can_open:
        defaults = list(Criterion.objects.filter(active=True))
        total = sum((c.weight for c in defaults), Decimal(0))
        context.update(
            default_code=default_code(periods),
            default_criteria=[CriterionLine(c.name, weight_text(c.weight)) for c in defaults],
            default_total=weight_text(total),
            default_total_ok=bool(defaults) and total == 100,
        )
    return render(request, "efficiency/appraisal/periods.html", context)


def _back() -> HttpResponse:
    # To the top of the list, where the message is shown.
    return redirect("period_list")


def _done(request: HttpRequest, action: str, period: Period) -> HttpResponse:
    messages.success(request, ACTION_DONE[action] % {"code": period.code})
    return _back()


@login_required
@require_POST
@permission_required("efficiency.open_period", raise_exception=True)
def period_open(request: HttpRequest) -> HttpResponse:
    form = OpenForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["code"][0])
        return _back()
    try:
        period = services.period_open(actor=request.user, code=form.cleaned_data["code"])
    except ServiceError as error:
        messages.error(request, error.message)
        return _back()
    return _done(request, "open", period)


@login_required
@require_POST
@permission_required("efficiency.close_period", raise_exception=True)
def period_close(request: HttpRequest, code: str) -> HttpResponse:
    period = get_object_or_404(Period, code=code)
    try:
        period = services.period_close(actor=request.user, period=period)
    except ServiceError as error:
        messages.error(request, error.message)
        return _back()
    return _done(request, "close", period)


@login_required
@require_POST
@permission_required("efficiency.close_period", raise_exception=True)
def period_reopen(request: HttpRequest, code: str) -> HttpResponse:
    period = get_object_or_404(Period, code=code)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            _("Keep the reason within %(count)s characters.") % {"count": REASON_MAX_LENGTH},
        )
        return _back()
    try:
        period = services.period_reopen(
            actor=request.user, period=period, reason=form.cleaned_data["reason"]
        )
    except ServiceError as error:
        messages.error(request, error.message)
        return _back()
    return _done(request, "reopen", period)


@login_required
@require_POST
@permission_required("efficiency.close_period", raise_exception=True)
def period_lock(request: HttpRequest, code: str) -> HttpResponse:
    period = get_object_or_404(Period, code=code)
    try:
        period = services.period_lock(actor=request.user, period=period)
    except ServiceError as error:
        messages.error(request, error.message)
        return _back()
    return _done(request, "lock", period)
