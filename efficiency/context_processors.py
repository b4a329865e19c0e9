from django.conf import settings

from efficiency.models import DemoMark


def office(request):
    return {"office_name": settings.OFFICE_NAME}


def demo_database(request):
    """Whether this database holds the demo office (its accounts' passwords are public)."""
    return {"demo_database": DemoMark.objects.exists()}
