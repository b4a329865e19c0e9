"""关于审定X年第X季度平时考核等次的请示: the memo asking the leadership to decide the grades.

Per quota pool, how many the section heads proposed and the leaders decided as 好 and 较好 and
their share of the people graded; who has no grade and why; then the attached table of every
person (rank, final, computed grade, proposal, decision). The numbers are the ranking's
(:func:`efficiency.results.ranking`) and the 审核评鉴 records (:class:`GradeReview`).

Pools: one line per quota pool with someone graded (``results.Ranking.pools``); a period
opened before pools, or whose graded are all in one pool, prints one line for everyone.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from efficiency import pools as quota_pools
from efficiency import results
from efficiency.models import GradeReview, Period
from efficiency.scoring import Grade

from . import pdf, register
from .common import PDF, Rendered, quarter_page_context, safe_filename

TEMPLATE = "reports/request_pdf.html"


@dataclass(frozen=True)
class Share:
    count: int
    percent: Decimal | None  # of the people graded in the pool; None when nobody is


def share(count: int, of: int) -> Share:
    if not of:
        return Share(count, None)
    percent = (Decimal(count) * 100 / Decimal(of)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return Share(count, percent)


@dataclass(frozen=True)
class Pool:
    name: str
    graded: int
    quota: int  # places for 好
    proposed: int  # people with a proposal
    proposed_good: Share
    proposed_fairly_good: Share
    decided: int
    decided_good: Share
    decided_fairly_good: Share


@dataclass(frozen=True)
class Line:
    rank: int | None
    staff_no: str
    name: str
    section: str
    final: Decimal | None
    computed_grade: str
    proposed_grade: str
    decided_grade: str


@dataclass(frozen=True)
class Unsettled:
    name: str
    section: str
    reason: str


def _label(value: str) -> str:
    return Grade(value).label if value else ""


def pool(
    name: str, rows: Iterable[results.Row], quota: int, reviews: dict[str, GradeReview]
) -> Pool:
    graded = [row for row in rows if row.result.computed_grade is not None]
    found = [reviews.get(row.facts.key) for row in graded]
    proposals = [r.proposed_grade for r in found if r is not None and r.proposed_grade]
    decisions = [r.grade for r in found if r is not None and r.grade]
    return Pool(
        name=name,
        graded=len(graded),
        quota=quota,
        proposed=len(proposals),
        proposed_good=share(proposals.count(Grade.GOOD), len(graded)),
        proposed_fairly_good=share(proposals.count(Grade.FAIRLY_GOOD), len(graded)),
        decided=len(decisions),
        decided_good=share(decisions.count(Grade.GOOD), len(graded)),
        decided_fairly_good=share(decisions.count(Grade.FAIRLY_GOOD), len(graded)),
    )


def pools_of(table: results.Ranking, reviews: dict[str, GradeReview]) -> list[Pool]:
    listed = quota_pools.shown(table.pools)
    if not listed:
        return [pool(_("Everyone graded"), table.rows, table.result.quota, reviews)]
    return [
        pool(p.name, [row for row in table.rows if row.pool == p.key], p.places, reviews)
        for p in listed
    ]


def request_context(period: Period) -> dict:
    with translation.override(pdf.LANGUAGE):
        table = results.ranking(period, results.STAFF)
        reviews = {
            r.staff.staff_no: r
            for r in GradeReview.objects.filter(period=period).select_related("staff")
        }
        criteria = {c.code: c.name for c in table.criteria}
        title = _("Request to decide the quarterly appraisal grades of %(period)s") % {
            "period": period
        }
        return {
            **quarter_page_context(period, title=title),
            "people": len(table.rows),
            "pools": pools_of(table, reviews),
            "unsettled": [
                Unsettled(row.facts.name, row.facts.section, register.unsettled_note(row, criteria))
                for row in table.rows
                if not row.result.assessed or row.undetermined
            ],
            "lines": [
                Line(
                    rank=row.result.rank,
                    staff_no=row.facts.key,
                    name=row.facts.name,
                    section=row.facts.section,
                    final=row.result.final,
                    computed_grade=row.result.computed_grade.label
                    if row.result.computed_grade
                    else (_("No grade determined") if row.undetermined else ""),
                    proposed_grade=_label(
                        getattr(reviews.get(row.facts.key), "proposed_grade", "")
                    ),
                    decided_grade=_label(getattr(reviews.get(row.facts.key), "grade", "")),
                )
                for row in table.rows
            ],
            "today": timezone.localdate(),
        }


def request_filename(period: Period) -> str:
    with translation.override(pdf.LANGUAGE):
        return safe_filename(f"{period.code}-{_('Request to decide the grades')}") + ".pdf"


def request(period: Period) -> Rendered:
    return Rendered(
        request_filename(period), PDF, pdf.render_pdf(TEMPLATE, request_context(period))
    )
