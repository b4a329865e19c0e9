"""Accounts in the admin, through the real change forms: roles, deactivation, passwords.

Only a superuser may change a superuser's or a leader's account, set their password, or grant
or withdraw the leader and administrator roles; every role change and password reset is in the
history (who, whom, what).
"""

import datetime

import pytest
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.forms import MultiWidget

from efficiency.models import AuditEvent
from efficiency.roles import Role

from .conftest import login
from .factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db) -> User:
    return User.objects.create_superuser("root", password="pw-for-tests-2026")


def change_url(user: User) -> str:
    return f"/admin/auth/user/{user.pk}/change/"


def form_data(client, user: User) -> dict:
    """What the browser would send back from the change form, untouched."""
    response = client.get(change_url(user))
    assert response.status_code == 200
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        if field.disabled:
            continue
        value = form[name].value()
        if isinstance(field.widget, MultiWidget):
            for index, part in enumerate(field.widget.decompress(value)):
                data[f"{name}_{index}"] = "" if part is None else str(part)
        elif isinstance(value, list | tuple):
            data[name] = [getattr(item, "pk", item) for item in value]
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = value.isoformat() if isinstance(value, datetime.date) else value
    return data


def roles(user: User) -> set[str]:
    return set(user.groups.values_list("name", flat=True))


def group_ids(*names: str) -> list[int]:
    return list(Group.objects.filter(name__in=names).values_list("pk", flat=True))


def history(user: User) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk)
        )
    )


@pytest.mark.parametrize("who", ["superuser", "administrator"])
def test_roles_change_through_the_form(office, superuser, who):
    actor = superuser if who == "superuser" else office.administrator
    client = login(actor)
    data = form_data(client, office.clerk)
    data["groups"] = group_ids(Role.CLERK, Role.ASSESSOR)
    response = client.post(change_url(office.clerk), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert roles(office.clerk) == {Role.CLERK, Role.ASSESSOR}
    [event] = history(office.clerk)
    assert event.actor == actor
    assert event.changes == {"groups": [Role.CLERK, f"{Role.CLERK}、{Role.ASSESSOR}"]}


@pytest.mark.parametrize("who", ["superuser", "administrator"])
def test_a_clerk_who_leaves_is_deactivated(office, superuser, who):
    actor = superuser if who == "superuser" else office.administrator
    client = login(actor)
    data = form_data(client, office.clerk)
    data.pop("is_active")
    response = client.post(change_url(office.clerk), data)
    assert response.status_code == 302
    office.clerk.refresh_from_db()
    assert office.clerk.is_active is False
    assert roles(office.clerk) == {Role.CLERK}
    [event] = history(office.clerk)
    assert event.actor == actor and event.changes == {"is_active": ["True", "False"]}


def test_a_superuser_grants_the_leader_and_administrator_roles(office, superuser):
    client = login(superuser)
    data = form_data(client, office.assessor)
    data["groups"] = group_ids(Role.ASSESSOR, Role.LEADER, Role.ADMINISTRATOR)
    assert client.post(change_url(office.assessor), data).status_code == 302
    assert roles(office.assessor) == {Role.ASSESSOR, Role.LEADER, Role.ADMINISTRATOR}


def test_making_a_superuser_is_recorded(office, superuser):
    client = login(superuser)
    data = form_data(client, office.administrator)
    data["is_superuser"] = "on"
    assert client.post(change_url(office.administrator), data).status_code == 302
    [event] = history(office.administrator)
    assert event.actor == superuser
    assert event.changes == {"is_superuser": ["False", "True"]}


def test_an_administrator_cannot_make_a_superuser(office):
    client = login(office.administrator)
    data = form_data(client, office.clerk)
    data["is_superuser"] = "on"
    assert client.post(change_url(office.clerk), data).status_code == 302
    office.clerk.refresh_from_db()
    assert office.clerk.is_superuser is False
    assert history(office.clerk) == []


@pytest.mark.parametrize("role", [Role.LEADER, Role.ADMINISTRATOR])
def test_an_administrator_cannot_grant_the_leader_or_administrator_role(office, role):
    client = login(office.administrator)
    data = form_data(client, office.assessor)
    data["groups"] = group_ids(Role.ASSESSOR, role)
    response = client.post(change_url(office.assessor), data)
    assert response.status_code == 200
    assert f"只有超级管理员可以授予或撤销“{role}”角色。" in response.content.decode()
    assert roles(office.assessor) == {Role.ASSESSOR}
    assert history(office.assessor) == []


def test_an_administrator_cannot_withdraw_the_administrator_role(office):
    other = make_user("admin2", Role.ADMINISTRATOR)
    client = login(office.administrator)
    data = form_data(client, other)
    data["groups"] = []
    response = client.post(change_url(other), data)
    assert "只有超级管理员可以授予或撤销“系统管理员”角色。" in response.content.decode()
    assert roles(other) == {Role.ADMINISTRATOR}


def test_an_administrator_creates_an_account_without_privileged_roles(office):
    client = login(office.administrator)
    response = client.post(
        "/admin/auth/user/add/",
        {
            "username": "newclerk",
            "usable_password": "true",
            "password1": "Qiu-Shui-2026-long",
            "password2": "Qiu-Shui-2026-long",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="newclerk")
    data = form_data(client, user)
    data["groups"] = group_ids(Role.LEADER)
    response = client.post(change_url(user), data)
    assert "只有超级管理员可以授予或撤销“办公室领导”角色。" in response.content.decode()
    assert roles(user) == set()


@pytest.mark.parametrize("target", ["superuser", "leader"])
def test_an_administrator_cannot_change_a_superuser_or_leader(office, superuser, target):
    account = superuser if target == "superuser" else office.leader
    client = login(office.administrator)
    before = User.objects.get(pk=account.pk).password

    page = client.get(change_url(account))
    assert page.status_code == 200  # read-only view
    assert page.context["has_change_permission"] is False

    response = client.post(
        f"/admin/auth/user/{account.pk}/password/",
        {"password1": "Taken-Over-2026!", "password2": "Taken-Over-2026!"},
    )
    assert response.status_code == 403
    assert User.objects.get(pk=account.pk).password == before
    assert client.get(f"/admin/auth/user/{account.pk}/password/").status_code == 403

    data = {"username": account.username, "is_active": "", "groups": []}
    assert client.post(change_url(account), data).status_code == 403
    account.refresh_from_db()
    assert account.is_active is True
    assert history(account) == []


def test_only_a_superuser_sees_the_reset_button_on_a_leader(office, superuser):
    own = login(superuser).get(change_url(office.leader)).content.decode()
    assert 'href="../password/"' in own
    viewed = login(office.administrator).get(change_url(office.leader)).content.decode()
    assert 'href="../password/"' not in viewed
    assert "只有超级管理员可以重置此账号的密码。" in viewed
    clerk = login(office.administrator).get(change_url(office.clerk)).content.decode()
    assert 'href="../password/"' in clerk


@pytest.mark.parametrize("who", ["superuser", "administrator"])
def test_a_password_reset_is_recorded(office, superuser, who):
    actor = superuser if who == "superuser" else office.administrator
    target = office.leader if who == "superuser" else office.clerk
    client = login(actor)
    response = client.post(
        f"/admin/auth/user/{target.pk}/password/",
        {"password1": "Xin-Mi-Ma-2026!", "password2": "Xin-Mi-Ma-2026!"},
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.check_password("Xin-Mi-Ma-2026!")
    [event] = history(target)
    assert event.actor == actor
    assert event.reason == "管理员重置了密码。"
    assert event.changes == {"password": ["", "（已重置）"]}


def test_a_refused_password_reset_records_nothing(office):
    client = login(office.administrator)
    response = client.post(
        f"/admin/auth/user/{office.clerk.pk}/password/",
        {"password1": "Xin-Mi-Ma-2026!", "password2": "different-2026!"},
    )
    assert response.status_code == 200
    assert history(office.clerk) == []
