"""What the demo's people write around their marks: 个人小结, the head's 退回 comments, the
heads' 评价意见, and the reasons given with 出勤情况.

A few templates per kind, filled from small word lists by the demo's seeded generators, so
each person's text reads differently but the same day always gives the same office. Kept apart
from :mod:`.texts`, which says how incidents happen.
"""

import random

from efficiency.scoring import Grade

# What the work of each section is about, for the summaries (by section code).
SECTION_WORK = {
    "MSK": ("领导服务保障", "文稿起草和会议筹备", "领导批示件的转办跟踪"),
    "ZHK": ("综合协调", "重要会议组织", "全县性活动的统筹安排"),
    "WDK": ("公文收发运转", "文件审核把关", "明传电报的登记分办"),
    "XXK": ("信息收集报送", "《每日要情》编辑", "舆情信息的研判上报"),
    "DCS": ("重点工作督查", "领导交办事项督办", "督查通报的起草"),
    "XZK": ("机关后勤保障", "公务接待用车", "机关财务和资产管理"),
    "DYS": ("专题调研", "调研报告起草", "基层联系点的走访"),
    "JYK": ("机要文件管理", "保密检查", "涉密载体的收发登记"),
    "JDB": ("来宾接待", "接待方案制定", "接待经费的审核"),
    "ZBS": ("值班值守", "突发事件信息报告", "节假日值班安排"),
}
DEFAULT_WORK = ("日常业务", "交办事项办理", "科室内勤")

OPENINGS = (
    "本季度，本人在科室负责人带领下，主要承担{work}工作，",
    "本季度主要负责{work}，同时协助做好{other}，",
    "{quarter}，本人围绕{work}这一中心任务开展工作，",
)
DONE = (
    "较好完成了{other}等任务，全季度未出现积压。",
    "按时完成各项交办任务，参与{other}{count}次。",
    "认真落实{other}的各项要求，工作质量稳中有升。",
)
SHORTCOMINGS = (
    "不足之处是对新业务学习还不够深入，个别工作的主动性有待加强。",
    "存在的问题是工作统筹还不够，忙时偶有顾此失彼。",
    "反思本季度工作，文字功底和政策理论水平仍需提高。",
)
PLANS = (
    "下季度将加强学习，提高工作标准，确保各项任务按时高质量完成。",
    "下一步将对照岗位职责查漏补缺，努力把工作做得更细更实。",
    "今后将进一步增强责任意识，主动担当，争取更好成绩。",
)

# A head's 退回修改 comment, and the sentence the person then adds to their summary.
RETURNS = (
    (
        "小结过于简略，请补充本季度完成的主要工作和具体数据。",
        "补充：本季度共办理各类事项{count}件，均在时限内办结。",
    ),
    (
        "只讲成绩，没有查找不足，请补充存在的问题和改进措施。",
        "补充：对照岗位要求，本人在工作主动性方面还有差距，下季度将主动汇报、及时跟进。",
    ),
    (
        "请对照本季度认定的三误事件作出说明并写明整改情况。",
        "补充：对本季度发生的问题，本人已深刻反思，已建立台账逐项整改，确保不再发生。",
    ),
)

# The head's 评价意见, by the grade proposed.
COMMENTS = {
    Grade.GOOD: (
        "该同志工作积极主动，{strength}，本季度表现突出。",
        "{strength}，完成任务质量高、效率高，起到了表率作用。",
    ),
    Grade.FAIRLY_GOOD: (
        "该同志工作认真负责，{strength}，较好完成了本季度各项任务。",
        "{strength}，工作态度端正，能按要求完成交办事项。",
    ),
    Grade.AVERAGE: (
        "该同志能完成基本工作任务，但{weakness}，需进一步提高。",
        "工作基本到位，{weakness}，希望下季度改进。",
    ),
    Grade.POOR: (
        "该同志本季度{weakness}，工作出现失误，须认真整改。",
        "{weakness}，未能达到岗位要求，已进行谈话提醒。",
    ),
}
STRENGTHS = (
    "业务熟练",
    "服从安排、顾全大局",
    "办文办事严谨细致",
    "能吃苦、肯钻研",
    "协调能力较强",
)
WEAKNESSES = (
    "工作主动性不够",
    "办事效率有待提高",
    "业务细节把关不严",
    "时限意识不强",
)

# Why a quarter's attendance shows leave, lateness or an absence (the history's reason).
SICK_LEAVE = "病假，附医院证明。"
PERSONAL_LEAVE = "事假，经科室负责人批准。"
LATE = "考勤记录显示迟到或早退。"
ABSENT = "未请假缺勤，已谈话提醒。"


def summary_text(rng: random.Random, *, section: str, quarter: str) -> str:
    work, other, *_rest = rng.sample(SECTION_WORK.get(section, DEFAULT_WORK), 3)
    values = {"work": work, "other": other, "quarter": quarter, "count": rng.randint(3, 12)}
    parts = (rng.choice(OPENINGS), rng.choice(DONE), rng.choice(SHORTCOMINGS), rng.choice(PLANS))
    return "".join(part.format(**values) for part in parts)


def head_comment(rng: random.Random, grade: Grade) -> str:
    return rng.choice(COMMENTS[grade]).format(
        strength=rng.choice(STRENGTHS), weakness=rng.choice(WEAKNESSES)
    )


# 公示 and 结果反馈.
OBJECTION_REASON = (
    "该同志本季度牵头完成的专项督查任务量大、质量高，公示等次偏低，请求复核其工作绩效评分。"
)
OBJECTION_REPLY = "经核对评分记录和工作台账，评分和等次计算无误，维持原等次。"
FEEDBACK_DISAGREE = "本季度承担了科室大部分临时性任务，对“较好”等次有不同意见，希望说明评分依据。"


# The year's 个人总结 (annual self-summary): longer than a quarter's, one sentence of each kind.
YEAR_OPENINGS = (
    "{year}年，本人在科室负责人带领下，主要承担{work}工作，同时协助做好{other}。",
    "一年来，本人围绕{work}这一中心任务，认真履行岗位职责，并参与{other}。",
    "{year}年度，本人主要负责{work}，坚持把岗位职责放在首位，兼顾{other}。",
)
YEAR_STUDY = (
    "全年坚持参加机关集中学习，认真学习政策理论和业务知识，履职能力有所提高。",
    "注重学习政策法规，积极参加单位组织的各类培训，理论水平和业务能力不断增强。",
    "坚持边干边学，向身边同事请教，业务上逐步做到熟练、规范。",
)
YEAR_DONE = (
    "全年共办理各类事项{count}件，均在时限内办结，未出现积压。",
    "全年完成交办任务{count}项，四个季度均按要求完成工作，质量稳中有升。",
    "在{other}中主动担当，全年参与相关工作{count}次，得到科室同事认可。",
)
YEAR_INTEGRITY = (
    "严格遵守机关各项规章制度和廉洁自律规定，团结同事，服从安排。",
    "自觉遵守中央八项规定精神，廉洁自律，作风端正。",
    "遵守工作纪律，按时上下班，服从工作安排，与同事相处融洽。",
)
YEAR_SHORTCOMINGS = (
    "不足之处是创新意识还不够强，个别工作的标准有待提高。",
    "存在的问题是统筹兼顾能力还需加强，任务集中时偶有顾此失彼。",
    "对照先进，本人在文字综合和调查研究方面还有差距。",
)
YEAR_PLANS = (
    "新的一年，本人将加强学习、改进作风，努力把各项工作做得更细更实。",
    "下一年度将对照岗位职责查漏补缺，主动担当作为，争取更好成绩。",
    "今后将进一步增强责任意识和效率意识，确保各项任务按时高质量完成。",
)
# A head's 退回 of a year's summary.
YEAR_RETURN = "总结只列举了工作事项，请补充全年工作中存在的不足和下一年度的改进措施。"


def year_summary_text(rng: random.Random, *, section: str, year: int) -> str:
    work, other, *_rest = rng.sample(SECTION_WORK.get(section, DEFAULT_WORK), 3)
    values = {"work": work, "other": other, "year": year, "count": rng.randint(40, 300)}
    kinds = (YEAR_OPENINGS, YEAR_STUDY, YEAR_DONE, YEAR_INTEGRITY, YEAR_SHORTCOMINGS, YEAR_PLANS)
    return "".join(rng.choice(kind).format(**values) for kind in kinds)
