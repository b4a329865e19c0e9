"""Excel import and export, measured: ``.venv/bin/python bench/excel.py``.

1. 10,000 incident rows: a bare ``bulk_create`` of the same rows (the floor), the dry run
   (read + check every row) and the import (read + check + write with history), each inside a
   transaction that is rolled back, so the three start from the same database. Goal: the
   import at most 5 × the floor.
2. Peak Python memory of the import (tracemalloc), at 2,000 and 10,000 rows.
3. An export of 100,000 incidents (goal: under 10 s) and its peak memory beside that of a
   10,000-row export (goal: flat — write-only mode streams the rows).

Runs on a scratch SQLite database in a temporary folder (``BENCH_DATABASE_URL`` to use
another), never on the project's own database.
"""

import datetime
import os
import random
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SCRATCH = Path(tempfile.mkdtemp(prefix="bench-excel-"))
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", f"sqlite:///{SCRATCH / 'bench.sqlite3'}"
)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "efficiency.settings")

import django  # noqa: E402

django.setup()

from decimal import Decimal  # noqa: E402

from django.contrib.auth.models import Group, User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from efficiency.excel import exports, layouts, sheets  # noqa: E402
from efficiency.models import (  # noqa: E402
    Incident,
    IncidentResponsible,
    Section,
    Staff,
    Standard,
)
from efficiency.models.incidents import DEFAULT_POINTS  # noqa: E402
from efficiency.roles import Role  # noqa: E402

IMPORT_ROWS = 10_000
EXPORT_ROWS = 100_000
random.seed(2026)


def setup():
    call_command("migrate", verbosity=0)
    sections = [
        Section.objects.create(code=f"S{i:02d}", name=f"第{i}科", order=i) for i in range(10)
    ]
    staff = Staff.objects.bulk_create(
        Staff(staff_no=f"{i:06d}", name=f"职工{i}", section=sections[i % 10]) for i in range(500)
    )
    staff = list(Staff.objects.select_related("section"))
    standards = []
    for kind, prefix in (("delay", "YW"), ("slip", "SW"), ("error", "CW")):
        for n in range(1, 8):
            points = DEFAULT_POINTS[kind]
            standards.append(
                Standard.objects.create(
                    code=f"{prefix}-{n:02d}",
                    kind=kind,
                    text=f"{prefix} 条款 {n}",
                    points_minor=points["minor"],
                    points_serious=points["serious"],
                    points_grave=points["grave"],
                )
            )
    supervisor = User.objects.create_user("bench-supervisor", password="x")
    supervisor.groups.add(Group.objects.get(name=Role.SUPERVISOR))
    return sections, staff, standards, User.objects.get(pk=supervisor.pk)


def rows_for(count, sections, staff, standards):
    start = datetime.date(2025, 1, 1)
    kinds = {v: k for k, v in layouts.KINDS.items()}
    severities = list(layouts.SEVERITIES)
    rows = []
    for i in range(count):
        standard = standards[i % len(standards)]
        people = random.sample(staff, 1 + (i % 3 == 0))
        rows.append(
            [
                None,
                start + datetime.timedelta(days=i % 600),
                kinds[standard.kind],
                standard.code,
                severities[i % 3],
                people[0].section.name,
                "、".join(p.staff_no for p in people),
                f"第 {i} 号：文件收文后未在规定时限内呈批，延误两个工作日。",
            ]
        )
    return rows


def workbook_file(rows, path):
    book = Workbook(write_only=True)
    sheet = book.create_sheet("三误事件")
    sheet.append([c.name for c in layouts.INCIDENTS.importable[:8]])
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def floor(rows, sections, staff, standards, user):
    """The same rows written with a bare bulk_create: no parsing, no checks, no history."""
    by_code = {s.code: s for s in standards}
    by_name = {s.name: s for s in sections}
    by_no = {s.staff_no: s for s in staff}
    with transaction.atomic():
        started = time.perf_counter()
        incidents = [
            Incident(
                number=f"B{i:07d}",
                kind=by_code[r[3]].kind,
                standard=by_code[r[3]],
                clause_code=r[3],
                clause_text=by_code[r[3]].text,
                severity=layouts.SEVERITIES[r[4]],
                points=Decimal(1),
                occurred_on=r[1],
                section=by_name[r[5]],
                description=r[7],
                reporter=user,
            )
            for i, r in enumerate(rows)
        ]
        Incident.objects.bulk_create(incidents, batch_size=500)
        IncidentResponsible.objects.bulk_create(
            (
                IncidentResponsible(incident=incident, staff=person, section=person.section)
                for incident, r in zip(incidents, rows, strict=True)
                for person in (by_no[n] for n in r[6].split("、"))
            ),
            batch_size=500,
        )
        elapsed = time.perf_counter() - started
        transaction.set_rollback(True)
    return elapsed


def timed_import(path, user, *, dry_run, trace=False):
    with transaction.atomic():
        if trace:
            tracemalloc.start()
        started = time.perf_counter()
        result = sheets.run("incidents", path, path.name, user, dry_run=dry_run)
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1] if trace else 0
        if trace:
            tracemalloc.stop()
        assert result.ok, [str(p) for p in result.problems[:5]]
        transaction.set_rollback(True)
    return elapsed, peak, result


def export_figures(user, sections, staff, standards):
    rows = rows_for(EXPORT_ROWS, sections, staff, standards)
    floor_rows = rows  # written for real this time, to export them
    by_code = {s.code: s for s in standards}
    by_name = {s.name: s for s in sections}
    by_no = {s.staff_no: s for s in staff}
    incidents = [
        Incident(
            number=f"E{i:07d}",
            kind=by_code[r[3]].kind,
            standard=by_code[r[3]],
            clause_code=r[3],
            clause_text=by_code[r[3]].text,
            severity=layouts.SEVERITIES[r[4]],
            points=Decimal(1),
            occurred_on=r[1],
            section=by_name[r[5]],
            description=r[7],
            reporter=user,
        )
        for i, r in enumerate(floor_rows)
    ]
    Incident.objects.bulk_create(incidents, batch_size=1000)
    IncidentResponsible.objects.bulk_create(
        (
            IncidentResponsible(incident=incident, staff=person, section=person.section)
            for incident, r in zip(incidents, floor_rows, strict=True)
            for person in (by_no[n] for n in r[6].split("、"))
        ),
        batch_size=1000,
    )
    started = time.perf_counter()
    name, data = exports.export("incidents", user=None)
    elapsed = time.perf_counter() - started
    (SCRATCH / name).write_bytes(data)
    peaks = {}
    for quarter, label in ((("2025Q1",), "1 quarter"), ((None,), "all")):
        tracemalloc.start()
        _name, data_q = exports.export("incidents", user=None, period=quarter[0])
        peaks[label] = (tracemalloc.get_traced_memory()[1], data_q)
        tracemalloc.stop()
    return elapsed, len(data), peaks


def main():
    sections, staff, standards, user = setup()
    print(f"Scratch database: {os.environ['DATABASE_URL']}")
    with override_settings(EXCEL_MAX_ROWS=EXPORT_ROWS):
        rows = rows_for(IMPORT_ROWS, sections, staff, standards)
        path = workbook_file(rows, SCRATCH / "incidents-10000.xlsx")
        small = workbook_file(rows[:2000], SCRATCH / "incidents-2000.xlsx")
        base = floor(rows, sections, staff, standards, user)
        dry, _peak, _r = timed_import(path, user, dry_run=True)
        full, _peak, result = timed_import(path, user, dry_run=False)
        assert result.record is not None and result.record.created == IMPORT_ROWS
        _t, peak_small, _r = timed_import(small, user, dry_run=False, trace=True)
        _t, peak_big, _r = timed_import(path, user, dry_run=False, trace=True)
    print(f"\n{IMPORT_ROWS:,} incident rows ({path.stat().st_size / 1e6:.1f} MB workbook)")
    print(f"  floor: bare bulk_create          {base:6.2f} s")
    print(f"  dry run (read + check)           {dry:6.2f} s   {dry / base:4.1f} × floor")
    print(f"  import (read + check + write)    {full:6.2f} s   {full / base:4.1f} × floor")
    both = dry + full
    print(f"  dry run + import                 {both:6.2f} s   {both / base:4.1f} × floor")
    print("  goal: import ≤ 5 × floor")
    print(
        f"  peak memory of the import: {peak_small / 1e6:.0f} MB at 2,000 rows, "
        f"{peak_big / 1e6:.0f} MB at 10,000 rows"
    )
    elapsed, size, peaks = export_figures(user, sections, staff, standards)
    print(
        f"\nExport of {EXPORT_ROWS:,} incidents: {elapsed:.2f} s, {size / 1e6:.1f} MB "
        "(goal: under 10 s)"
    )
    for label, (peak, data) in peaks.items():
        print(f"  peak memory, {label} ({len(data) / 1e6:.1f} MB file): {peak / 1e6:.0f} MB")
    print(f"\nFiles kept in {SCRATCH}")


if __name__ == "__main__":
    main()
