"""The second look before a decision that cannot be taken back.

Every such action posts twice. The first post is checked as usual; when it is valid, instead of
acting, the view answers with a page that says what will happen (the sentences of
``efficiency.consequences``) and carries the same fields back with ``confirmed=1``. Only that
second post calls the service. It works without JavaScript, cannot be skipped by a stray click,
and the services still re-check everything when it arrives.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from efficiency.services import ServiceError

CONFIRM_FIELD = "confirmed"
REASON_FIELD = "reason"
REASON_MAX_LENGTH = 1000


def confirmed(request: HttpRequest) -> bool:
    return request.POST.get(CONFIRM_FIELD) == "1"


def ask(
    request: HttpRequest,
    *,
    title: str,
    consequences: list[str],
    submit_label: str,
    back_url: str,
    details: list[tuple[str, str]] | None = None,
    danger: bool = False,
    warnings: list[str] | None = None,
    reason_label: str = "",
    error: str = "",
    extra: dict | None = None,
) -> HttpResponse:
    """The confirmation page: what will happen, what was entered, confirm or go back.

    ``warnings``: what stands against doing it, listed apart.
    With ``reason_label`` the page also asks for a written reason (posted as ``reason``), for a
    step that needs one only once its consequences are known; ``error`` says why it was asked
    again. ``extra``: more context for the page (an incident and its attachments, shown
    before a decision on it)."""
    asked = {"csrfmiddlewaretoken", CONFIRM_FIELD} | ({REASON_FIELD} if reason_label else set())
    fields = [
        (name, value)
        for name in request.POST
        if name not in asked
        for value in request.POST.getlist(name)
    ]
    return render(
        request,
        "efficiency/confirm.html",
        {
            "title": title,
            "consequences": consequences,
            "details": details or [],
            "fields": fields,
            "action": request.path,
            "submit_label": submit_label,
            "back_url": back_url,
            "danger": danger,
            "confirm_field": CONFIRM_FIELD,
            "reason_label": reason_label,
            "reason_field": REASON_FIELD,
            "reason_max_length": REASON_MAX_LENGTH,
            "reason": request.POST.get(REASON_FIELD, ""),
            "error": error,
            "warnings": warnings or [],
            **(extra or {}),
        },
        status=400 if error else 200,
    )


def ask_reason_then(
    request: HttpRequest, question: dict, act: Callable[[str], object]
) -> HttpResponse | None:
    """A step that needs a written reason on its confirmation page (``question``: the keyword
    arguments of :func:`ask`): ask, or ask again with the service's refusal; ``None`` once
    ``act(reason)`` is done."""
    if not confirmed(request):
        return ask(request, **question)
    try:
        act(request.POST.get(REASON_FIELD, ""))
    except ServiceError as error:
        return ask(request, error=error.message, **question)
    return None
