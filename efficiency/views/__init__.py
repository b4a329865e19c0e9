"""The pages, by domain; helpers shared by several of them live here."""

from django.shortcuts import get_object_or_404

from efficiency import selectors
from efficiency.models import Incident, Period, PeriodState


def period_or_404(code: str) -> Period:
    """A period that has been opened (a draft has no results, scores or paperwork yet)."""
    return get_object_or_404(Period.objects.exclude(state=PeriodState.DRAFT), code=code)


def incident_or_404(user, number: str) -> Incident:
    """The incident if this user may read it; 404 otherwise, so ids cannot be probed."""
    return get_object_or_404(selectors.incidents_visible_to(user), number=number)
