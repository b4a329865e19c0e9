"""Accounts and roles. Role changes, account flags and password resets are recorded."""

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

from efficiency.models.audit import AuditAction
from efficiency.roles import Role
from efficiency.services.audit import diff, record

from .i18n import TranslatedPermissionsMixin

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
