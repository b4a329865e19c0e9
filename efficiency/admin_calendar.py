"""The office's calendar in the administrator's pages: the weekdays off (法定节假日, 调休) and
the weekend days worked (调休上班). A whole year's official table loads with
``manage.py office_days load 2026``; single days are kept here. Every change, a removal
included, is recorded in the history."""

from django.contrib import admin
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from efficiency.admin import AuditedAdmin
from efficiency.models import OfficeDay
from efficiency.models.audit import AuditAction
from efficiency.services.audit import record, snapshot


@admin.register(OfficeDay)
class OfficeDayAdmin(AuditedAdmin):
    list_display = ["date", "weekday", "kind", "name"]
    list_filter = ["kind"]
    search_fields = ["name"]
    date_hierarchy = "date"
    ordering = ["date"]
    audited_fields = ["date", "kind", "name"]

    @admin.display(description=_("weekday"), ordering="date")
    def weekday(self, obj: OfficeDay) -> str:
        return date_format(obj.date, "l")

    # A day entered by mistake is removed, not kept: removing it is recorded like a change.
    def has_delete_permission(self, request, obj=None):
        return admin.ModelAdmin.has_delete_permission(self, request, obj)

    def delete_model(self, request, obj):
        with transaction.atomic():
            self._record_removal(request, obj)
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                self._record_removal(request, obj)
            super().delete_queryset(request, queryset)

    def _record_removal(self, request, obj: OfficeDay) -> None:
        record(
            actor=request.user,
            obj=obj,
            action=AuditAction.CHANGE,
            reason=gettext("Removed from the office calendar."),
            changes={
                name: [value, ""] for name, value in snapshot(obj, self.audited_fields).items()
            },
        )
