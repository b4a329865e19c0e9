"""更正: the leaders' list of corrections after lock per period, the record form with its
confirmation, and the withdrawal."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from efficiency import consequences, results
from efficiency.models import Correction, Staff
from efficiency.scoring import Grade
from efficiency.services import ServiceError
from efficiency.services import corrections as services
from efficiency.views import period_or_404

from . import confirm

PAGE_SIZE = 20
GRADE_CHOICES = [("", "—"), *((g.value, g.label) for g in Grade)]


class CorrectionForm(forms.Form):
    corrected_final = forms.CharField(
        label=gettext_lazy("Corrected final score"),
        max_length=10,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        help_text=gettext_lazy("0–100, at most two decimals."),
    )
    corrected_grade = forms.ChoiceField(
        label=gettext_lazy("Corrected grade"), choices=GRADE_CHOICES
    )
    what = forms.CharField(
        label=gettext_lazy("What was wrong"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    why = forms.CharField(
        label=gettext_lazy("Why it is corrected"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    incident = forms.ChoiceField(label=gettext_lazy("Upheld appeal it follows"), required=False)
    reference = forms.CharField(
        label=gettext_lazy("Or the reference it follows"),
        required=False,
        max_length=services.REFERENCE_MAX_LENGTH,
        help_text=gettext_lazy(
            "For example the 复核 decision's number, when it follows no appeal."
        ),
    )

    def __init__(self, *args, appeals=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.appeals = {str(i.pk): i for i in appeals}
        self.fields["incident"].choices = [
            ("", _("None: it follows the reference below")),
            *((str(i.pk), f"{i.number} · {i.get_appeal_status_display()}") for i in appeals),
        ]
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)

    def facts(self) -> dict:
        data = self.cleaned_data
        return {
            "corrected_final": data["corrected_final"],
            "corrected_grade": data["corrected_grade"],
            "what": data["what"],
            "why": data["why"],
            "incident": self.appeals.get(data["incident"]),
            "reference": data["reference"],
        }


@login_required
@permission_required("efficiency.record_correction", raise_exception=True)
def correction_list(request: HttpRequest, code: str) -> HttpResponse:
    period = period_or_404(code)
    # "Record a correction for 工号 …": the form is per person.
    staff_no = request.GET.get("staff", "").strip()
    if staff_no:
        if Staff.objects.filter(staff_no=staff_no).exists():
            return redirect("correction_create", code=period.code, staff_no=staff_no)
        messages.error(
            request, _("No staff member has the number “%(number)s”.") % {"number": staff_no}
        )
    rows = Correction.objects.filter(period=period).select_related(
        "staff", "staff__section", "incident", "recorded_by"
    )
    text = request.GET.get("q", "").strip()[:50]
    if text:
        rows = rows.filter(Q(staff__name__icontains=text) | Q(staff__staff_no=text))
    in_force = set(Correction.objects.in_force().filter(period=period).values_list("pk", flat=True))
    page = Paginator(rows.order_by("-recorded_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "efficiency/corrections/list.html",
        {
            "period": period,
            "page": page,
            "q": text,
            "query": query.urlencode(),
            "in_force": in_force,
            "people": [
                (row.facts.key, row.facts.name)
                for row in results.ranking(period).rows
                if row.result.assessed and not row.undetermined
            ]
            if period.is_locked
            else [],
            "active": "periods",
        },
    )


@login_required
@permission_required("efficiency.record_correction", raise_exception=True)
def correction_create(request: HttpRequest, code: str, staff_no: str) -> HttpResponse:
    """The form, then a confirmation that says where the correction shows, then the record."""
    period = period_or_404(code)
    staff = Staff.objects.filter(staff_no=staff_no).select_related("section").first()
    if staff is None:
        raise Http404
    try:
        services.require_locked(period)
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect("ranking_staff", code=period.code)
    appeals = list(services.upheld_appeals(staff))
    form = CorrectionForm(request.POST or None, appeals=appeals)
    back = reverse("correction_create", args=[period.code, staff.staff_no])
    row = results.ranking(period).row(staff.staff_no)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.correction_plan(
                actor=request.user, period=period, staff=staff, **form.facts()
            )
            if not confirm.confirmed(request):
                return confirm.ask(
                    request,
                    title=_("Record a correction (更正) for %(name)s in %(period)s?")
                    % {"name": staff.name, "period": period},
                    consequences=consequences.correction_record(
                        staff,
                        period,
                        original_final=plan.original_final,
                        original_grade=plan.original_grade.label if plan.original_grade else "",
                        final=plan.corrected_final,
                        grade=plan.corrected_grade.label,
                        supersedes=plan.superseded is not None,
                    ),
                    details=[
                        (_("Staff"), f"{staff.name}（{staff.staff_no}，{staff.section.name}）"),
                        (_("What was wrong"), plan.what),
                        (_("Why it is corrected"), plan.why),
                        (
                            _("It follows"),
                            plan.incident.number if plan.incident else plan.reference,
                        ),
                    ],
                    submit_label=_("Record the correction"),
                    back_url=back,
                    danger=True,
                )
            services.correction_record(
                actor=request.user, period=period, staff=staff, **form.facts()
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("The correction for %(name)s in %(period)s is recorded.")
                % {"name": staff.name, "period": period},
            )
            return redirect("correction_list", code=period.code)
    return render(
        request,
        "efficiency/corrections/form.html",
        {
            "form": form,
            "period": period,
            "staff": staff,
            "row": row,
            "active": "periods",
        },
        status=400 if form.is_bound else 200,
    )


@login_required
@permission_required("efficiency.record_correction", raise_exception=True)
def correction_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    correction = get_object_or_404(Correction.objects.select_related("staff", "period"), pk=pk)
    back = reverse("correction_list", args=[correction.period.code])
    if request.method != "POST":
        return redirect(back)
    ask = {
        "title": _("Withdraw the correction for %(name)s in %(period)s?")
        % {"name": correction.staff.name, "period": correction.period},
        "consequences": [
            _(
                "The correction stops counting: the correction recorded before it counts "
                "again, or else the locked result."
            ),
            _("The withdrawal and its reason are recorded in the history."),
        ],
        "submit_label": _("Withdraw the correction"),
        "back_url": back,
        "danger": True,
        "reason_label": _("Why is it withdrawn?"),
    }
    asked = confirm.ask_reason_then(
        request,
        ask,
        lambda reason: services.correction_withdraw(
            actor=request.user, correction=correction, reason=reason
        ),
    )
    if asked is not None:
        return asked
    messages.success(request, _("The correction is withdrawn."))
    return redirect(back)
