"""Evidence in the demo office: the inspection team's record sheet, attached to the incidents
an inspection (督查) found that still wait for the supervisor's 认定, so a supervisor trying
the demo sees evidence before deciding. Made with the project's workbook writer: no fonts or
PDF engine needed, and a real .xlsx that the attachment checks accept."""

from django.core.files.base import ContentFile
from django.utils import formats

from efficiency.excel.layouts import Column
from efficiency.excel.writer import SheetWriter, new_workbook, to_bytes
from efficiency.models import Incident

COLUMNS = (Column("项目", 14), Column("内容", 60, wrap=True))


def inspection_record(incident: Incident, inspector: str) -> ContentFile:
    book = new_workbook()
    sheet = SheetWriter(book, name="督查记录", columns=COLUMNS, heading="效能督查记录表")
    for row in (
        ("督查日期", formats.date_format(incident.occurred_on, "Y年n月j日")),
        ("被督查科室", incident.section.name),
        ("对照条款", f"{incident.clause_code} {incident.clause_text}"),
        ("发现问题", incident.description),
        ("督查人", inspector),
        ("备注", "演示数据：督查组现场记录，随事件报送。"),
    ):
        sheet.append(row)
    return ContentFile(to_bytes(book))


def file_name(incident: Incident) -> str:
    return f"效能督查记录表（{incident.number}）.xlsx"
