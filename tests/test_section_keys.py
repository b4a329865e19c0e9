"""A locked quarter keys its people's sections by id and code, never by the display name.

Renaming a section after a quarter is locked must not empty it: the locked section summary
still lists its people, its head still gets their personal forms and score cards, the
ranking's section filter still finds them. Existing frozen data (keyed by name) is migrated.
"""

import importlib

import pytest
from django.apps import apps
from django.db import DatabaseError, connection, transaction

from efficiency import results
from efficiency.models import Period, Staff
from efficiency.reports import documents

from .conftest import login
from .report_support import pdf_text, quarter, squeeze

MSK_PEOPLE = {"001000", "001001", "001002", "001009"}


@pytest.fixture
def renamed(office):
    """2026Q3 locked, then 秘书科 renamed 文秘科."""
    period = quarter(office, state="locked")
    office.a.name = "文秘科"
    office.a.save()
    return Period.objects.get(pk=period.pk)


def test_the_locked_section_summary_still_lists_its_people(office, renamed, tmp_path):
    context = documents.section_context(renamed, office.a)
    assert {line.row.facts.key for line in context["people"]} == MSK_PEOPLE
    response = login(office.head).get("/reports/2026Q3/section/MSK.pdf")
    assert response.status_code == 200
    text = squeeze(pdf_text(b"".join(response.streaming_content), tmp_path))
    for name in ("王建国", "李秀英", "刘科长", "陈文书"):
        assert name in text


def test_the_head_still_gets_the_personal_forms_and_cards(office, renamed):
    head = login(office.head)
    for staff_no in sorted(MSK_PEOPLE):
        assert head.get(f"/reports/2026Q3/personal/{staff_no}.pdf").status_code == 200
        assert head.get(f"/appraisal/2026Q3/card/{staff_no}/").status_code == 200
    index = head.get("/reports/2026Q3/").content.decode()
    assert "/reports/2026Q3/personal/001001.pdf" in index
    assert "/appraisal/2026Q3/card/001001/" in index  # the name opens the score card
    assert head.get("/reports/2026Q3/personal/002001.pdf").status_code == 403


def test_a_changed_section_code_does_not_lose_them_either(office, renamed):
    office.a.code = "WMK"
    office.a.save()
    context = documents.section_context(renamed, office.a)
    assert {line.row.facts.key for line in context["people"]} == MSK_PEOPLE
    assert context["own"] is not None  # the section's own score and rank
    assert context["section_name"] == "秘书科"  # reprinted as it was printed when locked
    assert login(office.head).get("/reports/2026Q3/personal/001001.pdf").status_code == 200


def test_the_ranking_filter_finds_the_section_under_its_new_name(office, renamed):
    page = login(office.leader).get("/appraisal/2026Q3/ranking/", {"section": "MSK"})
    assert {line.row.facts.key for line in page.context["lines"]} == MSK_PEOPLE
    # Listed under the name the rows show: the one it had in the locked quarter.
    assert ("MSK", "秘书科") in page.context["form"].fields["section"].choices


def test_trends_keep_one_line_per_section_across_a_rename(office, renamed):
    series = results.section_trends([renamed])
    assert "文秘科" in series and "秘书科" not in series


# --- the data migration ------------------------------------------------------------------------


def _old_format(period: Period) -> dict:
    """The frozen facts as they were stored before: no section id or code."""
    frozen = period.frozen
    for kind in (results.STAFF, results.SECTION):
        for facts in frozen[kind].values():
            del facts["section_id"], facts["section_code"]
    return frozen


def _run(statements) -> None:
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


class _Editor:
    """The two things the migration asks of its schema editor (SQLite's own cannot be opened
    inside the test's transaction)."""

    connection = connection

    def execute(self, sql):
        with connection.cursor() as cursor:
            cursor.execute(sql)


def test_the_migration_keys_existing_frozen_data(office):
    period = quarter(office, state="open")
    period.frozen = results.freeze_inputs(period)
    moved = Staff.objects.get(staff_no="002001")
    expected = results.freeze_inputs(period)
    # A locked period stored the old way, then 综合科 renamed before the upgrade: its people
    # are found through their own record; 秘书科's by the name.
    # What locking did before, with the old frozen format.
    Period.objects.filter(pk=period.pk).update(state="locked", frozen=_old_format(period))
    office.b.name = "综合信息科"
    office.b.save()
    migration = importlib.import_module("efficiency.migrations.0009_facts")
    # 0009 ran before 0014 put a trigger on the review table that shares the period's guard
    # function (which 0009 lifts and restores): take that one away for the run, as it was then.
    later = importlib.import_module("efficiency.migrations._review_triggers")
    sql = "POSTGRESQL" if connection.vendor == "postgresql" else "SQLITE"
    _run(getattr(later, f"{sql}_REVERSE"))
    migration.key_frozen_sections(apps, _Editor())
    _run(getattr(later, sql))
    frozen = Period.objects.get(pk=period.pk).frozen
    for kind in (results.STAFF, results.SECTION):
        for pk, facts in expected[kind].items():
            assert frozen[kind][pk]["section_id"] == facts["section_id"]
            assert frozen[kind][pk]["section_code"] == facts["section_code"]
    assert frozen[results.STAFF][str(moved.pk)]["section_id"] == office.b.pk
    # The lock triggers are back: the period refuses writes again.
    with pytest.raises(DatabaseError, match="locked"), transaction.atomic():
        Period.objects.filter(pk=period.pk).update(frozen={})
