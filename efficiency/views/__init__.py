"""The pages, by domain; helpers shared by several of them live here."""

from django.shortcuts import get_object_or_404

from efficiency.models import Period, PeriodState


def period_or_404(code: str) -> Period:
    """A period that has been opened (a draft has no results, scores or paperwork yet)."""
    return get_object_or_404(Period.objects.exclude(state=PeriodState.DRAFT), code=code)
