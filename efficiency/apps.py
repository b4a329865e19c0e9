from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


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

    def ready(self) -> None:
        super().ready()
        from axes.models import AccessAttempt, AccessFailureLog, AccessLog
        from django.utils.formats import date_format
        from django.utils.timezone import localtime
        from django.utils.translation import gettext

        # axes names its records in English ("Access Log for root @ …") in the admin's titles
        # and breadcrumbs; name them in the reader's language instead.
        def when(record) -> str:
            return date_format(localtime(record.attempt_time), "DATETIME_FORMAT")

        AccessAttempt.__str__ = lambda record: (
            gettext("Failed logins as %(username)s from %(address)s")
            % {"username": record.username, "address": record.ip_address}
        )
        AccessFailureLog.__str__ = lambda record: (
            gettext("Failed login as %(username)s at %(time)s")
            % {"username": record.username, "time": when(record)}
        )
        AccessLog.__str__ = lambda record: (
            gettext("Login as %(username)s at %(time)s")
            % {
                "username": record.username,
                "time": when(record),
            }
        )


class TasksDatabaseConfig(TasksAppConfig):
    """django-tasks-db (the task queue's tables) under a Chinese name: its permissions are
    listed on the admin's user and group pages."""

    name = "django_tasks_db"
    verbose_name = _("Background tasks")
