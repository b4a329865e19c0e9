"""公务员平时考核登记表: every box of the official form, in order, with the person's records;
a long 个人小结 continues on the next page without losing a character; the score sheet follows
as 附：评分明细.
"""

import subprocess
from decimal import Decimal

import pytest

from efficiency.models import Staff
from efficiency.reports import documents
from efficiency.services import attendance as attendance_services
from efficiency.services import reviews
from efficiency.services import summaries as summary_services
from efficiency.services.appraisal import period_close

from .report_support import pdf_pages, quarter, squeeze

BOXES = [
    "公务员平时考核登记表",
    "（2026年第3季度）",
    "姓名",
    "部门及职务（职级）",
    "从事或分管工作",
    "个人小结",
    "出勤情况",
    "奖惩情况与不良行为记录",
    "主管领导审核评价意见和等次建议",
    "机关审定意见（等次）",
    "未确定等次或不参加考核情况说明",
    "备注",
]


def summary_of(length: int) -> str:
    """Numbered sentences, so a line lost at a page break shows as a missing number."""
    sentences, n = [], 1
    while sum(map(len, sentences)) < length:
        sentences.append(f"第{n:03d}句本季度按时办结文件并做好会务保障。")
        n += 1
    return "".join(sentences)[:length]


# The form's geometry (print.css: A4, margins 20/15/17/15 mm; the label column is 17% wide),
# in PDF points, to read the label column and the value column apart: pdftotext mixes them
# wherever a label is centred beside a box of several lines.
MM = 72 / 25.4
LEFT, WIDTH, TOP, BOTTOM = 15 * MM, 180 * MM, 20 * MM, 17 * MM
LABEL_WIDTH = 0.17 * WIDTH


def columns(content: bytes, tmp_path) -> tuple[list[str], list[str]]:
    """Per page, the squeezed text of the label column and of the value column (the running
    header and footer left out)."""
    path = tmp_path / "columns.pdf"
    path.write_bytes(content)

    def crop(x0: float, x1: float) -> list[str]:
        text = subprocess.run(
            [
                "pdftotext",
                "-r",
                "72",
                "-x",
                str(int(x0)),
                "-y",
                str(int(TOP)),
                "-W",
                str(int(x1 - x0)),
                "-H",
                str(int(842 - TOP - BOTTOM)),
                str(path),
                "-",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        # The title sits over both columns: left out, it is checked on the whole page.
        return [squeeze(page).removeprefix(TITLE) for page in text.split("\f")[:-1]]

    return crop(LEFT, LEFT + LABEL_WIDTH), crop(LEFT + LABEL_WIDTH + 2, LEFT + WIDTH + 2)


TITLE = "公务员平时考核登记表（2026年第3季度）"
NAME_ROW = "王建国部门及职务（职级）秘书科科员"


def with_records(office, *, summary: str, comment="工作认真负责，能按时完成交办任务。"):
    """An open quarter where 王建国 has an accepted summary, attendance, a proposal and a
    decision; then closed (published)."""
    period = quarter(office, state="open")
    person = office.person
    summary_services.enter_for(actor=office.head, period=period, staff=person, text=summary)
    summary_services.accept(actor=office.head, period=period, staff=person)
    attendance_services.record_attendance(
        actor=office.administrator,
        period=period,
        staff=person,
        absent_days=1,
        leave_days=Decimal("2.5"),
        late_times=3,
    )
    reviews.propose(
        actor=office.head,
        period=period,
        staff=person,
        grade="average",
        comment=comment,
        reason="本季度出现三起三误事件。",
    )
    reviews.decide(actor=office.leader, period=period, staff=person, grade="average")
    return period_close(actor=office.leader, period=period)


def test_it_prints_every_box_in_order_with_the_persons_records(office, tmp_path):
    period = with_records(office, summary=summary_of(300))
    content = documents.personal(period, office.person).content
    pages = pdf_pages(content, tmp_path)
    assert len(pages) == 2  # the form on one page, the score sheet on the next
    form = squeeze(pages[0])
    assert form.startswith(
        "县委办公室2026年第3季度·公务员平时考核登记表公务员平时考核登记表（2026年第3季度）"
    )
    labels, values = columns(content, tmp_path)
    assert labels[0].startswith("姓名") and values[0].startswith(NAME_ROW)
    positions = [labels[0].find(label) for label in BOXES[4:]]
    assert -1 not in positions, [b for b, p in zip(BOXES[4:], positions, strict=True) if p == -1]
    assert positions == sorted(positions)
    assert "出勤情况旷工1天，病事假2.5天，迟到早退3次" in form
    # the quarter's three established incidents with their handling
    assert form.count("处理决定：") == 3
    assert "处理决定：批评教育" in form
    assert "工作认真负责，能按时完成交办任务。等次建议：一般签字：日期：" in values[0]
    assert "审定等次：一般签字：日期：（盖章）" in values[0]
    assert "本表一式两份" in form and "反馈本人" in form
    annex = squeeze(pages[1])
    assert "附：评分明细" in annex and "扣分合计" in annex
    assert "附：评分明细" not in form


def test_the_summary_box_holds_the_accepted_summary_verbatim(office, tmp_path):
    text = summary_of(300)
    period = with_records(office, summary=text)
    _labels, values = columns(documents.personal(period, office.person).content, tmp_path)
    assert values[0].startswith(NAME_ROW + text + "旷工1天")


def test_someone_with_no_records_gets_blank_boxes_that_say_so(office, tmp_path):
    period = with_records(office, summary=summary_of(100))
    _labels, values = columns(documents.personal(period, office.colleague).content, tmp_path)
    # name row · work (blank) · 未提交 · 未登记 · no incident · no comment · no proposal,
    # no decision · nothing to explain · the remark
    assert values[0].startswith(
        "李秀英部门及职务（职级）秘书科科员未提交未登记无等次建议：签字：日期：审定等次：签字：日期：（盖章）无本表一式两份"
    )


def test_a_summary_handed_in_but_not_accepted_is_not_printed(office, tmp_path):
    period = quarter(office, state="open")
    summary_services.enter_for(
        actor=office.head, period=period, staff=office.colleague, text="尚未审阅的小结内容。"
    )
    _labels, values = columns(documents.personal(period, office.colleague).content, tmp_path)
    assert "尚未审阅的小结内容" not in values[0]
    assert "科员已提交，科室负责人尚未审阅通过未登记" in values[0]


@pytest.mark.parametrize("length", [600])
def test_a_usual_summary_keeps_the_form_on_one_page(office, tmp_path, length):
    period = with_records(office, summary=summary_of(length))
    pages = pdf_pages(documents.personal(period, office.person).content, tmp_path)
    assert len(pages) == 2
    assert "备注" in pages[0] and "附：评分明细" in squeeze(pages[1])


def test_a_long_summary_continues_on_the_next_page_without_loss(office, tmp_path):
    text = summary_of(1000)
    comment = "该同志" + "工作扎实，" * 55 + "建议评为一般。"  # the longest comment allowed
    assert len(comment) <= 300
    period = with_records(office, summary=text, comment=comment)
    content = documents.personal(period, office.person).content
    pages = pdf_pages(content, tmp_path)
    assert len(pages) == 3  # the form runs onto a second page; the annex is the third
    labels, values = columns(content, tmp_path)
    # the name row repeats at the top of the continued form
    assert values[0].startswith(NAME_ROW) and values[1].startswith(NAME_ROW)
    assert labels[1].startswith("姓名")
    boxes = values[0] + values[1][len(NAME_ROW) :]
    # every sentence, none clipped at the page break, then the rest of the form in order
    assert boxes.startswith(NAME_ROW + text + "旷工1天")
    assert comment + "等次建议：一般" in boxes
    assert "备注" in labels[1] and "备注" not in labels[0]
    assert "附：评分明细" in squeeze(pages[2])


def test_someone_not_assessed_is_explained(office, tmp_path):
    period = with_records(office, summary=summary_of(50))
    newcomer = Staff.objects.create(staff_no="001077", name="新同志", section=office.a, post="科员")
    _labels, values = columns(documents.personal(period, newcomer).content, tmp_path)
    assert "（盖章）本季度未考核：履行职责、工作绩效、服务质量无评分。本表一式两份" in values[0]


def test_it_prints_the_rank_and_the_work_from_the_staff_record(office, tmp_path):
    period = with_records(office, summary=summary_of(50))
    Staff.objects.filter(pk=office.person.pk).update(rank="一级科员", duties="文秘、档案管理")
    office.person.refresh_from_db()
    labels, values = columns(documents.personal(period, office.person).content, tmp_path)
    assert values[0].startswith("王建国部门及职务（职级）秘书科科员（一级科员）文秘、档案管理")
    assert labels[0].index("从事或分管工作") < labels[0].index("个人小结")
