"""The change counter (migration 0030) and the marks counted per period (migration 0032)
keep a reused ranking never stale, whoever writes.

Each test reads the ranking (so it is kept), changes one input family by raw SQL, past every
service and every Django signal, and reads again: the second read must be what a computation
from scratch gives, and differ from the first. Run on SQLite and on PostgreSQL.
"""

import re

import pytest
from django.db import connection, transaction

from efficiency import caching, results
from efficiency.migrations import _counter_triggers, _incident_counter, _marks_counter
from efficiency.models import Incident, IncidentResponsible, Score
from efficiency.models.incidents import ESTABLISHED_STATUSES, IncidentStatus
from efficiency.roles import Role
from efficiency.scoring import Grade
from efficiency.services.appraisal import period_close, period_open, score_save

from . import test_pools
from . import test_reused_results as reused
from . import test_view_results as base
from .factories import report
from .test_stored_results import on_probation

judges, period = test_pools.judges, test_pools.period
kept, read_again, decide_good = reused.kept, reused.read_again, reused.decide_good
fresh = reused.fresh


def sql(statement, params=()):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


# --- the triggers cover what the results read --------------------------------------------


def _sqlite_triggers() -> dict[str, dict[str, frozenset[str] | None]]:
    """table -> event -> the watched columns of its UPDATE trigger (None: any column)."""
    found: dict[str, dict[str, frozenset[str] | None]] = {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tbl_name, sql FROM sqlite_master WHERE type = 'trigger' AND sql LIKE %s",
            [f"%UPDATE {caching.COUNTER_TABLE} SET value%"],
        )
        for table, text in cursor.fetchall():
            event = re.search(r"AFTER (INSERT|DELETE|UPDATE(?: OF ([\w, ]+?))?) ON", text)
            columns = event.group(2)
            found.setdefault(table, {})[event.group(1).split()[0]] = (
                frozenset(c.strip() for c in columns.split(",")) if columns else None
            )
    return found


def _postgresql_triggers() -> dict[str, dict[str, frozenset[str] | None]]:
    found: dict[str, dict[str, frozenset[str] | None]] = {}
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.relname, t.tgtype,
                   ARRAY(SELECT a.attname FROM unnest(t.tgattr) AS k(n)
                         JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.n)
            FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
            JOIN pg_proc p ON p.oid = t.tgfoid
            WHERE p.proname IN (%s, %s, %s) AND NOT t.tgisinternal
            """,
            [
                "efficiency_count_change",
                "efficiency_count_incidents",  # _incident_counter.py: the same row, bumped
                "efficiency_count_responsible",  # when the rows can count
            ],
        )
        for table, kind, columns in cursor.fetchall():
            events = found.setdefault(table, {})
            assert not kind & 1, f"{table}: a row trigger, where statement triggers are cheaper"
            for bit, event in ((4, "INSERT"), (8, "DELETE"), (16, "UPDATE"), (32, "TRUNCATE")):
                if kind & bit:
                    events[event] = frozenset(columns) or None if event == "UPDATE" else None
    return found


def _uncovered() -> dict:
    """Counted tables whose triggers are missing or watch other columns: table -> found."""
    declared = caching.counted_columns()
    if connection.vendor == "postgresql":
        found, events = _postgresql_triggers(), ("INSERT", "UPDATE", "DELETE", "TRUNCATE")
    else:
        found, events = _sqlite_triggers(), ("INSERT", "UPDATE", "DELETE")
    expected = {
        table: {
            event: (frozenset(columns) if event == "UPDATE" and columns else None)
            for event in events
        }
        for table, columns in declared.items()
    }
    if connection.vendor == "postgresql":  # emptying the marks changes every key
        expected[caching.MARKED._meta.db_table] = {"TRUNCATE": None}
    return {
        table: found.get(table)
        for table in set(expected) | set(found)
        if found.get(table) != expected.get(table)
    }


def _marks_triggers() -> dict[str, set[str]]:
    """table -> the events whose triggers bump the marks counter of the row's period."""
    found: dict[str, set[str]] = {}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                """
                SELECT c.relname, t.tgtype, t.tgattr::text,
                       t.tgoldtable IS NOT NULL, t.tgnewtable IS NOT NULL
                FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
                JOIN pg_proc p ON p.oid = t.tgfoid
                WHERE p.proname = 'efficiency_count_marks' AND NOT t.tgisinternal
                """
            )
            for table, kind, columns, old, new in cursor.fetchall():
                assert not kind & 1, f"{table}: a row trigger, where statement triggers are cheaper"
                assert columns == "", f"{table}: watches only some columns"
                for bit, event, needs in ((4, "INSERT", (new,)), (8, "DELETE", (old,))):
                    if kind & bit and all(needs):
                        found.setdefault(table, set()).add(event)
                if kind & 16 and old and new:
                    found.setdefault(table, set()).add("UPDATE")
        else:
            cursor.execute(
                "SELECT tbl_name, sql FROM sqlite_master WHERE type = 'trigger' AND sql LIKE %s",
                [f"%INSERT INTO {caching.MARKS_TABLE} %"],
            )
            for table, text in cursor.fetchall():
                event = re.search(r"AFTER (INSERT|DELETE|UPDATE) ON \w+ FOR EACH ROW", text)
                uses = {"INSERT": "NEW", "DELETE": "OLD", "UPDATE": "NEW"}[event.group(1)]
                assert f"SELECT {uses}.period_id" in text, text
                if event.group(1) == "UPDATE":  # a mark moved to another period: both
                    assert "SELECT OLD.period_id" in text, text
                found.setdefault(table, set()).add(event.group(1))
    return found


MARKS_EXPECTED = {caching.MARKED._meta.db_table: {"INSERT", "UPDATE", "DELETE"}}


def test_every_input_the_results_read_has_its_triggers(db):
    # The migration's list is the reads' list, and the database has what the migrations made.
    assert caching.counted_columns() == _counter_triggers.WATCHED
    assert caching.MARKED._meta.db_table == _marks_counter.MARKS
    assert caching.MARKS_TABLE == _marks_counter.TABLE
    assert caching.MARKED not in caching.COUNTED  # a mark bumps its period's counter only
    assert _uncovered() == {}
    assert _marks_triggers() == MARKS_EXPECTED


def test_a_missing_trigger_is_named(db):
    # As when a later migration rebuilds the table on SQLite: its triggers are gone.
    with transaction.atomic():
        if connection.vendor == "postgresql":
            sql("DROP TRIGGER efficiency_staff_counts_write ON efficiency_staff")
            sql("DROP TRIGGER efficiency_score_marks_delete ON efficiency_score")
        else:
            sql("DROP TRIGGER efficiency_staff_counts_delete")
            sql("DROP TRIGGER efficiency_score_marks_delete")
        assert set(_uncovered()) == {"efficiency_staff"}
        assert _marks_triggers() == {"efficiency_score": {"INSERT", "UPDATE"}}
        transaction.set_rollback(True)
    assert _uncovered() == {}
    assert _marks_triggers() == MARKS_EXPECTED


def test_the_counted_columns_exist():
    for model, fields in caching.COUNTED.items():
        for name in fields or ():
            assert model._meta.get_field(name).concrete, (model, name)


# --- a raw write to each input family shows at once ---------------------------------------


def test_a_raw_mark_change_shows_at_once(office, period, kept):
    mark = Score.objects.filter(period=period, staff=office.colleague).order_by("pk").first()
    sql("UPDATE efficiency_score SET tenths = tenths - 300 WHERE id = %s", [mark.pk])
    assert read_again(period).row("001002").result != kept.row("001002").result


def test_a_raw_criterion_weight_shows_at_once(office, period, kept):
    sql(
        "UPDATE efficiency_periodcriterion SET weight = 60 WHERE period_id = %s AND code = 'duty'",
        [period.pk],
    )
    sql(
        "UPDATE efficiency_periodcriterion SET weight = 20 "
        "WHERE period_id = %s AND code = 'performance'",
        [period.pk],
    )
    assert read_again(period).row("001001").result.base != kept.row("001001").result.base


def test_raw_thresholds_show_at_once(office, period, kept):
    assert kept.row("001002").result.grade == Grade.GOOD
    sql("UPDATE efficiency_period SET thresholds = %s WHERE id = %s", ['{"good": "99"}', period.pk])
    period.refresh_from_db()
    assert read_again(period).row("001002").result.grade != Grade.GOOD


def test_unsaved_thresholds_on_the_callers_period_are_not_mistaken(office, period, kept):
    period.thresholds = {"good": "99"}
    assert read_again(period).row("001002").result.grade != Grade.GOOD


def test_a_raw_incident_change_shows_at_once(office, period):
    incident = base.established(office, office.colleague, severity="minor")
    before = read_again(period)
    sql("UPDATE efficiency_incident SET points = points + 1 WHERE id = %s", [incident.pk])
    after = read_again(period)
    assert (
        after.row("001002").result.deductions_total > before.row("001002").result.deductions_total
    )


def test_a_raw_responsible_row_shows_at_once(office, period):
    base.established(office, office.colleague, severity="minor")
    before = read_again(period)
    assert before.row("001002").facts.deductions
    sql("DELETE FROM efficiency_incidentresponsible WHERE staff_id = %s", [office.colleague.pk])
    assert not read_again(period).row("001002").facts.deductions


def test_a_raw_standing_shows_at_once(office, period):
    on_probation(office, office.colleague)
    assert read_again(period).row("001002").undetermined
    sql("DELETE FROM efficiency_staffstanding WHERE staff_id = %s", [office.colleague.pk])
    assert not read_again(period).row("001002").undetermined


def test_a_raw_decision_shows_at_once(office, period):
    decide_good(office, period)
    assert read_again(period).row("002001").result.grade == Grade.GOOD
    sql(
        "UPDATE efficiency_gradereview SET grade = '' WHERE staff_id = %s", [office.other_person.pk]
    )
    assert read_again(period).row("002001").result.grade != Grade.GOOD


def test_a_raw_rename_of_a_person_or_section_shows_at_once(office, period, kept):
    sql("UPDATE efficiency_staff SET name = %s WHERE id = %s", ["李秀云", office.colleague.pk])
    assert read_again(period).row("001002").facts.name == "李秀云"
    sql("UPDATE efficiency_section SET name = %s WHERE id = %s", ["综合股", office.b.pk])
    assert read_again(period).row("002001").facts.section == "综合股"


def test_a_raw_section_head_shows_at_once(office, period, judges):
    before = read_again(period, results.SECTION)
    sql(
        "INSERT INTO efficiency_section_heads (section_id, user_id) VALUES (%s, %s)",
        [office.b.pk, judges[0].pk],
    )
    after = read_again(period, results.SECTION)
    assert after.row("ZHK").progress.expected < before.row("ZHK").progress.expected


def test_a_raw_change_to_an_assessor_shows_at_once(office, period, judges, kept):
    expected = kept.row("001002").progress.expected
    sql("UPDATE auth_user SET is_active = %s WHERE id = %s", [False, judges[0].pk])
    expected_now = read_again(period).row("001002").progress.expected
    assert expected_now < expected
    sql("DELETE FROM auth_user_groups WHERE user_id = %s", [judges[1].pk])
    assert read_again(period).row("001002").progress.expected < expected_now
    sql("UPDATE auth_group SET name = %s WHERE name = %s", ["评分人（旧）", Role.ASSESSOR])
    assert read_again(period).row("001002").progress.expected == 0


# --- what the counter is and is not ---------------------------------------------------------


def test_a_write_that_cannot_matter_keeps_the_ranking(office, period, kept, monkeypatch):
    counted = caching.counter()
    sql("UPDATE auth_user SET last_login = CURRENT_TIMESTAMP WHERE id = %s", [office.leader.pk])
    sql("UPDATE efficiency_incident SET description = 'x'")
    assert caching.counter() == counted
    monkeypatch.setattr(results, "_marks", lambda *a, **k: pytest.fail("marks read again"))
    assert results.ranking(period) == kept


def test_a_rolled_back_change_is_never_taken_for_a_later_one(office, period, kept):
    """A ranking read inside a transaction that rolls back was kept under the counter's
    uncommitted value; a later change reaches the same value, but not the same stamp."""
    mark = Score.objects.filter(period=period, staff=office.colleague).order_by("pk").first()
    before = caching.counter(period.pk)
    with transaction.atomic():
        sql("UPDATE efficiency_score SET tenths = 0 WHERE id = %s", [mark.pk])
        undone = results.ranking(period)
        transaction.set_rollback(True)
    assert caching.counter(period.pk) == before
    sql("UPDATE efficiency_score SET tenths = 1000 WHERE id = %s", [mark.pk])
    assert caching.counter(period.pk)[2] == before[2] + 1
    again = read_again(period)
    assert again.row("001002").result != undone.row("001002").result


def test_a_ranking_read_across_a_write_is_not_kept(office, period, monkeypatch):
    """Inputs read before and after a commit may not match: such a ranking is not kept."""
    results.forget_kept()
    marks = results._marks

    def marks_then_a_write(*args, **kwargs):
        sql("UPDATE efficiency_staff SET name = name WHERE id = %s", [office.colleague.pk])
        return marks(*args, **kwargs)

    monkeypatch.setattr(results, "_marks", marks_then_a_write)
    results.ranking(period)
    monkeypatch.setattr(results, "_marks", lambda *a, **k: pytest.fail("marks read"))
    with pytest.raises(pytest.fail.Exception):
        results.ranking(period)


def test_on_postgresql_the_counter_queues_behind_the_history_chain():
    from efficiency.services import history_chain

    # One lock order for every writer: the chain's lock, then the counter's row.
    assert _counter_triggers.CHAIN_LOCK == history_chain.ADVISORY_KEY
    function = next(s for s in _counter_triggers.POSTGRESQL if "FUNCTION" in s)
    assert function.index("pg_advisory_xact_lock(1212765012)") < function.index("UPDATE")
    function = next(s for s in _marks_counter.POSTGRESQL if "FUNCTION" in s)
    assert function.index("pg_advisory_xact_lock(1212765012)") < function.index("INSERT INTO")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE is PostgreSQL's")
def test_a_truncate_shows_at_once(office, period):
    on_probation(office, office.colleague)
    assert read_again(period).row("001002").undetermined
    sql("SET CONSTRAINTS ALL IMMEDIATE")  # the insert's deferred checks, before TRUNCATE
    sql("TRUNCATE efficiency_staffstanding")
    assert not read_again(period).row("001002").undetermined


# --- the marks, counted per period (migration 0032) -----------------------------------------


@pytest.fixture
def two_quarters(office, period, judges):
    """``period`` (2026Q3) closed, its rankings kept; 2026Q4 open with marks of its own."""
    base.mark_section(period, judges, office.b)
    period_close(actor=office.leader, period=period)
    q4 = period_open(actor=office.leader, code="2026Q4")
    base.mark(q4, judges, office.colleague, [("80", "80", "80")] * 3)
    base.mark_section(q4, judges, office.b)
    results.forget_kept()
    for quarter in (period, q4):
        for kind in (results.STAFF, results.SECTION):
            read_again(quarter, kind)
    return period, q4


def raw_mark_change(period, **subject):
    """Every mark of the subject 30 points lower (one alone could be trimmed away)."""
    ((field, subject),) = subject.items()
    sql(
        "UPDATE efficiency_score SET tenths = tenths - 300 "
        f"WHERE period_id = %s AND {field}_id = %s",
        [period.pk, subject.pk],
    )


def keys(period):
    return {
        kind: caching.period_key(period, kind, results.STORED_SHAPE)
        for kind in (results.STAFF, results.SECTION)
    }


def test_a_raw_mark_in_one_quarter_keeps_the_others_ranking(office, two_quarters, monkeypatch):
    q3, q4 = two_quarters
    q3_keys, q4_keys, q4_before = keys(q3), keys(q4), results.ranking(q4)
    raw_mark_change(q4, staff=office.colleague)
    assert read_again(q4).row("001002").result != q4_before.row("001002").result
    assert keys(q4)[results.STAFF] != q4_keys[results.STAFF]
    assert keys(q3) == q3_keys
    # The closed quarter's rankings are the kept ones: its marks are not read again.
    q3_now = {kind: fresh(q3, kind) for kind in (results.STAFF, results.SECTION)}
    marks = results._marks
    monkeypatch.setattr(
        results,
        "_marks",
        lambda p, kind: pytest.fail("Q3 marks read") if p.pk == q3.pk else marks(p, kind),
    )
    for kind, now in q3_now.items():
        assert results.ranking(q3, kind) == now


def test_the_load_of_a_working_day_keeps_the_closed_quarters_ranking(
    office, two_quarters, judges, monkeypatch
):
    """What bench/load.py does: assessors save cells of the open quarter, a clerk records an
    incident. The closed quarter's key stays; the open quarter's follows its marks."""
    q3, q4 = two_quarters
    q3_keys, q4_keys = keys(q3), keys(q4)
    score_save(
        assessor=judges[0], period=q4, criterion_code="duty", staff=office.colleague, value="61"
    )
    report(office.clerk, section=office.a, responsible=[office.colleague], standard=office.slip)
    assert keys(q3) == q3_keys
    assert keys(q4)[results.STAFF] != q4_keys[results.STAFF]
    read_again(q4)
    monkeypatch.setattr(results, "_marks", lambda *a, **k: pytest.fail("Q3 marks read"))
    results.ranking(q3)


def test_a_raw_mark_moved_to_another_quarter_changes_both_keys(office, two_quarters):
    q3, q4 = two_quarters
    mark = Score.objects.filter(period=q4, section=office.b).order_by("pk").first()
    # Make room in Q3 (one mark per assessor, criterion and subject), then read it again.
    Score.objects.filter(
        period=q3, section=office.b, assessor=mark.assessor, criterion__code=mark.criterion.code
    ).delete()
    read_again(q3, results.SECTION)
    q3_keys, q4_keys = keys(q3), keys(q4)
    criterion = q3.criteria.get(code=mark.criterion.code)
    sql(
        "UPDATE efficiency_score SET period_id = %s, criterion_id = %s WHERE id = %s",
        [q3.pk, criterion.pk, mark.pk],
    )
    for quarter, before in ((q3, q3_keys), (q4, q4_keys)):
        assert keys(quarter)[results.SECTION] != before[results.SECTION]
        read_again(quarter, results.SECTION)


def test_a_raw_mark_shows_in_the_year_and_the_trends_that_read_its_quarter(office, two_quarters):
    q3, q4 = two_quarters
    year = results.annual_rollup(2026)
    trends = results.section_trends([q3, q4])
    person = results.staff_trend(office.colleague, [q3, q4])
    raw_mark_change(q3, staff=office.colleague)
    raw_mark_change(q3, section=office.b)
    assert _annual_final(results.annual_rollup(2026), "001002") != _annual_final(year, "001002")
    assert results.section_trends([q3, q4]) != trends
    assert results.staff_trend(office.colleague, [q3, q4])[0] != person[0]
    assert results.staff_trend(office.colleague, [q3, q4])[1] == person[1]


def _annual_final(rollup, key):
    return next(row.result for row in rollup.rows if row.facts.key == key)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE is PostgreSQL's")
def test_a_truncate_of_the_marks_changes_every_key(office, two_quarters):
    q3, q4 = two_quarters
    before = {q3.pk: keys(q3), q4.pk: keys(q4)}
    sql("SET CONSTRAINTS ALL IMMEDIATE")
    sql("TRUNCATE efficiency_score")
    for quarter in (q3, q4):
        for kind, key in keys(quarter).items():
            assert key != before[quarter.pk][kind]
            assert (
                not read_again(quarter, kind)
                .row("001002" if kind == results.STAFF else "ZHK")
                .result.assessed
            )


# --- incidents that cannot change a result (migration 0032) ---------------------------------


def test_the_triggers_know_the_established_statuses():
    assert set(_incident_counter.ESTABLISHED) == set(ESTABLISHED_STATUSES)


def test_the_conditional_triggers_are_in_place(db):
    """Those of _incident_counter.py, not 0030's that bump on every write (both pass the
    trigger-list test: a SQLite rebuild putting 0030's back is named here)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                """
                SELECT c.relname, p.proname FROM pg_trigger t
                JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid
                WHERE p.proname IN ('efficiency_count_incidents', 'efficiency_count_responsible')
                """
            )
            found = sorted(cursor.fetchall())
        assert found == [
            ("efficiency_incident", "efficiency_count_incidents"),
            *[("efficiency_incidentresponsible", "efficiency_count_responsible")] * 3,
        ]
        function = next(s for s in _incident_counter.POSTGRESQL if "count_responsible()" in s)
        assert function.index("pg_advisory_xact_lock(1212765012)") < function.index(
            "FROM efficiency_incident"
        )
    else:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND sql LIKE %s",
                ["% WHEN %efficiency_change_counter%"],
            )
            found = sorted(name for (name,) in cursor.fetchall())
        assert found == [
            "efficiency_incident_counts_insert",
            "efficiency_incidentresponsible_counts_delete",
            "efficiency_incidentresponsible_counts_insert",
            "efficiency_incidentresponsible_counts_update",
        ]


def test_a_new_incident_not_yet_established_keeps_every_ranking(office, period, kept, monkeypatch):
    counted = caching.counter()
    incident = report(
        office.clerk, section=office.a, responsible=[office.colleague], standard=office.slip
    )
    assert incident.status == IncidentStatus.REPORTED
    assert IncidentResponsible.objects.filter(incident=incident).exists()
    assert caching.counter() == counted
    monkeypatch.setattr(results, "_marks", lambda *a, **k: pytest.fail("marks read again"))
    assert results.ranking(period) == kept


def test_its_verification_shows_at_once(office, period, kept):
    incident = report(
        office.clerk, section=office.a, responsible=[office.colleague], standard=office.slip
    )
    sql("UPDATE efficiency_incident SET status = 'verified' WHERE id = %s", [incident.pk])
    row = read_again(period).row("001002")
    assert [d.number for d in row.facts.deductions] == [incident.number]


def test_a_raw_responsible_row_of_an_unestablished_incident_bumps_nothing(office, period, kept):
    incident = report(
        office.clerk, section=office.a, responsible=[office.colleague], standard=office.slip
    )
    counted = caching.counter()
    sql(
        "INSERT INTO efficiency_incidentresponsible (incident_id, staff_id, section_id) "
        "VALUES (%s, %s, %s)",
        [incident.pk, office.person.pk, office.person.section_id],
    )
    sql("DELETE FROM efficiency_incidentresponsible WHERE staff_id = %s", [office.colleague.pk])
    assert caching.counter() == counted
    sql("UPDATE efficiency_incident SET status = 'handled' WHERE id = %s", [incident.pk])
    again = read_again(period)
    assert incident.number in [d.number for d in again.row("001001").facts.deductions]
    assert not again.row("001002").facts.deductions


def test_a_raw_responsible_row_of_an_established_incident_shows_at_once(office, period):
    incident = base.established(office, office.person, severity="minor")
    before = read_again(period)
    sql(
        "INSERT INTO efficiency_incidentresponsible (incident_id, staff_id, section_id) "
        "VALUES (%s, %s, %s)",
        [incident.pk, office.colleague.pk, office.colleague.section_id],
    )
    after = read_again(period)
    assert after.row("001002").facts.deductions != before.row("001002").facts.deductions
    sql(
        "UPDATE efficiency_incidentresponsible SET staff_id = %s "
        "WHERE incident_id = %s AND staff_id = %s",
        [office.other_person.pk, incident.pk, office.colleague.pk],
    )
    moved = read_again(period)
    assert not moved.row("001002").facts.deductions
    assert moved.row("002001").facts.deductions


def test_a_raw_established_incident_shows_at_once(office, period):
    before = read_again(period, results.SECTION)
    copy = Incident.objects.get(pk=base.established(office, office.person).pk)
    read_again(period, results.SECTION)
    # One INSERT, past save() and every signal, of an incident already verified.
    copy.pk, copy.number, copy.section = None, "RAW-1", office.b
    Incident.objects.bulk_create([copy])
    after = read_again(period, results.SECTION)
    assert "RAW-1" in [d.number for d in after.row("ZHK").facts.deductions]
    assert after.row("ZHK").facts.deductions != before.row("ZHK").facts.deductions
