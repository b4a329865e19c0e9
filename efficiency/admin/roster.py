"""The office's configuration: sections, staff and the clause catalogue (audited, never deleted)."""

from django.contrib import admin

from efficiency.models import Section, Staff, Standard
from efficiency.services.roster import AUDITED_FIELDS

from .base import AuditedAdmin

# On these pages every recorded field (services.roster.AUDITED_FIELDS) is a column.


@admin.register(Section)
class SectionAdmin(AuditedAdmin):
    list_display = AUDITED_FIELDS[Section]
    list_editable = ["order"]
    list_filter = ["active"]
    search_fields = ["code", "name"]
    filter_horizontal = ["heads", "clerks"]


@admin.register(Staff)
class StaffAdmin(AuditedAdmin):
    list_display = AUDITED_FIELDS[Staff]
    list_filter = ["section", ("end_date", admin.EmptyFieldListFilter)]
    search_fields = ["staff_no", "name", "post"]
    list_select_related = ["section", "user"]
    autocomplete_fields = ["user"]


@admin.register(Standard)
class StandardAdmin(AuditedAdmin):
    list_display = AUDITED_FIELDS[Standard]
    list_filter = ["kind", "active"]
    search_fields = ["code", "text"]
