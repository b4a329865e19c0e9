"""The base of the project's management commands: help text in Chinese that argparse can print.

argparse formats ``help`` strings with ``re`` and ``textwrap``, which refuse Django's lazy
translations (``--help`` crashed with "expected string or bytes-like object"). Commands built
on this class declare their description with ``gettext_lazy`` as usual and call ``gettext``
in ``add_arguments``: both are turned into plain strings here, in the office's language.
"""

from django.core.management.base import BaseCommand
from django.utils import translation

LANGUAGE = "zh-hans"


class Command(BaseCommand):
    def create_parser(self, prog_name, subcommand, **kwargs):
        with translation.override(LANGUAGE):
            if self.help:
                self.help = str(self.help)
            return super().create_parser(prog_name, subcommand, **kwargs)
