"""What the result pages share: the periods menu, the sub-navigation, the filter form and
its paging, the quarter labels on chart axes and a person's trend chart."""

from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from efficiency import charts, results
from efficiency.models import IncidentKind, Period, PeriodState, Section, Severity, Staff
from efficiency.wording import choice_label

PAGE_SIZE = 50


def published_periods():
    """Periods that have results (opened at least once), newest first.

    Without a locked period's frozen inputs (every person's facts: hundreds of kB at 2,000
    staff, parsed on every fetch): menus and lists never need them; results loads them itself.
    """
    return (
        Period.objects.exclude(state=PeriodState.DRAFT)
        .order_by("-year", "-quarter")
        .defer("frozen")
    )


def years() -> list[int]:
    return sorted(set(published_periods().values_list("year", flat=True)), reverse=True)


def nav(period: Period | None = None, year: int | None = None) -> dict:
    """What the results sub-navigation links to: this or the newest period, and its year."""
    nav_period = period or published_periods().first()
    return {
        "nav_period": nav_period,
        "nav_year": year or (nav_period.year if nav_period else None),
    }


def page_query(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def names(rows) -> dict[str, str]:
    """Key (staff number or section code) -> name, for the sentences that name people."""
    return {row.facts.key: row.facts.name for row in rows}


def _section_codes(rows) -> dict[int, tuple[str, str]]:
    """Section id -> (current code, name shown in the rows), in the office's order.

    Rows are matched by section id: a locked quarter shows the name a section had then, and
    ?section= takes the code it has now.
    """
    present = {row.facts.section_id: row.facts for row in rows}
    current = dict(Section.objects.values_list("pk", "code"))
    codes = {pk: (current[pk], present[pk].section) for pk in current if pk in present}
    for pk, facts in present.items():
        codes.setdefault(pk, (facts.section_code, facts.section))
    return codes


def search_field(label) -> forms.CharField:
    """A short optional search box, as every result page's filter has one."""
    return forms.CharField(
        label=label,
        required=False,
        max_length=30,
        widget=forms.TextInput(
            attrs={"class": "form-control", "type": "search", "autocomplete": "off"}
        ),
    )


class ResultFilterForm(forms.Form):
    q = search_field(gettext_lazy("Name or staff number"))
    section = forms.ChoiceField(
        label=gettext_lazy("Section"),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, sections: list[tuple[str, str]], q_label: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if q_label:
            self.fields["q"].label = q_label
        self.fields["section"].choices = [("", _("All sections")), *sections]


def filter_not_valid(request: HttpRequest) -> None:
    messages.error(request, _("Some filters were not valid; correct them and filter again."))


def filtered(request: HttpRequest, rows, *, with_section: bool = True):
    """The rows matching ?q= and ?section=, the form, and the page of rows to show."""
    codes = _section_codes(rows) if with_section else {}
    form = ResultFilterForm(
        request.GET or None,
        sections=list(codes.values()),
        q_label="" if with_section else _("Section name or code"),
    )
    shown = list(rows)
    if form.is_bound:
        if form.is_valid():
            text = form.cleaned_data["q"].strip()
            section = form.cleaned_data["section"]
            if text:
                shown = [r for r in shown if text in r.facts.name or r.facts.key.startswith(text)]
            if section:
                shown = [r for r in shown if codes[r.facts.section_id][0] == section]
        else:
            filter_not_valid(request)
    page = Paginator(shown, PAGE_SIZE).get_page(request.GET.get("page"))
    return form, page


@dataclass(frozen=True)
class DeductionLine:
    number: str
    points: Decimal
    kind: str
    severity: str
    severity_code: str
    clause_code: str


def deduction_lines(facts: results.SubjectFacts) -> list[DeductionLine]:
    return [
        DeductionLine(
            number=d.number,
            points=d.points,
            kind=choice_label(IncidentKind, d.kind),
            severity=choice_label(Severity, d.severity),
            severity_code=d.severity,
            clause_code=d.clause_code,
        )
        for d in facts.deductions
    ]


def quarter_label(period: Period, how_many: int) -> str:
    # Long labels crowd the axis beyond six quarters; the code form stays readable.
    label = str(period) if how_many <= 6 else period.code
    # An open quarter's numbers still move as marks come in: say so on the axis.
    return f"{label}*" if period.state == PeriodState.OPEN else label


def person_chart(
    staff: Staff, periods: list[Period], title: str, known: results.Ranking | None = None
):
    points = results.staff_trend(staff, periods, known=known)
    labels = [quarter_label(p, len(periods)) for p in periods]
    chart = charts.line_chart(
        title=title,
        x_labels=labels,
        series=[(staff.name, [p.final for p in points])],
        y_title=_("Final score"),
        height=320,
        show_values=True,
        legend=False,
    )
    return chart, list(zip(labels, points, strict=True))
