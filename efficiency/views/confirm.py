"""The second look before a decision that cannot be taken back.

Every such action posts twice. The first post is checked as usual; when it is valid, instead of
acting, the view answers with a page that says what will happen (the sentences of
``efficiency.consequences``) and carries the same fields back with ``confirmed=1``. Only that
second post calls the service. It works without JavaScript, cannot be skipped by a stray click,
and the services still re-check everything when it arrives.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

CONFIRM_FIELD = "confirmed"


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
    ask_reason: str = "",
) -> HttpResponse:
    """The confirmation page: what will happen, what was entered, confirm or go back.

    ``warnings``: what stands against doing it, listed apart; ``ask_reason``: the label of a
    written reason asked for on this page itself (posted as ``reason``)."""
    asked = {"reason"} if ask_reason else set()
    fields = [
        (name, value)
        for name in request.POST
        if name not in ("csrfmiddlewaretoken", CONFIRM_FIELD, *asked)
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
            "warnings": warnings or [],
            "ask_reason": ask_reason,
            "reason": request.POST.get("reason", ""),
        },
    )
