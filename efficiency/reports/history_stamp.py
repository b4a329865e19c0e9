"""The history's fingerprint printed on a report: the chain head at printing time and a QR code.

Scanning the code opens /verify/ with the fingerprint filled in; the page (or
``verify_history --fingerprint``) says whether the history still holds that head unchanged.
"""

from urllib.parse import urlencode

import segno
from django.conf import settings
from django.urls import reverse
from django.utils.safestring import mark_safe

from efficiency.services import history_chain


def verify_url(fingerprint: str) -> str:
    query = urlencode({"fingerprint": fingerprint})
    return f"{settings.SITE_URL.rstrip('/')}{reverse('verify_history')}?{query}"


def history_stamp() -> dict:
    fingerprint = history_chain.head().fingerprint
    url = verify_url(fingerprint)
    # 0.5 mm modules: about 17 mm across, readable by a phone held over the page.
    svg = segno.make(url, error="m").svg_inline(scale=0.5, unit="mm", border=2, omitsize=False)
    return {
        "history_fingerprint": fingerprint,
        "history_verify_url": url,
        "history_qr": mark_safe(svg),  # noqa: S308 - segno's own markup, no user text
    }
