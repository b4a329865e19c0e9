"""处分 and the influence periods' months in the admin: shown, never changed there (they change
on the app's pages through services.sanctions, which record every change)."""

import datetime

import pytest

from efficiency.models import InfluenceMonths, Sanction
from efficiency.services import sanctions as services

from .conftest import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def sanction(office):
    return services.sanction_record(
        actor=office.supervisor,
        staff=office.colleague,
        kind="warning",
        dated=datetime.date(2026, 5, 12),
        document_number="县委办纪〔2026〕3号",
    )


def test_the_administrator_sees_the_sanctions_list_and_a_sanction(office, sanction):
    client = login(office.administrator)
    listing = client.get("/admin/efficiency/sanction/")
    assert listing.status_code == 200
    text = listing.content.decode()
    assert "李秀英" in text and "县委办纪〔2026〕3号" in text and "警告" in text
    assert "2026年11月12日" in text  # the influence period's end: six months on
    found = client.get("/admin/efficiency/sanction/?q=县委办纪").content.decode()
    assert "李秀英" in found
    page = client.get(f"/admin/efficiency/sanction/{sanction.pk}/change/")
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()


def test_a_sanction_cannot_be_added_changed_or_deleted_in_the_admin(office, sanction):
    client = login(office.administrator)
    assert client.get("/admin/efficiency/sanction/add/").status_code == 403
    response = client.post(
        f"/admin/efficiency/sanction/{sanction.pk}/change/",
        {
            "staff": office.person.pk,
            "kind": "demerit",
            "dated": "2026-06-01",
            "document_number": "改过",
        },
    )
    assert response.status_code == 403
    assert client.post(f"/admin/efficiency/sanction/{sanction.pk}/delete/").status_code == 403
    sanction.refresh_from_db()
    assert (sanction.staff, sanction.kind, sanction.document_number) == (
        office.colleague,
        "warning",
        "县委办纪〔2026〕3号",
    )
    assert Sanction.objects.count() == 1


def test_influence_months_are_shown_read_only(office):
    services.influence_months_set(actor=office.administrator, decision="admonition_talk", months=9)
    row = InfluenceMonths.objects.get()
    client = login(office.administrator)
    listing = client.get("/admin/efficiency/influencemonths/").content.decode()
    assert "诫勉谈话" in listing and ">9<" in listing
    assert client.get("/admin/efficiency/influencemonths/add/").status_code == 403
    response = client.post(
        f"/admin/efficiency/influencemonths/{row.pk}/change/",
        {"decision": "admonition_talk", "months": "1"},
    )
    assert response.status_code == 403
    row.refresh_from_db()
    assert row.months == 9


@pytest.mark.parametrize("role", ["leader", "supervisor", "clerk"])
def test_people_outside_the_admin_do_not_see_it(office, sanction, role):
    response = login(getattr(office, role)).get("/admin/efficiency/sanction/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
