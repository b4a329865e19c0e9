"""The admin in Chinese where Django leaves English.

Permission names are stored in English when the permissions are created ("Can add staff
member", "Can decide appeals"), and Django's admin prints them as stored: here they are
labelled in the reader's language from their model's translated name and their codename.
Django 5.2's own Chinese catalogue also lacks a few of its admin's newer strings; they are
declared below so that ``makemessages`` keeps their translation in the project's catalogue
(the JavaScript ones are in ``locale/zh_Hans/LC_MESSAGES/djangojs.po``).
"""

from django.apps import apps
from django.contrib.auth.models import Permission
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

DEFAULT_ACTIONS = {
    "add": gettext_noop("Can add %(model)s"),
    "change": gettext_noop("Can change %(model)s"),
    "delete": gettext_noop("Can delete %(model)s"),
    "view": gettext_noop("Can view %(model)s"),
}

# django-axes (login throttling) ships no Chinese; these are its words in the admin, listed
# here so that makemessages puts them in our catalogue, which Django consults first.
AXES_ADMIN_WORDS = [
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("access attempt expiration"),
    gettext_noop("access attempt expirations"),
    gettext_noop("IP Address"),
    gettext_noop("User Agent"),
    gettext_noop("HTTP Accept"),
    gettext_noop("Path"),
    gettext_noop("Attempt Time"),
    gettext_noop("Logout Time"),
    gettext_noop("Failed Logins"),
    gettext_noop("Expires At"),
    gettext_noop("Locked Out"),
    gettext_noop("Attempt Remaining"),
    gettext_noop("Access lock out"),
    gettext_noop("Meta Data"),
    gettext_noop("Form Data"),
    gettext_noop("Not set"),
    gettext_noop("Clean up expired attempts"),
]

DJANGO_ADMIN_STRINGS = (
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
    gettext_noop("After you’ve created a user, you’ll be able to edit more user options."),
)


def permission_label(permission: Permission) -> str:
    """“效能考核 | 三误事件 | 可以添加三误事件”, in the active language."""
    content_type = permission.content_type
    model = content_type.model_class()
    model_name = str(model._meta.verbose_name) if model else content_type.model
    try:
        app = str(apps.get_app_config(content_type.app_label).verbose_name)
    except LookupError:
        app = content_type.app_label
    action, _sep, rest = permission.codename.partition("_")
    if action in DEFAULT_ACTIONS and model and rest == model._meta.model_name:
        name = _(DEFAULT_ACTIONS[action]) % {"model": model_name}
    else:
        name = _(permission.name)  # the project's own permissions are in its catalogue
    return f"{app} | {model_name} | {name}"


class TranslatedPermissionsMixin:
    """For the group and user admins: their permission lists, labelled in Chinese."""

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        if db_field.name in ("permissions", "user_permissions"):
            queryset = kwargs.get("queryset", db_field.remote_field.model.objects)
            kwargs["queryset"] = queryset.select_related("content_type")
            field = super().formfield_for_manytomany(db_field, request=request, **kwargs)
            field.label_from_instance = permission_label
            return field
        return super().formfield_for_manytomany(db_field, request=request, **kwargs)
