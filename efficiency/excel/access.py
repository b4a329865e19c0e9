"""Who may import and export which sheet.

Imports (each importer checks again, whatever the route):
  科室, 人员, 三误界定标准 — administrators (add and change rights on the model);
  三误事件 — supervisors (the right to verify incidents); moving a status forward also needs
  the right for that step;
  评分 — members of the assessment group, their own marks, into an open period only; the
  administrator (the right to enter marks for others) any assessor's marks from paper;
  个人小结 and 年度个人总结 — the administrator, or a section head for the sections they head.

Exports show what the pages show:
  科室 and 三误界定标准 — anyone signed in (clerks choose clauses from the catalogue);
  人员 — the roster page's scope: the whole office for administrators, supervisors and
  leaders, a head's own sections, nothing for others;
  三误事件 — ``selectors.incidents_visible_to``, the incident list's scope;
  评分 — everyone's marks for those who see results (``view_results``); an assessor exports
  their own marks (with a row for everyone they may mark, ready to fill in);
  个人小结 and 年度个人总结 — the summary lists' scope (``services.summaries.reviewable_sections``);
  排名 and 年度 — ``view_results`` only;
  出勤 — imported by administrators (the right to change attendance), exported by those who
  see the attendance page (``view_attendance``).
"""

from efficiency import selectors
from efficiency.services.summaries import reviewable_sections

from .sheets import IMPORTERS

IMPORT_SHEETS = [
    "sections",
    "staff",
    "standards",
    "incidents",
    "scores",
    "attendance",
    "summaries",
    "year_summaries",
]
EXPORT_SHEETS = IMPORT_SHEETS + ["rankings", "annual"]


def may_import(user, sheet: str) -> bool:
    if sheet not in IMPORTERS or not user.is_authenticated:
        return False
    return IMPORTERS[sheet](actor=user, file_name="").refusal() is None


def may_export(user, sheet: str) -> bool:
    if user is None:  # the command line
        return sheet in EXPORT_SHEETS
    if not user.is_authenticated or not user.is_active:
        return False
    if sheet in ("sections", "standards", "incidents"):
        return True
    if sheet == "staff":
        return selectors.roster_sections(user).exists()
    if sheet == "scores":
        return user.has_perm("efficiency.view_results") or user.has_perm("efficiency.add_score")
    if sheet == "attendance":
        return user.has_perm("efficiency.view_attendance")
    if sheet in ("summaries", "year_summaries"):
        return reviewable_sections(user).exists()
    if sheet in ("rankings", "annual"):
        return user.has_perm("efficiency.view_results")
    return False
