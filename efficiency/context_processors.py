from django.conf import settings


def office(request):
    return {"office_name": settings.OFFICE_NAME}
