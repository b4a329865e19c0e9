"""Roles are Django groups carrying real model permissions.

``ensure_roles`` runs after every migrate, so a fresh database has the groups and an upgraded
one gets any permission added since. Group names are the office's own words for the roles.
"""

from django.apps import apps as django_apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.db.models import Q


class Role:
    CLERK = "登记员"
    SECTION_HEAD = "科室负责人"
    SUPERVISOR = "督查人员"
    ASSESSOR = "考评小组成员"
    LEADER = "办公室领导"
    ADMINISTRATOR = "系统管理员"


ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.CLERK: ["efficiency.add_incident", "efficiency.change_incident"],
    Role.SECTION_HEAD: ["efficiency.view_section_incidents"],
    Role.SUPERVISOR: [
        "efficiency.view_all_incidents",
        "efficiency.verify_incident",
        "efficiency.handle_incident",
        "efficiency.decide_appeal",
        "efficiency.record_sanction",
        "efficiency.view_sanctions",
    ],
    Role.ASSESSOR: ["efficiency.add_score"],
    Role.LEADER: [
        "efficiency.view_all_incidents",
        "efficiency.open_period",
        "efficiency.close_period",
        "efficiency.view_results",
        "efficiency.override_grade",
        "efficiency.view_attendance",
        "efficiency.view_sanctions",
        "efficiency.record_correction",
    ],
    Role.ADMINISTRATOR: [
        "efficiency.add_section",
        "efficiency.change_section",
        "efficiency.view_section",
        "efficiency.add_staff",
        "efficiency.change_staff",
        "efficiency.view_staff",
        "efficiency.add_standard",
        "efficiency.change_standard",
        "efficiency.view_standard",
        "efficiency.view_incident",
        "efficiency.view_auditevent",
        "efficiency.open_period",
        "efficiency.view_period",
        "efficiency.view_periodcriterion",
        "efficiency.view_score",
        "efficiency.enter_marks_for_others",
        "efficiency.view_gradeoverride",
        "efficiency.view_results",
        "efficiency.add_criterion",
        "efficiency.change_criterion",
        "efficiency.view_criterion",
        "efficiency.add_quotapool",
        "efficiency.change_quotapool",
        "efficiency.view_quotapool",
        "efficiency.add_officeday",
        "efficiency.change_officeday",
        "efficiency.delete_officeday",
        "efficiency.view_officeday",
        "efficiency.add_attendance",
        "efficiency.change_attendance",
        "efficiency.view_attendance",
        # Read-only in the admin (recorded on the 处分 pages); the history shows them anyway.
        "efficiency.view_sanction",
        "efficiency.view_influencemonths",
        "efficiency.add_influencemonths",
        "efficiency.change_influencemonths",
        "auth.add_user",
        "auth.change_user",
        "auth.view_user",
        "auth.view_group",
        # Login lockouts (django-axes): see them, and lift one by deleting the attempt.
        "axes.view_accessattempt",
        "axes.delete_accessattempt",
        "axes.view_accesslog",
        "axes.view_accessfailurelog",
    ],
}


def ensure_roles(*, using: str = "default", **kwargs) -> None:
    # Django creates permissions app by app after migrate; create them all now so the groups
    # are complete on the very first migrate of a fresh database.
    for app_config in django_apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    for name, codenames in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=name)
        query = Q(pk__in=[])
        for dotted in codenames:
            app_label, codename = dotted.split(".")
            query |= Q(content_type__app_label=app_label, codename=codename)
        group.permissions.add(*Permission.objects.filter(query))
