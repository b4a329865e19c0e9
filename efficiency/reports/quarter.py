"""科室考核汇总 (one section) and 季度考核排名通报 (the whole office, published for review)."""

import datetime
from collections import Counter

from django.utils import translation
from django.utils.translation import gettext as _

from efficiency import pools as quota_pools
from efficiency import results
from efficiency.models import IncidentKind, Period, Section, Severity, Staff
from efficiency.models.incidents import number_sort_key
from efficiency.scoring import Grade
from efficiency.wording import quarter_rules

from . import pdf
from .common import (
    PDF,
    Rendered,
    incident_line,
    incidents_by_number,
    load_override_users,
    quarter_page_context,
    result_lines,
    safe_filename,
    warning_texts,
)
from .history_stamp import history_stamp


def section_context(period: Period, section: Section) -> dict:
    with translation.override(pdf.LANGUAGE):
        sections = results.ranking(period, results.SECTION)
        staff_table = results.ranking(period, results.STAFF)
        # By id: a locked quarter keeps the code and name the section had then.
        own = next((row for row in sections.rows if row.facts.section_id == section.pk), None)
        people = [row for row in staff_table.rows if row.facts.section_id == section.pk]
        load_override_users(staff_table)
        deductions = own.facts.deductions if own else ()
        incidents = incidents_by_number(d.number for d in deductions)
        graded = Counter(row.result.grade for row in people if row.result.grade is not None)
        posts = dict(
            Staff.objects.filter(staff_no__in=[row.facts.key for row in people]).values_list(
                "staff_no", "post"
            )
        )
        return {
            **quarter_page_context(period, title=_("Section appraisal summary")),
            "section": section,
            # The name it had in the quarter, as printed then (a locked quarter reprints so).
            "section_name": own.facts.name if own else section.name,
            "criteria": sections.criteria,
            "own": result_lines(sections, [own])[0] if own else None,
            "section_count": sections.result.assessed_count,
            "people": result_lines(staff_table, people, posts),
            "people_criteria": staff_table.criteria,
            "staff_count": staff_table.result.assessed_count,
            "grade_counts": [(g.label, graded.get(g, 0)) for g in Grade],
            "not_assessed": sum(1 for row in people if not row.result.assessed),
            "incidents": [incident_line(d, incidents.get(d.number)) for d in deductions],
            "signers": [_("Head of section"), _("Assessment group")],
        }


def section_filename(period: Period, section: Section) -> str:
    with translation.override(pdf.LANGUAGE):
        return (
            safe_filename(f"{period.code}-{section.name}-{_('Section appraisal summary')}") + ".pdf"
        )


def section(period: Period, section: Section) -> Rendered:
    return Rendered(
        section_filename(period, section),
        PDF,
        pdf.render_pdf("reports/section_pdf.html", section_context(period, section)),
    )


# --- 季度考核排名通报 ------------------------------------------------------------------------


def bulletin_context(period: Period) -> dict:
    with translation.override(pdf.LANGUAGE):
        sections = results.ranking(period, results.SECTION)
        staff_table = results.ranking(period, results.STAFF)
        load_override_users(staff_table)
        # Every established incident of the quarter is recorded against a section and names
        # its people; both rankings carry them (frozen with the period once it is locked).
        facts: dict[str, results.DeductionFact] = {}
        for table in (sections, staff_table):
            for row in table.rows:
                for deduction in row.facts.deductions:
                    facts.setdefault(deduction.number, deduction)
        details = incidents_by_number(facts)
        lines = sorted(
            (incident_line(fact, details.get(number)) for number, fact in facts.items()),
            key=lambda line: (line.occurred_on or datetime.date.min, number_sort_key(line.number)),
        )
        grades = Counter(
            row.result.grade for row in staff_table.rows if row.result.grade is not None
        )
        kinds = Counter(fact.kind for fact in facts.values())
        severities = Counter(fact.severity for fact in facts.values())
        return {
            **quarter_page_context(period, title=_("Quarterly appraisal ranking bulletin")),
            "criteria": sections.criteria,
            "sections": result_lines(sections, sections.rows),
            "section_result": sections.result,
            "staff": result_lines(staff_table, staff_table.rows),
            "staff_result": staff_table.result,
            "pools": quota_pools.shown(staff_table.pools),
            "incidents": lines,
            "grade_counts": [(g.label, grades.get(g, 0)) for g in Grade],
            "kind_counts": [(k.label, kinds.get(k.value, 0)) for k in IncidentKind],
            "severity_counts": [(s.label, severities.get(s.value, 0)) for s in Severity],
            "incident_count": len(facts),
            "warnings": warning_texts(staff_table),
            "quarter_rules": quarter_rules(staff_table.result, results.thresholds_of(period)),
            **history_stamp(),
        }


def bulletin_filename(period: Period) -> str:
    with translation.override(pdf.LANGUAGE):
        return safe_filename(f"{period.code}-{_('Quarterly appraisal ranking bulletin')}") + ".pdf"


def bulletin(period: Period) -> Rendered:
    return Rendered(
        bulletin_filename(period),
        PDF,
        pdf.render_pdf("reports/bulletin_pdf.html", bulletin_context(period)),
    )
