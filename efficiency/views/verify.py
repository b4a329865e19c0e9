"""/verify/: does the current history still contain a fingerprint printed on a bulletin or form?

Any signed-in user may ask: the answer says only whether the record was rewritten, and the
fingerprint itself is printed on paper that circulates in the office.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from efficiency.services import history_chain


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("fingerprint", "").strip()[:100]
    check = history_chain.check_fingerprint(text) if text else None
    return render(
        request,
        "efficiency/verify.html",
        {"fingerprint": text, "check": check, "head": history_chain.head()},
    )
