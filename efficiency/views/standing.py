"""考核情况: who is 不定等次 or 不参加考核 in a quarter or a year, and the probation proposals.

The administrator sets and clears standings (one form, one service call) and applies the
probation dates' proposals after a confirmation page; leaders read. A locked quarter reads only.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from efficiency import standings
from efficiency.models import (
    REASONS_FOR,
    STANDING_NOTE_MAX_LENGTH,
    Period,
    PeriodState,
    Staff,
    StandingKind,
    StandingReason,
)
from efficiency.models.standing import ANNUAL_ONLY_REASONS
from efficiency.quarters import Quarter
from efficiency.services import ServiceError
from efficiency.services.standing import (
    apply_probation_proposals,
    clear_standing,
    may_see_standings,
    may_set_standing,
    set_standing,
)

from . import confirm

PAGE_SIZE = 30


def choices_for(quarter: int | None) -> list[tuple[str, str]]:
    """One choice per standing and reason: 不定等次：新录用试用期 …"""
    return [
        (f"{kind}:{reason}", f"{StandingKind(kind).label}：{StandingReason(reason).label}")
        for kind, reasons in REASONS_FOR.items()
        for reason in reasons
        if not (quarter and reason in ANNUAL_ONLY_REASONS)
    ]


class StandingForm(forms.Form):
    person = forms.CharField(
        label=gettext_lazy("Staff number or name"),
        max_length=30,
        error_messages={"required": gettext_lazy("Enter a staff number or a name.")},
    )
    choice = forms.ChoiceField(label=gettext_lazy("Standing and reason"))
    note = forms.CharField(
        label=gettext_lazy("Note (optional)"),
        max_length=STANDING_NOTE_MAX_LENGTH,
        required=False,
        help_text=gettext_lazy(
            "Printed on the forms after the reason, e.g. 试用期至2026年12月31日."
        ),
    )

    def __init__(self, *args, quarter: int | None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["choice"].choices = choices_for(quarter)

    def clean_person(self) -> Staff:
        text = self.cleaned_data["person"].strip()
        by_no = Staff.objects.filter(staff_no=text).first()
        if by_no is not None:
            return by_no
        named = list(Staff.objects.filter(name=text)[:2])
        if len(named) == 1:
            return named[0]
        if named:
            raise forms.ValidationError(
                _("More than one person is called “%(name)s”: enter the staff number.")
                % {"name": text}
            )
        raise forms.ValidationError(
            _("Nobody has the staff number or name “%(text)s”.") % {"text": text}
        )


def _context_of(year: int, quarter: int | None) -> dict:
    period = Period.objects.filter(year=year, quarter=quarter).first() if quarter else None
    locked = period is not None and period.state == PeriodState.LOCKED
    return {
        "year": year,
        "quarter": quarter,
        "label": (
            _("%(year)s, quarter %(quarter)s") % {"year": year, "quarter": quarter}
            if quarter
            else _("annual appraisal %(year)s") % {"year": year}
        ),
        "period": period,
        "locked": locked,
    }


@login_required
def period_standing(request: HttpRequest, code: str) -> HttpResponse:
    quarter = Quarter.parse(code)
    if quarter is None:
        raise Http404
    return _page(request, quarter.year, quarter.number)


@login_required
def annual_standing(request: HttpRequest, year: int) -> HttpResponse:
    if not 2000 <= year <= 2100:
        raise Http404
    return _page(request, year, None)


def _page(request: HttpRequest, year: int, quarter: int | None) -> HttpResponse:
    if not may_see_standings(request.user):
        raise PermissionDenied
    context = _context_of(year, quarter)
    editable = may_set_standing(request.user) and not context["locked"]
    form = StandingForm(quarter=quarter)
    status = 200
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        action = request.POST.get("action", "set")
        if action == "apply":
            return _apply(request, year, quarter, context)
        if action == "clear":
            return _clear(request, year, quarter)
        form = StandingForm(request.POST, quarter=quarter)
        if form.is_valid():
            kind, reason = form.cleaned_data["choice"].split(":")
            staff = form.cleaned_data["person"]
            try:
                set_standing(
                    actor=request.user,
                    staff=staff,
                    year=year,
                    quarter=quarter,
                    standing=kind,
                    reason=reason,
                    note=form.cleaned_data["note"],
                )
            except ServiceError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    _("%(name)s: %(standing)s (%(reason)s) for %(period)s.")
                    % {
                        "name": staff.name,
                        "standing": StandingKind(kind).label,
                        "reason": StandingReason(reason).label,
                        "period": context["label"],
                    },
                )
                return redirect(request.path)
        status = 400
    text = request.GET.get("q", "").strip()[:50]
    rows = standings.standings_of(year, quarter).order_by("standing", "staff__staff_no")
    if text:
        rows = rows.filter(Q(staff__staff_no__icontains=text) | Q(staff__name__icontains=text))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "efficiency/appraisal/standing.html",
        {
            **context,
            "form": form,
            "page": page,
            "q": text,
            "query": query.urlencode(),
            "editable": editable,
            "proposals": standings.probation_proposals(year, quarter),
            "starters": standings.new_starters_without_probation(year, quarter),
            "active": "annual" if quarter is None else "",
        },
        status=status,
    )


def _clear(request: HttpRequest, year: int, quarter: int | None) -> HttpResponse:
    staff = Staff.objects.filter(staff_no=request.POST.get("staff_no", "")[:20]).first()
    if staff is None:
        messages.error(request, _("There is nobody with that staff number."))
        return redirect(request.path)
    try:
        clear_standing(actor=request.user, staff=staff, year=year, quarter=quarter)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(name)s is appraised as usual again.") % {"name": staff.name})
    return redirect(request.path)


def _apply(request: HttpRequest, year: int, quarter: int | None, context: dict) -> HttpResponse:
    proposals = standings.probation_proposals(year, quarter)
    if not proposals:
        messages.info(request, _("There is no probation proposal to apply."))
        return redirect(request.path)
    if not confirm.confirmed(request):
        reason = StandingReason.PROBATION.label
        return confirm.ask(
            request,
            title=_("Apply %(count)s probation proposals for %(period)s?")
            % {"count": len(proposals), "period": context["label"]},
            consequences=[
                _(
                    "Each person below gets the standing “no grade determined” (%(reason)s): "
                    "marked and commented, but given no grade and left out of the quota count."
                )
                % {"reason": reason},
                _("You can clear any of them afterwards, until the quarter is locked."),
            ],
            details=[
                (
                    f"{p.staff.name}（{p.staff.staff_no}，{p.staff.section.name}）",
                    _("no grade determined: %(reason)s, probation until %(date)s")
                    % {"reason": reason, "date": f"{p.probation_ends:%Y年%-m月%-d日}"},
                )
                for p in proposals
            ],
            submit_label=_("Apply the proposals"),
            back_url=request.path,
        )
    try:
        count = apply_probation_proposals(actor=request.user, year=year, quarter=quarter)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("%(count)s people set to “no grade determined”.") % {"count": count}
        )
    return redirect(request.path)
