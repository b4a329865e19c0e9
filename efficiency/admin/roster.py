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
    # The personal details (性别 … 从事或分管工作) are on the change page, not in the list.
    list_display = [
        f
        for f in AUDITED_FIELDS[Staff]
        if f not in ("gender", "birth_date", "political_status", "post_since", "duties")
    ]
    list_filter = ["section", "category", ("end_date", admin.EmptyFieldListFilter)]
    search_fields = ["staff_no", "name", "post", "rank"]
    list_select_related = ["section", "user"]
    autocomplete_fields = ["user"]


@admin.register(Standard)
class StandardAdmin(AuditedAdmin):
    list_display = AUDITED_FIELDS[Standard]
    list_filter = ["kind", "active"]
    search_fields = ["code", "text"]
