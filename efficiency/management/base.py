"""The base of the project's management commands: help text in Chinese that argparse can print.

argparse formats ``help`` strings with ``re`` and ``textwrap``, which refuse Django's lazy
translations (``--help`` crashed with "expected string or bytes-like object"). Commands built
on this class declare their description with ``gettext_lazy`` as usual and call ``gettext``
in ``add_arguments``: both are turned into plain strings here, in the office's language.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

LANGUAGE = "zh-hans"


class Command(BaseCommand):
    def create_parser(self, prog_name, subcommand, **kwargs):
        with translation.override(LANGUAGE):
            if self.help:
                self.help = str(self.help)
            return super().create_parser(prog_name, subcommand, **kwargs)


def day_from(text: str) -> datetime.date:
    """A ``--date YYYY-MM-DD`` option's day (today when blank), or a Chinese CommandError."""
    text = (text or "").strip()
    if not text:
        return timezone.localdate()
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(
            _("--date “%(value)s” is not a date; write it like 2026-10-15.") % {"value": text}
        ) from None
