"""What counts as a written reason: the one rule every required reason goes through.

A reason is read later by someone who was not there (a leader, an appeal, an auditor), so it
must say something: at least ``MIN_LENGTH`` characters, at least one of them a letter (any
script: Chinese characters count), and not a single character repeated. "abc", "-1", "NaN",
"。。。。" and four hundred nines are refused. Forms, services, Excel imports and the command
line all call ``check_reason`` (services) or ``meaningful_reason`` (form field validator).
"""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from efficiency.services import ServiceError

MIN_LENGTH = 4


def reason_problem(text: str) -> str | None:
    """Why ``text`` is not a meaningful reason, in the reader's language; None when it is."""
    visible = [char for char in (text or "") if not char.isspace()]
    has_letter = any(unicodedata.category(char).startswith("L") for char in visible)
    if len(visible) < MIN_LENGTH or not has_letter or len(set(visible)) < 2:
        return _(
            "A reason must say something: write at least %(count)s characters, not only "
            "digits, punctuation or one character repeated."
        ) % {"count": MIN_LENGTH}
    return None


def meaningful_reason(value: str) -> None:
    """Form field validator; blank values are left to the field's own "required" message."""
    if value and value.strip():
        problem = reason_problem(value)
        if problem:
            raise ValidationError(problem, code="reason")


def check_reason(text: str, *, missing: str) -> str:
    """The reason, stripped, or ServiceError: ``missing`` when blank, the rule otherwise."""
    text = (text or "").strip()
    if not text:
        raise ServiceError(missing)
    problem = reason_problem(text)
    if problem:
        raise ServiceError(problem)
    return text
