from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, register_converter

from efficiency.views import home, incidents


class IncidentNumberConverter:
    regex = r"\d{4}-\d{4,6}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(IncidentNumberConverter, "number")

urlpatterns = [
    path("", home.home, name="home"),
    path("roster/", home.roster, name="roster"),
    path("incidents/", incidents.incident_list, name="incident_list"),
    path("incidents/new/", incidents.incident_create, name="incident_create"),
    path("incidents/<number:number>/", incidents.incident_detail, name="incident_detail"),
    path("incidents/<number:number>/edit/", incidents.incident_edit, name="incident_edit"),
    path("incidents/<number:number>/explain/", incidents.incident_explain, name="incident_explain"),
    path("incidents/<number:number>/verify/", incidents.incident_verify, name="incident_verify"),
    path("incidents/<number:number>/dismiss/", incidents.incident_dismiss, name="incident_dismiss"),
    path("incidents/<number:number>/handle/", incidents.incident_handle, name="incident_handle"),
    path("incidents/<number:number>/appeal/", incidents.incident_appeal, name="incident_appeal"),
    path(
        "incidents/<number:number>/appeal/decide/",
        incidents.incident_decide_appeal,
        name="incident_decide_appeal",
    ),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
