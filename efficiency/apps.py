from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class EfficiencyConfig(AppConfig):
    name = "efficiency"
    verbose_name = _("Efficiency appraisal")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import security  # noqa: F401  (registers the SECRET_KEY deploy check)
        from .reports import fonts  # noqa: F401  (registers the PDF font system check)
        from .roles import ensure_roles

        post_migrate.connect(ensure_roles, sender=self)

        from django.contrib.auth.signals import user_logged_out

        from .views.excel import forget_at_logout

        user_logged_out.connect(forget_at_logout, dispatch_uid="excel_forget_at_logout")


class LoginSecurityConfig(AxesAppConfig):
    """django-axes (login throttling) under a Chinese name in the admin."""

    name = "axes"
    verbose_name = _("Login security")
