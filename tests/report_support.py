"""Builders shared by the tests of the PDF reports (no test here).

A quarter of the ``office`` personas fully marked, 王建国 (001001) with three established
incidents (one grave), 李秀英 (001002) with none, and poppler's tools to read the PDFs back.
"""

import datetime
import re
import subprocess
from decimal import Decimal
from pathlib import Path

from efficiency.models import Period, Score, Section, Staff
from efficiency.services import incidents as incident_services
from efficiency.services.appraisal import period_close, period_lock, period_open

from .factories import make_staff, report

# (duty, performance, service) per person, the same from each assessor: finals all differ.
MARKS = {
    "001001": (92, 90, 88),  # 王建国: three incidents
    "001002": (95, 94, 96),  # 李秀英: none
    "002001": (80, 78, 76),  # 赵志强
    "001009": (85, 84, 83),  # 陈文书
    "002009": (70, 72, 74),  # 周文书
    "001000": (88, 87, 86),  # 刘科长
    "002000": (90, 91, 89),  # 孙科长
    "005001": (65, 60, 62),  # 郑督查
}
SECTION_MARKS = {"MSK": 88, "ZHK": 91, "DCS": 86}


def mark_everyone(period: Period, assessors, marks=None, sections=None) -> None:
    """Marks straight into the table (the services are tested elsewhere; this is data)."""
    marks = MARKS if marks is None else marks
    sections = SECTION_MARKS if sections is None else sections
    criteria = list(period.criteria.all())
    rows = []
    for staff in Staff.objects.filter(staff_no__in=list(marks)):
        triple = marks[staff.staff_no]
        for assessor in assessors:
            for criterion, value in zip(criteria, triple, strict=True):
                rows.append(
                    Score(
                        period=period,
                        criterion=criterion,
                        assessor=assessor,
                        staff=staff,
                        tenths=value * 10,
                    )
                )
    for section in Section.objects.filter(code__in=list(sections)):
        for assessor in assessors:
            for criterion in criteria:
                rows.append(
                    Score(
                        period=period,
                        criterion=criterion,
                        assessor=assessor,
                        section=section,
                        tenths=sections[section.code] * 10,
                    )
                )
    Score.objects.bulk_create(rows)


def established(office, staff, *, standard, severity="minor", day=datetime.date(2026, 8, 3)):
    incident = report(
        office.clerk,
        section=staff.section,
        responsible=[staff],
        standard=standard,
        severity=severity,
        occurred_on=day,
    )
    incident_services.incident_verify(actor=office.supervisor, incident=incident)
    return incident


def quarter(office, code="2026Q3", state="closed", *, incidents=True) -> Period:
    """A marked quarter of the office, closed (published) unless asked otherwise."""
    period = period_open(actor=office.leader, code=code)
    mark_everyone(period, [office.assessor, office.leader])
    if incidents:
        established(office, office.person, standard=office.slip)
        first = established(
            office,
            office.person,
            standard=office.delay,
            severity="serious",
            day=datetime.date(2026, 8, 20),
        )
        incident_services.incident_handle(
            actor=office.supervisor, incident=first, decision="criticism", note="已谈话。"
        )
        established(
            office,
            office.person,
            standard=office.error,
            severity="grave",
            day=datetime.date(2026, 9, 1),
        )
    if state in ("closed", "locked"):
        period = period_close(actor=office.leader, period=period)
    if state == "locked":
        period = period_lock(actor=office.leader, period=period)
    return Period.objects.get(pk=period.pk)


def many_people(office, count: int) -> list[Staff]:
    """``count`` more people in section A, all marked in every open period."""
    people = [
        make_staff(office.a, f"测试{n:03d}", f"9{n:05d}", start_date=datetime.date(2020, 1, 1))
        for n in range(count)
    ]
    return people


def marks_for(people, base=80) -> dict[str, tuple[int, int, int]]:
    return {p.staff_no: (base + n % 15, base + n % 13, base + n % 11) for n, p in enumerate(people)}


# --- reading PDFs back ----------------------------------------------------------------------


def pdf_pages(content: bytes, tmp_path: Path, name: str = "report.pdf") -> list[str]:
    """The text of each page (pdftotext -layout)."""
    path = tmp_path / name
    path.write_bytes(content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")


def pdf_text(content: bytes, tmp_path: Path) -> str:
    return "\n".join(pdf_pages(content, tmp_path))


def squeeze(text: str) -> str:
    """Text without the spaces pdftotext puts between CJK glyphs and table cells."""
    return re.sub(r"\s+", "", text)


def pdf_fonts(content: bytes, tmp_path: Path) -> list[dict]:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(content)
    out = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    fonts = []
    for line in out:
        parts = line.split()
        # name, type (may be several words), encoding, emb, sub, uni, object id, generation
        fonts.append(
            {"name": parts[0], "emb": parts[-5], "sub": parts[-4], "uni": parts[-3], "line": line}
        )
    return fonts


CJK_FONT = re.compile(r"EA-Report-(Song|Hei)|Noto-?(Sans|Serif)-?(CJK|SC)|Source-?Han|WenQuanYi")


def money(value: Decimal) -> str:
    return f"{value:.2f}"
