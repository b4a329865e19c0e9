"""The demo office: 桂阳县委办公室 with its roster, standards, a year of three-errors incidents
and its quarterly appraisal (2026Q1–Q4, see :mod:`efficiency.demo_appraisal`).

``load_demo`` fills an empty database in one transaction and refuses to touch one that already
holds an office. Incidents and marks go through the services only, so each has its full
history. Everything random comes from seeded generators, so the same day always gives the same
office.
"""

import datetime
import random
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import translation

from efficiency.demo_appraisal import load_appraisal
from efficiency.demo_calendar import (
    FIRST_DAY,
    NOW,
    TODAY,
    YEAR,
    Steps,
    Timeline,
    at,
    is_working_day,
    working_day,
)
from efficiency.models import (
    DemoMark,
    HandlingDecision,
    Incident,
    IncidentKind,
    Period,
    Section,
    Severity,
    Staff,
    Standard,
)
from efficiency.models.incidents import DEFAULT_POINTS, ResultUse
from efficiency.quarters import Quarter
from efficiency.roles import Role, ensure_roles
from efficiency.selectors import suggested_handling
from efficiency.services.calendar import office_days_load
from efficiency.services.incidents import (
    incident_appeal,
    incident_decide_appeal,
    incident_dismiss,
    incident_explain,
    incident_handle,
    incident_report,
    incident_verify,
)

DEMO_PASSWORD = "demo2026"
SEED = 2026
INCIDENT_COUNT = 80
# The catalogue was revised in April: YW-06 gave way to YW-07.
REVISION_DAY = datetime.date(YEAR, 4, 1)

DELAY, SLIP, ERROR = IncidentKind.DELAY, IncidentKind.SLIP, IncidentKind.ERROR
MINOR, SERIOUS, GRAVE = Severity.MINOR, Severity.SERIOUS, Severity.GRAVE

# ---------------------------------------------------------------------------------------------
# Sections and their posts; the first post of each section is its head.

SECTIONS: list[tuple[str, str, list[str]]] = [
    ("MSK", "秘书科", ["科长", "副科长", "秘书", "秘书", "秘书", "秘书", "科员", "科员"]),
    ("ZHK", "综合科", ["科长", "办公室副主任", "副科长", "科员", "科员", "文书", "文书"]),
    ("WDK", "文电科", ["科长", "副科长", "文书", "文书", "文书", "科员", "科员"]),
    ("XXK", "信息科", ["科长", "副科长", "信息员", "信息员", "信息员", "科员"]),
    ("DCS", "督查室", ["主任", "副主任", "科员", "科员", "科员", "科员"]),
    ("DYS", "调研室", ["主任", "副主任", "科员", "科员", "科员"]),
    ("JYK", "机要科", ["科长", "机要员", "机要员", "机要员", "机要员"]),
    ("XZK", "行政科", ["科长", "副科长", "文书", "科员", "驾驶员", "驾驶员"]),
    ("JDB", "接待办", ["主任", "副主任", "接待员", "接待员", "接待员"]),
    ("ZBS", "值班室", ["主任", "值班员", "值班员", "值班员", "值班员"]),
]

CLERK_SECTIONS = ("MSK", "ZHK", "WDK", "XXK")
CLERK2_SECTIONS = ("DCS", "DYS", "JYK", "XZK", "JDB", "ZBS")

# A person is a slot: (section code, post, nth holder of that post in the section).
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

ASSESSOR: Slot = ("DYS", "副主任", 1)
# Who left during the year, and when.
LEAVERS: dict[Slot, datetime.date] = {
    ("ZBS", "值班员", 1): datetime.date(YEAR, 5, 31),  # retired
    ("JDB", "接待员", 3): datetime.date(YEAR, 8, 14),  # transferred out
    ("XXK", "信息员", 3): datetime.date(YEAR, 10, 9),  # transferred out
}
# One person moves from 文电科 to 信息科 in June; incidents before keep the old section.
MOVER: Slot = ("WDK", "科员", 2)
MOVE_TO = "XXK"
MOVE_DAY = datetime.date(YEAR, 6, 1)
# The longest-serving and the newest member, so the start dates span 1995-2024.
FIXED_START: dict[Slot, datetime.date] = {
    ("ZBS", "值班员", 1): datetime.date(1995, 8, 1),
    ("DYS", "科员", 3): datetime.date(2024, 9, 2),
}
# People who collect repeat incidents, so that handling visibly escalates.
REPEATERS: list[Slot] = [("WDK", "文书", 1), ("ZBS", "值班员", 2), ("XXK", "信息员", 1)]

# ---------------------------------------------------------------------------------------------
# Names, from fixed lists (no library, and no real people on purpose).

COMMON_SURNAMES = "王李张刘陈杨黄赵吴周"
SURNAMES = (
    "徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
    "魏苏吕丁任沈姚卢廖邹雷谭贺邱侯段欧"
)
COMPOUND_SURNAMES = ["欧阳", "司马"]
GIVEN_MALE = "伟强军勇杰涛斌华明峰辉鹏亮俊磊建国志文海林波宇浩健平超刚兵德成永春生新跃"
GIVEN_FEMALE = "芳娟敏静丽艳霞琳婷慧颖倩玲燕雪红萍兰蓉洁秀英梅莉娜丹萱怡佳"
# Combinations that happen to be well-known people.
AVOID_NAMES = set(
    "李强 刘涛 张杰 王菲 李娜 刘翔 黄磊 赵薇 周涛 王峰 李宁 杨澜 孙俪 周迅 刘洋 王刚 李玲 "
    "张艺 赵丽 李静 王静 李勇 林峰 张华 李娟 王海 周杰 朱军 董洁 李健 王军 张伟 杨洋 "
    "陈坤 黄晓明 王俊凯 张丹峰 刘欢 李健 陈红 王刚 周华健 刘德华 张国立 王志文 陈建斌".split()
)


def _surname(rng: random.Random) -> str:
    draw = rng.random()
    if draw < 0.02:
        return rng.choice(COMPOUND_SURNAMES)
    if draw < 0.40:
        return rng.choice(COMMON_SURNAMES)
    return rng.choice(SURNAMES)


def _names(rng: random.Random, count: int) -> list[str]:
    names: list[str] = []
    while len(names) < count:
        surname = _surname(rng)
        pool = GIVEN_MALE if rng.random() < 0.58 else GIVEN_FEMALE
        length = 1 if rng.random() < 0.25 or len(surname) == 2 else 2
        name = surname + "".join(rng.sample(pool, length))
        if name not in names and name not in AVOID_NAMES:
            names.append(name)
    return names


# ---------------------------------------------------------------------------------------------
# The standards catalogue (三误界定标准), written from the five "don'ts" of the article.
#
# A template may start with "CODE,CODE|" to say which sections it fits; otherwise it fits all
# the clause's sections. ``grave`` templates describe incidents bad enough to be 严重.


@dataclass(frozen=True)
class Clause:
    code: str
    kind: str
    text: str
    sections: tuple[str, ...]
    templates: tuple[str, ...]
    grave: tuple[str, ...] = ()
    points: tuple[int, int, int] | None = None  # overrides DEFAULT_POINTS
    until: datetime.date | None = None  # last day in force, before it was superseded
    since: datetime.date | None = None  # first day in force

    def in_force(self, day: datetime.date) -> bool:
        return (self.until is None or day <= self.until) and (
            self.since is None or day >= self.since
        )


def _fits(template: str, section: str) -> bool:
    codes, bar, _text = template.partition("|")
    return not bar or section in codes.split(",")


def _bare(template: str) -> str:
    return template.partition("|")[2] or template


CLAUSES: list[Clause] = [
    Clause(
        "YW-01",
        DELAY,
        "收文登记后未在规定时限内（一般件1个工作日，急件随到随办）拟办呈批，致使文件在本人处积压。",
        ("WDK", "MSK"),
        (
            "{md}收到{doc}，登记后未在规定时限内拟办呈批，延误{days}个工作日。",
            "{doc}（急件）{md}收文后在拟办环节搁置，{days}个工作日后才送领导阅批。",
            "{md}收到的市委办明传电报未当日登记分办，延误{days}个工作日。",
        ),
    ),
    Clause(
        "YW-02",
        DELAY,
        "领导批示件、交办件未在规定时限内传递、落实或反馈办理结果，致使领导交办的事情延误。",
        ("MSK", "ZHK", "DCS"),
        (
            "{leader}{md}对{topic}工作作出批示，批示件未按时限转交承办单位，延误{days}个工作日。",
            "{leader}{md}交办的{topic}事项，未在要求时限内反馈办理结果，经催办后才报送。",
        ),
        grave=(
            "MSK,ZHK|{leader}{md}交办的{topic}紧急事项在本人处搁置{weeks}周未办，"
            "市委督查组检查时才发现，造成工作被动。",
        ),
    ),
    Clause(
        "YW-03",
        DELAY,
        "文稿起草未在领导要求的时限内完成送审。",
        ("ZHK", "DYS", "MSK"),
        (
            "ZHK,MSK|{event}{leader}讲话稿未在要求时限内送审，比规定时间晚{days}天。",
            "DYS,ZHK|关于{topic}的调研报告未按{leader}要求于{md}前完成初稿，延误{days}个工作日。",
        ),
    ),
    Clause(
        "YW-04",
        DELAY,
        "信息报送超过时限：紧急信息未在30分钟内电话报告、1小时内书面报送，约稿信息未按期报送。",
        ("XXK", "ZBS"),
        (
            "{md}{town}{info}，未在规定时限内向市委办书面报送，超时约{hours}小时。",
            "XXK|市委办《每日要情》{md}约稿（{topic}），未按期报送，被市委办电话催报。",
        ),
        grave=(
            "XXK,ZBS|{md}{town}{info}，未按规定报告，市委办从其他渠道获悉后来电询问，"
            "造成工作被动。",
        ),
    ),
    Clause(
        "YW-05",
        DELAY,
        "督查事项未按期交办、催办、反馈，或督查通报未按时印发。",
        ("DCS",),
        (
            "{leader}批示的{topic}督查事项，到期未向承办单位发出催办通知，延误{days}个工作日。",
            "应于{md}印发的第{num}期督查通报未按时印发，延误{days}个工作日。",
        ),
    ),
    Clause(
        "YW-06",
        DELAY,
        "发文核稿、印制、分发超过规定时限。（2026年4月修订，由YW-07替代）",
        ("WDK", "JYK"),
        ("{doc}核稿后未及时送印，分发延误{days}个工作日。",),
        until=REVISION_DAY - datetime.timedelta(days=1),
    ),
    Clause(
        "YW-07",
        DELAY,
        "发文核稿后未在2个工作日内完成印制、用印和分发，急件未当日办结。（2026年4月起施行）",
        ("WDK", "JYK"),
        (
            "{doc}签发后{days}个工作日才完成用印分发，超过规定时限。",
            "{doc}（急件）{md}签发，当日未分发到各乡镇（街道），次日才送达。",
        ),
        since=REVISION_DAY,
    ),
    Clause(
        "YW-08",
        DELAY,
        "会议通知、会务准备未按时完成，影响会议如期召开。",
        ("MSK", "ZHK", "XZK"),
        (
            "MSK,ZHK|{event}的会议通知未按要求提前发出，部分参会单位当天才接到通知。",
            "MSK,ZHK|{event}会议材料未在会前一天装袋，会议推迟{mins}分钟开始。",
            "XZK|{event}会场布置未在会前完成，会议推迟{mins}分钟开始。",
        ),
    ),
    Clause(
        "SW-01",
        SLIP,
        "重要会议、活动的通知、座次、议程、材料等安排出现差错或漏洞。",
        ("MSK", "ZHK", "JDB"),
        (
            "{event}座次图排列有误，两位县级领导座位对调，会前{mins}分钟才发现并调整。",
            "MSK,ZHK|{event}参会人员名单遗漏{town}，该单位未能派员参会。",
            "MSK,ZHK|{event}会议材料少装{doc}，会上临时补印。",
            "JDB|{guest}座谈会桌签把一位来宾的姓名写错，会前临时更换。",
        ),
        grave=("MSK,ZHK|{event}漏通知一位应出席的县级领导，会议开始后才电话联系，造成不良影响。",),
    ),
    Clause(
        "SW-02",
        SLIP,
        "应当传递的信息、来电、通知未及时传递或传递中断，造成工作被动。",
        ("ZBS", "XXK", "WDK"),
        (
            "ZBS|{md}夜间接到{town}关于{info}的电话报告，未及时转报带班领导，"
            "信息中断约{hours}小时。",
            "ZBS,WDK|{md}市委办电话通知未登记转达，相关科室未能按时参加视频会议。",
            "WDK|{doc}传阅中在本人处停留{days}天，未及时转下一位领导阅示。",
            "XXK|{md}{town}报送的{info}信息在本人处滞留，未及时编发专报。",
        ),
    ),
    Clause(
        "SW-03",
        SLIP,
        "值班期间脱岗、漏接电话，或未按规定做好值班记录和交接班。（24小时值班从重）",
        ("ZBS",),
        (
            "{md}晚值班期间离开值班室约{mins}分钟，漏接市委总值班室查岗电话。",
            "{md}值班记录漏记{town}来电内容，交接班时未向接班人员说明。",
        ),
        grave=(
            "ZBS|{md}夜间值班时关闭值班电话休息，{town}{info}的紧急报告无法接通，"
            "处置延误约{hours}小时。",
        ),
        points=(3, 6, 10),
    ),
    Clause(
        "SW-04",
        SLIP,
        "公文校核不严，出现错字、漏字、格式或文号差错，印发后需要更正。",
        ("WDK", "MSK", "ZHK"),
        (
            "{doc}印发后发现正文有{few}处错字，已发更正通知。",
            "{doc}文号与已印发文件重号，已收回重印。",
        ),
    ),
    Clause(
        "SW-05",
        SLIP,
        "接待方案、食宿、用车安排出现疏漏，影响接待工作。",
        ("JDB", "XZK"),
        (
            "{md}接待{guest}，用车安排未衔接，客人在宾馆等候约{mins}分钟。",
            "JDB|{guest}来桂阳考察，接待方案未随行程变化及时调整，午餐地点临时更换。",
            "JDB|{md}接待{guest}，住宿房间预订数量不足，临时另行安排酒店。",
        ),
    ),
    Clause(
        "SW-06",
        SLIP,
        "公务用车、办公用房、水电等后勤保障不到位，影响正常工作。",
        ("XZK",),
        (
            "{event}前未调试会议室投影设备，会议开始后无法播放汇报材料。",
            "公务用车{md}未按派车单准时出车，{leader}下乡调研推迟约{mins}分钟。",
            "{md}办公楼停水报修后{days}天未落实维修，影响正常办公。",
        ),
    ),
    Clause(
        "SW-07",
        SLIP,
        "信息编报核实不严，数字、人名、地名等出现差错。",
        ("XXK", "DYS"),
        (
            "XXK|《桂阳信息》第{num}期所载{town}{topic}数据与统计部门口径不一致，已更正。",
            "报送市委办的信息把{town}写错，被退回修改。",
            "DYS|《调研与决策》第{num}期所引{topic}数据未注明口径，与统计部门数据不一致。",
        ),
    ),
    Clause(
        "CW-01",
        ERROR,
        "文稿、信息在政策表述、重要数据或领导职务上出现实质性错误。",
        ("ZHK", "DYS", "XXK", "MSK"),
        (
            "ZHK,MSK,DYS|{event}讲话稿引用的全县{topic}数据有误，审稿时被{leader}发现。",
            "XXK|报送的《桂阳信息》第{num}期把一位县级领导的职务写错，已发更正。",
        ),
        grave=("ZHK,DYS|以县委办名义报送市委的{topic}专题报告关键数据严重失实，被市委办通报。",),
    ),
    Clause(
        "CW-02",
        ERROR,
        "违反保密规定，造成涉密文件、信息泄露或丢失。（机要工作从重扣分）",
        ("JYK", "WDK"),
        (
            "{md}清退涉密文件时发现{doc}少一份，经查系借阅后未登记归还。",
            "使用非涉密计算机处理涉密文件草稿，在{md}保密检查中被发现。",
            "JYK|{md}将一份秘密级明电按普通件寄送{town}。",
        ),
        grave=("JYK|{md}将一份机密级文件带出办公区后遗失，经查找未能追回。",),
        points=(5, 10, 20),
    ),
    Clause(
        "CW-03",
        ERROR,
        "对来人来电态度生硬、推诿敷衍，或违反工作纪律，损害办公室形象。",
        ("JDB", "ZBS", "XZK", "WDK"),
        (
            "ZBS,WDK|{md}群众来电反映{town}{topic}问题，接听时态度生硬、推诿，群众向县委办投诉。",
            "JDB|{md}在接待室与来访群众发生争执，造成不良影响。",
            "上班时间在办公室玩手机游戏，在{md}作风暗访中被发现。",
        ),
    ),
    Clause(
        "CW-04",
        ERROR,
        "督查、调研报告反映情况失实，误导领导决策。",
        ("DCS", "DYS"),
        (
            "DCS|关于{topic}的督查报告称{town}已完成任务，经复查实际进度不足一半。",
            "DYS|关于{topic}的调研报告引用的调查数据未经核实，与实际情况出入较大。",
        ),
    ),
    Clause(
        "CW-05",
        ERROR,
        "违反财务管理或公务用车管理制度。",
        ("XZK", "JDB"),
        (
            "JDB|{md}公务接待超标准安排，接待清单与实际不符。",
            "XZK|公务用车{md}未经审批用于私事，在公车管理检查中被发现。",
        ),
    ),
]
CLAUSE_BY_CODE = {clause.code: clause for clause in CLAUSES}

DOCS = [
    "《关于进一步加强森林防火工作的通知》",
    "《关于做好防汛抗旱工作的紧急通知》",
    "《关于开展安全生产大检查的通知》",
    "《关于进一步规范公文处理工作的意见》",
    "《关于报送重点项目建设进展情况的通知》",
    "《关于开展机关效能建设专项督查的通知》",
    "《关于做好信访维稳工作的通知》",
    "《关于深入推进农村人居环境整治的实施方案》",
    "《关于加强耕地保护和粮食生产的通知》",
    "《关于进一步优化营商环境的若干措施》",
    "《县委常委会会议纪要》",
    "《关于调整县委有关议事协调机构组成人员的通知》",
    "《关于做好烤烟生产工作的通知》",
    "《关于印发〈桂阳县有色金属产业发展三年行动方案〉的通知》",
]
EVENTS = [
    "县委常委会会议",
    "县委全体会议",
    "全县经济工作会议",
    "全县重点项目建设推进会",
    "全县安全生产工作会议",
    "全县乡村振兴工作推进会",
    "县委理论学习中心组学习会",
    "全县防汛工作调度会",
    "全县机关效能建设推进会",
    "全县招商引资项目集中签约仪式",
    "全县信访工作联席会议",
]
LEADERS = ["县委主要领导", "县委副书记", "县委常委、县委办主任", "分管副县长", "常务副县长"]
TOPICS = [
    "森林防火",
    "防汛抗旱",
    "乡村振兴",
    "农村人居环境整治",
    "重点项目建设",
    "招商引资",
    "安全生产",
    "耕地保护",
    "信访积案化解",
    "优化营商环境",
    "有色金属产业发展",
    "烤烟生产",
]
TOWNS = [
    "龙潭街道",
    "鹿峰街道",
    "黄沙坪街道",
    "仁义镇",
    "太和镇",
    "洋市镇",
    "和平镇",
    "流峰镇",
    "塘市镇",
    "莲塘镇",
    "樟市镇",
    "方元镇",
]
INFOS = [
    "暴雨引发山体滑坡",
    "一处民房发生火灾",
    "发生交通事故致人受伤",
    "群众聚集反映征地补偿问题",
    "突发森林火情",
]
GUESTS = ["市委调研组", "省直部门检查组", "兄弟县市区考察团", "客商考察团", "市人大视察组"]

VERIFY_NOTES = [
    "经向相关科室和当事人核实，情况属实。",
    "经调阅相关记录并听取当事人陈述，情况属实。",
    "经督查室调查核实，情况属实。",
    "",
]
DISMISS_REASONS = {
    "YW-01": ["经核实，延误系上级来文调整办理时限所致，不属个人责任，不予认定。"],
    "YW-06": ["经核实，延误系印刷厂设备故障所致，当事人已及时报告，不予认定。"],
    "YW-07": ["经核实，延误系印刷厂设备故障所致，当事人已及时报告，不予认定。"],
    "YW-02": ["该事项经分管领导同意延期办理，不构成延误，不予认定。"],
    "YW-03": ["该文稿经领导同意调整送审时间，不构成延误，不予认定。"],
    "YW-04": ["经调阅值班录音和报送记录，信息已在时限内电话报告，不予认定。"],
    "YW-05": ["该事项经分管领导同意延期办理，不构成延误，不予认定。"],
    "YW-08": ["会议时间系临时提前，通知已在接到指示后及时发出，不予认定。"],
    "SW-02": ["经调阅值班录音和登记簿，该事项已按规定转达，登记情况与事实不符，不予认定。"],
    "SW-03": ["经调阅值班录音和登记簿，该事项已按规定转达，登记情况与事实不符，不予认定。"],
    "SW-04": ["经查，差错发生在印刷厂排版环节，已责成印刷单位整改，不属本人责任，不予认定。"],
    "SW-05": ["经核实，行程变化系来宾临时决定，接待人员已及时应对，不予认定。"],
    "SW-07": ["经核实，相关数据系统计部门提供后又作调整，责任不在本人，不予认定。"],
    "CW-01": ["经核实，相关数据系统计部门提供后又作调整，责任不在本人，不予认定。"],
    "CW-03": ["经调查核实，反映的情况与事实有出入，证据不足，不予认定。"],
    "SW-01": ["经核实，参会名单和会议材料系主办单位临时调整，不属本人责任，不予认定。"],
    "SW-06": ["经核实，出车延误系车辆途中突发故障，已及时调派备用车辆，不予认定。"],
    "CW-02": ["经保密办核查，该文件已在机要室找到，未造成泄密，不予认定，责令完善登记。"],
    "CW-04": ["经复查，报告所述进度有乡镇当时报送的书面材料为据，不予认定。"],
    "CW-05": ["经核实，相关安排已事先报经领导批准，手续齐全，不予认定。"],
}
DISMISS_UNPROVEN = "经调查核实，反映的情况与事实有出入，证据不足，不予认定。"
DISMISS_MINOR = "情节轻微且已当即纠正，未造成影响，经督查室研究不予认定，予以口头提醒。"
DISMISS_AWAY = "经核实，当事人当日因公外出，已按规定委托他人办理，责任不在本人，不予认定。"
# An explanation by the section head that the supervisor accepts.
ACCEPTED_EXPLANATION = (
    "该同志当日参加{event}会务保障，已事先安排他人代办，延误发生在代办环节，请予重新认定。"
)
ACCEPTED_DISMISSAL = (
    "经核实，该同志当日承担{event}会务保障任务并已安排他人代办，采纳科室申辩意见，不予认定。"
)
VERIFIED_AFTER_EXPLANATION = "已听取科室负责人申辩意见，经核实情况属实，予以认定，处理时酌情考虑。"
HANDLING_NOTES = {
    HandlingDecision.REMINDER_TALK: "由科室负责人对当事人进行提醒谈话，要求严格执行工作规范。",
    HandlingDecision.CRITICISM: "在科室会议上对当事人进行批评教育，要求举一反三、立行立改。",
    HandlingDecision.WRITTEN_SELF_CRITICISM: "责令当事人作出书面检查，交督查室存档。",
    HandlingDecision.CIRCULATED_CRITICISM: "在全办干部职工会上通报批评，并抄送考评小组。",
    HandlingDecision.ADMONITION_TALK: "由办公室分管领导进行诫勉谈话，记入平时考核记录。",
    HandlingDecision.NO_ANNUAL_AWARD: "取消当事人本年度评优评先资格。",
    HandlingDecision.REASSIGNMENT: "经办公室主任办公会研究，调整当事人工作岗位。",
}
HEAD_EXPLANATIONS = {
    DELAY: [
        "该同志当日参加{event}会务保障，已安排他人代办但交接不到位，科室负有管理责任，"
        "请予从轻认定。",
        "该同志接到任务时已临近下班，次日上午即办结，请考虑实际情况。",
    ],
    SLIP: [
        "情况属实。该同志事后已主动补救，未造成实际影响，恳请酌情认定。",
        "该同志当时同时承担{event}等多项紧急任务，校核时间不足，已在科室内作检讨，请予从轻认定。",
    ],
    ERROR: ["情况属实。该同志事后已主动补救，未造成实际影响，恳请酌情认定。"],
}
SELF_EXPLANATION = (
    "本人当时在{town}蹲点开展{topic}专题调研，报告初稿已完成，因统计数据未及时返回无法定稿，"
    "已提前向领导口头报告，并非故意拖延。"
)
# A head's appeal and, if it is rejected, the reason given.
HEAD_APPEALS = [
    (
        "处理决定偏重：该同志系初次发生，已及时纠正，未造成影响，申请改为{lighter}。",
        "经督查室复核并报分管领导同意，处理决定与情节相当，维持原决定。",
    ),
    (
        "事发当日该同志请病假，有请假审批单为证，申请重新认定责任人。",
        "经核对考勤记录，该同志当日上午在岗并签收了相关材料，申诉理由不成立，维持原处理决定。",
    ),
    (
        "该事项由多个科室共同办理，延误主要发生在其他环节，申请重新划分责任。",
        "经核查流转记录，延误发生在本科室办理环节，申诉理由不成立，维持原处理决定。",
    ),
]
SELF_APPEAL = (
    "报告所引数据系{town}提供的书面材料，本人已按规定核对来源并留存原件，差错不在调研环节，"
    "申请撤销认定。"
)
APPEAL_LIGHTENED = (
    "经督查室复核，认定事实清楚，考虑到该同志系初次发生且已及时纠正，未造成影响，"
    "申诉部分成立，处理决定改为{lighter}。"
)
APPEAL_UPHELD = (
    "经调阅{town}报送的原始材料，数据差错确系报送单位造成，申诉理由成立，撤销原认定和处理决定。"
)


# ---------------------------------------------------------------------------------------------
# Loading: the roster and catalogue, a plan of the year's incidents, then the services.


@dataclass
class PlannedIncident:
    occurred_on: datetime.date
    status: str  # reported, verified, handled or dismissed (before any appeal)
    section: str = ""
    severity: str = ""
    clause: Clause | None = None
    template: str = ""
    people: list[Staff] = field(default_factory=list)
    explain_by: str = ""  # "head" (of 秘书科) or "self" (the named account holder)
    appeal: str = ""  # "pending", "rejected", "partial" or "upheld"
    named: Slot | None = None  # a person named in advance (an account holder, the mover)
    clause_code: str = ""  # a clause fixed in advance
    context: dict = field(default_factory=dict)  # the incident's places, papers and events


def _lighter_step(decision: str) -> HandlingDecision:
    steps = HandlingDecision.ordered()
    return steps[max(steps.index(HandlingDecision(decision)) - 1, 0)]


def _cited(plans: list[PlannedIncident]) -> dict[str, dict[int, int]]:
    """The points of the incidents each person ends up answering for, by quarter and staff id:
    the assessors know of them."""
    cited: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for plan in plans:
        if plan.status in {"verified", "handled"} and plan.appeal != "upheld":
            clause = plan.clause
            points = (
                clause.points[[MINOR, SERIOUS, GRAVE].index(plan.severity)]
                if clause.points
                else DEFAULT_POINTS[clause.kind][plan.severity]
            )
            for staff in plan.people:
                cited[Quarter.of(plan.occurred_on).code][staff.pk] += points
    return cited


def load_demo(*, stdout=None) -> bool:
    """Fill an empty database with the demo office; False, and no change, if it is not empty."""
    if blocking_reason():
        return False
    with transaction.atomic():
        if blocking_reason():
            return False
        _Loader(stdout).run()
        DemoMark.objects.create()
    return True


def blocking_reason() -> str:
    """Why the demo cannot be loaded here, in the user's words; empty if it can."""
    if (
        Section.objects.exists()
        or Staff.objects.exists()
        or Standard.objects.exists()
        or Incident.objects.exists()
        or Period.objects.exists()
    ):
        return "数据库中已有数据，未载入演示数据。"
    taken = sorted(
        get_user_model()
        .objects.filter(username__in=[account.username for account in DEMO_ACCOUNTS])
        .values_list("username", flat=True)
    )
    if taken:
        return f"数据库中已有账号 {'、'.join(taken)}，未载入演示数据。"
    # The demo's accounts have public passwords: they go only into a database with no accounts.
    if get_user_model().objects.exists():
        return "数据库中已有账号，不是空数据库，未载入演示数据。"
    return ""


class _Loader:
    def __init__(self, stdout=None) -> None:
        self.stdout = stdout
        self.rng = random.Random(SEED)
        self.last_day = TODAY
        self.timeline = Timeline(at(FIRST_DAY, 8))
        self.sections: dict[str, Section] = {}
        self.staff: dict[Slot, Staff] = {}
        self.users: dict[str, object] = {}
        self.standards: dict[str, Standard] = {}
        self.account_staff: set[int] = set()
        self._rejections: dict[int, str] = {}

    def say(self, text: str) -> None:
        if self.stdout is not None:
            self.stdout.write(text)

    def run(self) -> None:
        # Everything happens on the demo's calendar: the office is set up on its first working
        # day, then the year's incidents and quarters unfold in date order.
        with self.timeline.clock():
            ensure_roles()
            office_days_load(actor=None, year=YEAR)
            self.say("建立科室、人员和演示账号……")
            self._roster()
            self._accounts()
            self.say("建立三误界定标准……")
            self._standards()
            plans = self._plan()
            self._schedule(plans)
            load_appraisal(
                timeline=self.timeline,
                staff=list(self.staff.values()),
                sections=list(self.sections.values()),
                users=self.users,
                cited=_cited(plans),
                say=self.say,
            )
            self.say(f"按 {YEAR} 年的日历登记、处理三误事件并逐季考核……")
            self.timeline.run()

    # -- roster, accounts, catalogue ---------------------------------------------------------

    def _roster(self) -> None:
        names = iter(_names(self.rng, sum(len(posts) for _code, _name, posts in SECTIONS)))
        rows: dict[Slot, Staff] = {}
        for index, (code, name, posts) in enumerate(SECTIONS, start=1):
            section = Section.objects.create(code=code, name=name, order=index * 10)
            self.sections[code] = section
            seen: dict[str, int] = {}
            for number, post in enumerate(posts, start=1):
                seen[post] = seen.get(post, 0) + 1
                slot = (code, post, seen[post])
                rows[slot] = Staff(
                    staff_no=f"{index:03d}{number:03d}",
                    name=next(names),
                    section=section,
                    post=post,
                    start_date=FIXED_START.get(slot) or self._start_date(post),
                    end_date=LEAVERS.get(slot),
                )
        for staff in rows.values():
            staff.full_clean(validate_unique=False)
        Staff.objects.bulk_create(rows.values())
        by_number = {staff.staff_no: staff for staff in Staff.objects.select_related("section")}
        self.staff = {slot: by_number[staff.staff_no] for slot, staff in rows.items()}

    def _start_date(self, post: str) -> datetime.date:
        if post in {"科长", "主任", "办公室副主任"}:
            first, last = 1996, 2010
        elif post.startswith("副"):
            first, last = 2003, 2016
        else:
            first, last = 2008, 2023
        return datetime.date(
            self.rng.randint(first, last),
            self.rng.choice([3, 7, 8, 9, 10, 12]),
            self.rng.randint(1, 28),
        )

    def _accounts(self) -> None:
        user_model = get_user_model()
        groups = {group.name: group for group in Group.objects.all()}
        # One hash for every account: the demo password is published anyway, and each PBKDF2
        # hash costs about half a second, which was most of the loading time.
        password = make_password(DEMO_PASSWORD)
        for account in DEMO_ACCOUNTS:
            staff = self.staff[account.slot]
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
            self.account_staff.add(staff.pk)
            for code in account.clerk_of:
                self.sections[code].clerks.add(user)
            for code in account.head_of:
                self.sections[code].heads.add(user)
            self.users[account.username] = user

    def _standards(self) -> None:
        for clause in CLAUSES:
            points = clause.points or tuple(
                DEFAULT_POINTS[clause.kind][severity] for severity in (MINOR, SERIOUS, GRAVE)
            )
            self.standards[clause.code] = Standard.objects.create(
                code=clause.code,
                kind=clause.kind,
                text=clause.text,
                points_minor=Decimal(points[0]),
                points_serious=Decimal(points[1]),
                points_grave=Decimal(points[2]),
                valid_from=clause.since,
                valid_until=clause.until,
            )

    # -- the plan --------------------------------------------------------------------------

    def _dates(self) -> list[datetime.date]:
        span = (self.last_day - FIRST_DAY).days
        dates: list[datetime.date] = []
        while len(dates) < INCIDENT_COUNT:
            day = FIRST_DAY + datetime.timedelta(days=self.rng.randint(0, span))
            if is_working_day(day):
                dates.append(day)
        return sorted(dates)

    def _plan(self) -> list[PlannedIncident]:
        rng = self.rng
        # Statuses follow the calendar: the newest still wait, the older ones are closed.
        recent = ["reported"] * 12 + ["verified"] * 6
        middle = ["verified"] * 6 + ["handled"] * 5 + ["dismissed"]
        early = ["handled"] * 41 + ["dismissed"] * 9
        for group in (recent, middle, early):
            rng.shuffle(group)
        plans = [
            PlannedIncident(occurred_on=day, status=status)
            for day, status in zip(self._dates(), early + middle + recent, strict=True)
        ]

        def free(status: str, among: list[PlannedIncident] = plans) -> list[PlannedIncident]:
            return [p for p in among if p.status == status and not p.section]

        # Explanations: the head of 秘书科 writes for his people, the assessor for himself.
        for plan in rng.sample(free("reported"), 3):
            plan.section, plan.explain_by = "MSK", "head"
        for plan in rng.sample(free("reported"), 1):
            plan.section, plan.explain_by, plan.named = "DYS", "self", ASSESSOR
            plan.clause_code, plan.template = "YW-03", CLAUSE_BY_CODE["YW-03"].templates[1]
        for plan in rng.sample(free("verified"), 1):
            plan.section, plan.explain_by = "MSK", "head"
        for plan in rng.sample(free("dismissed"), 1):
            # The head's explanation is accepted: the delay happened with a stand-in.
            plan.section, plan.explain_by = "MSK", "head"
            plan.clause_code = rng.choice(["YW-01", "YW-02", "YW-08"])
        # Appeals: the two newest handled incidents are pending, older ones were decided.
        handled = [p for p in plans if p.status == "handled"]
        for plan in handled[-2:]:
            plan.section, plan.appeal = "MSK", "pending"
        for plan in rng.sample(free("handled", handled[:30]), 2):
            plan.section, plan.appeal = "MSK", "rejected"
        for plan in rng.sample(free("handled", handled[:30]), 1):
            plan.section, plan.appeal = "MSK", "partial"
        for plan in rng.sample(free("handled", handled[:30]), 1):
            plan.section, plan.appeal, plan.named = "DYS", "upheld", ASSESSOR
            plan.clause_code, plan.template = "CW-04", CLAUSE_BY_CODE["CW-04"].templates[1]
        # The mover was named once in the old section, before moving.
        early_handled = [p for p in free("handled") if p.occurred_on < MOVE_DAY]
        for plan in rng.sample(early_handled, 1):
            plan.section, plan.named = MOVER[0], MOVER
        # The clause superseded in April was used before it was (for a handled incident).
        before_revision = [
            p for p in free("handled") if p.occurred_on < REVISION_DAY and p.severity != GRAVE
        ]
        for plan in rng.sample(before_revision, 1):
            plan.clause_code = "YW-06"
            plan.section = rng.choice(CLAUSE_BY_CODE["YW-06"].sections)
        # A few grave incidents, among the closed and the verified.
        for plan in rng.sample(free("handled"), 3) + rng.sample(free("verified"), 1):
            plan.severity = GRAVE

        for plan in plans:
            self._fill(plan)
        return plans

    def _fill(self, plan: PlannedIncident) -> None:
        rng = self.rng
        day = plan.occurred_on
        in_force = [clause for clause in CLAUSES if clause.in_force(day)]
        if plan.clause_code:
            plan.clause = CLAUSE_BY_CODE[plan.clause_code]
        elif plan.severity == GRAVE:
            choices = [(c, t) for c in in_force for t in c.grave]
            plan.clause, plan.template = rng.choice(choices)
            plan.section = rng.choice(plan.template.partition("|")[0].split(","))
        elif plan.section:
            plan.clause = rng.choice([c for c in in_force if plan.section in c.sections])
        else:
            kind = rng.choices([DELAY, SLIP, ERROR], weights=[42, 38, 20])[0]
            plan.clause = rng.choice([c for c in in_force if c.kind == kind])
            weights = [0.5 if code == "MSK" else 1.0 for code in plan.clause.sections]
            plan.section = rng.choices(plan.clause.sections, weights=weights)[0]
        if not plan.template:
            plan.template = rng.choice([t for t in plan.clause.templates if _fits(t, plan.section)])
        if not plan.severity:
            plan.severity = rng.choices([MINOR, SERIOUS], weights=[78, 22])[0]
        plan.context = self._context(day)
        if plan.named:
            plan.people = [self.staff[plan.named]]
            return
        count = rng.choices([1, 2, 3], weights=[75, 19, 6])[0]
        candidates = self._members(plan.section, day)
        repeaters = {self.staff[slot].pk for slot in REPEATERS}
        while candidates and len(plan.people) < count:
            weights = [4.0 if staff.pk in repeaters else 1.0 for staff in candidates]
            chosen = rng.choices(candidates, weights=weights)[0]
            plan.people.append(chosen)
            candidates.remove(chosen)

    def _members(self, code: str, day: datetime.date) -> list[Staff]:
        """Who may be named in section ``code`` on ``day``: no account holder, no one gone."""
        members = []
        for slot, staff in self.staff.items():
            section = slot[0]
            if slot == MOVER and day >= MOVE_DAY:
                section = MOVE_TO
            if section != code or staff.pk in self.account_staff:
                continue
            if staff.end_date is not None and staff.end_date < day:
                continue
            members.append(staff)
        return members

    # -- through the services -----------------------------------------------------------

    def _context(self, day: datetime.date) -> dict:
        """One incident's particulars, shared by its description, explanation and appeal."""
        rng = self.rng
        return dict(
            md=f"{day.month}月{day.day}日",
            doc=rng.choice(DOCS),
            event=rng.choice(EVENTS),
            leader=rng.choice(LEADERS),
            topic=rng.choice(TOPICS),
            town=rng.choice(TOWNS),
            info=rng.choice(INFOS),
            guest=rng.choice(GUESTS),
            days=rng.randint(1, 4),
            weeks=rng.randint(2, 3),
            hours=rng.randint(1, 5),
            mins=rng.choice([10, 15, 20, 30, 40]),
            num=day.timetuple().tm_yday // 4 + 1,
            few=rng.choice(["2", "3", "4"]),
        )

    @staticmethod
    def _text(template: str, plan: PlannedIncident) -> str:
        return _bare(template).format(**plan.context)

    def _account(self, slot: Slot):
        return self.users[next(a.username for a in DEMO_ACCOUNTS if a.slot == slot)]

    def _schedule(self, plans: list[PlannedIncident]) -> None:
        """Put every incident's life, the move and the catalogue's revision on the timeline."""
        head_appeals = iter(HEAD_APPEALS * 2)
        for plan in plans:
            self.timeline.add(self._life(plan, head_appeals))
        self.timeline.add(self._on(at(MOVE_DAY, 8), self._move))
        self.timeline.add(self._on(at(REVISION_DAY, 8), self._revise))

    @staticmethod
    def _on(when: datetime.datetime, step) -> Steps:
        yield when
        step()

    def _later(self, after: datetime.datetime, days: tuple[int, int]) -> datetime.datetime:
        """A moment in office hours some working days after ``after``, never past the demo's now."""
        day = working_day(after.date(), self.rng.randint(*days))
        when = at(day, self.rng.randint(9, 16), self.rng.randint(0, 59))
        if when <= after:
            when = after + datetime.timedelta(minutes=self.rng.randint(10, 50))
        if when > NOW:
            when = after + (NOW - after) * self.rng.uniform(0.2, 0.6)
        return when

    def _life(self, plan: PlannedIncident, head_appeals) -> Steps:
        """One incident, step by step: each ``yield`` says when the next step happens."""
        rng = self.rng
        supervisor = self.users["supervisor"]
        clause = plan.clause
        # Clerks record an incident the day it happens.
        when = at(plan.occurred_on, 9) + datetime.timedelta(minutes=rng.randint(0, 420))
        yield when
        incident = incident_report(
            reporter=self.users["clerk" if plan.section in CLERK_SECTIONS else "clerk2"],
            kind=clause.kind,
            standard=self.standards[clause.code],
            severity=plan.severity,
            occurred_on=plan.occurred_on,
            section=self.sections[plan.section],
            responsible=plan.people,
            description=self._text(plan.template, plan),
        )
        if plan.explain_by:
            when = self._later(when, (0, 2))
            yield when
            if plan.explain_by == "self":
                author, template = self._account(plan.named), SELF_EXPLANATION
            elif plan.status == "dismissed":
                author, template = self.users["head"], ACCEPTED_EXPLANATION
            else:
                author = self.users["head"]
                template = rng.choice(HEAD_EXPLANATIONS[clause.kind])
            incident_explain(
                actor=author,
                incident=incident,
                staff=plan.people[0],
                text=self._text(template, plan),
            )
        if plan.status == "reported":
            return
        when = self._later(when, (1, 4))
        yield when
        if plan.status == "dismissed":
            incident_dismiss(actor=supervisor, incident=incident, reason=self._dismissal(plan))
            return
        note = VERIFIED_AFTER_EXPLANATION if plan.explain_by else rng.choice(VERIFY_NOTES)
        incident = incident_verify(actor=supervisor, incident=incident, note=note)
        if plan.status == "verified":
            return
        when = self._later(when, (2, 6))
        yield when
        decision = self._decision(incident, plan)
        incident = incident_handle(
            actor=supervisor,
            incident=incident,
            decision=decision,
            note=HANDLING_NOTES[decision],
            result_use=self._result_use(decision, plan.severity),
        )
        if not plan.appeal:
            return
        when = self._later(when, (1, 4))
        yield when
        incident = self._appeal(plan, incident, head_appeals)
        if plan.appeal == "pending":
            return
        when = self._later(when, (3, 8))
        yield when
        upheld = plan.appeal == "upheld"
        if plan.appeal == "partial":
            # The supervisor agrees the handling was heavy: the incident stands, a step lighter.
            lighter = _lighter_step(incident.handling_decision)
            with translation.override("zh-hans"):
                reason = APPEAL_LIGHTENED.format(lighter=str(lighter.label))
            incident_decide_appeal(
                actor=self.users["supervisor"],
                incident=incident,
                uphold=False,
                reason=reason,
                lighten_to=lighter,
            )
            return
        incident_decide_appeal(
            actor=self.users["supervisor"],
            incident=incident,
            uphold=upheld,
            reason=self._text(APPEAL_UPHELD, plan) if upheld else self._rejections[incident.pk],
        )

    def _dismissal(self, plan: PlannedIncident) -> str:
        if plan.explain_by:
            return self._text(ACCEPTED_DISMISSAL, plan)
        kind = plan.clause.kind
        reasons = list(DISMISS_REASONS.get(plan.clause.code, []))
        reasons += [DISMISS_UNPROVEN] if kind == ERROR else [DISMISS_MINOR]
        if kind == DELAY:
            reasons.append(DISMISS_AWAY)
        return self.rng.choice(reasons)

    def _move(self) -> None:
        mover = self.staff[MOVER]
        mover.section = self.sections[MOVE_TO]
        mover.save(update_fields=["section"])

    def _revise(self) -> None:
        superseded = self.standards["YW-06"]
        superseded.active = False
        superseded.save(update_fields=["active"])

    def _decision(self, incident: Incident, plan: PlannedIncident) -> HandlingDecision:
        """Mostly the suggested step (a repeat escalates); a heavier case starts higher."""
        steps = HandlingDecision.ordered()
        floor = steps[0]
        severity = plan.severity
        if plan.appeal == "partial":
            # Handled heavily enough for the appeal to ask, and get, a lighter step.
            floor = HandlingDecision.WRITTEN_SELF_CRITICISM
        elif severity == GRAVE:
            floor = HandlingDecision.CIRCULATED_CRITICISM
        elif severity == SERIOUS and self.rng.random() < 0.5:
            floor = HandlingDecision.CRITICISM
        return max(suggested_handling(incident), floor, key=steps.index)

    def _result_use(self, decision: str, severity: str) -> str:
        if decision == HandlingDecision.NO_ANNUAL_AWARD:
            return ResultUse.AWARDS
        if severity == GRAVE:
            return ResultUse.ACCOUNTABILITY
        if self.rng.random() < 0.12:
            return self.rng.choice([ResultUse.AWARDS, ResultUse.PROMOTION])
        return ResultUse.NONE

    def _appeal(self, plan: PlannedIncident, incident: Incident, head_appeals) -> Incident:
        """Lodge the appeal; the reason a rejection will give is kept for the decision."""
        if plan.named:
            appellant = self._account(plan.named)
            text, rejection = self._text(SELF_APPEAL, plan), ""
        elif plan.appeal == "partial":
            appellant, rejection = self.users["head"], ""
            with translation.override("zh-hans"):
                lighter = str(_lighter_step(incident.handling_decision).label)
            text = HEAD_APPEALS[0][0].format(lighter=lighter)
        else:
            appellant = self.users["head"]
            text, rejection = next(head_appeals)
            if "{lighter}" in text:
                # Asking for a lighter step only makes sense above the lightest one.
                steps = HandlingDecision.ordered()
                index = steps.index(HandlingDecision(incident.handling_decision))
                if index == 0:
                    text, rejection = next(head_appeals)
                else:
                    with translation.override("zh-hans"):
                        text = text.format(lighter=str(steps[index - 1].label))
        self._rejections[incident.pk] = rejection
        return incident_appeal(actor=appellant, incident=incident, text=text)
