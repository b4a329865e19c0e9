"""考核进度: the completion board of an open quarter, and the leaders' 催办.

The numbers come from :mod:`efficiency.progress`; each 催办 is one call to
:mod:`efficiency.services.reminders`.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from efficiency import progress
from efficiency.models import Period, ReminderKind
from efficiency.services import ServiceError
from efficiency.services import reminders as services
from efficiency.wording import person_name

from . import confirm

PER_PAGE = 30
# A section lists everyone behind with a 催办 button: twenty sections make a page of a
# few hundred people at most, where all 120 made one of 800 KB.
SECTIONS_PER_PAGE = 20
SEARCH_MAX = 50


@login_required
@permission_required("efficiency.view_results", raise_exception=True)
def board(request: HttpRequest, code: str) -> HttpResponse:
    period = get_object_or_404(Period, code=code)
    text = request.GET.get("q", "").strip()[:SEARCH_MAX]
    section_code = request.GET.get("section", "").strip()[:20]
    behind_only = request.GET.get("behind") == "1"
    assessors = progress.assessor_lines(period, text=text)
    sections = progress.section_lines(period, section_code=section_code, text=text)
    if behind_only:
        assessors = [line for line in assessors if not line.done]
        sections = [line for line in sections if not line.done]
    query = request.GET.copy()
    query.pop("page", None)
    section_query = request.GET.copy()  # the sections page on their own: ?spage=
    section_query.pop("spage", None)
    return render(
        request,
        "efficiency/appraisal/progress.html",
        {
            "period": period,
            "page": Paginator(assessors, PER_PAGE).get_page(request.GET.get("page")),
            "assessors_done": sum(line.done for line in assessors),
            "assessors_total": len(assessors),
            "section_lines": sections,
            "section_page": Paginator(sections, SECTIONS_PER_PAGE).get_page(
                request.GET.get("spage")
            ),
            "section_query": section_query.urlencode(),
            "all_sections": progress.sections_in_period(period).order_by("order", "code"),
            "search": text,
            "chosen": section_code,
            "behind_only": behind_only,
            "query": query.urlencode(),
            "states": [
                (progress.NOT_WRITTEN, _("Not written")),
                ("draft", _("Not submitted")),
                ("returned", _("Returned")),
                ("submitted", _("Not yet accepted")),
            ],
            "can_remind": period.accepts_marks,
            "kinds": ReminderKind,
        },
    )


def _back(period: Period) -> HttpResponse:
    return redirect(reverse("progress", args=[period.code]))


@login_required
@require_POST
@permission_required("efficiency.view_results", raise_exception=True)
def remind(request: HttpRequest, code: str) -> HttpResponse:
    period = get_object_or_404(Period, code=code)
    raw = request.POST.get("user", "")
    user = (
        get_user_model().objects.filter(pk=int(raw), is_active=True).first()
        if raw.isascii() and raw.isdigit() and len(raw) <= 9
        else None
    )
    if user is None:
        messages.error(request, _("There is no such account to remind."))
        return _back(period)
    try:
        reminder = services.remind(
            actor=request.user, period=period, user=user, kind=request.POST.get("kind", "")
        )
    except ServiceError as error:
        messages.error(request, error.message)
        return _back(period)
    sent = (
        _("Reminder sent to %(name)s and e-mailed.")
        if reminder.emailed
        else _("Reminder sent to %(name)s.")
    )
    messages.success(request, sent % {"name": person_name(user)})
    return _back(period)


@login_required
@require_POST
@permission_required("efficiency.view_results", raise_exception=True)
def remind_all(request: HttpRequest, code: str) -> HttpResponse:
    period = get_object_or_404(Period, code=code)
    try:
        if not confirm.confirmed(request):
            found = services.recipients_behind(period) if period.accepts_marks else []
            if not found:
                services.check_can_remind(period)
                messages.info(request, _("Nobody is behind; no reminder was sent."))
                return _back(period)
            kinds = dict(ReminderKind.choices)
            return confirm.ask(
                request,
                title=_("Remind everyone behind in %(period)s?") % {"period": period},
                consequences=[
                    _(
                        "%(count)s reminders go out, each shown on the recipient's home page "
                        "until done:"
                    )
                    % {"count": len(found)},
                    *[f"{r.name}：{kinds[r.kind]}" for r in found],
                ],
                submit_label=_("Send the reminders"),
                back_url=reverse("progress", args=[period.code]),
            )
        sent = services.remind_all(actor=request.user, period=period)
    except ServiceError as error:
        messages.error(request, error.message)
        return _back(period)
    messages.success(request, _("%(count)s reminders sent.") % {"count": len(sent)})
    return _back(period)
