"""The demo office is marked: a database filled by load_demo shows a 演示数据 band on every page
(app and admin), and load_demo fills only a database with no data and no accounts at all."""

import datetime
import importlib
from io import StringIO

import pytest
import time_machine
from django.apps import apps
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

from efficiency.demo import load_demo
from efficiency.models import DemoMark, Section

from .conftest import login

pytestmark = pytest.mark.django_db

BAND = "data-demo-band"
BAND_TEXT = "本数据库是演示单位的数据，演示账号和密码是公开的，请勿录入真实数据。"
# A day the demo's year has well begun, so loading works whatever today is.
DEMO_DAY = datetime.datetime(2026, 11, 29, 10, 0, tzinfo=datetime.UTC)


def pages(office) -> dict[str, str]:
    anonymous = Client()
    return {
        "login": anonymous.get("/accounts/login/").content.decode(),
        "home": login(office.clerk).get("/").content.decode(),
        "incidents": login(office.supervisor).get("/incidents/").content.decode(),
        "admin": login(office.administrator).get("/admin/").content.decode(),
        "admin login": anonymous.get("/admin/login/").content.decode(),
    }


def test_an_office_database_shows_no_band(office):
    for name, html in pages(office).items():
        assert BAND not in html, name


def test_a_demo_database_shows_the_band_on_every_page(office):
    DemoMark.objects.create()
    for name, html in pages(office).items():
        assert BAND in html, name
        assert "演示数据" in html and BAND_TEXT in html, name


def test_load_demo_marks_the_database():
    with time_machine.travel(DEMO_DAY, tick=False):
        assert load_demo() is True
    assert DemoMark.objects.count() == 1
    client = Client()
    client.force_login(User.objects.get(username="leader"))
    assert BAND_TEXT in client.get("/").content.decode()


def test_load_demo_refuses_a_database_with_any_account():
    User.objects.create_superuser("zhangsan", password="own-password-2026")
    out = StringIO()
    with time_machine.travel(DEMO_DAY, tick=False):
        call_command("load_demo", "--if-empty", stdout=out)
    assert "数据库中已有账号，不是空数据库，未载入演示数据。" in out.getvalue()
    assert not Section.objects.exists() and not DemoMark.objects.exists()
    assert list(User.objects.values_list("username", flat=True)) == ["zhangsan"]


def test_a_database_loaded_before_the_mark_gets_it_on_migrating():
    migration = importlib.import_module("efficiency.migrations.0008_demo_mark")
    for username in migration.DEMO_USERNAMES[:-1]:
        User.objects.create_user(username)
    migration.mark_existing_demo(apps, None)
    assert not DemoMark.objects.exists()
    User.objects.create_user(migration.DEMO_USERNAMES[-1])
    migration.mark_existing_demo(apps, None)
    assert DemoMark.objects.count() == 1
