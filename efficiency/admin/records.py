"""Incidents and the history: for reading only, they change through the app's services."""

from django.contrib import admin
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from efficiency.models import AuditEvent, Incident
from efficiency.models.audit import AuditAction
from efficiency.selectors import status_label
from efficiency.services.appraisal import ENTERED_FOR, assessor_label

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
    list_display = ["at", "actor", "object_repr", "action", "from_label", "to_label", "entered"]
    list_filter = ["action", "content_type"]
    search_fields = ["object_repr", "reason"]
    list_select_related = ["actor", "actor__staff", "content_type"]
    date_hierarchy = "at"

    @admin.display(description=_("from status"))
    def from_label(self, obj):
        return status_label(obj.from_status)

    @admin.display(description=_("to status"))
    def to_label(self, obj):
        return status_label(obj.to_status)

    @admin.display(description=_("entered for"))
    def entered(self, obj):
        """A mark typed in from paper: who entered it (the actor) and whose mark it is."""
        pair = obj.changes.get(ENTERED_FOR) if isinstance(obj.changes, dict) else None
        if obj.action != AuditAction.SCORE or not pair or obj.actor is None:
            return ""
        return gettext("Entered by: %(entered)s, marked by: %(assessor)s") % {
            "entered": assessor_label(obj.actor),
            "assessor": pair[1],
        }
