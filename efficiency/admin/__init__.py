"""The administrator's pages, in Chinese. Configuration changes are recorded in the history;
incidents, history and the appraisal's records are read-only here: they change only through the
app's services.

Django's admin autodiscovery imports this package; the modules below register their pages.
"""

from importlib import import_module

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from django_tasks_db.models import DBTaskResult

from . import accounts, appraisal, calendar, pools, records, roster  # noqa: F401  (they register their pages)

# django-tasks-db's own page of task results is English only and shows raw tracebacks: the
# office follows its background work on the reports' job pages instead. Its admin module is
# imported here first so autodiscovery (which imports it once) does not register it again.
import_module("django_tasks_db.admin")
if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)
# Its model still names the permissions listed on the user and group pages: those names
# are translated in the project's catalogue (they are django-tasks-db's msgids).
THIRD_PARTY_NAMES = (gettext_noop("Task Result"), gettext_noop("Task Results"))

admin.site.site_header = _("Efficiency appraisal · administration")
admin.site.site_title = _("Efficiency appraisal")
admin.site.index_title = _("Configuration")
