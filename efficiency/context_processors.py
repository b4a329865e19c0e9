from django.conf import settings

from efficiency.models import DemoMark


def office(request):
    return {"office_name": settings.OFFICE_NAME}


def demo_database(request):
    """Whether this database holds the demo office (its accounts' passwords are public)."""
    return {"demo_database": DemoMark.objects.exists()}


def navigation(request):
    """Links shown only when they lead somewhere, decided when the template asks."""

    def sees_roster() -> bool:
        from efficiency.selectors import roster_sections

        user = request.user
        return user.is_authenticated and roster_sections(user).exists()

    def sees_analysis() -> bool:
        from efficiency.views.analysis import may_see_analysis

        return request.user.is_authenticated and may_see_analysis(request.user)

    return {"sees_roster": sees_roster, "sees_analysis": sees_analysis}
