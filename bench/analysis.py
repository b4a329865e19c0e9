"""Time the incident analytics page (/analysis/, issue 13) against a large office built earlier.

It builds nothing: point it at a copy of a database made by ``bench/pages.py --keep FILE`` (or
``bench/appraisal.py --keep FILE``: 2,000 staff, 120 sections, 20,000 incidents, quarters locked
with their stored rankings), migrated to the current schema. A copy, because the first request
of a locked quarter may store its ranking.

    cp BUILT.sqlite3 COPY.sqlite3
    DATABASE_URL=sqlite:///COPY.sqlite3 .venv/bin/python manage.py migrate
    .venv/bin/python bench/analysis.py COPY.sqlite3

Prints, per URL, the median and best server time over ``--requests`` requests after one
warm-up, the SQL queries of one request, and the load average; then the same for the parts of
efficiency.analysis alone.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import appraisal  # noqa: E402  (the sibling bench's Django set-up)

GOAL_MS = 300


def timed(func, repeat: int) -> tuple[list[float], int]:
    from django.db import connection

    func()  # warm-up: the session refresh, a locked quarter's stored ranking decoded
    # Counted as they run: a page's request closes the connection, and its log with it.
    seen = []

    def count(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        func()
    times = []
    for _i in range(repeat):
        began = time.perf_counter()
        func()
        times.append((time.perf_counter() - began) * 1000)
    return times, len(seen)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("database", type=Path, help="a migrated copy of a bench database")
    parser.add_argument("--requests", type=int, default=10)
    parser.add_argument("--year", default="2026")
    parser.add_argument("--quarter", default="2026Q3")
    args = parser.parse_args(argv)
    appraisal.setup_django(args.database.resolve())
    import logging

    from django.contrib.auth.models import User
    from django.test import Client

    from efficiency import analysis, spans
    from efficiency.models import Incident, Section, Staff

    logging.getLogger("django.request").setLevel(logging.CRITICAL)
    leader = User.objects.get(username="bench-leader")
    client = Client()
    client.force_login(leader)
    print(
        f"Office: {Staff.objects.count():,} staff, {Section.objects.count()} sections, "
        f"{Incident.objects.count():,} incidents."
    )

    rows = []

    def page(url: str):
        def get():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        rows.append((url, *timed(get, args.requests)))

    page(f"/analysis/?span={args.year}")
    page(f"/analysis/?span={args.quarter}")
    page(f"/analysis/?span={args.year}&kind=delay")
    scope = analysis.Scope(spans.parse(args.year))
    for name in ("heatmap", "over_time", "clause_stats", "unused_clauses"):
        rows.append(
            (f"analysis.{name}({args.year})", *timed(lambda n=name: getattr(analysis, n)(scope), 5))
        )
    rows.append(
        (
            f"analysis.repeat_alert_list({args.year}, limit=20)",
            *timed(lambda: analysis.repeat_alert_list(scope, limit=20), 5),
        )
    )
    rows.append(
        (
            f"analysis.repeat_alerts({args.year}) (all)",
            *timed(lambda: analysis.repeat_alerts(scope), 3),
        )
    )
    rows.append(
        (
            f"analysis.grade_distribution({args.year})",
            *timed(lambda: analysis.grade_distribution(scope), 5),
        )
    )
    width = max(len(r[0]) for r in rows)
    print(f"{'what':<{width}}  median ms  best ms  queries")
    for label, times, queries in rows:
        print(f"{label:<{width}}  {statistics.median(times):9.1f}  {min(times):7.1f}  {queries:7d}")
    year_page = statistics.median(rows[0][1])
    verdict = "met" if year_page < GOAL_MS else "NOT met"
    print(f"Goal: the year's page under {GOAL_MS} ms — {verdict} ({year_page:.0f} ms median).")
    print("Load average: " + " ".join(f"{v:.2f}" for v in os.getloadavg()))
    return 0 if year_page < GOAL_MS else 1


if __name__ == "__main__":
    sys.exit(main())
