"""Tampering with the history through raw SQL, as the table's owner could, and verify_history.

Each attack is done on whichever database the suite runs on: SQLite by default, PostgreSQL
through ``scripts/with-postgres.sh``.
"""

import datetime
import threading
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, connections

from efficiency import chain
from efficiency.migrations import _audit_triggers
from efficiency.models import AuditEvent, ChainHead, Incident
from efficiency.services import history_chain
from efficiency.services.appraisal import period_open
from efficiency.services.audit import record
from efficiency.services.incidents import incident_verify

from .factories import report


@pytest.fixture
def history(office):
    """Three incidents, one verified, and an open quarter: a few entries in the chain."""
    incidents = [
        report(office.clerk, section=office.a, responsible=[office.person], standard=office.delay)
        for _ in range(3)
    ]
    incident_verify(actor=office.supervisor, incident=incidents[0], note="核实无误")
    period = period_open(actor=office.leader, code="2026Q3")
    return incidents, period


def entry_ids() -> list[int]:
    return list(AuditEvent.objects.order_by("pk").values_list("pk", flat=True))


def sql(statement: str, params=None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def lift_triggers() -> None:
    for statement in _triggers(reverse=True):
        sql(statement)


def restore_triggers() -> None:
    for statement in _triggers(reverse=False):
        sql(statement)


def _triggers(*, reverse: bool) -> list[str]:
    name = {"sqlite": "SQLITE", "postgresql": "POSTGRESQL"}[connection.vendor]
    return getattr(_audit_triggers, f"{name}_REVERSE" if reverse else name)


def verify_history(*args) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("verify_history", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exit:
        code = exit.code
    return code, out.getvalue(), err.getvalue()


def test_an_untouched_history_passes(history):
    code, out, err = verify_history()
    assert (code, err) == (0, "")
    head = history_chain.head()
    assert head.count == AuditEvent.objects.count() == 5
    assert f"历史记录完整：共 {head.count} 条，链头 {head.fingerprint}" in out


def test_the_triggers_still_refuse_an_update(history):
    with pytest.raises(Exception, match="append-only"):
        sql("UPDATE efficiency_auditevent SET reason = 'x'")


def test_a_rewritten_reason_is_caught(history):
    target = entry_ids()[3]
    lift_triggers()
    sql("UPDATE efficiency_auditevent SET reason = %s WHERE id = %s", ["改写的理由", target])
    restore_triggers()
    code, _, err = verify_history()
    assert code == 1
    assert f"第 4 条历史记录（编号 {target}）的内容与其哈希不符：写入后被改过。" in err


def test_a_back_dated_entry_as_a_supervisor_is_caught(history, office):
    incident = history[0][1]
    jsonb = "CAST(%s AS jsonb)" if connection.vendor == "postgresql" else "%s"
    sql(
        "INSERT INTO efficiency_auditevent (at, actor_id, content_type_id, object_id, "
        "object_repr, action, from_status, to_status, reason, changes, prev_hash, entry_hash) "
        f"SELECT %s, %s, content_type_id, %s, object_repr, 'dismiss', 'reported', 'dismissed', "
        f"'补记：已撤销', {jsonb}, '', '' FROM efficiency_auditevent WHERE object_id = %s LIMIT 1",
        [
            datetime.datetime(2026, 1, 5, 9, tzinfo=datetime.UTC),
            office.supervisor.pk,
            str(incident.pk),
            "{}",
            str(incident.pk),
        ],
    )
    forged = entry_ids()[-1]
    code, _, err = verify_history()
    assert code == 1
    count = AuditEvent.objects.count()
    assert f"第 {count} 条历史记录（编号 {forged}）不在原链中：有记录被插入。" in err
    assert f"历史中有 {count} 条记录，但经本系统写入的只有 {count - 1} 条" in err
    # The forged entry also no longer explains the incident's row, which was never dismissed.
    assert f"事件 {incident.number} 当前状态为“已登记”，但其历史止于“不予认定”。" in err


def test_an_incident_changed_directly_is_caught(history):
    incident = history[0][2]
    sql("UPDATE efficiency_incident SET status = 'dismissed' WHERE id = %s", [incident.pk])
    sql("UPDATE efficiency_incident SET description = '改写' WHERE id = %s", [incident.pk])
    code, _, err = verify_history()
    assert code == 1
    assert f"事件 {incident.number} 当前状态为“不予认定”，但其历史止于“已登记”。" in err
    assert f"事件 {incident.number}：“情况描述”当前为“改写”" in err


def test_an_appeal_and_a_handling_changed_directly_are_caught(history):
    incident = history[0][0]  # verified, never handled, never appealed
    sql(
        "UPDATE efficiency_incident SET appeal_status = 'upheld', "
        "handling_decision = 'criticism' WHERE id = %s",
        [incident.pk],
    )
    code, _, err = verify_history()
    assert code == 1
    assert f"事件 {incident.number}：申诉当前为“申诉成立”，但其历史止于“未申诉”。" in err
    assert f"事件 {incident.number}：“处理决定”当前为“criticism”，但历史记载为“”。" in err


def test_a_period_changed_directly_is_caught(history):
    period = history[1]
    sql("UPDATE efficiency_period SET state = 'draft' WHERE id = %s", [period.pk])
    code, _, err = verify_history()
    assert code == 1
    assert "季度 2026Q3 当前状态为“草稿”，但其历史止于“评分中”。" in err


def test_a_deleted_entry_is_caught(history):
    ids = entry_ids()
    lift_triggers()
    sql("DELETE FROM efficiency_auditevent WHERE id = %s", [ids[2]])
    restore_triggers()
    code, _, err = verify_history()
    assert code == 1
    assert f"第 3 条历史记录（编号 {ids[3]}）之前的一条记录不见了：有记录被删除。" in err


def test_a_deleted_last_entry_is_caught(history):
    ids = entry_ids()
    lift_triggers()
    sql("DELETE FROM efficiency_auditevent WHERE id = %s", [ids[-1]])
    restore_triggers()
    code, _, err = verify_history()
    assert code == 1
    assert f"历史中有 {len(ids) - 1} 条记录，但写入过 {len(ids)} 条：最后的记录被删除了。" in err


def test_reordered_entries_are_caught(history):
    ids = entry_ids()
    lift_triggers()
    sql("UPDATE efficiency_auditevent SET id = -1 WHERE id = %s", [ids[1]])
    sql("UPDATE efficiency_auditevent SET id = %s WHERE id = %s", [ids[1], ids[2]])
    sql("UPDATE efficiency_auditevent SET id = %s WHERE id = -1", [ids[2]])
    restore_triggers()
    code, _, err = verify_history()
    assert code == 1
    assert f"第 2 条历史记录（编号 {ids[1]}）的位置不对：记录被调换了顺序。" in err


def test_an_emptied_history_is_caught(history):
    count = AuditEvent.objects.count()
    if connection.vendor == "postgresql":
        # The test's own transaction holds deferred foreign-key checks; TRUNCATE wants none.
        sql("SET CONSTRAINTS ALL IMMEDIATE")
        sql("TRUNCATE efficiency_auditevent")  # the statement triggers do not cover
    else:
        lift_triggers()
        sql("DELETE FROM efficiency_auditevent")
        restore_triggers()
    code, _, err = verify_history()
    assert code == 1
    assert f"历史为空，但写入过 {count} 条记录：全部历史被删除了。" in err
    assert f"事件 {history[0][0].number}：历史中没有登记它的记录。" in err


def test_a_recomputed_chain_is_caught_by_a_printed_fingerprint(history):
    printed = history_chain.head().fingerprint
    assert history_chain.check_fingerprint(printed).ok
    target = entry_ids()[1]
    lift_triggers()
    sql("UPDATE efficiency_auditevent SET reason = '改写' WHERE id = %s", [target])
    # The owner recomputes every hash after the change, and the head: the chain holds again...
    previous = chain.GENESIS
    for entry in list(history_chain._stream()):
        own = chain.entry_hash(previous, entry)
        sql(
            "UPDATE efficiency_auditevent SET prev_hash = %s, entry_hash = %s WHERE id = %s",
            [previous, own, entry.id],
        )
        previous = own
    restore_triggers()
    ChainHead.objects.filter(pk=1).update(head_hash=previous)
    assert history_chain.verify() == []
    # ...but it no longer ends where it did when the bulletin was printed.
    code, _, err = verify_history("--fingerprint", printed)
    assert code == 1
    count = printed.split("-")[0]
    assert f"第 {count} 条记录已不是打印时的那一条：打印之前的历史被改写过。" in err


def test_a_printed_fingerprint_still_in_the_history(history, office):
    printed = history_chain.head().fingerprint
    record(actor=office.supervisor, obj=history[0][0], action="remind", reason="提醒")
    code, out, _ = verify_history("--fingerprint", printed)
    assert code == 0
    assert f"当前历史仍包含打印时的链头 {printed}，未被改动；其后又写入了 1 条记录。" in out


def test_a_malformed_fingerprint_is_refused(history):
    check = history_chain.check_fingerprint("hello")
    assert not check.ok
    assert check.message == "“hello”不是历史指纹：指纹形如 1234-3fa9c0d1e2b4。"


@pytest.mark.django_db(transaction=True)
def test_two_writers_at_once_do_not_fork_the_chain(office):
    incident = report(
        office.clerk, section=office.a, responsible=[office.person], standard=office.delay
    )
    errors = []

    def write(n: int) -> None:
        try:
            for i in range(15):
                record(actor=office.supervisor, obj=incident, action="remind", reason=f"{n}-{i}")
        except Exception as error:  # pragma: no cover - shown by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    result = history_chain.walk()
    assert result.break_kind is None
    assert result.count == Incident.objects.count() + 30
    assert history_chain.verify() == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="roles are PostgreSQL's")
def test_the_app_role_of_the_readme_writes_history_but_cannot_rewrite_it(history, office):
    from django.db import DatabaseError, transaction

    # The README's grants, for a role created inside this test's transaction.
    sql("CREATE ROLE kaohe_app_test NOLOGIN")
    sql("GRANT USAGE ON SCHEMA public TO kaohe_app_test")
    sql("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO kaohe_app_test")
    sql("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO kaohe_app_test")
    sql("REVOKE UPDATE, DELETE, TRUNCATE ON efficiency_auditevent FROM kaohe_app_test")
    sql("SET CONSTRAINTS ALL IMMEDIATE")
    sql("SET ROLE kaohe_app_test")
    try:
        record(actor=office.supervisor, obj=history[0][0], action="remind", reason="提醒")
        for attack in [
            "TRUNCATE efficiency_auditevent",
            "ALTER TABLE efficiency_auditevent DISABLE TRIGGER ALL",
            "DROP TRIGGER efficiency_auditevent_append_only ON efficiency_auditevent",
            "UPDATE efficiency_auditevent SET reason = 'x'",
            "DELETE FROM efficiency_auditevent",
        ]:
            with pytest.raises(DatabaseError, match="permission denied|must be owner"):
                with transaction.atomic():
                    sql(attack)
    finally:
        sql("RESET ROLE")
    assert history_chain.verify() == []


@pytest.mark.django_db(transaction=True)
def test_the_migration_chains_the_entries_an_older_database_holds(office):
    from django.db.migrations.executor import MigrationExecutor

    incident = report(
        office.clerk, section=office.a, responsible=[office.person], standard=office.delay
    )
    incident_verify(actor=office.supervisor, incident=incident, note="核实")
    before = AuditEvent.objects.count()
    executor = MigrationExecutor(connection)
    executor.migrate([("efficiency", "0024_annual_decision")])  # back to before the chain
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM efficiency_auditevent")
            assert cursor.fetchone()[0] == before
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
    result = history_chain.walk()
    assert (result.count, result.break_kind) == (before, None)
    assert history_chain.head() == (before, result.head_hash)
    assert history_chain.verify() == []
    # The triggers are back after the migration.
    with pytest.raises(Exception, match="append-only"):
        sql("UPDATE efficiency_auditevent SET reason = 'x'")
