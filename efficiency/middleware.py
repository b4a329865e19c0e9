"""Middleware that concerns the whole site: response headers, how often sessions are saved."""

import time
from collections.abc import Callable

from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import patch_cache_control

from efficiency.excel.writer import XLSX_MIME

# Paperwork about named people: appraisal forms, bulletins, the quarter's ZIP, Excel exports.
PRIVATE_FILE_TYPES = frozenset(
    {
        "application/pdf",
        "application/zip",
        XLSX_MIME,
    }
)


class PrivateFilesMiddleware:
    """Send every PDF, ZIP and Excel file with ``Cache-Control: private, no-store``.

    Keyed on the content type, in one place, so a new download view cannot forget it: no
    shared proxy may keep a copy, and the browser does not store one in its cache for the next
    person at that office PC.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        content_type = response.get("Content-Type", "").partition(";")[0].strip().lower()
        if content_type in PRIVATE_FILE_TYPES:
            patch_cache_control(response, private=True, no_store=True)
        return response


class SessionRefreshMiddleware:
    """Move a signed-in session's end forward at most once a minute, not on every request.

    Saving the session on every request (``SESSION_SAVE_EVERY_REQUEST``) made every page,
    a leader's ranking included, a write: on SQLite, which has one writer at a time, 40 people
    queued on that lock (bench/load.py). Refreshed once a minute, a session still ends after
    ``SESSION_COOKIE_AGE`` without a request, give or take that minute.
    """

    REFRESH_SECONDS = 60
    KEY = "_refreshed_at"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # Anonymous visitors have nothing to keep alive (and no session row to create).
        if session is None or session.is_empty() or SESSION_KEY not in session:
            return response
        now = int(time.time())
        if now - session.get(self.KEY, 0) >= self.REFRESH_SECONDS:
            session[self.KEY] = now  # marks the session modified: SessionMiddleware saves it
        return response
