"""What the demo's incidents say: how each clause of the catalogue is broken in this office,
and the notes, explanations, appeals and decisions written about them.

The catalogue itself (codes, kinds, clause texts, points, dates in force) is the office's
workbook ``fixtures/demo/standards.xlsx``; a :class:`Clause` here adds only what the demo
needs to write incidents under it. A template may start with "CODE,CODE|" to say which sections
it fits; otherwise it fits all the clause's sections. ``grave`` templates describe incidents bad
enough to be 严重.
"""

from dataclasses import dataclass

from efficiency.models import HandlingDecision, IncidentKind

DELAY, SLIP, ERROR = IncidentKind.DELAY, IncidentKind.SLIP, IncidentKind.ERROR


@dataclass(frozen=True)
class Clause:
    """How incidents under the catalogue's clause ``code`` happen in the demo office."""

    code: str
    sections: tuple[str, ...]  # the sections where it happens
    templates: tuple[str, ...]
    grave: tuple[str, ...] = ()


def fits(template: str, section: str) -> bool:
    codes, bar, _text = template.partition("|")
    return not bar or section in codes.split(",")


def bare(template: str) -> str:
    return template.partition("|")[2] or template


CLAUSES: list[Clause] = [
    Clause(
        "YW-01",
        ("WDK", "MSK"),
        (
            "{md}收到{doc}，登记后未在规定时限内拟办呈批，延误{days}个工作日。",
            "{doc}（急件）{md}收文后在拟办环节搁置，{days}个工作日后才送领导阅批。",
            "{md}收到的市委办明传电报未当日登记分办，延误{days}个工作日。",
        ),
    ),
    Clause(
        "YW-02",
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
        ("ZHK", "DYS", "MSK"),
        (
            "ZHK,MSK|{event}{leader}讲话稿未在要求时限内送审，比规定时间晚{days}天。",
            "DYS,ZHK|关于{topic}的调研报告未按{leader}要求于{md}前完成初稿，延误{days}个工作日。",
        ),
    ),
    Clause(
        "YW-04",
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
        ("DCS",),
        (
            "{leader}批示的{topic}督查事项，到期未向承办单位发出催办通知，延误{days}个工作日。",
            "应于{md}印发的第{num}期督查通报未按时印发，延误{days}个工作日。",
        ),
    ),
    Clause(
        "YW-06",
        ("WDK", "JYK"),
        ("{doc}核稿后未及时送印，分发延误{days}个工作日。",),
    ),
    Clause(
        "YW-07",
        ("WDK", "JYK"),
        (
            "{doc}签发后{days}个工作日才完成用印分发，超过规定时限。",
            "{doc}（急件）{md}签发，当日未分发到各乡镇（街道），次日才送达。",
        ),
    ),
    Clause(
        "YW-08",
        ("MSK", "ZHK", "XZK"),
        (
            "MSK,ZHK|{event}的会议通知未按要求提前发出，部分参会单位当天才接到通知。",
            "MSK,ZHK|{event}会议材料未在会前一天装袋，会议推迟{mins}分钟开始。",
            "XZK|{event}会场布置未在会前完成，会议推迟{mins}分钟开始。",
        ),
    ),
    Clause(
        "SW-01",
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
        ("ZBS",),
        (
            "{md}晚值班期间离开值班室约{mins}分钟，漏接市委总值班室查岗电话。",
            "{md}值班记录漏记{town}来电内容，交接班时未向接班人员说明。",
        ),
        grave=(
            "ZBS|{md}夜间值班时关闭值班电话休息，{town}{info}的紧急报告无法接通，"
            "处置延误约{hours}小时。",
        ),
    ),
    Clause(
        "SW-04",
        ("WDK", "MSK", "ZHK"),
        (
            "{doc}印发后发现正文有{few}处错字，已发更正通知。",
            "{doc}文号与已印发文件重号，已收回重印。",
        ),
    ),
    Clause(
        "SW-05",
        ("JDB", "XZK"),
        (
            "{md}接待{guest}，用车安排未衔接，客人在宾馆等候约{mins}分钟。",
            "JDB|{guest}来桂阳考察，接待方案未随行程变化及时调整，午餐地点临时更换。",
            "JDB|{md}接待{guest}，住宿房间预订数量不足，临时另行安排酒店。",
        ),
    ),
    Clause(
        "SW-06",
        ("XZK",),
        (
            "{event}前未调试会议室投影设备，会议开始后无法播放汇报材料。",
            "公务用车{md}未按派车单准时出车，{leader}下乡调研推迟约{mins}分钟。",
            "{md}办公楼停水报修后{days}天未落实维修，影响正常办公。",
        ),
    ),
    Clause(
        "SW-07",
        ("XXK", "DYS"),
        (
            "XXK|《桂阳信息》第{num}期所载{town}{topic}数据与统计部门口径不一致，已更正。",
            "报送市委办的信息把{town}写错，被退回修改。",
            "DYS|《调研与决策》第{num}期所引{topic}数据未注明口径，与统计部门数据不一致。",
        ),
    ),
    Clause(
        "CW-01",
        ("ZHK", "DYS", "XXK", "MSK"),
        (
            "ZHK,MSK,DYS|{event}讲话稿引用的全县{topic}数据有误，审稿时被{leader}发现。",
            "XXK|报送的《桂阳信息》第{num}期把一位县级领导的职务写错，已发更正。",
        ),
        grave=("ZHK,DYS|以县委办名义报送市委的{topic}专题报告关键数据严重失实，被市委办通报。",),
    ),
    Clause(
        "CW-02",
        ("JYK", "WDK"),
        (
            "{md}清退涉密文件时发现{doc}少一份，经查系借阅后未登记归还。",
            "使用非涉密计算机处理涉密文件草稿，在{md}保密检查中被发现。",
            "JYK|{md}将一份秘密级明电按普通件寄送{town}。",
        ),
        grave=("JYK|{md}将一份机密级文件带出办公区后遗失，经查找未能追回。",),
    ),
    Clause(
        "CW-03",
        ("JDB", "ZBS", "XZK", "WDK"),
        (
            "ZBS,WDK|{md}群众来电反映{town}{topic}问题，接听时态度生硬、推诿，群众向县委办投诉。",
            "JDB|{md}在接待室与来访群众发生争执，造成不良影响。",
            "上班时间在办公室玩手机游戏，在{md}作风暗访中被发现。",
        ),
    ),
    Clause(
        "CW-04",
        ("DCS", "DYS"),
        (
            "DCS|关于{topic}的督查报告称{town}已完成任务，经复查实际进度不足一半。",
            "DYS|关于{topic}的调研报告引用的调查数据未经核实，与实际情况出入较大。",
        ),
    ),
    Clause(
        "CW-05",
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
