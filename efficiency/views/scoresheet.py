"""The assessor's score sheet: people (or sections) × criteria, saved cell by cell as they go.

The page is a plain table of inputs; static/efficiency/scoresheet.js adds the spreadsheet keys
and posts each changed cell to ``save_mark``, which makes one call to ``score_save``.
"""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from efficiency.models import Period, PeriodCriterion, Score
from efficiency.results import sections_in_period, staff_in_period
from efficiency.services import ServiceError
from efficiency.services import appraisal as services
from efficiency.wording import weight_text

STAFF = "staff"
SECTION = "section"
REASON_MAX = 500


@dataclass(frozen=True)
class Column:
    code: str
    label: str  # 履行职责（40%）


@dataclass(frozen=True)
class Cell:
    criterion: str
    label: str  # for screen readers: 王建国 履行职责
    value: str  # "87.5", or "" when not marked
    reason: str


@dataclass(frozen=True)
class SheetRow:
    pk: int
    key: str  # 工号 or 科室代码
    name: str
    detail: str  # the person's post
    cells: tuple[Cell, ...]
    marked: int
    left: bool = False  # left the office during the quarter

    @property
    def complete(self) -> bool:
        return self.marked == len(self.cells)


@dataclass(frozen=True)
class SheetGroup:
    title: str  # the section's name; blank on the section sheet
    rows: tuple[SheetRow, ...]


def mark_text(tenths: int) -> str:
    """875 → "87.5", 800 → "80"; never an exponent such as 1E+2."""
    whole, tenth = divmod(tenths, 10)
    return f"{whole}.{tenth}" if tenth else str(whole)


def _my_marks(period: Period, user, kind: str) -> dict[tuple[int, str], tuple[int, str]]:
    """(subject pk, criterion code) -> (tenths, reason): this assessor's marks, in one query."""
    rows = Score.objects.filter(period=period, assessor=user, **{f"{kind}__isnull": False})
    return {
        (subject, code): (tenths, reason)
        for subject, code, tenths, reason in rows.values_list(
            f"{kind}_id", "criterion__code", "tenths", "reason"
        )
    }


def _row(pk, key, name, detail, criteria, marks, left=False) -> SheetRow:
    cells = []
    for criterion in criteria:
        tenths, reason = marks.get((pk, criterion.code), (None, ""))
        cells.append(
            Cell(
                criterion=criterion.code,
                label=f"{name} {criterion.name}",
                value="" if tenths is None else mark_text(tenths),
                reason=reason,
            )
        )
    return SheetRow(
        pk=pk,
        key=key,
        name=name,
        detail=detail,
        cells=tuple(cells),
        marked=sum(1 for cell in cells if cell.value),
        left=left,
    )


def _staff_groups(period, user, criteria) -> list[SheetGroup]:
    marks = _my_marks(period, user, STAFF)
    rights = services.marking_rights(user)
    people = (
        staff_in_period(period)
        .select_related("section")
        .order_by("section__order", "section__code", "staff_no")
    )
    groups: list[SheetGroup] = []
    rows: list[SheetRow] = []
    current = None
    for person in people:
        if not rights.may_mark_staff(person.pk):
            continue
        if current is not None and person.section_id != current.pk:
            groups.append(SheetGroup(title=current.name, rows=tuple(rows)))
            rows = []
        current = person.section
        rows.append(
            _row(
                person.pk,
                person.staff_no,
                person.name,
                person.post,
                criteria,
                marks,
                left=person.end_date is not None,
            )
        )
    if rows:
        groups.append(SheetGroup(title=current.name, rows=tuple(rows)))
    return groups


def _section_groups(period, user, criteria) -> list[SheetGroup]:
    marks = _my_marks(period, user, SECTION)
    rights = services.marking_rights(user)
    rows = tuple(
        _row(section.pk, section.code, section.name, "", criteria, marks)
        for section in sections_in_period(period)
        if rights.may_mark_section(section.pk)
    )
    return [SheetGroup(title="", rows=rows)] if rows else []


def sheet_progress(period: Period, user) -> list[tuple[str, int, int]]:
    """(kind, marked, to mark) of this assessor's staff and section sheets, for the home page.

    Counted as the sheets count (marks given to those the assessor may mark), without
    building the sheets: the home page shows it for each open quarter."""
    codes = set(period.criteria.values_list("code", flat=True))
    rights = services.marking_rights(user)
    progress = []
    for kind, subjects, may_mark in (
        (STAFF, staff_in_period(period), rights.may_mark_staff),
        (SECTION, sections_in_period(period), rights.may_mark_section),
    ):
        eligible = {pk for pk in subjects.values_list("pk", flat=True) if may_mark(pk)}
        if not eligible:
            continue
        marked = sum(
            1
            for (pk, code), (tenths, _reason) in _my_marks(period, user, kind).items()
            if pk in eligible and code in codes and tenths is not None
        )
        progress.append((kind, marked, len(eligible) * len(codes)))
    return progress


def _texts() -> dict[str, str]:
    """What the script writes into the page, in the reader's language."""
    return {
        "saving": _("Saving…"),
        "saved": _("Saved ✓"),
        "waiting": _("Reason needed"),
        "waitingLong": _("Write the reason; the mark is saved once it is given."),
        "retrying": _("Not saved yet, retrying…"),
        "error": _("Not saved"),
        "offline": _(
            "The connection to the server was lost; unsaved marks are kept on this page and "
            "sent again automatically."
        ),
        "loggedOut": _(
            "You are no longer logged in. Log in again in another tab; the unsaved marks "
            "will then be sent automatically."
        ),
        "allSaved": _("All marks saved"),
        "unsaved": _("Marks not saved yet: __N__"),
    }


def _render_sheet(request: HttpRequest, code: str, kind: str) -> HttpResponse:
    period = get_object_or_404(Period, code=code)
    criteria: list[PeriodCriterion] = list(period.criteria.all())
    if kind == STAFF:
        groups = _staff_groups(period, request.user, criteria) if criteria else []
    else:
        groups = _section_groups(period, request.user, criteria) if criteria else []
    rows = [row for group in groups for row in group.rows]
    to_mark = len(rows) * len(criteria)
    marked = sum(row.marked for row in rows)
    return render(
        request,
        "efficiency/appraisal/sheet.html",
        {
            "period": period,
            "kind": kind,
            "editable": period.accepts_marks,
            "columns": [
                Column(
                    code=c.code,
                    label=_("%(name)s (%(weight)s%%)")
                    % {"name": c.name, "weight": weight_text(c.weight)},
                )
                for c in criteria
            ],
            "groups": groups,
            "row_count": len(rows),
            "marked": marked,
            "to_mark": to_mark,
            "percent": round(100 * marked / to_mark) if to_mark else 0,
            "texts": _texts(),
            "reason_max": REASON_MAX,
        },
    )


@login_required
@permission_required("efficiency.add_score", raise_exception=True)
def sheet(request: HttpRequest, code: str) -> HttpResponse:
    return _render_sheet(request, code, STAFF)


@login_required
@permission_required("efficiency.add_score", raise_exception=True)
def sheet_sections(request: HttpRequest, code: str) -> HttpResponse:
    return _render_sheet(request, code, SECTION)


def _refused(message: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"ok": False, "message": message, "value": None}, status=status)


def _subject(period: Period, kind: str, raw_id: str):
    if not (raw_id.isascii() and raw_id.isdigit() and len(raw_id) <= 9):
        return None
    subjects = staff_in_period(period) if kind == STAFF else sections_in_period(period)
    return subjects.filter(pk=int(raw_id)).first()


@require_POST
@login_required
def save_mark(request: HttpRequest, code: str) -> JsonResponse:
    """One cell of the sheet: give, change or clear a mark. Answers JSON {ok, message, value}."""
    if not request.user.has_perm("efficiency.add_score"):
        return _refused(_("Only members of the assessment group give marks."), status=403)
    period = Period.objects.filter(code=code).first()
    if period is None:
        return _refused(_("There is no appraisal period %(code)s.") % {"code": code})
    kind = request.POST.get("subject", "")
    if kind not in (STAFF, SECTION):
        return _refused(_("Mark either a person or a section."))
    subject = _subject(period, kind, request.POST.get("id", "").strip())
    if subject is None:
        return _refused(
            _("This person is not on the period's score sheet.")
            if kind == STAFF
            else _("This section is not on the period's score sheet.")
        )
    value = request.POST.get("value", "")
    reason = request.POST.get("reason", "").strip()
    if len(reason) > REASON_MAX:
        return _refused(_("A reason is at most %(count)s characters long.") % {"count": REASON_MAX})
    try:
        # A reason only belongs to a mark of 100 or below 60; dropping it otherwise keeps a
        # repeated save of the same mark a no-op in the service.
        if not services.needs_reason(services.parse_mark(value)):
            reason = ""
        score = services.score_save(
            assessor=request.user,
            period=period,
            criterion_code=request.POST.get("criterion", ""),
            value=value,
            reason=reason,
            **{kind: subject},
        )
    except ServiceError as error:
        return _refused(error.message)
    if score is None:
        return JsonResponse({"ok": True, "message": _("Mark cleared."), "value": ""})
    return JsonResponse({"ok": True, "message": _("Saved."), "value": mark_text(score.tenths)})
