from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class EfficiencyConfig(AppConfig):
    name = "efficiency"
    verbose_name = _("Efficiency appraisal")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from .reports import fonts  # noqa: F401  (registers the PDF font system check)
        from .roles import ensure_roles

        post_migrate.connect(ensure_roles, sender=self)

        from django.contrib.auth.signals import user_logged_out

        from .views.excel import forget_at_logout

        user_logged_out.connect(forget_at_logout, dispatch_uid="excel_forget_at_logout")
