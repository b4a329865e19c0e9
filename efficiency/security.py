"""Logins and start-up: the client's address and the lockout page for django-axes, its
backend, and the deploy check on where SECRET_KEY came from."""

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.core import checks
from django.shortcuts import render


def client_ip(request) -> str:
    """The address the request came from; behind the office's nginx (``BEHIND_PROXY``), the one
    nginx saw, i.e. the last entry of X-Forwarded-For (earlier entries are the client's word)."""
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.rsplit(",", 1)[-1].strip()
        if last:
            return last
    return request.META.get("REMOTE_ADDR", "")


def lockout_response(request, original_response=None, credentials=None):
    """What a locked-out username and address see instead of the login (django-axes)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {"failure_limit": settings.AXES_FAILURE_LIMIT, "minutes": minutes}
    return render(request, "registration/locked_out.html", context, status=429)


class LoginThrottleBackend(AxesStandaloneBackend):
    """django-axes' check, placed before the password backend. Every login page and the admin's
    pass the request; ``authenticate()`` called without one (a shell, a script) has no address
    to count, so it is left to the password backend instead of failing."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


@checks.register(checks.Tags.security, deploy=True)
def check_secret_key_source(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Commands fall back on the checkout's own key (var/secret-key); the web server does not."""
    if settings.SECRET_KEY_SOURCE != "checkout":
        return []
    return [
        checks.Warning(
            "SECRET_KEY is not set in the environment: this command used the checkout's "
            "own key (var/secret-key), and the web server will refuse to start without one.",
            hint="Set SECRET_KEY in the environment the server runs with (see README).",
            id="efficiency.W101",
        )
    ]
