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
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.http import require_POST

from efficiency import consequences, deadlines, selectors, standings
from efficiency import timeline as timelines
from efficiency.models import AuditEvent, Criterion, Period, PeriodState
from efficiency.quarters import Quarter
from efficiency.services import ServiceError, publicity
from efficiency.services import appraisal as services
from efficiency.services.reviews import may_decide
from efficiency.services.summaries import is_administrator
from efficiency.wording import ACTION_DONE, weight_text

from . import confirm

# What each action says when it has been done; the command line prints the same words.

REASON_MAX_LENGTH = 1000


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
    begun: bool  # the quarter's first day has come
    withdrawable: bool  # opened by mistake and nothing marked yet: may go back to draft
    timeline: timelines.Timeline
    countdown: str = ""  # closed: where its 公示 window stands


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


def _year_groups(periods: list[Period], *, with_counts: bool) -> list[YearGroup]:
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
                begun=services.has_begun(period.code),
                withdrawable=period.state == PeriodState.OPEN and services.may_withdraw(period),
                # Counted while the work runs (open); a finished quarter shows its dates, so
                # the page's queries do not grow with the number of quarters.
                timeline=timelines.timeline(
                    period,
                    with_counts=with_counts
                    and period.state in (PeriodState.OPEN, PeriodState.CLOSED),
                ),
                countdown=(
                    publicity.window(period).countdown if period.state == PeriodState.CLOSED else ""
                ),
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


def default_code(periods: list[Period]) -> str:
    """The current quarter when it has not been opened yet, otherwise nothing.

    Never a quarter that has not begun: opening one early is a choice the leader makes by
    typing it and ticking the box, not something a default does for them.
    """
    taken = {p.code for p in periods if p.state != PeriodState.DRAFT}
    code = Quarter.of(timezone.localdate()).code
    return "" if code in taken else code


class OpenForm(forms.Form):
    code = forms.CharField(
        max_length=10,
        error_messages={
            "required": gettext_lazy("Write the quarter like 2026Q3."),
            "max_length": gettext_lazy("Write the quarter like 2026Q3."),
        },
    )
    future = forms.BooleanField(required=False)
    # Blank: the proposed dates (10 and 15 working days after the quarter's end).
    summary_due = forms.DateField(
        required=False,
        error_messages={"invalid": gettext_lazy("Write the dates like 2026-10-15.")},
    )
    marks_due = forms.DateField(
        required=False,
        error_messages={"invalid": gettext_lazy("Write the dates like 2026-10-15.")},
    )


class ReasonForm(forms.Form):
    # Whether the reason says something is the service's rule, checked after the state.
    reason = forms.CharField(
        required=False,
        max_length=REASON_MAX_LENGTH,
        error_messages={
            "max_length": gettext_lazy("Keep the reason within %(limit_value)s characters.")
        },
    )


@login_required
def period_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    # Not the inputs frozen at lock (430 KB of JSON a locked quarter at 2,000 staff): unused here.
    periods = list(
        Period.objects.order_by("-year", "-quarter").defer("frozen").prefetch_related("criteria")
    )
    can_open = user.has_perm("efficiency.open_period")
    can_view_results = user.has_perm("efficiency.view_results")
    context = {
        # The counts (who has written, marked, decided) are for those who see the results.
        "years": _year_groups(periods, with_counts=can_view_results),
        "can_open": can_open,
        "can_close": user.has_perm("efficiency.close_period"),
        "can_mark": user.has_perm("efficiency.add_score"),
        "can_view_results": can_view_results,
        "my_staff": selectors.staff_of(user),
        "reason_max_length": REASON_MAX_LENGTH,
        "may_see_publicity": publicity.may_see_publicity(user),
        "may_answer": may_decide(user),
        "may_see_feedback": may_decide(user) or is_administrator(user),
        "publicity_days": deadlines.PUBLICITY_DAYS,
        "publicity_min_days": deadlines.PUBLICITY_MIN_DAYS,
        "publicity_max_days": deadlines.PUBLICITY_MAX_DAYS,
    }
    if can_open:
        defaults = list(Criterion.objects.filter(active=True))
        total = sum((c.weight for c in defaults), Decimal(0))
        code = default_code(periods)
        proposed = services.proposed_deadlines(code or Quarter.of(timezone.localdate()).code)
        context.update(
            default_summary_due=proposed[0],
            default_marks_due=proposed[1],
            default_code=code,
            current_code=Quarter.of(timezone.localdate()).code,
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


def _back_to(period: Period | None = None) -> str:
    url = reverse("period_list")
    return f"{url}#p-{period.code}" if period is not None else url


@login_required
@require_POST
@permission_required("efficiency.open_period", raise_exception=True)
def period_open(request: HttpRequest) -> HttpResponse:
    form = OpenForm(request.POST)
    if not form.is_valid():
        messages.error(request, next(iter(form.errors.values()))[0])
        return _back()
    future = form.cleaned_data["future"]
    try:
        code, _period, criteria = services.check_open(code=form.cleaned_data["code"], future=future)
        proposed = services.proposed_deadlines(code)
        summary_due = form.cleaned_data["summary_due"] or proposed[0]
        marks_due = form.cleaned_data["marks_due"] or proposed[1]
        services.check_deadlines(code, summary_due, marks_due)
        if not confirm.confirmed(request):
            begun = services.has_begun(code)
            return confirm.ask(
                request,
                title=_("Open period %(code)s for scoring?") % {"code": code},
                consequences=consequences.period_open(
                    code, [f"{c.name} {weight_text(c.weight)}" for c in criteria], begun=begun
                ),
                details=[
                    (_("Summaries due"), summary_due.isoformat()),
                    (_("Marks due"), marks_due.isoformat()),
                ],
                submit_label=pgettext("period action", "Open") if begun else _("Open early"),
                back_url=_back_to(),
                warnings=_probation_warning(code),
            )
        period = services.period_open(
            actor=request.user,
            code=code,
            future=future,
            summary_due=summary_due,
            marks_due=marks_due,
        )
    except ServiceError as error:
        messages.error(request, error.message)
        return _back()
    return _done(request, "open", period)


def _probation_warning(code: str) -> list[str]:
    """Probation dates propose 不定等次 but opening does not apply them: the administrator
    confirms them on the standings page (a date on the record may be out of date)."""
    quarter = Quarter.parse(code)
    proposals = standings.probation_proposals(quarter.year, quarter.number) if quarter else []
    if not proposals:
        return []
    return [
        _(
            "Probation dates propose 不定等次 for %(names)s; opening does not apply them: "
            "the administrator confirms them on the standings page."
        )
        % {"names": "、".join(p.staff.name for p in proposals)}
    ]


def _period_action(request: HttpRequest, code: str, *, check, ask, perform, action: str):
    """Close, lock, withdraw: the state is checked, the decision confirmed, then done."""
    period = get_object_or_404(Period, code=code)
    try:
        check(period)
        if not confirm.confirmed(request):
            return confirm.ask(request, back_url=_back_to(period), **ask(period))
        period = perform(period)
    except ServiceError as error:
        messages.error(request, error.message)
        return _back()
    return _done(request, action, period)


def _state_must_be(state: str):
    def check(period: Period) -> None:
        if period.state != state:
            raise services.state_error(period, state)

    return check


def _closable(period: Period) -> None:
    # Every refusal before the question; the service checks them again.
    _state_must_be(PeriodState.OPEN)(period)
    services.refuse_stale_decisions(period)


@login_required
@require_POST
@permission_required("efficiency.close_period", raise_exception=True)
def period_close(request: HttpRequest, code: str) -> HttpResponse:
    raw_days = request.POST.get("days", "").strip() or deadlines.PUBLICITY_DAYS
    days = deadlines.PUBLICITY_DAYS

    def check(period: Period) -> None:
        nonlocal days
        _closable(period)
        days = services.check_publicity_days(raw_days)

    def ask(period: Period) -> dict:
        ends = services.publicity_end(timezone.localdate(), days)
        window = deadlines.publicity_window_sentence(ends, days)
        return {
            "title": _("Close period %(code)s?") % {"code": period.code},
            "consequences": [*consequences.period_close(period), window],
            "submit_label": _("Close the period"),
        }

    return _period_action(
        request,
        code,
        check=check,
        ask=ask,
        perform=lambda period: services.period_close(actor=request.user, period=period, days=days),
        action="close",
    )


@login_required
@require_POST
@permission_required("efficiency.close_period", raise_exception=True)
def period_reopen(request: HttpRequest, code: str) -> HttpResponse:
    period = get_object_or_404(Period, code=code)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["reason"][0])
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
    reason = request.POST.get("reason", "")[:REASON_MAX_LENGTH]

    def ask(period: Period) -> dict:
        blockers = services.lock_blockers(period)
        return {
            "title": _("Lock period %(code)s?") % {"code": period.code},
            "consequences": consequences.period_lock(period),
            "warnings": blockers,
            "reason_label": _("Why lock it all the same (only a leader may)") if blockers else "",
            "submit_label": _("Lock the period"),
            "danger": True,
        }

    return _period_action(
        request,
        code,
        check=_state_must_be(PeriodState.CLOSED),
        ask=ask,
        perform=lambda period: services.period_lock(
            actor=request.user, period=period, reason=reason
        ),
        action="lock",
    )


@login_required
@require_POST
@permission_required("efficiency.open_period", raise_exception=True)
def period_withdraw(request: HttpRequest, code: str) -> HttpResponse:
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["reason"][0])
        return _back()
    reason = form.cleaned_data["reason"]

    def check(period: Period) -> None:
        # Every refusal (state, marks, the reason) before the question, none after it.
        services.check_withdraw(period, reason)

    return _period_action(
        request,
        code,
        check=check,
        ask=lambda period: {
            "title": _("Withdraw the opening of period %(code)s?") % {"code": period.code},
            "consequences": consequences.period_withdraw(period),
            "details": [(_("Reason for withdrawing"), reason)],
            "submit_label": _("Withdraw the opening"),
            "danger": True,
        },
        perform=lambda period: services.period_withdraw(
            actor=request.user, period=period, reason=reason
        ),
        action="withdraw",
    )
