"""Print the demo accounts that exist in this database: ``python manage.py demo_accounts``."""

import unicodedata

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from efficiency.demo import DEMO_ACCOUNTS, DEMO_PASSWORD

SITE_URL = "http://127.0.0.1:8000/"


def display_width(text: str) -> int:
    """Terminal columns: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))


class Command(BaseCommand):
    help = "List the demo accounts, their password and what to try first with each."

    def handle(self, *args, **options):
        users = {
            user.username: user
            for user in get_user_model()
            .objects.filter(username__in=[account.username for account in DEMO_ACCOUNTS])
            .select_related("staff")
            .prefetch_related("groups")
        }
        if not users:
            self.stdout.write(
                "数据库中没有演示账号。先运行 python manage.py load_demo 载入演示数据。"
            )
            return
        header = ["用户名", "密码", "角色", "姓名", "先试试"]
        rows = []
        for account in DEMO_ACCOUNTS:
            user = users.get(account.username)
            if user is None:
                continue
            staff = getattr(user, "staff", None)
            rows.append(
                [
                    user.username,
                    DEMO_PASSWORD if user.check_password(DEMO_PASSWORD) else "（已修改）",
                    "、".join(sorted(group.name for group in user.groups.all())) or "（无）",
                    staff.name if staff is not None else user.first_name,
                    account.try_first if user.is_active else "（账号已停用）",
                ]
            )
        widths = [
            max(display_width(row[column]) for row in [header, *rows])
            for column in range(len(header) - 1)
        ]

        def line(cells: list[str]) -> str:
            padded = [pad(cell, width) for cell, width in zip(cells, widths, strict=False)]
            return "  ".join([*padded, cells[-1]]).rstrip()

        self.stdout.write(f"演示账号（登录地址：{SITE_URL}）")
        self.stdout.write("")
        self.stdout.write(line(header))
        self.stdout.write(line(["-" * width for width in widths] + ["-" * 12]))
        for row in rows:
            self.stdout.write(line(row))
        self.stdout.write("")
        self.stdout.write(f"后台管理：{SITE_URL}admin/（用 admin 登录）")
