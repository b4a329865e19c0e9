"""Forms for the incident pages.

Rules live in the services; forms give early, per-field messages.
"""

import datetime

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from efficiency import spans
from efficiency.models import IncidentKind, IncidentStatus, Section, Severity, Staff, Standard
from efficiency.models.incidents import HandlingDecision, ResultUse, number_order
from efficiency.quarters import Quarter
from efficiency.reasons import meaningful_reason
from efficiency.selectors import (
    reporting_sections,
    sees_all_incidents,
    staff_choices,
)
from efficiency.services.incidents import open_dates


class StyledFormMixin:
    """Bootstrap classes on every widget, so templates render fields with ``as_widget``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(
                widget, forms.RadioSelect | forms.CheckboxSelectMultiple | forms.CheckboxInput
            ):
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class StandardSelect(forms.Select):
    """Options carry their kind and points so the page can filter clauses and show deductions."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        standard = getattr(value, "instance", None)
        if standard is not None:
            option["attrs"].update(
                {
                    "data-kind": standard.kind,
                    "data-minor": str(standard.points_minor),
                    "data-serious": str(standard.points_serious),
                    "data-grave": str(standard.points_grave),
                    # The page offers only the clauses in force on the date it happened.
                    "data-from": standard.valid_from.isoformat() if standard.valid_from else "",
                    "data-until": standard.valid_until.isoformat() if standard.valid_until else "",
                }
            )
        return option


class StaffCheckboxes(forms.CheckboxSelectMultiple):
    """Options carry section and search text so the page can filter and reorder them."""

    option_template_name = "efficiency/widgets/staff_option.html"

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        staff = getattr(value, "instance", None)
        if staff is not None:
            option["section_id"] = staff.section_id
            option["section_name"] = staff.section.name
            option["search"] = f"{staff.name} {staff.staff_no}"
            option["end_date"] = staff.end_date
            option["outside"] = (
                self.own_section_ids is not None and staff.section_id not in self.own_section_ids
            )
        return option

    own_section_ids: set[int] | None = None  # the recorder's sections; None: the whole office


class StandardChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        label = f"{obj.code}　{obj.text}"
        if obj.valid_from and obj.valid_until:
            span = _("in force %(start)s–%(end)s") % {
                "start": date_format(obj.valid_from, "DATE_FORMAT"),
                "end": date_format(obj.valid_until, "DATE_FORMAT"),
            }
        elif obj.valid_from:
            span = _("in force from %(start)s") % {
                "start": date_format(obj.valid_from, "DATE_FORMAT")
            }
        elif obj.valid_until:
            span = _("in force until %(end)s") % {
                "end": date_format(obj.valid_until, "DATE_FORMAT")
            }
        else:
            return label
        return f"{label}（{span}）"


def choosable_standards():
    """Clauses in the catalogue, and superseded ones for the days they covered."""
    return Standard.objects.filter(Q(active=True) | Q(valid_until__isnull=False))


class IncidentForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=IncidentKind.choices, widget=forms.RadioSelect
    )
    standard = StandardChoiceField(
        label=_("Clause"),
        queryset=choosable_standards(),
        widget=StandardSelect,
        empty_label=_("— choose a clause —"),
    )
    severity = forms.ChoiceField(
        label=_("Severity"), choices=Severity.choices, widget=forms.RadioSelect
    )
    occurred_on = forms.DateField(
        label=_("Date it happened"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    section = forms.ModelChoiceField(
        label=_("Section"), queryset=Section.objects.none(), empty_label=_("— choose a section —")
    )
    responsible = forms.ModelMultipleChoiceField(
        label=_("People responsible"),
        queryset=Staff.objects.none(),
        widget=StaffCheckboxes,
        error_messages={"required": _("Name at least one person responsible.")},
    )
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={"required": _("Describe what happened.")},
    )
    outside_confirmed = forms.BooleanField(
        label=_("Yes: they are responsible, although not in the sections I record for."),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args, user, section_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = reporting_sections(user)
        # A clerk may name someone of another section, but only knowingly.
        self.own_section_ids = (
            None
            if sees_all_incidents(user)
            else set(reporting_sections(user).values_list("pk", flat=True))
        )
        self.fields["responsible"].widget.own_section_ids = self.own_section_ids
        self.outside: list[Staff] = []
        if section_id is None:
            section_id = self.data.get("section") or self.initial.get("section")
        try:
            section_id = int(getattr(section_id, "pk", section_id) or 0)
        except (TypeError, ValueError):
            section_id = None
        today = timezone.localdate()
        # People who left are offered while a day they were in post can still be recorded.
        first_day = open_dates().first_day or today - datetime.timedelta(days=366)
        self.fields["responsible"].queryset = staff_choices(section_id, left_since=first_day)
        self.fields["occurred_on"].widget.attrs["max"] = today.isoformat()

    def clean_occurred_on(self):
        occurred_on = self.cleaned_data["occurred_on"]
        if occurred_on > timezone.localdate():
            raise forms.ValidationError(_("The date it happened cannot be in the future."))
        return occurred_on

    def clean(self):
        cleaned = super().clean()
        kind, standard = cleaned.get("kind"), cleaned.get("standard")
        if kind and standard and standard.kind != kind:
            self.add_error(
                "standard",
                _("Clause %(code)s belongs to another kind of error; choose a clause of this kind.")
                % {"code": standard.code},
            )
        if self.own_section_ids is not None:
            self.outside = [
                person
                for person in cleaned.get("responsible") or []
                if person.section_id not in self.own_section_ids
            ]
        if self.outside and not cleaned.get("outside_confirmed"):
            self.add_error(
                "outside_confirmed",
                gettext(
                    "%(people)s not in the sections you record for. If they are responsible, "
                    "tick the box below and record the incident again."
                )
                % {"people": "、".join(f"{p.name}（{p.section.name}）" for p in self.outside)},
            )
        cleaned.pop("outside_confirmed", None)  # a check of the form, not a fact of the incident
        return cleaned


class CorrectionForm(IncidentForm):
    reason = forms.CharField(
        label=_("Reason for the correction"),
        max_length=500,
        widget=forms.TextInput,
        validators=[meaningful_reason],
        error_messages={"required": _("Say why the entry is corrected.")},
    )


class ExplanationForm(StyledFormMixin, forms.Form):
    staff = forms.ModelChoiceField(label=_("On behalf of"), queryset=Staff.objects.none())
    text = forms.CharField(
        label=_("Explanation"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": _("Write the explanation.")},
    )

    def __init__(self, *args, staff_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = Staff.objects.filter(pk__in=[s.pk for s in staff_choices])
        if len(staff_choices) == 1:
            self.fields["staff"].initial = staff_choices[0].pk


class VerifyForm(StyledFormMixin, forms.Form):
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=500)


class DismissForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason for dismissal"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        validators=[meaningful_reason],
        error_messages={"required": _("A dismissal needs a reason.")},
    )


class HandleForm(StyledFormMixin, forms.Form):
    # Nothing pre-selected: the supervisor chooses, the suggestion is shown beside the field.
    decision = forms.ChoiceField(
        label=_("Handling decision"),
        choices=[("", _("— choose a handling decision —")), *HandlingDecision.choices],
        error_messages={"required": _("Choose a handling decision.")},
    )
    note = forms.CharField(
        label=_("Handling note"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        required=False,
    )
    result_use = forms.ChoiceField(
        label=_("Where the result was used"), choices=ResultUse.choices, required=False
    )


class AppealForm(StyledFormMixin, forms.Form):
    text = forms.CharField(
        label=_("Grounds of appeal"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": _("Write the grounds of the appeal.")},
        validators=[meaningful_reason],
    )


class AppealDecisionForm(StyledFormMixin, forms.Form):
    outcome = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("reject", _("Reject the appeal: the incident stands")),
            ("lighten", _("Uphold it in part: the incident stands, the handling is lightened")),
            ("uphold", _("Uphold the appeal: the incident is dismissed")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how the appeal is decided.")},
    )
    lighten_to = forms.ChoiceField(label=_("Lighter handling decision"), required=False)
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        error_messages={"required": _("An appeal decision needs a reason.")},
        validators=[meaningful_reason],
    )

    def __init__(self, *args, lighter=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lighten_to"].choices = [
            ("", _("— choose a lighter step —")),
            *[(step.value, step.label) for step in lighter],
        ]
        if not lighter:
            # The lightest step already applies: there is nothing to lighten it to.
            self.fields["outcome"].choices = [
                choice for choice in self.fields["outcome"].choices if choice[0] != "lighten"
            ]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("outcome") == "lighten" and not cleaned.get("lighten_to"):
            self.add_error("lighten_to", _("Choose the lighter handling decision."))
        if cleaned.get("outcome") != "lighten":
            cleaned["lighten_to"] = ""
        return cleaned


# Incident numbers sort as numbers (2026-9999 before 2026-10000), not as text.
SORTS = {
    "-occurred_on": ("-occurred_on", *number_order(descending=True)),
    "occurred_on": ("occurred_on", *number_order()),
    "-number": tuple(number_order(descending=True)),
    "number": tuple(number_order()),
    "section": ("section__order", "-occurred_on"),
    "status": ("status", "-occurred_on"),
    "-points": ("-points", "-occurred_on"),
}


ESTABLISHED = "established"  # a status filter: verified or handled


class IncidentFilterForm(StyledFormMixin, forms.Form):
    quarter = forms.CharField(label=_("Quarter"), required=False)
    section = forms.ModelChoiceField(
        label=_("Section"),
        queryset=Section.objects.all(),
        required=False,
        empty_label=_("All sections"),
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All kinds")), *IncidentKind.choices], required=False
    )
    severity = forms.ChoiceField(
        label=_("Severity"), choices=[("", _("All severities")), *Severity.choices], required=False
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            ("", _("All statuses")),
            *IncidentStatus.choices,
            (ESTABLISHED, _("Established (verified or handled)")),
        ],
        required=False,
    )
    # The analytics page links here with a span of days and a clause (efficiency.spans).
    span = forms.CharField(
        label=_("Span"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"placeholder": "2026-10"}),
    )
    clause = forms.CharField(label=_("Clause"), required=False, max_length=20)
    q = forms.CharField(label=_("Search"), required=False, max_length=50)
    sort = forms.ChoiceField(
        label=_("Sort"),
        required=False,
        choices=[
            ("-occurred_on", _("Newest first")),
            ("occurred_on", _("Oldest first")),
            ("-number", _("Number, descending")),
            ("number", _("Number, ascending")),
            ("section", _("By section")),
            ("status", _("By status")),
            ("-points", _("Points, highest first")),
        ],
    )

    def __init__(self, *args, sections, quarters, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = sections
        self.fields["quarter"].widget = forms.Select(
            choices=[("", _("All quarters")), *[(q, q) for q in quarters]],
            attrs={"class": "form-select"},
        )

    def clean_quarter(self):
        quarter = self.cleaned_data["quarter"].strip().upper()
        if quarter and Quarter.parse(quarter) is None:
            raise forms.ValidationError(_("Write the quarter like 2026Q3."))
        return quarter

    def clean_span(self) -> spans.Span | None:
        text = self.cleaned_data["span"].strip()
        if not text:
            return None
        try:
            return spans.parse(text)
        except spans.SpanError as error:
            raise forms.ValidationError(str(error)) from None

    def clean_clause(self) -> str:
        return self.cleaned_data["clause"].strip().upper()
