"""The administrator's pages, in Chinese. Configuration changes are recorded in the history;
incidents and history are read-only here: they change only through the app's services."""

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from efficiency.admin_i18n import TranslatedPermissionsMixin
from efficiency.models import AuditEvent, Incident, Section, Staff, Standard
from efficiency.models.audit import AuditAction
from efficiency.selectors import status_label
from efficiency.services.audit import diff, record, snapshot

admin.site.site_header = _("Efficiency appraisal · administration")
admin.site.site_title = _("Efficiency appraisal")
admin.site.index_title = _("Configuration")


class AuditedAdmin(admin.ModelAdmin):
    """Records every save in the history, and never deletes: deactivate or end-date instead."""

    audited_fields: list[str] = []

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            before = {}
            if change:
                before = snapshot(type(obj).objects.get(pk=obj.pk), self.audited_fields)
            super().save_model(request, obj, form, change)
            after = snapshot(obj, self.audited_fields)
            changes = diff(before, after)
            if changes:
                record(
                    actor=request.user,
                    obj=obj,
                    action=AuditAction.CHANGE if change else AuditAction.CREATE,
                    changes=changes,
                )


@admin.register(Section)
class SectionAdmin(AuditedAdmin):
    list_display = ["code", "name", "order", "active"]
    list_editable = ["order"]
    list_filter = ["active"]
    search_fields = ["code", "name"]
    filter_horizontal = ["heads", "clerks"]
    audited_fields = ["code", "name", "order", "active"]


@admin.register(Staff)
class StaffAdmin(AuditedAdmin):
    list_display = ["staff_no", "name", "section", "post", "start_date", "end_date", "user"]
    list_filter = ["section", ("end_date", admin.EmptyFieldListFilter)]
    search_fields = ["staff_no", "name", "post"]
    list_select_related = ["section", "user"]
    autocomplete_fields = ["user"]
    audited_fields = ["staff_no", "name", "section", "post", "start_date", "end_date", "user"]


@admin.register(Standard)
class StandardAdmin(AuditedAdmin):
    list_display = [
        "code",
        "kind",
        "text",
        "points_minor",
        "points_serious",
        "points_grave",
        "active",
    ]
    list_filter = ["kind", "active"]
    search_fields = ["code", "text"]
    audited_fields = [
        "code",
        "kind",
        "text",
        "points_minor",
        "points_serious",
        "points_grave",
        "active",
    ]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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


class AccountAdmin(TranslatedPermissionsMixin, UserAdmin):
    """Accounts and their roles. Only a superuser may grant superuser or single permissions,
    so an administrator cannot raise their own powers."""

    list_display = ["username", "full_name", "role_names", "is_active", "is_staff", "last_login"]
    list_filter = ["groups", "is_active", "is_staff"]

    @admin.display(description=_("name"))
    def full_name(self, obj):
        return obj.get_full_name() or getattr(getattr(obj, "staff", None), "name", "")

    @admin.display(description=_("roles"))
    def role_names(self, obj):
        return "、".join(group.name for group in obj.groups.all())

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups").select_related("staff")

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly += ["is_superuser", "user_permissions", "last_login", "date_joined"]
        return readonly

    def has_delete_permission(self, request, obj=None):
        return False

    def save_related(self, request, form, formsets, change):
        before = {}
        if change:
            initial_groups = Group.objects.filter(pk__in=form.initial.get("groups") or []).order_by(
                "name"
            )
            before = {
                "groups": "、".join(g.name for g in initial_groups),
                "is_active": str(form.initial.get("is_active")),
                "is_staff": str(form.initial.get("is_staff")),
            }
        with transaction.atomic():
            super().save_related(request, form, formsets, change)
            user = form.instance
            after = {
                "groups": "、".join(g.name for g in user.groups.order_by("name")),
                "is_active": str(user.is_active),
                "is_staff": str(user.is_staff),
            }
            changes = diff(before, after) if change else {k: ["", v] for k, v in after.items()}
            if changes:
                record(
                    actor=request.user,
                    obj=user,
                    action=AuditAction.CHANGE if change else AuditAction.CREATE,
                    changes=changes,
                )


admin.site.unregister(User)
admin.site.register(User, AccountAdmin)


class RoleAdmin(TranslatedPermissionsMixin, GroupAdmin):
    """Roles (groups), their permissions labelled in Chinese."""


admin.site.unregister(Group)
admin.site.register(Group, RoleAdmin)


# The appraisal's admin pages live beside it, so the two domains stay apart.
from efficiency import admin_appraisal  # noqa: E402, F401
