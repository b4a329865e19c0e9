"""The administrator's pages, in Chinese. Configuration changes are recorded in the history;
incidents and history are read-only here: they change only through the app's services."""

import copy

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.forms import ReadOnlyPasswordHashWidget
from django.contrib.auth.models import Group, User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from efficiency.admin_i18n import TranslatedPermissionsMixin
from efficiency.models import AuditEvent, Incident, Section, Staff, Standard
from efficiency.models.audit import AuditAction
from efficiency.roles import Role
from efficiency.selectors import status_label
from efficiency.services.audit import diff, record, snapshot

# django-axes (login throttling) ships no Chinese; these are its words in the admin, listed
# here so that makemessages puts them in our catalogue, which Django consults first.
AXES_ADMIN_WORDS = [
    _("access attempt"),
    _("access attempts"),
    _("access log"),
    _("access logs"),
    _("access failure"),
    _("access failures"),
    _("access attempt expiration"),
    _("access attempt expirations"),
    _("IP Address"),
    _("User Agent"),
    _("HTTP Accept"),
    _("Path"),
    _("Attempt Time"),
    _("Logout Time"),
    _("Failed Logins"),
    _("Expires At"),
    _("Locked Out"),
    _("Attempt Remaining"),
    _("Access lock out"),
    _("Meta Data"),
    _("Form Data"),
    _("Not set"),
    _("Clean up expired attempts"),
]

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
        "valid_from",
        "valid_until",
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
        "valid_from",
        "valid_until",
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


PRIVILEGED_ROLES = (Role.LEADER, Role.ADMINISTRATOR)
# Recorded in the history with the roles whenever an account is saved in the admin.
ACCOUNT_FLAGS = ("is_active", "is_staff", "is_superuser")


def is_protected_account(user) -> bool:
    """Accounts only a superuser may change: a superuser's, or a leader's (who acts office-wide)."""
    return user.is_superuser or user.groups.filter(name=Role.LEADER).exists()


def role_names(groups) -> str:
    return "、".join(sorted(group.name for group in groups))


class PasswordSummaryWidget(ReadOnlyPasswordHashWidget):
    """The password's summary without the reset button, for those who may not reset it."""

    template_name = "efficiency/widgets/password_summary.html"


class AccountAdmin(TranslatedPermissionsMixin, UserAdmin):
    """Accounts and their roles. Only a superuser may grant superuser or single permissions, change
    a superuser's or a leader's account (their password included), or grant or withdraw the
    leader and administrator roles, so an administrator cannot raise their own powers or act in
    a leader's name. Role changes and password resets are recorded in the history."""

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

    def has_change_permission(self, request, obj=None):
        if obj is not None and not request.user.is_superuser and is_protected_account(obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if request.user.is_superuser:
            return form
        if obj is not None and is_protected_account(obj) and "password" in form.base_fields:
            # The field instance is shared with Django's form class: change a copy.
            password = copy.deepcopy(form.base_fields["password"])
            password.widget = PasswordSummaryWidget()
            form.base_fields["password"] = password
        if "groups" not in form.base_fields:
            return form

        class GuardedRolesForm(form):
            def clean_groups(self):
                groups = self.cleaned_data["groups"]
                before = set()
                if self.instance.pk:
                    before = set(self.instance.groups.values_list("name", flat=True))
                after = {group.name for group in groups}
                touched = sorted((before ^ after) & set(PRIVILEGED_ROLES))
                if touched:
                    raise forms.ValidationError(
                        gettext(
                            "Only a superuser may grant or withdraw the role(s) {roles}."
                        ).format(roles="、".join(f"“{name}”" for name in touched))
                    )
                return groups

        return GuardedRolesForm

    def save_related(self, request, form, formsets, change):
        user = form.instance
        # Read the roles before the form saves them: save_model has stored the user's own
        # fields already, the many-to-many ones are saved here.
        before = {"groups": role_names(user.groups.all()) if change else ""}
        for name in ACCOUNT_FLAGS:
            # A read-only flag is not in the form: it cannot have changed.
            before[name] = str(form.initial.get(name, getattr(user, name))) if change else ""
        with transaction.atomic():
            super().save_related(request, form, formsets, change)
            after = {"groups": role_names(user.groups.all())}
            after.update({name: str(getattr(user, name)) for name in ACCOUNT_FLAGS})
            changes = diff(before, after)
            if changes:
                record(
                    actor=request.user,
                    obj=user,
                    action=AuditAction.CHANGE if change else AuditAction.CREATE,
                    changes=changes,
                )

    def user_change_password(self, request, id, form_url=""):
        user = self.get_object(request, unquote(id))
        if user is not None and not self.has_change_permission(request, user):
            raise PermissionDenied
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            # A redirect after a POST means the form was valid and the password was set.
            if user is not None and request.method == "POST" and response.status_code == 302:
                record(
                    actor=request.user,
                    obj=user,
                    action=AuditAction.CHANGE,
                    reason=gettext("Password reset by an administrator."),
                    changes={"password": ["", gettext("(reset)")]},
                )
        return response


admin.site.unregister(User)
admin.site.register(User, AccountAdmin)


class RoleAdmin(TranslatedPermissionsMixin, GroupAdmin):
    """Roles (groups), their permissions labelled in Chinese."""


admin.site.unregister(Group)
admin.site.register(Group, RoleAdmin)


# The appraisal's admin pages live beside it, so the two domains stay apart.
from efficiency import admin_appraisal, admin_calendar  # noqa: E402, F401
