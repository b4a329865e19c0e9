"""``python manage.py backup [FILE] [--keep N]``: one archive with the database and its files.

An online backup: the server and workers keep running. See efficiency.backup.archive for what
goes in and why; ``--keep N`` then deletes all but the newest N archives of that folder (the
nightly timer in the README uses it).
"""

import argparse
import time
from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from efficiency.backup import archive
from efficiency.backup.database import BackupError
from efficiency.management.base import Command as BaseCommand


def _keep(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(
            _("--keep must be a whole number from 1 up, not “%(text)s”.") % {"text": text}
        )
    return value


def _size(count: int) -> str:
    return f"{count / 1024 / 1024:.1f} MB"


class Command(BaseCommand):
    help = gettext_lazy(
        "Back up the database and the generated files into one archive, while the app runs."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "file",
            nargs="?",
            help=_(
                "The archive to write (.tar.gz), or a folder for it; "
                "default: var/backups/efficiency-backup-YYYYMMDD-HHMMSS.tar.gz."
            ),
        )
        parser.add_argument(
            "--keep",
            type=_keep,
            help=_("Afterwards delete all but the newest N backups in the same folder."),
        )

    def _target(self, given: str | None) -> Path:
        if not given:
            folder = archive.default_dir()
            folder.mkdir(parents=True, exist_ok=True)
            target = folder / archive.default_name()
        elif Path(given).is_dir():
            target = Path(given) / archive.default_name()
        else:
            target = Path(given)
        if not target.parent.is_dir():
            raise CommandError(
                _("The folder %(folder)s does not exist.") % {"folder": target.parent}
            )
        if target.exists():
            raise CommandError(
                _("%(path)s already exists: choose another name.") % {"path": target}
            )
        return target

    def handle(self, *args, **options):
        target = self._target(options["file"])
        started = time.monotonic()
        try:
            manifest = archive.create(target)
        except BackupError as error:
            raise CommandError(str(error)) from error
        except OSError as error:
            raise CommandError(
                _("The backup could not be written to %(path)s: %(error)s")
                % {"path": target, "error": error.strerror or error}
            ) from error
        seconds = time.monotonic() - started
        head = manifest["chain_head"]
        self.stdout.write(
            _(
                "Backup written: %(path)s (%(size)s, %(seconds).1f s): database %(vendor)s, "
                "%(rows)s rows, %(events)s history entries, %(files)s files."
            )
            % {
                "path": target,
                "size": _size(target.stat().st_size),
                "seconds": seconds,
                "vendor": manifest["database"]["vendor"],
                "rows": sum(manifest["counts"].values()),
                "events": manifest["counts"].get("efficiency.AuditEvent", 0),
                "files": len(manifest["files"]),
            }
        )
        if head:
            self.stdout.write(
                _("History chain head: entry %(id)s, %(hash)s.")
                % {"id": head["id"], "hash": head["hash"][:16]}
            )
        if options["keep"]:
            for path in archive.prune(target.parent, options["keep"]):
                self.stdout.write(_("Old backup deleted: %(path)s") % {"path": path})
