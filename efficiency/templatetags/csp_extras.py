"""Template helpers for the Content Security Policy (settings.CONTENT_SECURITY_POLICY)."""

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_STYLE_TAG = re.compile(r"<style(?=[\s>])")


@register.filter
def with_csp_nonce(markup: SafeString, nonce) -> SafeString:
    """Let the ``<style>`` elements of trusted markup (a chart's SVG) through the policy.

    Usage: ``{{ chart|with_csp_nonce:request.csp_nonce }}``. Reading ``request.csp_nonce``
    puts the nonce in this response's header; style="" attributes stay forbidden.
    """
    if not isinstance(markup, SafeString):
        return markup  # untrusted text is escaped as usual, never given the nonce
    # str() makes the nonce: django-csp's lazy nonce is falsy until then.
    nonce = "" if nonce is None else str(nonce)
    if not nonce:
        return markup
    nonce_attribute = f' nonce="{escape(nonce)}"'
    return mark_safe(_STYLE_TAG.sub(lambda match: match.group(0) + nonce_attribute, str(markup)))
