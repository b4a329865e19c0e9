"""The demo office's roster and catalogue, read from its own workbooks, and its accounts.

The sections, staff and clause catalogue are the office's workbooks in ``fixtures/demo/``
(科室, 人员, 三误界定标准, in the layouts of :mod:`efficiency.excel.layouts`). They are
imported the way an upload is — read, cleaned, checked, then written through the services with
a history entry for each section, person and clause — so every load of the demo also proves
the import path. The accounts (the logins for the demo roles) are written here.
"""

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from efficiency.excel import sheets
from efficiency.models import Section, Staff, Standard
from efficiency.roles import Role

DEMO_PASSWORD = "demo2026"
# The workbooks in the order they are imported: the staff sheet names sections.
WORKBOOKS = ("sections", "staff", "standards")

CLERK_SECTIONS = ("MSK", "ZHK", "WDK", "XXK")
CLERK2_SECTIONS = ("DCS", "DYS", "JYK", "XZK", "JDB", "ZBS")

# A person is a slot: (section code, post, nth holder of that post in the section by 工号).
Slot = tuple[str, str, int]


@dataclass(frozen=True)
class DemoAccount:
    username: str
    roles: tuple[str, ...]
    section: str
    post: str
    try_first: str
    clerk_of: tuple[str, ...] = ()
    head_of: tuple[str, ...] = ()
    superuser: bool = False

    @property
    def slot(self) -> Slot:
        return (self.section, self.post, 1)


DEMO_ACCOUNTS: list[DemoAccount] = [
    DemoAccount(
        "admin",
        (Role.ADMINISTRATOR,),
        "XZK",
        "科员",
        "打开后台管理 /admin/，维护科室、人员、账号和三误界定标准。",
        superuser=True,
    ),
    DemoAccount(
        "clerk",
        (Role.CLERK,),
        "ZHK",
        "文书",
        "为秘书科、综合科、文电科、信息科登记一起三误事件。",
        clerk_of=CLERK_SECTIONS,
    ),
    DemoAccount(
        "clerk2",
        (Role.CLERK,),
        "XZK",
        "文书",
        "查看自己为督查室、机要科等六个科室登记的事件，更正一条待认定的登记。",
        clerk_of=CLERK2_SECTIONS,
    ),
    DemoAccount(
        "head",
        (Role.SECTION_HEAD,),
        "MSK",
        "科长",
        "查看秘书科的事件，为待认定事件中的本科人员写申辩。",
        head_of=("MSK",),
    ),
    DemoAccount(
        "supervisor",
        (Role.SUPERVISOR,),
        "DCS",
        "主任",
        "认定或不予认定待认定事件，记录处理决定，决定待处理的申诉。",
    ),
    DemoAccount(
        "assessor",
        (Role.ASSESSOR,),
        "DYS",
        "副主任",
        "在2026年第4季度评分表中接着评分；查看点名本人的事件：一起待认定（已申辩），一起申诉成立。",
    ),
    DemoAccount(
        "leader",
        (Role.LEADER, Role.ASSESSOR),
        "ZHK",
        "办公室副主任",
        "查看2026年各季度排名、评分卡、趋势和年度考核汇总；第3季度已公示，可调整等次或锁定。",
    ),
    # The rest of the assessment group (考评小组), so that each person gets five or six marks.
    DemoAccount(
        "assessor2",
        (Role.ASSESSOR, Role.SECTION_HEAD),
        "XXK",
        "科长",
        "查看已评完的第4季度评分表：表中没有本人，也没有本人负责的信息科。",
        head_of=("XXK",),
    ),
    DemoAccount(
        "assessor3",
        (Role.ASSESSOR, Role.SECTION_HEAD),
        "JYK",
        "科长",
        "在已评完的第4季度评分表中改一个分数：100分或60分以下须填写理由。",
        head_of=("JYK",),
    ),
    DemoAccount(
        "assessor4",
        (Role.ASSESSOR,),
        "WDK",
        "副科长",
        "第4季度人员已评八成、科室已评一半，接着评完。",
    ),
    DemoAccount(
        "assessor5",
        (Role.ASSESSOR,),
        "XZK",
        "副科长",
        "第4季度评分表只填了三成，用键盘接着评分。",
    ),
]


class FixtureRefused(Exception):
    """A demo workbook the import engine would not take; the demo is not loaded."""


@dataclass
class Roster:
    sections: dict[str, Section]  # by code, in the office's order
    staff: dict[Slot, Staff]  # in 工号 order
    standards: dict[str, Standard]  # by code
    users: dict[str, object] = field(default_factory=dict)  # the accounts, by username
    account_staff: set[int] = field(default_factory=set)  # the people holding one


def import_roster(folder: Path) -> Roster:
    """Import the workbooks in ``folder`` as the system (no account), then read them back."""
    for sheet in WORKBOOKS:
        path = folder / f"{sheet}.xlsx"
        result = sheets.run(sheet, path, path.name, None)
        if result.record is None:
            problems = "；".join(str(problem) for problem in result.problems)
            raise FixtureRefused(f"{path}: {problems}")
    sections = {section.code: section for section in Section.objects.order_by("order", "code")}
    staff: dict[Slot, Staff] = {}
    holders: Counter[tuple[str, str]] = Counter()
    for person in Staff.objects.select_related("section").order_by("staff_no"):
        holders[person.section.code, person.post] += 1
        staff[person.section.code, person.post, holders[person.section.code, person.post]] = person
    standards = {standard.code: standard for standard in Standard.objects.all()}
    return Roster(sections=sections, staff=staff, standards=standards)


def create_accounts(roster: Roster) -> None:
    """The demo accounts, each linked to the person whose slot it names."""
    user_model = get_user_model()
    groups = {group.name: group for group in Group.objects.all()}
    # One hash for every account: the demo password is published anyway, and each PBKDF2
    # hash costs about half a second, which was most of the loading time.
    password = make_password(DEMO_PASSWORD)
    for account in DEMO_ACCOUNTS:
        staff = roster.staff[account.slot]
        user = user_model(
            username=account.username,
            first_name=staff.name,
            is_staff=account.superuser,
            is_superuser=account.superuser,
        )
        user.password = password
        user.save()
        user.groups.set([groups[role] for role in account.roles])
        staff.user = user
        staff.save(update_fields=["user"])
        roster.account_staff.add(staff.pk)
        for code in account.clerk_of:
            roster.sections[code].clerks.add(user)
        for code in account.head_of:
            roster.sections[code].heads.add(user)
        roster.users[account.username] = user
