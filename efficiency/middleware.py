"""Response headers that concern the whole site."""

from collections.abc import Callable

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
