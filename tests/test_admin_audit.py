"""The admin's configuration pages save through services.roster.save_audited: each save made on
a change form or a list's editable column is in the history with what changed, by whom."""

import pytest
from django.contrib.contenttypes.models import ContentType

from efficiency.models import AuditEvent, Criterion, Section
from efficiency.models.audit import AuditAction

from .conftest import login

pytestmark = pytest.mark.django_db


def history(obj) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
        ).order_by("pk")
    )


def test_a_new_section_is_recorded_as_created(office):
    response = login(office.administrator).post(
        "/admin/efficiency/section/add/",
        {"code": "ZZ", "name": "新设科室", "order": "9", "active": "on"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    section = Section.objects.get(code="ZZ")
    [event] = history(section)
    assert event.action == AuditAction.CREATE
    assert event.actor == office.administrator
    assert event.changes["name"] == ["", "新设科室"]
    assert set(event.changes) == {"code", "name", "order", "active"}


def test_a_changed_section_records_only_what_changed(office):
    section = office.a
    response = login(office.administrator).post(
        f"/admin/efficiency/section/{section.pk}/change/",
        {
            "code": section.code,
            "name": "改名科室",
            "order": str(section.order),
            "active": "on",
            "heads": [user.pk for user in section.heads.all()],
            "clerks": [user.pk for user in section.clerks.all()],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    [event] = history(section)
    assert event.action == AuditAction.CHANGE
    assert event.changes == {"name": [section.name, "改名科室"]}


def test_a_criterion_weight_edited_in_the_list_is_recorded(office):
    criteria = list(Criterion.objects.order_by("order", "pk"))
    data = {
        "form-TOTAL_FORMS": str(len(criteria)),
        "form-INITIAL_FORMS": str(len(criteria)),
        "_save": "save",
    }
    for index, criterion in enumerate(criteria):
        data[f"form-{index}-id"] = str(criterion.pk)
        data[f"form-{index}-weight"] = str(criterion.weight + (5 if index == 0 else 0))
        data[f"form-{index}-order"] = str(criterion.order)
        if criterion.active:
            data[f"form-{index}-active"] = "on"
    response = login(office.administrator).post("/admin/efficiency/criterion/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    first = criteria[0]
    [event] = history(first)
    assert event.changes == {"weight": [str(first.weight), str(first.weight + 5)]}
    for other in criteria[1:]:
        assert history(other) == []
