"""Incidents, 处分, influence periods and the history: for reading only, they change through
the app's services (and pages), which record every change."""

from django.contrib import admin
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from efficiency.models import (
    AuditEvent,
    Incident,
    IncidentAttachment,
    InfluenceMonths,
    Sanction,
)
from efficiency.models.audit import AuditAction
from efficiency.selectors import status_label
from efficiency.services.appraisal import ENTERED_FOR, assessor_label

from .base import ReadOnlyAdmin


@admin.register(Incident)
class IncidentAdmin(ReadOnlyAdmin):
    list_display = ["number", "occurred_on", "kind", "severity", "section", "source", "status"]
    list_filter = ["status", "kind", "severity", "source", "section"]
    search_fields = ["number", "description"]
    list_select_related = ["section"]
    date_hierarchy = "occurred_on"


@admin.register(IncidentAttachment)
class IncidentAttachmentAdmin(ReadOnlyAdmin):
    """Added and removed on the incident's page (services.attachments); the files are
    downloaded there too, by whoever may read the incident."""

    list_display = ["incident", "original_name", "size", "uploaded_by", "uploaded_at", "removed_at"]
    list_filter = ["content_type"]
    search_fields = ["incident__number", "original_name", "sha256"]
    list_select_related = ["incident", "uploaded_by"]
    date_hierarchy = "uploaded_at"


@admin.register(Sanction)
class SanctionAdmin(ReadOnlyAdmin):
    """Recorded, corrected and withdrawn on the app's 处分 pages (services.sanctions)."""

    list_display = [
        "dated",
        "staff",
        "kind",
        "document_number",
        "ends_on",
        "withdrawn",
        "recorded_by",
    ]
    list_filter = ["kind", "withdrawn", "staff__section"]
    search_fields = ["staff__name", "staff__staff_no", "document_number"]
    list_select_related = ["staff", "recorded_by"]
    date_hierarchy = "dated"

    @admin.display(description=_("influence period ends"))
    def ends_on(self, obj):
        return obj.ends_on


@admin.register(InfluenceMonths)
class InfluenceMonthsAdmin(ReadOnlyAdmin):
    """Set on the app's influence-period page (services.sanctions.influence_months_save);
    a decision without a row keeps its default months."""

    list_display = ["decision", "months"]


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
