"""``python manage.py restore FILE [--yes] [--force]``: put a backup back, then check it.

Order: the archive is unpacked and checked whole (a damaged, foreign or empty file changes
nothing); no server or worker may be running (``--force`` overrides); a confirmation, since the
current database is replaced (``--yes`` answers it); the database, then the files; finally the
counts and history chain head are compared with the manifest and ``verify_history`` runs when
the project has it. Any difference is an error (exit status 1).
"""

import datetime
import sys
import tempfile
import time
from pathlib import Path

from django.core.management import call_command, get_commands
from django.core.management.base import CommandError
from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from efficiency.backup import archive, database, running
from efficiency.backup.chain import chain_head
from efficiency.backup.database import BackupError
from efficiency.management.base import Command as BaseCommand


def _local(moment: str) -> str:
    """The manifest's UTC time as the office's local time, or as written if unreadable."""
    try:
        return f"{timezone.localtime(datetime.datetime.fromisoformat(moment)):%Y-%m-%d %H:%M:%S}"
    except (TypeError, ValueError):
        return str(moment)


class Command(BaseCommand):
    help = gettext_lazy(
        "Restore a backup made by the backup command: the database and the generated files."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("The backup archive (.tar.gz)."))
        parser.add_argument(
            "--yes",
            action="store_true",
            help=_("Do not ask for confirmation (the current database is replaced)."),
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help=_("Restore even if a server or worker seems to be running."),
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not options["force"]:
            self._refuse_if_running()
        workdir_parent = archive.default_dir()
        workdir_parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix=".restore-", dir=workdir_parent) as tmp:
            try:
                opened = archive.open_archive(path, Path(tmp))
                database.check_vendor(opened.vendor)
                self._check_migrations(opened.manifest)
                database.check_copy(opened.db_file, opened.vendor)
            except BackupError as error:
                raise CommandError(
                    _("%(reason)s Nothing was changed.") % {"reason": error}
                ) from error
            self._confirm(opened.manifest, options["yes"])
            started = time.monotonic()
            try:
                kept = database.restore(opened.db_file, opened.vendor)
            except BackupError as error:
                raise CommandError(str(error)) from error
            archive.restore_files(opened)
            seconds = time.monotonic() - started
        self.stdout.write(
            _("Restored %(path)s in %(seconds).1f s.") % {"path": path, "seconds": seconds}
        )
        if kept:
            self.stdout.write(_("The database it replaced is kept as %(path)s.") % {"path": kept})
        self._verify(opened.manifest)

    def _refuse_if_running(self) -> None:
        found = running.runners()
        if not found:
            return
        lines = "\n".join(f"  {runner.pid or '-'}  {runner.what[:150]}" for runner in found)
        raise CommandError(
            _(
                "The app is still running; stop it before restoring, or its next write would "
                "go astray:\n%(lines)s\nStop the server and the worker (Ctrl-C for make run; "
                "“systemctl stop efficiency efficiency-worker” for the services; or kill the "
                "process numbers above), then run restore again. --force restores all the same."
            )
            % {"lines": lines}
        )

    def _check_migrations(self, manifest: dict) -> None:
        known = {f"{app}.{name}" for app, name in MigrationLoader(None).disk_migrations}
        unknown = sorted(set(manifest["migrations"]) - known)
        if unknown:
            raise BackupError(
                _(
                    "This backup was made by a newer version of the app (migrations "
                    "%(names)s are unknown here): update the app first."
                )
                % {"names": "、".join(unknown[:5])}
            )

    def _confirm(self, manifest: dict, yes: bool) -> None:
        head = manifest["chain_head"]
        self.stdout.write(
            _(
                "Backup of %(when)s (%(vendor)s, version %(version)s): %(rows)s rows, "
                "%(events)s history entries, last entry %(head)s, %(files)s files."
            )
            % {
                "when": _local(manifest["created_at"]),
                "vendor": manifest["database"]["vendor"],
                "version": " ".join(
                    filter(None, [manifest.get("app_version"), manifest.get("git")])
                )
                or "?",
                "rows": sum(manifest["counts"].values()),
                "events": manifest["counts"].get("efficiency.AuditEvent", 0),
                "head": head["id"] if head else "-",
                "files": len(manifest["files"]),
            }
        )
        if yes:
            return
        if not sys.stdin.isatty():
            raise CommandError(
                _("Restoring replaces the current database: add --yes to confirm.")
                + " "
                + _("Nothing was changed.")
            )
        answer = input(_("This replaces the current database and files. Type yes to go on: "))
        if answer.strip().lower() not in ("yes", "y", "是"):
            raise CommandError(_("Not restored. Nothing was changed."))

    def _verify(self, manifest: dict) -> None:
        connections.close_all()
        problems = []
        try:
            now = database.counts()
        except Exception as error:  # a table the backup lacks: newer code, not yet migrated
            now = {}
            problems.append(
                _("The rows could not be counted (%(error)s): run migrate.") % {"error": error}
            )
        for label, expected in sorted(manifest["counts"].items()):
            if label in now and now[label] != expected:
                problems.append(
                    _("%(model)s: %(now)s rows, the backup has %(expected)s.")
                    % {"model": label, "now": now[label], "expected": expected}
                )
        if chain_head() != manifest["chain_head"]:
            problems.append(_("The history chain head differs from the backup's."))
        if "verify_history" in get_commands():
            try:
                call_command("verify_history", stdout=self.stdout, stderr=self.stderr)
            except (CommandError, SystemExit) as error:
                problems.append(_("verify_history found problems: %(error)s") % {"error": error})
        if problems:
            raise CommandError(
                _("The restored data does not match the backup:\n%(problems)s")
                % {"problems": "\n".join(problems)}
            )
        self.stdout.write(
            _(
                "Checked: the row counts of %(models)s tables and the history chain head match "
                "the backup."
            )
            % {"models": len(manifest["counts"])}
        )
