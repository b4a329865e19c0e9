"""The administrator's pages, in Chinese. Configuration changes are recorded in the history;
incidents, history and the appraisal's records are read-only here: they change only through the
app's services.

Django's admin autodiscovery imports this package; the modules below register their pages.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import accounts, appraisal, calendar, pools, records, roster  # noqa: F401  (they register their pages)

admin.site.site_header = _("Efficiency appraisal · administration")
admin.site.site_title = _("Efficiency appraisal")
admin.site.index_title = _("Configuration")
