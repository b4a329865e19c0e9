"""The database half of a backup: a consistent copy, its reverse, and what it contained.

SQLite: the online backup API (``sqlite3.Connection.backup``) copies the live database, WAL
included, while the server keeps writing; a restore runs the same API in reverse into the
target file, so a ``-wal``/``-shm`` left by a crash is read and then overwritten page by page,
never replayed on top of the restored pages (copying the file back does that: see the README).

PostgreSQL: ``pg_dump --format=custom`` from a snapshot exported by a REPEATABLE READ
transaction in which the counts and the chain head are read, so the manifest describes exactly
what was dumped; ``pg_restore --clean --if-exists --single-transaction`` restores all or nothing.
"""

import os
import shutil
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection, connections, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .chain import chain_head

PG_FALLBACK_BIN = Path("/usr/lib/postgresql/15/bin")
COPY_ALIAS = "efficiency_backup_copy"
DAMAGED = gettext_lazy("The database in the backup is damaged: %(error)s")


class BackupError(Exception):
    """A backup or restore could not be done; the message is for the user, in Chinese."""


def vendor() -> str:
    return connection.vendor


def sqlite_path() -> Path:
    return Path(settings.DATABASES["default"]["NAME"])


def pg_tool(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    fallback = PG_FALLBACK_BIN / name
    return str(fallback) if fallback.exists() else None


def counts(using: str = "default") -> dict[str, int]:
    """Rows per model (``app_label.ModelName``), in database ``using``."""
    return {
        model._meta.label: model._default_manager.using(using).count()
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


def migrations(using: str = "default") -> list[str]:
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        return [f"{app}.{name}" for app, name in cursor.fetchall()]


def describe(using: str = "default") -> dict:
    return {
        "counts": counts(using),
        "chain_head": chain_head(using),
        "migrations": migrations(using),
    }


@contextmanager
def _sqlite_alias(path: Path) -> Iterator[str]:
    """A Django connection to another SQLite file, for the ORM reads of :func:`describe`."""
    connections.settings[COPY_ALIAS] = {
        **connections.settings["default"],
        "NAME": str(path),
        "OPTIONS": {},
        "CONN_MAX_AGE": 0,
    }
    try:
        yield COPY_ALIAS
    finally:
        connections[COPY_ALIAS].close()
        del connections[COPY_ALIAS]
        del connections.settings[COPY_ALIAS]


def _sqlite_copy(source: Path, target: Path) -> None:
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file in the archive
    finally:
        dst.close()
        src.close()


def dump(target: Path) -> dict:
    """Write the database to ``target``; return what it holds (counts, chain head, migrations)."""
    if vendor() == "sqlite":
        source = sqlite_path()
        if not source.exists():
            raise BackupError(_("The database file %(path)s does not exist.") % {"path": source})
        try:
            _sqlite_copy(source, target)
        except sqlite3.Error as error:
            raise BackupError(
                _("Could not read the database %(path)s: %(error)s")
                % {"path": source, "error": error}
            ) from error
        with _sqlite_alias(target) as alias:
            return describe(alias)
    if vendor() == "postgresql":
        return _pg_dump(target)
    raise BackupError(_("Unsupported database: %(vendor)s.") % {"vendor": vendor()})


def _pg_env() -> dict:
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    for key, name in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER")):
        if db.get(name):
            env[key] = str(db[name])
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return env


def _pg_run(args: list[str]) -> None:
    result = subprocess.run(args, env=_pg_env(), capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(
            _("%(tool)s failed: %(error)s")
            % {"tool": Path(args[0]).name, "error": result.stderr.strip()[-2000:]}
        )


def _pg_dump(target: Path) -> dict:
    tool = pg_tool("pg_dump")
    if tool is None:
        raise BackupError(_("pg_dump was not found: install “postgresql-client-15” with apt-get."))
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
        described = describe()
        _pg_run(
            [
                tool,
                "--format=custom",
                "--no-owner",
                f"--snapshot={snapshot}",
                f"--file={target}",
                settings.DATABASES["default"]["NAME"],
            ]
        )
    return described


# --- restore ---------------------------------------------------------------------------------


def check_copy(path: Path, vendor_name: str) -> None:
    """Refuse a dump that is not a sound database of the kind named, before anything changes."""
    if vendor_name == "sqlite":
        try:
            db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            try:
                result = db.execute("PRAGMA quick_check").fetchone()[0]
                db.execute("SELECT count(*) FROM django_migrations").fetchone()
            finally:
                db.close()
        except sqlite3.Error as error:
            result = str(error)
        if result != "ok":
            raise BackupError(DAMAGED % {"error": result})
    elif vendor_name == "postgresql":
        tool = pg_tool("pg_restore")
        if tool is None:
            raise BackupError(
                _("pg_restore was not found: install “postgresql-client-15” with apt-get.")
            )
        _pg_run([tool, "--list", str(path)])


def _sqlite_restore(source: Path) -> Path | None:
    """Restore into the live file; return where the database it replaced was kept, if anywhere.

    Opening the target first lets SQLite recover any ``-wal`` a crash left; the backup API then
    writes every page of the copy over it, and the checkpoint and close fold the WAL back and
    remove ``-wal``/``-shm`` as SQLite does itself. A target SQLite cannot open at all (a
    malformed file) is moved aside with its ``-wal``/``-shm`` and restored afresh.
    """
    target = sqlite_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    connections.close_all()
    stamp = time.strftime("%Y%m%d-%H%M%S")
    kept = None
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        if target.exists():
            kept = target.with_name(f"{target.name}.before-restore-{stamp}")
            try:
                _sqlite_copy(target, kept)
            except sqlite3.Error:
                # Unreadable: keep the file itself (and its WAL) aside instead.
                kept.unlink(missing_ok=True)
                for suffix in ("", "-wal", "-shm"):
                    part = Path(f"{target}{suffix}")
                    if part.exists():
                        part.rename(f"{kept}{suffix}")
        dst = sqlite3.connect(target, timeout=30)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=WAL")
            dst.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            dst.close()
    except sqlite3.Error as error:
        raise BackupError(
            _("Restoring the database failed: %(error)s") % {"error": error}
        ) from error
    finally:
        src.close()
    return kept


def check_vendor(vendor_name: str) -> None:
    """A backup restores only into the same kind of database."""
    if vendor_name != vendor():
        raise BackupError(
            _(
                "This backup is of a %(theirs)s database and this installation uses %(ours)s: "
                "it cannot be restored here. Point DATABASE_URL at a %(theirs)s database first."
            )
            % {"theirs": vendor_name, "ours": vendor()}
        )


def restore(source: Path, vendor_name: str) -> Path | None:
    """Replace the database with the dump at ``source``."""
    check_vendor(vendor_name)
    if vendor_name == "sqlite":
        return _sqlite_restore(source)
    connections.close_all()
    _pg_run(
        [
            pg_tool("pg_restore") or "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={settings.DATABASES['default']['NAME']}",
            str(source),
        ]
    )
    return None
