"""Check the history: ``python manage.py verify_history [--fingerprint 1234-3fa9c0d1e2b4]``.

Walks the hash chain, compares it with its recorded head, and replays every incident's and
period's history against its current row. Exits 1 on any finding, so that a nightly timer
(see the README) can alert on it.
"""

import time

from django.core.management.base import BaseCommand
from django.utils import translation
from django.utils.translation import gettext as _

from efficiency.services import history_chain


class Command(BaseCommand):
    help = "Check that the history was not rewritten and that it explains every incident, period."

    def add_arguments(self, parser):
        parser.add_argument(
            "--fingerprint",
            help="A fingerprint printed on a bulletin or form: is it still in the history?",
        )

    def handle(self, *args, **options):
        with translation.override("zh-hans"):
            failed = self._run(options)
        if failed:
            raise SystemExit(1)

    def _run(self, options) -> bool:
        started = time.monotonic()
        failed = False
        if options["fingerprint"]:
            check = history_chain.check_fingerprint(options["fingerprint"])
            (self.stdout if check.ok else self.stderr).write(check.message)
            failed = not check.ok
        findings = history_chain.verify()
        for finding in findings:
            self.stderr.write(finding.message)
        head = history_chain.head()
        seconds = time.monotonic() - started
        if findings:
            self.stderr.write(
                _("{count} findings. The history cannot be trusted as it stands.").format(
                    count=len(findings)
                )
            )
        else:
            self.stdout.write(
                _(
                    "The history holds together: {count} entries, head {fingerprint}; every "
                    "incident and period matches its history ({seconds:.1f} s)."
                ).format(count=head.count, fingerprint=head.fingerprint, seconds=seconds)
            )
        return failed or bool(findings)
