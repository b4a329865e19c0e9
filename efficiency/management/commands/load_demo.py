"""Load the demo office into an empty database: ``python manage.py load_demo [--if-empty]``."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from efficiency.demo import DEMO_ACCOUNTS, blocking_reason, load_demo
from efficiency.models import Incident, Section, Staff, Standard


class Command(BaseCommand):
    help = "Fill an empty database with the demo office; a database with data is never touched."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Load only into an empty database (always the case; the flag documents intent).",
        )
        parser.add_argument(
            "--year-end",
            action="store_true",
            help=(
                "Carry the demo on to late January 2027: its year 2026 decided, published and "
                "notified, a review (复核) pending."
            ),
        )
        parser.add_argument(
            "--fixtures",
            default=None,
            help="The folder of the demo office's workbooks (default: fixtures/demo).",
        )

    def handle(self, *args, **options):
        progress = self.stdout if options["verbosity"] >= 2 else None
        loaded = load_demo(
            stdout=progress, fixtures=options["fixtures"], year_end=options["year_end"]
        )
        if not loaded:
            self.stdout.write(blocking_reason() or "数据库中已有数据，未载入演示数据。")
            return
        accounts = (
            get_user_model()
            .objects.filter(username__in=[account.username for account in DEMO_ACCOUNTS])
            .count()
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"已载入演示数据：{Section.objects.count()} 个科室，"
                f"{Staff.objects.count()} 名人员，"
                f"{Standard.objects.count()} 条三误界定标准，"
                f"{Incident.objects.count()} 起三误事件，"
                f"{accounts} 个演示账号。"
            )
        )
        if options["year_end"]:
            self.stdout.write(
                "演示单位停在 2027年1月29日：2026 年度考核已审定、公示并印发考核结果通知书，"
                "一人申请复核待决定。"
            )
        self.stdout.write("运行 python manage.py demo_accounts 查看演示账号和密码。")
