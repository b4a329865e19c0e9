"""What the four reports share: the page furniture, incident and result lines, refusals.

Every number a report prints is a field of what :mod:`efficiency.results` returned (the same
objects the pages show); these helpers only select, count people and put them into words.
Contexts are plain values (strings, Decimals, dataclasses, model instances whose relations are
already loaded), so a worker process can render them without touching the database.
"""

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from efficiency import results
from efficiency.models import (
    GradeReview,
    Incident,
    IncidentKind,
    Period,
    PeriodState,
    Severity,
    Staff,
)
from efficiency.wording import choice_label, quarter_warnings, ranking_note

from . import ReportError, fonts

PDF = "application/pdf"


@dataclass(frozen=True)
class Rendered:
    filename: str
    mimetype: str
    content: bytes


def safe_filename(text: str) -> str:
    """Keep Chinese and ordinary characters; drop what a file system or ZIP would choke on."""
    cleaned = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "_", text).strip(" .")
    return cleaned or "_"


# --- shared pieces --------------------------------------------------------------------------


def _page_counter_css() -> str:
    """“第 N 页 共 M 页” as a CSS ``content`` value, from the translated sentence."""
    sentence = _("Page %(page)s of %(pages)s")
    pieces = re.split(r"(%\(page\)s|%\(pages\)s)", sentence)
    out = []
    for piece in pieces:
        if piece == "%(page)s":
            out.append("counter(page)")
        elif piece == "%(pages)s":
            out.append("counter(pages)")
        elif piece:
            out.append('"' + piece.replace("\\", "\\\\").replace('"', '\\"') + '"')
    return " ".join(out)


def font_family() -> str:
    found = fonts.cached()
    names = found.song if found else ("sans-serif",)
    return ", ".join(f"'{name}'" for name in names)


def css_string(text: str) -> str:
    """A CSS string literal (for ``content:``) that cannot close the string or the style."""
    escaped = (
        str(text)
        .replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("<", "\\3c ")
        .replace("\n", "\\a ")
    )
    return f'"{escaped}"'


def page_context(*, title: str, period_label: str, state: str | None) -> dict:
    generated_at = timezone.localtime()
    return {
        "office_name": settings.OFFICE_NAME,
        "title": title,
        "period_label": period_label,
        "generated_at": generated_at,
        "css_office": css_string(settings.OFFICE_NAME),
        "css_heading": css_string(f"{period_label} · {title}"),
        "css_generated": css_string(
            _("Made %(when)s") % {"when": formats.date_format(generated_at, "Y-m-d H:i")}
        ),
        "page_counter": _page_counter_css(),
        "provisional": state == PeriodState.OPEN,
        "state": state,
    }


def quarter_page_context(period: Period, *, title: str) -> dict:
    """The page furniture of a report on one quarter, and the quarter itself."""
    return {
        **page_context(title=title, period_label=str(period), state=period.state),
        "period": period,
    }


@dataclass(frozen=True)
class IncidentLine:
    number: str
    occurred_on: datetime.date | None
    section: str
    people: str
    kind: str
    clause_code: str
    clause_text: str
    severity: str
    severity_code: str
    points: Decimal
    handling: str
    no_longer_established: bool  # dismissed on appeal after the period was locked


def incidents_by_number(numbers: Iterable[str]) -> dict[str, Incident]:
    wanted = sorted(set(numbers))
    found: dict[str, Incident] = {}
    for start in range(0, len(wanted), 500):
        for incident in (
            Incident.objects.filter(number__in=wanted[start : start + 500])
            .select_related("section")
            .prefetch_related("responsibilities__staff")
        ):
            found[incident.number] = incident
    return found


def incident_line(fact: results.DeductionFact, incident: Incident | None) -> IncidentLine:
    return IncidentLine(
        number=fact.number,
        occurred_on=incident.occurred_on if incident else None,
        section=incident.section.name if incident else "",
        people="、".join(r.staff.name for r in incident.responsibilities.all()) if incident else "",
        kind=choice_label(IncidentKind, fact.kind),
        clause_code=fact.clause_code,
        clause_text=incident.clause_text if incident else "",
        severity=choice_label(Severity, fact.severity),
        severity_code=fact.severity,
        points=fact.points,
        handling=(
            incident.get_handling_decision_display()
            if incident and incident.handling_decision
            else _("Not decided yet")
        ),
        no_longer_established=bool(incident) and not incident.is_established,
    )


@dataclass(frozen=True)
class ResultLine:
    """One row of a results table: the row from the ranking, its averages in criteria order."""

    row: results.Row
    averages: list  # Decimal | None per criterion
    note: str
    post: str = ""


def result_lines(
    table: results.Ranking, rows: Iterable[results.Row], posts: dict[str, str] | None = None
) -> list[ResultLine]:
    lines = []
    for row in rows:
        by_code = {a.code: a.average for a in row.result.averages}
        lines.append(
            ResultLine(
                row=row,
                averages=[by_code.get(c.code) for c in table.criteria],
                note="；".join(
                    text
                    for text in (ranking_note(row.result), row.correction and row.correction.text)
                    if text
                ),
                post=(posts or {}).get(row.facts.key, ""),
            )
        )
    return lines


def warning_texts(table: results.Ranking) -> list[str]:
    """The period's warnings, in the words of the ranking page."""
    return quarter_warnings(table.result, {row.facts.key: row.facts.name for row in table.rows})


def published_period(code: str) -> Period:
    """A period that has results (opened at least once)."""
    period = Period.objects.exclude(state=PeriodState.DRAFT).filter(code=code).first()
    if period is None:
        raise ReportError(_("There are no results for period %(code)s.") % {"code": code})
    return period


def staff_by_number(keys: Iterable[str]) -> dict[str, Staff]:
    return {
        s.staff_no: s
        for s in Staff.objects.filter(staff_no__in=list(keys)).select_related("section")
    }


def load_override_users(table: results.Ranking) -> None:
    """Fetch who decided each decision that changed a grade once, not once per form."""
    overrides = [row.override for row in table.rows if row.override is not None]
    if overrides:
        loaded = {
            o.pk: o
            for o in GradeReview.objects.filter(pk__in=[o.pk for o in overrides]).select_related(
                "decided_by__staff"
            )
        }
        for override in overrides:
            override.decided_by = loaded[override.pk].decided_by
