"""The history chain, measured: ``.venv/bin/python bench/history.py [--entries 100000]``.

Appends the entries through ``history_chain.append`` (in batches, as an import does), then
times the chain walk alone and the whole ``verify_history`` (walk, head, replay of every
incident and period), and the peak Python memory of the walk. Runs on a scratch SQLite
database in a temporary folder (``BENCH_DATABASE_URL`` to use another).
"""

import argparse
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SCRATCH = Path(tempfile.mkdtemp(prefix="bench-history-"))
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", f"sqlite:///{SCRATCH / 'bench.sqlite3'}"
)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "efficiency.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402

from efficiency.models import AuditEvent, Section  # noqa: E402
from efficiency.services import history_chain  # noqa: E402
from efficiency.services.audit import record  # noqa: E402

BATCH = 5000


def fill(entries: int) -> float:
    call_command("migrate", verbosity=0)
    user = User.objects.create(username="bench")
    section = Section.objects.create(code="BENCH", name="基准科", order=1)
    section_type = ContentType.objects.get_for_model(Section)
    began = time.perf_counter()
    written = 0
    while written < entries:
        n = min(BATCH, entries - written)
        with transaction.atomic():
            history_chain.append(
                [
                    AuditEvent(
                        actor=user,
                        content_type=section_type,
                        object_id=str(section.pk),
                        object_repr=str(section),
                        action="change",
                        reason=f"第 {written + i} 次修改",
                        changes={"name": ["基准科", f"基准科{written + i}"]},
                    )
                    for i in range(n)
                ]
            )
        written += n
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=100_000)
    entries = parser.parse_args().entries
    seconds = fill(entries)
    print(f"{'appended':<28}{entries:>10,} entries {seconds:8.2f} s")
    began = time.perf_counter()
    one = 200
    for _ in range(one):
        with transaction.atomic():
            record(actor=None, obj=Section.objects.get(code="BENCH"), action="change")
    each = (time.perf_counter() - began) / one * 1000
    print(f"{'record() one at a time':<28}{each:>10.2f} ms each")
    began, cpu = time.perf_counter(), time.process_time()
    result = history_chain.walk()
    walk, cpu = time.perf_counter() - began, time.process_time() - cpu
    assert result.break_kind is None, result
    tracemalloc.start()
    history_chain.walk()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    print(
        f"{'walk':<28}{result.count:>10,} entries {walk:8.2f} s  "
        f"({cpu:.2f} s CPU)  peak {peak:.0f} MB"
    )
    began = time.perf_counter()
    findings = history_chain.verify()
    seconds = time.perf_counter() - began
    print(f"{'verify() (walk + replay)':<28}{len(findings):>10} findings {seconds:7.2f} s")


if __name__ == "__main__":
    main()
