"""Incidents and the history: for reading only, they change through the app's services."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from efficiency.models import AuditEvent, Incident
from efficiency.selectors import status_label

from .base import ReadOnlyAdmin


@admin.register(Incident)
class IncidentAdmin(ReadOnlyAdmin):
    list_display = ["number", "occurred_on", "kind", "severity", "section", "status"]
    list_filter = ["status", "kind", "severity", "section"]
    search_fields = ["number", "description"]
    list_select_related = ["section"]
    date_hierarchy = "occurred_on"


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "object_repr", "action", "from_label", "to_label"]
    list_filter = ["action", "content_type"]
    search_fields = ["object_repr", "reason"]
    list_select_related = ["actor", "content_type"]
    date_hierarchy = "at"

    @admin.display(description=_("from status"))
    def from_label(self, obj):
        return status_label(obj.from_status)

    @admin.display(description=_("to status"))
    def to_label(self, obj):
        return status_label(obj.to_status)
