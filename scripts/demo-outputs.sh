#!/bin/sh
# Writes what the demo office's numbers look like from outside (every Excel export as cell
# values, every PDF report as text) into DIR, from a throwaway database, so that two versions
# of the code can be compared with `diff -r`: a refactoring must leave them identical.
#   sh scripts/demo-outputs.sh DIR
set -eu
out=${1:?usage: sh scripts/demo-outputs.sh DIR}
py=${PY:-.venv/bin/python}
mkdir -p "$out"
db=$(mktemp -d)/demo.sqlite3
export DATABASE_URL="sqlite:///$db"
$py manage.py migrate --noinput --verbosity 0
$py manage.py load_demo --verbosity 0
for sheet in sections staff standards incidents; do
    $py manage.py export_xlsx "$sheet" -o "$out/$sheet.xlsx" --verbosity 0
done
for q in 2026Q1 2026Q2 2026Q3 2026Q4; do
    for sheet in scores rankings; do
        $py manage.py export_xlsx "$sheet" --period "$q" -o "$out/$sheet-$q.xlsx" --verbosity 0 || true
    done
    $py manage.py report_pdf bulletin --period "$q" -o "$out/bulletin-$q.pdf" --verbosity 0 || true
done
$py manage.py report_pdf request --period 2026Q3 -o "$out/request-2026Q3.pdf" --verbosity 0
$py manage.py export_xlsx annual --period 2026 -o "$out/annual-2026.xlsx" --verbosity 0
$py manage.py report_pdf annual --period 2026 -o "$out/annual-2026.pdf" --verbosity 0
staff=$($py manage.py shell -v 0 -c "from efficiency.models import Staff; print(' '.join(Staff.objects.order_by('staff_no').values_list('staff_no', flat=True)[:40:7]))")
sections=$($py manage.py shell -v 0 -c "from efficiency.models import Section; print(' '.join(Section.objects.order_by('code').values_list('code', flat=True)))")
for s in $staff; do
    $py manage.py report_pdf personal --period 2026Q3 --staff "$s" -o "$out/personal-$s.pdf" --verbosity 0
done
for s in $sections; do
    $py manage.py report_pdf section --period 2026Q3 --section "$s" -o "$out/section-$s.pdf" --verbosity 0
done
# Cell values of every sheet, and the PDFs' text without the printing time.
$py - "$out" <<'PY'
import re
import sys
from pathlib import Path
from openpyxl import load_workbook

STAMP = re.compile(r"(导出时间|生成时间|打印时间)：[0-9: -]+")
for path in sorted(Path(sys.argv[1]).glob("*.xlsx")):
    book = load_workbook(path, read_only=True, data_only=True)
    with open(path.with_suffix(".cells.txt"), "w", encoding="utf-8") as out:
        for sheet in book.worksheets:
            out.write(f"## {sheet.title}\n")
            for row in sheet.iter_rows(values_only=True):
                line = "\t".join("" if v is None else str(v) for v in row)
                out.write(STAMP.sub(r"\1：…", line) + "\n")
PY
for pdf in "$out"/*.pdf; do
    pdftotext -layout "$pdf" - | sed -E 's/(导出时间|生成时间|打印时间)：[0-9: -]+/\1：…/' > "${pdf%.pdf}.txt"
done
rm -f "$db"
echo "demo outputs written to $out"
