"""``python manage.py period open|close|reopen|lock|withdraw 2026Q3 [--reason TEXT] [--future]
[--summary-due YYYY-MM-DD] [--marks-due YYYY-MM-DD] [--days N] [--user USERNAME]``

``close --days N``: the 公示 window in working days (default 5). ``lock --reason TEXT``: why a
leader locks while 公示 or 结果反馈 is outstanding.

For administrators and scripts. Every change goes through the same services as the page, so
the same rules hold: a refusal prints the reason and exits with a non-zero status.
"""

import datetime

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from efficiency import deadlines
from efficiency.models import Period
from efficiency.quarters import Quarter
from efficiency.services import ServiceError
from efficiency.services import appraisal as services
from efficiency.wording import ACTION_DONE

ACTIONS = ["open", "close", "reopen", "lock", "withdraw"]
PERMISSION = {
    "open": "efficiency.open_period",
    "close": "efficiency.close_period",
    "reopen": "efficiency.close_period",
    "lock": "efficiency.close_period",
    "withdraw": "efficiency.open_period",
}


def parse_date_option(value: str, option: str) -> datetime.date | None:
    """A YYYY-MM-DD option, or None when not given; anything else is refused in Chinese."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            _("%(option)s “%(value)s” is not a date; write it like 2026-10-15.")
            % {"option": option, "value": value}
        ) from None


class Command(BaseCommand):
    def create_parser(self, prog_name, subcommand, **kwargs):
        # argparse wants plain strings: translate them here, in the office's language.
        with translation.override("zh-hans"):
            self.help = _(
                "Open, close, reopen, lock or withdraw the opening of an appraisal period, "
                "e.g. “period close 2026Q3” or “period reopen 2026Q3 --reason TEXT”."
            )
            return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        # Both optional for argparse, so that a missing one gets our own message in Chinese.
        parser.add_argument(
            "action", nargs="?", default="", help="open | close | reopen | lock | withdraw"
        )
        parser.add_argument("code", nargs="?", default="", help="2026Q3")
        parser.add_argument(
            "--reason",
            default="",
            help=_("Why a closed period is reopened, or why an opening is withdrawn."),
        )
        parser.add_argument(
            "--future",
            action="store_true",
            help=_("Open a quarter that has not begun yet."),
        )
        parser.add_argument(
            "--summary-due",
            default="",
            help=_("When opening: the date the personal summaries are due (YYYY-MM-DD)."),
        )
        parser.add_argument(
            "--marks-due",
            default="",
            help=_("When opening: the date the marks are due (YYYY-MM-DD)."),
        )
        parser.add_argument(
            "--days",
            default=None,
            help=_("When closing: the publicity window in working days (default 5, 1–30)."),
        )
        parser.add_argument(
            "--user",
            default=None,
            help=_("The account recorded in the history (default: the system)."),
        )

    def handle(
        self,
        *args,
        action: str,
        code: str,
        reason: str,
        user: str | None,
        future: bool = False,
        summary_due: str = "",
        marks_due: str = "",
        days: str | None = None,
        **options,
    ):
        with translation.override("zh-hans"):
            period = self.run(
                action=action,
                code=code,
                reason=reason,
                username=user,
                future=future,
                summary_due=summary_due,
                marks_due=marks_due,
                days=days,
            )
            self.stdout.write(
                self.style.SUCCESS(str(ACTION_DONE[action.strip().lower()] % {"code": period.code}))
            )

    def run(
        self,
        *,
        action: str,
        code: str,
        reason: str,
        username: str | None,
        future: bool = False,
        summary_due: str = "",
        marks_due: str = "",
        days: str | None = None,
    ) -> Period:
        action = action.strip().lower()
        code = code.strip().upper()
        if not action or not code:
            raise CommandError(
                _("Say what to do and with which quarter, e.g. “period close 2026Q3”.")
            )
        if action not in ACTIONS:
            raise CommandError(
                _("“%(action)s” is not an action; use open, close, reopen, lock or withdraw.")
                % {"action": action}
            )
        if Quarter.parse(code) is None:
            raise CommandError(
                _("“%(code)s” is not a quarter; write it like 2026Q3.") % {"code": code}
            )
        dates = {
            "summary_due": parse_date_option(summary_due, "--summary-due"),
            "marks_due": parse_date_option(marks_due, "--marks-due"),
        }
        if action != "open" and any(dates.values()):
            raise CommandError(_("--summary-due and --marks-due are set only when opening."))
        if action != "close" and days is not None:
            raise CommandError(_("--days is set only when closing."))
        actor = self.actor(username, action)
        try:
            if action == "open":
                return services.period_open(actor=actor, code=code, future=future, **dates)
            period = Period.objects.filter(code=code).first()
            if period is None:
                raise CommandError(_("There is no period %(code)s.") % {"code": code})
            if action == "close":
                return services.period_close(
                    actor=actor,
                    period=period,
                    days=deadlines.PUBLICITY_DAYS if days is None else days,
                )
            if action == "reopen":
                return services.period_reopen(actor=actor, period=period, reason=reason)
            if action == "withdraw":
                return services.period_withdraw(actor=actor, period=period, reason=reason)
            return services.period_lock(actor=actor, period=period, reason=reason)
        except ServiceError as error:
            raise CommandError(error.message) from None

    def actor(self, username: str | None, action: str):
        """The --user account, who must hold the role for the action; None records 系统."""
        if username is None:
            return None
        account = get_user_model().objects.filter(username=username, is_active=True).first()
        if account is None:
            raise CommandError(
                _("There is no active account “%(username)s”.") % {"username": username}
            )
        if not account.has_perm(PERMISSION[action]):
            raise CommandError(
                _("The account “%(username)s” is not allowed to do this.") % {"username": username}
            )
        return account
