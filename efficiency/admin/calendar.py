"""The office's calendar in the administrator's pages: the weekdays off (法定节假日, 调休) and
the weekend days worked (调休上班). A whole year's official table loads with
``manage.py office_days load 2026``; single days are kept here. Every change, a removal
included, is recorded in the history."""

from django.contrib import admin
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from efficiency.models import OfficeDay
from efficiency.services.calendar import remove_office_day

from .base import AuditedAdmin


@admin.register(OfficeDay)
class OfficeDayAdmin(AuditedAdmin):
    list_display = ["date", "weekday", "kind", "name"]
    list_filter = ["kind"]
    search_fields = ["name"]
    date_hierarchy = "date"
    ordering = ["date"]

    @admin.display(description=_("weekday"), ordering="date")
    def weekday(self, obj: OfficeDay) -> str:
        return date_format(obj.date, "l")

    # A day entered by mistake is removed, not kept: removing it is recorded like a change.
    def has_delete_permission(self, request, obj=None):
        return admin.ModelAdmin.has_delete_permission(self, request, obj)

    def delete_model(self, request, obj):
        remove_office_day(actor=request.user, day=obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                remove_office_day(actor=request.user, day=obj)
