"""The office's sheets (DOMAIN.md, "Excel layouts"): Chinese column names, the fixed values of
each drop-down, and what the 填写说明 sheet says about each column.

Column names and fixed values are the file format, so they are Chinese literals whatever the
interface language: a sheet exported by someone reading the pages in English re-imports.
The explanations are ordinary translated text.
"""

from dataclasses import dataclass, field, replace

from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

# --- fixed values, as written in the sheets ---------------------------------------------------

KINDS = {"延误": "delay", "失误": "slip", "错误": "error"}
SEVERITIES = {"一般": "minor", "较重": "serious", "严重": "grave"}
STATUSES = {
    "已登记": "reported",
    "已认定": "verified",
    "已处理": "handled",
    "不予认定": "dismissed",
}
# How an incident came to light (models.IncidentSource); a blank cell means 其他.
SOURCES = {
    "督查": "inspection",
    "投诉": "complaint",
    "领导交办": "assigned",
    "自查": "self_check",
    "其他": "other",
}
SUBJECT_TYPES = {"个人": "staff", "科室": "section"}
YES_NO = {"是": True, "否": False}
# The staff details (models.Gender, PoliticalStatus, StaffCategory), as the forms write them.
GENDERS = {"男": "male", "女": "female"}
POLITICAL_STATUSES = {
    "中共党员": "cpc_member",
    "中共预备党员": "cpc_probationary",
    "共青团员": "cyl_member",
    "民主党派": "democratic_party",
    "无党派人士": "non_partisan",
    "群众": "masses",
}
STAFF_CATEGORIES = {"公务员/参公": "civil_servant", "事业编": "institution"}
DECISIONS = {
    "提醒谈话": "reminder_talk",
    "批评教育": "criticism",
    "责令书面检查": "written_self_criticism",
    "通报批评": "circulated_criticism",
    "诫勉谈话": "admonition_talk",
    "取消年度评优资格": "no_annual_award",
    "调整岗位": "reassignment",
}


def label_of(options: dict[str, str], value: str) -> str:
    """The Chinese word for a stored code (延误 for delay)."""
    for word, stored in options.items():
        if stored == value:
            return word
    return value


def yes_no_label(value: bool) -> str:
    return "是" if value else "否"


# --- columns ----------------------------------------------------------------------------------

TEXT, STAFF_NO, DATE, MONTH, INT, POINTS, MARK, SCORE, CHOICE, PERCENT = (
    "text",
    "staff_no",
    "date",
    "month",
    "int",
    "points",
    "mark",
    "score",
    "choice",
    "percent",  # a fraction, shown as 37.5%
)


@dataclass(frozen=True)
class Column:
    name: str  # the Chinese header, exactly as exported
    width: float = 12  # in Excel's character units; a Chinese character takes about two
    kind: str = TEXT  # how it is formatted on export
    required: bool = False  # the header must be present for the file to be read
    choices: tuple[str, ...] = ()  # a drop-down on the template
    strict: bool = True  # False: a value off the list gets a warning, not a refusal
    note: str | Promise = ""  # one line on the 填写说明 sheet
    example: str = ""
    wrap: bool = False
    info: bool = False  # exported for reading only; never read back


@dataclass(frozen=True)
class Layout:
    sheet: str  # the command-line name: sections, staff, ...
    title: str  # the sheet's Chinese name
    columns: tuple[Column, ...]
    key: str  # the natural key's column
    about: str | Promise = ""
    extra: tuple[Column, ...] = field(default=())  # criteria columns of the scores sheet

    @property
    def all_columns(self) -> tuple[Column, ...]:
        return self.columns + self.extra

    @property
    def importable(self) -> tuple[Column, ...]:
        return tuple(c for c in self.all_columns if not c.info)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.all_columns if c.required)

    def column(self, name: str) -> Column:
        for column in self.all_columns:
            if column.name == name:
                return column
        raise KeyError(name)


BLANK_KEEPS = _("Leave blank to keep what is recorded (a new row gets the default).")

# The kind of error, the same column in the standards and the incidents sheets.
KIND_COLUMN = Column(
    "类别",
    8,
    kind=CHOICE,
    required=True,
    choices=tuple(KINDS),
    note=_("延误, 失误 or 错误."),
    example="延误",
)

# The quarter a row is about, the same column in the scores, attendance and summaries sheets.
PERIOD_COLUMN = Column(
    "考核期",
    10,
    required=True,
    note=_("The quarter, e.g. 2026Q3 (or 2026年第3季度)."),
    example="2026Q3",
)

# The person's name beside their 工号, for whoever reads the sheet; never imported.
READ_ONLY_NAME = Column("姓名", 10, info=True, note=_("Exported for reading only; not imported."))

SECTIONS = Layout(
    sheet="sections",
    title="科室",
    key="科室代码",
    about=_(
        "One row per section. A row whose 科室代码 already exists updates that section; "
        "a new code adds one. Sections are never deleted: set 启用 to 否 instead."
    ),
    columns=(
        Column(
            "科室代码",
            10,
            required=True,
            note=_("Short code of letters, digits, - or _; the key that identifies the section."),
            example="MSK",
        ),
        Column(
            "科室名称",
            16,
            required=True,
            note=_("Full name of the section, unique in the office."),
            example="秘书科",
        ),
        Column(
            "排序",
            8,
            kind=INT,
            note=format_lazy(
                "{}{}", _("Whole number; sections are listed in this order. "), BLANK_KEEPS
            ),
            example="10",
        ),
        Column(
            "启用",
            8,
            kind=CHOICE,
            choices=tuple(YES_NO),
            note=format_lazy("{}{}", _("是 or 否. "), BLANK_KEEPS),
            example="是",
        ),
    ),
)

STAFF = Layout(
    sheet="staff",
    title="人员",
    key="工号",
    about=_(
        "One row per person. A row whose 工号 already exists updates that person; a new 工号 "
        "adds one. Nobody is deleted: fill in 离岗日期 when a person leaves."
    ),
    columns=(
        Column(
            "工号",
            12,
            kind=STAFF_NO,
            required=True,
            note=_("Staff number, kept as text: 001023 stays 001023. Letters, digits or - only."),
            example="001023",
        ),
        Column("姓名", 10, required=True, note=_("Full name."), example="王建国"),
        Column(
            "科室",
            14,
            required=True,
            note=_("Section code or name, as on the 科室 sheet; required for a new person."),
            example="秘书科",
        ),
        Column(
            "职务",
            14,
            note=format_lazy("{}{}", _("Post, e.g. 科长, 科员. "), BLANK_KEEPS),
            example="科员",
        ),
        Column(
            "入职日期",
            12,
            kind=DATE,
            note=format_lazy(
                "{}{}", _("A date, e.g. 2026-07-01, 2026/7/1 or 2026年7月1日. "), BLANK_KEEPS
            ),
            example="2020-09-01",
        ),
        Column(
            "离岗日期",
            12,
            kind=DATE,
            note=format_lazy(
                "{}{}",
                _("The day the person left or moved away; blank while in post. "),
                BLANK_KEEPS,
            ),
        ),
        Column(
            "性别",
            6,
            kind=CHOICE,
            choices=tuple(GENDERS),
            note=format_lazy("{}{}", _("男 or 女. "), BLANK_KEEPS),
            example="男",
        ),
        Column(
            "出生年月",
            10,
            kind=MONTH,
            note=format_lazy("{}{}", _("Year and month, e.g. 1985-03 or 1985年3月. "), BLANK_KEEPS),
            example="1985-03",
        ),
        Column(
            "政治面貌",
            12,
            kind=CHOICE,
            choices=tuple(POLITICAL_STATUSES),
            note=format_lazy("{}{}", _("One of the drop-down's values. "), BLANK_KEEPS),
            example="中共党员",
        ),
        Column(
            "职级",
            14,
            note=format_lazy("{}{}", _("Rank, e.g. 一级科员, 四级主任科员. "), BLANK_KEEPS),
            example="一级科员",
        ),
        Column(
            "从事或分管工作",
            30,
            wrap=True,
            note=format_lazy(
                "{}{}",
                _("The work the person does or oversees, at most 200 characters. "),
                BLANK_KEEPS,
            ),
            example="文秘、档案管理",
        ),
        Column(
            "人员类别",
            12,
            kind=CHOICE,
            choices=tuple(STAFF_CATEGORIES),
            note=format_lazy(
                "{}{}",
                _("公务员/参公 or 事业编; 事业编 annual grades read 合格 for 称职. "),
                BLANK_KEEPS,
            ),
            example="公务员/参公",
        ),
        Column(
            "试用期截止",
            12,
            kind=DATE,
            note=format_lazy(
                "{}{}",
                _("A new recruit's last day of probation; proposes 不定等次 for those quarters. "),
                BLANK_KEEPS,
            ),
        ),
        Column(
            "任职时间",
            12,
            kind=DATE,
            note=format_lazy(
                "{}{}",
                _(
                    "When the person took up the present post and rank, e.g. 2019年7月 or "
                    "2019-07-01; the annual form prints the year and month. "
                ),
                BLANK_KEEPS,
            ),
            example="2019-07-01",
        ),
    ),
)

STANDARDS = Layout(
    sheet="standards",
    title="三误界定标准",
    key="条款编号",
    about=_(
        "The catalogue of what counts as each error. A row whose 条款编号 exists updates that "
        "clause; incidents already recorded keep the clause and points they were judged under."
    ),
    columns=(
        Column(
            "条款编号",
            10,
            required=True,
            note=_("Two capital letters, a dash and two or three digits, e.g. YW-03."),
            example="YW-03",
        ),
        KIND_COLUMN,
        Column(
            "条款内容",
            50,
            required=True,
            wrap=True,
            note=_("What the clause says."),
            example="正在办理的文件在本人处积压，超过规定时限。",
        ),
        Column(
            "一般扣分",
            10,
            kind=POINTS,
            note=_(
                "Points deducted per person for a minor case, at most one decimal; blank on a "
                "new clause gives the default for its kind (延误 1, 失误 2, 错误 3)."
            ),
            example="1",
        ),
        Column(
            "较重扣分",
            10,
            kind=POINTS,
            note=_("Points for a serious case; blank on a new clause: 延误 2, 失误 4, 错误 6."),
            example="2",
        ),
        Column(
            "严重扣分",
            10,
            kind=POINTS,
            note=_("Points for a grave case; blank on a new clause: 延误 4, 失误 8, 错误 12."),
            example="4",
        ),
        Column(
            "启用",
            8,
            kind=CHOICE,
            choices=tuple(YES_NO),
            note=_(
                "是 or 否; a clause set to 否 without a 停止适用日期 cannot be used for new "
                "incidents."
            ),
            example="是",
        ),
        Column(
            "施行日期",
            12,
            kind=DATE,
            note=format_lazy(
                "{}{}",
                _("The first day the clause applies to; blank: since always. "),
                BLANK_KEEPS,
            ),
        ),
        Column(
            "停止适用日期",
            12,
            kind=DATE,
            note=format_lazy(
                "{}{}",
                _(
                    "The last day the clause applies to, when a revision supersedes it; it "
                    "stays usable for incidents up to that day. "
                ),
                BLANK_KEEPS,
            ),
        ),
    ),
)

INCIDENTS = Layout(
    sheet="incidents",
    title="三误事件",
    key="编号",
    about=_(
        "Leave 编号 blank for a new incident: it gets its number when imported. A row with a "
        "编号 refers to a recorded incident: its facts cannot be changed by a file (a "
        "correction needs a reason, on the incident's page), but its 状态 may move forward "
        "(已登记 → 已认定 → 已处理) with a 处理决定, or to 不予认定 with a 不予认定理由."
    ),
    columns=(
        Column(
            "编号",
            11,
            note=_("Blank for a new incident; the number (2026-0001) for a recorded one."),
        ),
        Column(
            "发生日期",
            12,
            kind=DATE,
            required=True,
            note=_("The day it happened, e.g. 2026-07-01 or 2026年7月1日; not in the future."),
            example="2026-07-01",
        ),
        KIND_COLUMN,
        Column(
            "条款编号",
            10,
            required=True,
            note=_("The clause of the 三误界定标准 it falls under; it must be of the same kind."),
            example="YW-01",
        ),
        Column(
            "严重程度",
            9,
            kind=CHOICE,
            required=True,
            choices=tuple(SEVERITIES),
            note=_("一般, 较重 or 严重; sets the points deducted."),
            example="一般",
        ),
        Column(
            "科室",
            12,
            required=True,
            note=_("Section code or name."),
            example="秘书科",
        ),
        Column(
            "责任人工号",
            20,
            kind=STAFF_NO,  # text, so that 001001 typed into the template keeps its zeros
            required=True,
            note=_(
                "Staff numbers of the people responsible; several are separated by 、 , ; or "
                "spaces."
            ),
            example="001001、001002",
        ),
        Column(
            "情况描述",
            48,
            required=True,
            wrap=True,
            note=_("What happened."),
            example="《关于做好防汛工作的通知》收文后未及时呈批，延误两个工作日。",
        ),
        Column(
            "状态",
            10,
            kind=CHOICE,
            choices=tuple(STATUSES),
            note=_(
                "已登记 (blank means 已登记 for a new incident), 已认定, 已处理 or 不予认定. "
                "Verifying, handling and dismissing need a supervisor's rights; 不予认定 needs "
                "a 不予认定理由."
            ),
            example="已登记",
        ),
        Column(
            "处理决定",
            14,
            kind=CHOICE,
            choices=tuple(DECISIONS),
            note=_("Only with 状态 已处理: the accountability step taken."),
        ),
        Column(
            "不予认定理由",
            30,
            wrap=True,
            note=_("Only with 状态 不予认定: why the incident is not established."),
        ),
        Column(
            "来源",
            10,
            kind=CHOICE,
            choices=tuple(SOURCES),
            note=_(
                "How it came to light: 督查, 投诉, 领导交办, 自查 or 其他 (blank means 其他). "
                "For a recorded incident a blank cell is not compared."
            ),
            example="督查",
        ),
        Column("责任人姓名", 18, info=True, note=_("Exported for reading only; not imported.")),
        Column(
            "每人扣分",
            9,
            kind=POINTS,
            info=True,
            note=_("Exported for reading only; not imported."),
        ),
    ),
)

SCORES = Layout(
    sheet="scores",
    title="评分",
    key="对象编号",
    about=_(
        "Marks, one row per person or section and assessor, one column per criterion: an "
        "assessor imports their own; the administrator types in marks handed in on paper by "
        "any assessor. Only a period open for scoring accepts marks. A blank mark leaves "
        "the recorded mark as it is; clear a mark on the score sheet page."
    ),
    columns=(
        PERIOD_COLUMN,
        Column(
            "对象类型",
            9,
            kind=CHOICE,
            required=True,
            choices=tuple(SUBJECT_TYPES),
            note=_("个人 for a person, 科室 for a section."),
            example="个人",
        ),
        Column(
            "对象编号",
            12,
            kind=STAFF_NO,
            required=True,
            note=_("The person's 工号, or the section's 科室代码."),
            example="001023",
        ),
        Column("对象名称", 12, info=True, note=_("Exported for reading only; not imported.")),
        Column(
            "考评人工号",
            12,
            kind=STAFF_NO,
            required=True,
            note=_(
                "The assessor's 工号 (or login name if they have none): an assessor imports "
                "only their own marks; the administrator enters marks for any assessor."
            ),
        ),
        Column("考评人", 10, info=True, note=_("Exported for reading only; not imported.")),
    ),
)

ATTENDANCE = Layout(
    sheet="attendance",
    title="出勤",
    key="工号",
    about=_(
        "出勤情况: one row per person and quarter. A blank figure keeps what is recorded "
        "(nothing recorded counts as 0). A locked period does not change."
    ),
    columns=(
        PERIOD_COLUMN,
        Column(
            "工号",
            12,
            kind=STAFF_NO,
            required=True,
            note=_("The person's 工号, as on the 人员 sheet."),
            example="001023",
        ),
        READ_ONLY_NAME,
        Column(
            "旷工天数",
            10,
            kind=INT,
            note=_("Days absent without leave: a whole number, 0 or more."),
            example="0",
        ),
        Column(
            "病事假天数",
            10,
            kind=POINTS,
            note=_("Days of sick or personal leave, in whole or half days, e.g. 1.5."),
            example="1.5",
        ),
        Column(
            "迟到早退次数",
            12,
            kind=INT,
            note=_("Times late or left early: a whole number, 0 or more."),
            example="0",
        ),
    ),
)

SUMMARIES = Layout(
    sheet="summaries",
    title="个人小结",
    key="工号",
    about=_(
        "One row per person: their 个人小结 for the quarter, as handed in on paper. Each is "
        "entered as submitted and recorded as entered by you; a section head enters only their "
        "own sections' summaries. An accepted summary no longer changes."
    ),
    columns=(
        PERIOD_COLUMN,
        STAFF.column("工号"),
        READ_ONLY_NAME,
        Column(
            "个人小结",
            60,
            required=True,
            wrap=True,
            note=_("The summary of the quarter's work, at most 1,000 characters."),
            example="本季度完成收发文件登记，按时办结督办事项。",
        ),
    ),
)

YEAR_SUMMARIES = Layout(
    sheet="year_summaries",
    title="年度个人总结",
    key="工号",
    about=_(
        "One row per person: their 年度个人总结 for the year, as handed in on paper. They are "
        "entered from the opening of the year's fourth quarter until the year's result notices "
        "are issued, as submitted and recorded as entered by you; a section head enters only "
        "their own sections' summaries. An accepted summary no longer changes."
    ),
    columns=(
        Column(
            "年度",
            8,
            kind=INT,
            required=True,
            note=_("The year, e.g. 2026."),
            example="2026",
        ),
        STAFF.column("工号"),
        READ_ONLY_NAME,
        Column(
            "年度个人总结",
            80,
            required=True,
            wrap=True,
            note=_("The summary of the year's work, at most 3,000 characters."),
            example="全年完成收发文件登记，按时办结督办事项，牵头完成年度档案整理。",
        ),
    ),
)

LAYOUTS = {
    layout.sheet: layout
    for layout in (
        SECTIONS,
        STAFF,
        STANDARDS,
        INCIDENTS,
        SCORES,
        ATTENDANCE,
        SUMMARIES,
        YEAR_SUMMARIES,
    )
}


def criterion_columns(names: list[str]) -> tuple[Column, ...]:
    """The scores sheet's mark column and reason column for each criterion name."""
    columns: list[Column] = []
    for criterion in names:
        columns.append(
            Column(
                criterion,
                10,
                kind=MARK,
                note=_("Mark from 0 to 100, at most one decimal."),
                example="88.5",
            )
        )
    for criterion in names:
        columns.append(
            Column(
                reason_header(criterion),
                24,
                wrap=True,
                note=_("Required when the mark is 100 or below 60: the written reason."),
            )
        )
    return tuple(columns)


def reason_header(criterion: str) -> str:
    return f"{criterion}理由"


def scores_layout(criteria: list[str]) -> Layout:
    return Layout(
        sheet=SCORES.sheet,
        title=SCORES.title,
        key=SCORES.key,
        about=SCORES.about,
        columns=SCORES.columns,
        extra=criterion_columns(criteria),
    )


def with_choices(layout: Layout, name: str, choices: tuple[str, ...], *, strict=True) -> Layout:
    """The layout with the drop-down of column ``name`` set to ``choices`` (known only at run
    time, such as the office's sections)."""
    columns = tuple(
        replace(column, choices=choices, strict=strict) if column.name == name else column
        for column in layout.columns
    )
    return replace(layout, columns=columns)
