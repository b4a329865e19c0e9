"""年度考核汇总: the year's roll-up of its closed and locked quarters."""

from collections import Counter
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _

from efficiency import pools as quota_pools
from efficiency import results
from efficiency.models import PeriodState
from efficiency.scoring import AnnualGrade
from efficiency.wording import (
    annual_count_labels,
    annual_notes,
    annual_rules_printed,
    annual_warnings,
)

from . import ReportError, pdf
from .common import PDF, Rendered, page_context, safe_filename


@dataclass(frozen=True)
class AnnualLine:
    row: results.AnnualRow
    quarters: list  # results.Row | None per quarter of the roll-up
    notes: str
    decided: str = ""  # 审定等次, "" until the committee decides


def annual_context(year: int) -> dict:
    with translation.override(pdf.LANGUAGE):
        rollup = results.annual_rollup(year)
        if not rollup.periods:
            raise ReportError(
                _("No quarter of %(year)s is closed or locked yet: there is no annual roll-up.")
                % {"year": year}
            )
        decided = results.annual_decided_labels(year, rollup.rows)
        lines = [
            AnnualLine(
                row=row,
                quarters=[row.quarters.get(p.code) for p in rollup.periods],
                notes="；".join(
                    [row.standing_reason_label, *annual_notes(row.result)]
                    if row.undetermined
                    else annual_notes(row.result)
                ),
                decided=decided.get(row.facts.key, ""),
            )
            for row in rollup.rows
        ]
        counts = Counter(row.result.grade for row in rollup.rows if row.result.grade is not None)
        labels = annual_count_labels(row.category for row in rollup.rows)
        final = all(p.state == PeriodState.LOCKED for p in rollup.periods)
        return {
            **page_context(
                title=_("Annual appraisal summary"),
                period_label=_("Year %(year)s") % {"year": year},
                state=None,
            ),
            "year": year,
            "periods": rollup.periods,
            "lines": lines,
            "result": rollup.result,
            # no grade: no assessed quarter, or 不定等次 by a veto
            "not_graded": rollup.result.not_graded_count
            + sum(1 for row in rollup.rows if row.result.undetermined),
            "pools": quota_pools.shown(rollup.result.pools),
            "grade_counts": [(labels[g], counts.get(g, 0)) for g in AnnualGrade],
            "quarters_missing": 4 - len(rollup.periods),
            "all_locked": final,
            "signers": [_("Assessment group"), _("Leadership group")],
            "rules": annual_rules_printed(rollup.thresholds, rollup.result.pools),
            # Annual scoring warns only of ties on the 优秀 line: the page shows the same.
            "warnings": annual_warnings(
                rollup.result, {row.facts.key: row.facts.name for row in rollup.rows}
            ),
        }


def annual_filename(year: int) -> str:
    with translation.override(pdf.LANGUAGE):
        return safe_filename(f"{year}-{_('Annual appraisal summary')}") + ".pdf"


def annual(year: int) -> Rendered:
    return Rendered(
        annual_filename(year), PDF, pdf.render_pdf("reports/annual_pdf.html", annual_context(year))
    )
