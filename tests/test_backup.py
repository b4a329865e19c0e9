"""Backup → crash → restore → verify, and archives that must be refused (issue 12 item 2).

Each test drives ``manage.py backup`` and ``manage.py restore`` as an administrator would, in
subprocesses against databases of its own (never the test database), on the database the
suite runs on: SQLite by default, PostgreSQL under ``scripts/with-postgres.sh``. The crash is
a real one: a process writing in a loop is SIGKILLed, which on SQLite leaves its ``-wal``.
"""

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tarfile
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(settings.BASE_DIR)

WRITER = """
import os, sys, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "efficiency.settings")
django.setup()
from django.db import transaction
from efficiency.models import Section
from efficiency.models.audit import AuditAction
from efficiency.services.audit import record
ready = int(sys.argv[1])
n = 0
while True:
    with transaction.atomic():
        section = Section.objects.create(code=f"W{n:06d}", name=f"写入科{n:06d}", order=n)
        record(actor=None, obj=section, action=AuditAction.CREATE, reason="crash test")
    n += 1
    if n == ready:
        print("ready", flush=True)
"""

SERVER = """
import time
import efficiency.wsgi
print("up", flush=True)
time.sleep(300)
"""

pytestmark = pytest.mark.django_db


class Site:
    """One installation: its database, its generated files' folders and its run folder."""

    def __init__(self, base: Path, name: str, pg_url: str | None, *, copy_of=None):
        self.base = base / name
        self.base.mkdir()
        self.pg_url = pg_url
        self.name = "bk_" + name.replace("-", "_")
        if pg_url:
            self.url = pg_url.rsplit("/", 1)[0] + "/" + self.name
            source = f' TEMPLATE "{copy_of.name}"' if copy_of else ""
            _pg_admin(pg_url, f'CREATE DATABASE "{self.name}"{source}')
        else:
            self.db = self.base / "db.sqlite3"
            self.url = f"sqlite:///{self.db}"
            if copy_of:
                shutil.copy(copy_of.db, self.db)
        self.reports = self.base / "files" / "reports"
        self.uploads = self.base / "uploads"
        self.attachments = self.base / "files" / "attachments"
        self.run = self.base / "run"

    def env(self) -> dict:
        env = dict(os.environ)
        env.update(
            DATABASE_URL=self.url,
            MEDIA_ROOT=str(self.base / "files"),
            EXCEL_UPLOAD_DIR=str(self.uploads),
            RUN_DIR=str(self.run),
            BACKUP_DIR=str(self.base / "backups"),
            DJANGO_SETTINGS_MODULE="efficiency.settings",
        )
        env.pop("TEST_SQLITE", None)
        return env

    def manage(self, *args, stdin=subprocess.DEVNULL) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env(),
            capture_output=True,
            text=True,
            stdin=stdin,
            timeout=600,
        )

    def popen(self, code: str, *args) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "-c", code, *args],
            cwd=ROOT,
            env=self.env(),
            stdout=subprocess.PIPE,
            text=True,
        )

    def query(self, sql: str):
        if self.pg_url:
            import psycopg

            with psycopg.connect(self.url.replace("postgres://", "postgresql://")) as db:
                return db.execute(sql).fetchone()[0]
        db = sqlite3.connect(self.db)
        try:
            return db.execute(sql).fetchone()[0]
        finally:
            db.close()

    def sections(self) -> int:
        return self.query("SELECT count(*) FROM efficiency_section")

    def drop(self) -> None:
        if self.pg_url:
            _pg_admin(self.pg_url, f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def _pg_admin(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://"), autocommit=True) as db:
        db.execute(sql)


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """A migrated empty database, made once; each site starts as a copy of it."""
    base = tmp_path_factory.mktemp("backup")
    pg_url = os.environ.get("DATABASE_URL") if connection.vendor == "postgresql" else None
    site = Site(base, "template", pg_url)
    result = site.manage("migrate", "--noinput", "-v0")
    assert result.returncode == 0, result.stderr
    yield base, site
    site.drop()


@pytest.fixture
def make_site(template):
    base, tpl = template
    made = []

    def make(name: str, *, empty: bool = False) -> Site:
        site = Site(
            base, f"{name}-{uuid.uuid4().hex[:6]}", tpl.pg_url, copy_of=None if empty else tpl
        )
        made.append(site)
        return site

    yield make
    for site in made:
        site.drop()


def _write_files(site: Site) -> None:
    site.reports.mkdir(parents=True, exist_ok=True)
    (site.reports / "job-7-2026Q3-个人考核登记表.zip").write_bytes(b"PK-zip-bytes" * 100)
    (site.reports / "job-7.log").write_text("done\n")
    (site.reports / "job-8-2026Q4-x.zip.part").write_bytes(b"half")
    (site.reports / "job-8.pid").write_text("12345")
    (site.uploads / "user-3").mkdir(parents=True)
    (site.uploads / "user-3" / "abc.json").write_text('{"rows": []}')
    # Evidence on an incident, as services.attachments stores it (removed ones are kept too).
    (site.attachments / "2026" / "2026-0001").mkdir(parents=True)
    (site.attachments / "2026" / "2026-0001" / "e3b0.pdf").write_bytes(b"%PDF-1.4 evidence")


def _run_writer(site: Site, ready: int = 30) -> subprocess.Popen:
    writer = site.popen(WRITER, str(ready))
    assert writer.stdout.readline().strip() == "ready"
    return writer


def _manifest(archive: Path) -> dict:
    with tarfile.open(archive) as tar:
        return json.load(tar.extractfile("manifest.json"))


def _backup(site: Site, archive: Path) -> dict:
    result = site.manage("backup", str(archive))
    assert result.returncode == 0, result.stderr
    assert "备份已写入" in result.stdout
    return _manifest(archive)


def _crash(writer: subprocess.Popen) -> None:
    writer.send_signal(signal.SIGKILL)
    writer.wait(timeout=30)


def test_backup_crash_restore_verify(make_site, tmp_path):
    live = make_site("live")
    _write_files(live)
    writer = _run_writer(live)
    archive = tmp_path / "nightly.tar.gz"
    try:
        manifest = _backup(live, archive)  # online: the writer keeps writing meanwhile
        backed_up = manifest["counts"]["efficiency.Section"]
        deadline = time.monotonic() + 60
        while (written := live.sections()) <= backed_up + 5 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        _crash(writer)
    # Nothing opens the database between the crash and the restore: the first connection to
    # close would fold the WAL in and remove it, as a restarted server would.
    assert written > backed_up + 5
    assert manifest["counts"]["efficiency.AuditEvent"] == backed_up  # one entry per section
    assert manifest["chain_head"]["id"] > 0
    assert manifest["database"]["vendor"] == connection.vendor
    assert {(f["area"], f["path"]) for f in manifest["files"]} == {
        ("reports", "job-7-2026Q3-个人考核登记表.zip"),
        ("reports", "job-7.log"),
        ("uploads", "user-3/abc.json"),
        ("attachments", "2026/2026-0001/e3b0.pdf"),
    }
    if not live.pg_url:
        wal = Path(f"{live.db}-wal")
        assert wal.exists() and wal.stat().st_size > 0  # the crash left its WAL behind

    # Into a fresh, empty database on another machine: everything comes back.
    fresh = make_site("fresh", empty=True)
    result = fresh.manage("restore", str(archive), "--yes")
    assert result.returncode == 0, result.stderr
    assert "行数和历史链头与备份一致" in result.stdout
    assert fresh.sections() == backed_up
    assert (fresh.reports / "job-7-2026Q3-个人考核登记表.zip").read_bytes() == b"PK-zip-bytes" * 100
    assert (fresh.uploads / "user-3" / "abc.json").exists()
    restored = fresh.attachments / "2026" / "2026-0001" / "e3b0.pdf"
    assert restored.read_bytes() == b"%PDF-1.4 evidence"
    assert not (fresh.reports / "job-8-2026Q4-x.zip.part").exists()

    # Over the crashed database itself, its -wal still beside it: the backup wins, whole.
    result = live.manage("restore", str(archive), "--yes")
    assert result.returncode == 0, result.stderr
    assert live.sections() == backed_up
    assert live.query("SELECT max(id) FROM efficiency_auditevent") == manifest["chain_head"]["id"]
    if not live.pg_url:
        assert not Path(f"{live.db}-wal").exists()
        assert not Path(f"{live.db}-shm").exists()
        assert live.query("PRAGMA integrity_check") == "ok"
        assert "被替换的数据库已保存为" in result.stdout


def _state(site: Site):
    return (
        site.sections(),
        site.query("SELECT count(*) FROM efficiency_auditevent"),
        # Everything but the backups folder, where a restore unpacks (and then removes) its work.
        sorted(
            str(p.relative_to(site.base)) for p in site.base.rglob("*") if "backups" not in p.parts
        ),
        [p.name for p in (site.base / "backups").glob("*")],
    )


@pytest.fixture(scope="module")
def filled(template):
    """A site with some rows, history and files, and a good backup of it (shared: the tests
    using it either change nothing or restore that same backup)."""
    base, tpl = template
    site = Site(base, "filled", tpl.pg_url, copy_of=tpl)
    _write_files(site)
    _crash(_run_writer(site, ready=5))
    site.archive = base / "filled.tar.gz"
    _backup(site, site.archive)
    yield site
    site.drop()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "是空的"),
        (b"name,score\nzhang,90\n", "不是本系统的备份文件"),
        ("tar-without-manifest", "不是本系统的备份文件"),
        ("truncated", "备份文件已损坏"),
        ("tampered", "备份文件已损坏"),
        ("foreign-manifest", "不是本系统的备份文件"),
    ],
)
def test_bad_archives_are_refused_and_change_nothing(filled, tmp_path, content, message):
    good = filled.archive
    bad = tmp_path / "bad.tar.gz"
    if content == "tar-without-manifest":
        with tarfile.open(bad, "w:gz") as tar:
            tar.add(good, arcname="database.sqlite3")
    elif content == "truncated":
        bad.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    elif content in ("tampered", "foreign-manifest"):
        unpacked = tmp_path / "unpacked"
        with tarfile.open(good) as tar:
            tar.extractall(unpacked, filter="data")
        if content == "tampered":
            db = unpacked / _manifest(good)["database"]["member"]
            data = bytearray(db.read_bytes())
            data[len(data) // 2] ^= 0xFF
            db.write_bytes(bytes(data))
        else:
            manifest = json.loads((unpacked / "manifest.json").read_text())
            manifest["format"] = "someone-elses-backup"
            (unpacked / "manifest.json").write_text(json.dumps(manifest))
        with tarfile.open(bad, "w:gz") as tar:
            for path in sorted(unpacked.iterdir()):
                tar.add(path, arcname=path.name)
    else:
        bad.write_bytes(content)
    before = _state(filled)
    result = filled.manage("restore", str(bad), "--yes")
    assert result.returncode == 1
    assert message in result.stderr
    assert "未作任何更改" in result.stderr
    assert "Traceback" not in result.stderr
    assert _state(filled) == before


def test_restore_refuses_while_the_server_runs(filled):
    archive = filled.archive
    server = filled.popen(SERVER)
    try:
        assert server.stdout.readline().strip() == "up"
        result = filled.manage("restore", str(archive), "--yes")
        assert result.returncode == 1
        assert "系统仍在运行" in result.stderr
        assert str(server.pid) in result.stderr
        assert "systemctl stop" in result.stderr
    finally:
        _crash(server)
    # Killed, its pid file stays behind: a dead process does not block the restore.
    assert list(filled.run.glob("server-*.json"))
    result = filled.manage("restore", str(archive), "--yes")
    assert result.returncode == 0, result.stderr


def test_restore_asks_before_replacing(filled):
    archive = filled.archive
    before = _state(filled)
    result = filled.manage("restore", str(archive))  # stdin is not a terminal
    assert result.returncode == 1
    assert "--yes" in result.stderr
    assert _state(filled) == before


def test_keep_deletes_the_oldest_backups_only(filled, tmp_path):
    folder = tmp_path / "nightly"
    folder.mkdir()
    old = [folder / f"efficiency-backup-2026110{day}-020000.tar.gz" for day in (1, 2, 3)]
    for path in old:
        path.write_bytes(b"old")
    other = folder / "before-upgrade.tar.gz"
    other.write_bytes(b"mine")
    result = filled.manage("backup", str(folder), "--keep", "2")
    assert result.returncode == 0, result.stderr
    left = sorted(p.name for p in folder.iterdir())
    assert left[0] == "before-upgrade.tar.gz"
    assert old[2].name in left and old[0].name not in left and old[1].name not in left
    assert len(left) == 3  # the new one, the newest old one, and the file it did not name


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["backup", "--keep", "0"], "--keep 须为从 1 起的整数"),
        (["backup", "/nonexistent-folder/x.tar.gz"], "文件夹 /nonexistent-folder 不存在"),
        (["restore", "/nonexistent-folder/x.tar.gz", "--yes"], "没有文件"),
    ],
)
def test_bad_arguments_get_a_message_not_a_traceback(filled, args, message):
    result = filled.manage(*args)
    assert result.returncode != 0
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_restore_refuses_while_a_worker_of_this_database_runs(filled, make_site):
    # A worker announces nothing: it is found by its command line, in this checkout, on this
    # database. The same worker on another database is none of this restore's business.
    sleeper = "import time; print('up', flush=True); time.sleep(300)"
    worker = filled.popen(sleeper, "manage.py", "db_worker")
    other = make_site("other", empty=True)
    elsewhere = other.popen(sleeper, "manage.py", "db_worker")
    try:
        assert worker.stdout.readline().strip() == "up"
        assert elsewhere.stdout.readline().strip() == "up"
        result = filled.manage("restore", str(filled.archive), "--yes")
        assert result.returncode == 1
        assert f"{worker.pid}  " in result.stderr
        assert str(elsewhere.pid) not in result.stderr
        result = other.manage("restore", str(filled.archive), "--yes")
        assert result.returncode == 1  # and from the other site's side, the other way round
        assert f"{elsewhere.pid}  " in result.stderr
        assert str(worker.pid) not in result.stderr
    finally:
        _crash(worker)
        _crash(elsewhere)
    result = other.manage("restore", str(filled.archive), "--yes")
    assert result.returncode == 0, result.stderr
    assert other.sections() == filled.sections()
