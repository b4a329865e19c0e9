"""处分: the list and record pages for supervisors, a person's influence periods, and the
administrator's influence-period months."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from efficiency import consequences, influence, selectors, vetoes
from efficiency.models import InfluenceMonths, Sanction, SanctionKind, Staff
from efficiency.models.incidents import HandlingDecision
from efficiency.services import ServiceError
from efficiency.services import sanctions as services
from efficiency.wording import veto_sentence

from . import confirm

PAGE_SIZE = 20


class SanctionForm(forms.Form):
    staff_no = forms.CharField(
        label=gettext_lazy("Staff number"),
        max_length=20,
        widget=forms.TextInput(attrs={"list": "staff-options", "autocomplete": "off"}),
        error_messages={"required": gettext_lazy("Enter the staff number of the person.")},
    )
    kind = forms.ChoiceField(label=gettext_lazy("Sanction"), choices=SanctionKind.choices)
    dated = forms.DateField(
        label=gettext_lazy("Date of the decision"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": gettext_lazy("Enter a date like 2026-03-15.")},
    )
    document_number = forms.CharField(
        label=gettext_lazy("Document number (文号)"),
        max_length=services.DOCUMENT_NUMBER_MAX_LENGTH,
    )
    note = forms.CharField(
        label=gettext_lazy("Note"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_staff_no(self) -> Staff:
        staff_no = self.cleaned_data["staff_no"].strip()
        staff = Staff.objects.filter(staff_no=staff_no).select_related("section").first()
        if staff is None:
            raise forms.ValidationError(
                _("No staff member has the number “%(number)s”.") % {"number": staff_no}
            )
        return staff


class CorrectForm(SanctionForm):
    reason = forms.CharField(
        label=gettext_lazy("Why is it corrected?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class SanctionFilterForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Name, staff number or document number"), required=False, max_length=50
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Sanction"),
        required=False,
        choices=[("", gettext_lazy("All sanctions")), *SanctionKind.choices],
    )
    withdrawn = forms.BooleanField(label=gettext_lazy("Show withdrawn"), required=False)


def _styled(form: forms.Form) -> forms.Form:
    """Bootstrap classes on every widget."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")
    return form


def _facts(data: dict) -> dict:
    """The form's facts of a 处分 as the services take them."""
    return {name: data[name] for name in ("kind", "dated", "document_number", "note")}


@login_required
@permission_required("efficiency.view_sanctions", raise_exception=True)
def sanction_list(request: HttpRequest) -> HttpResponse:
    form = _styled(SanctionFilterForm(request.GET or None))
    rows = Sanction.objects.select_related("staff", "staff__section")
    show_withdrawn = False
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        text = data["q"].strip()
        if text:
            rows = rows.filter(
                Q(staff__name__icontains=text)
                | Q(staff__staff_no=text)
                | Q(document_number__icontains=text)
            )
        if data["kind"]:
            rows = rows.filter(kind=data["kind"])
        show_withdrawn = data["withdrawn"]
    if not show_withdrawn:
        rows = rows.filter(withdrawn=False)
    page = Paginator(rows.order_by("-dated", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "efficiency/sanctions/list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "today": timezone.localdate(),
            "can_record": request.user.has_perm("efficiency.record_sanction"),
            "active": "sanctions",
        },
    )


def _details(data: dict) -> list[tuple[str, str]]:
    staff = data["staff_no"]
    return [
        (_("Staff"), f"{staff.name}（{staff.staff_no}，{staff.section.name}）"),
        (_("Sanction"), SanctionKind(data["kind"]).label),
        (_("Date of the decision"), data["dated"].isoformat()),
        (_("Document number (文号)"), data["document_number"]),
        (_("Note"), data["note"]),
    ]


@login_required
@permission_required("efficiency.record_sanction", raise_exception=True)
def sanction_create(request: HttpRequest) -> HttpResponse:
    """Record a 处分: the form, then a confirmation saying what it does to the annual grades."""
    if request.method == "POST":
        form = SanctionForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            staff = data["staff_no"]
            if not confirm.confirmed(request):
                return confirm.ask(
                    request,
                    title=_("Record the sanction of %(name)s?") % {"name": staff.name},
                    consequences=consequences.sanction_record(staff, data["kind"], data["dated"]),
                    details=_details(data),
                    submit_label=_("Record the sanction"),
                    back_url=reverse("sanction_create"),
                    danger=True,
                )
            try:
                services.sanction_record(actor=request.user, staff=staff, **_facts(data))
            except ServiceError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    _("The sanction of %(name)s is recorded.") % {"name": staff.name},
                )
                return redirect("person_influence", staff_no=staff.staff_no)
    else:
        form = SanctionForm(initial={"staff_no": request.GET.get("staff", "")})
    _styled(form)
    return render(
        request,
        "efficiency/sanctions/form.html",
        {
            "form": form,
            "staff_list": Staff.objects.current().order_by("staff_no").only("staff_no", "name"),
            "title": _("Record a sanction (处分)"),
            "active": "sanctions",
        },
        status=400 if form.is_bound else 200,
    )


@login_required
@permission_required("efficiency.record_sanction", raise_exception=True)
def sanction_correct(request: HttpRequest, pk: int) -> HttpResponse:
    sanction = get_object_or_404(Sanction.objects.select_related("staff"), pk=pk)
    if sanction.withdrawn:
        messages.error(request, _("This sanction was withdrawn; it can no longer change."))
        return redirect("person_influence", staff_no=sanction.staff.staff_no)
    if request.method == "POST":
        form = CorrectForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            if data["staff_no"] != sanction.staff:
                form.add_error(
                    "staff_no",
                    _("A sanction cannot move to another person: withdraw it and record anew."),
                )
            else:
                try:
                    services.sanction_correct(
                        actor=request.user, sanction=sanction, reason=data["reason"], **_facts(data)
                    )
                except ServiceError as error:
                    form.add_error(None, error.message)
                else:
                    messages.success(request, _("The sanction is corrected."))
                    return redirect("person_influence", staff_no=sanction.staff.staff_no)
    else:
        form = CorrectForm(
            initial={
                "staff_no": sanction.staff.staff_no,
                "kind": sanction.kind,
                "dated": sanction.dated,
                "document_number": sanction.document_number,
                "note": sanction.note,
            }
        )
    _styled(form).fields["staff_no"].widget.attrs["readonly"] = True
    return render(
        request,
        "efficiency/sanctions/form.html",
        {
            "form": form,
            "sanction": sanction,
            "title": _("Correct a sanction (处分)"),
            "active": "sanctions",
        },
        status=400 if form.is_bound else 200,
    )


@require_POST
@login_required
@permission_required("efficiency.record_sanction", raise_exception=True)
def sanction_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Withdraw a 处分: a confirmation page that asks for the reason, then the service."""
    sanction = get_object_or_404(Sanction.objects.select_related("staff"), pk=pk)
    back = reverse("person_influence", kwargs={"staff_no": sanction.staff.staff_no})
    if sanction.withdrawn:
        messages.error(request, _("This sanction was already withdrawn."))
        return redirect(back)
    ask = {
        "title": _("Withdraw the sanction of %(name)s?") % {"name": sanction.staff.name},
        "consequences": [
            _(
                "The sanction “%(sanction)s” (%(number)s) stops counting: it no longer bars "
                "优秀 or leaves a year undetermined."
            )
            % {"sanction": sanction.get_kind_display(), "number": sanction.document_number},
            _("The withdrawal and its reason are recorded in the history."),
        ],
        "submit_label": _("Withdraw the sanction"),
        "back_url": back,
        "danger": True,
        "reason_label": _("Why is it withdrawn?"),
    }
    asked = confirm.ask_reason_then(
        request,
        ask,
        lambda reason: services.sanction_withdraw(
            actor=request.user, sanction=sanction, reason=reason
        ),
    )
    if asked is not None:
        return asked
    messages.success(request, _("The sanction is withdrawn."))
    return redirect(back)


def _may_see_person(request: HttpRequest, staff: Staff) -> bool:
    if request.user.has_perm("efficiency.view_sanctions"):
        return True
    own = selectors.staff_of(request.user)
    return own is not None and own.pk == staff.pk


@login_required
def person_influence(request: HttpRequest, staff_no: str) -> HttpResponse:
    """One person's influence periods and 处分, and what they do to this year's grade."""
    staff = Staff.objects.filter(staff_no=staff_no).select_related("section").first()
    if staff is None:
        if request.user.has_perm("efficiency.view_sanctions"):
            raise Http404
        raise PermissionDenied
    if not _may_see_person(request, staff):
        raise PermissionDenied
    today = timezone.localdate()
    year = today.year
    year_vetoes = vetoes.year_vetoes(year, [staff.staff_no]).get(staff.staff_no, ())
    return render(
        request,
        "efficiency/sanctions/person.html",
        {
            "staff": staff,
            "periods": vetoes.person_periods(staff),
            "history": selectors.sanction_history(staff),
            "year": year,
            "veto_sentences": [veto_sentence(v) for v in year_vetoes],
            "today": today,
            "can_record": request.user.has_perm("efficiency.record_sanction"),
            "active": "sanctions" if request.user.has_perm("efficiency.view_sanctions") else "",
        },
    )


def _months_form(data=None) -> forms.Form:
    table = InfluenceMonths.table()
    fields = {
        decision.value: forms.IntegerField(
            label=decision.label,
            min_value=0,
            max_value=services.MAX_MONTHS,
            initial=table.get(decision.value, 0),
        )
        for decision in HandlingDecision
        if decision.value not in influence.YEAR_END_DECISIONS
    }
    return _styled(type("InfluenceMonthsForm", (forms.Form,), fields)(data))


@login_required
@permission_required("efficiency.change_influencemonths", raise_exception=True)
def influence_months(request: HttpRequest) -> HttpResponse:
    """The administrator's months of each handling decision's influence period."""
    form = _months_form(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.influence_months_save(actor=request.user, months=form.cleaned_data)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            if changed:
                messages.success(request, _("The influence periods are saved."))
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect("influence_months")
    return render(
        request,
        "efficiency/sanctions/months.html",
        {
            "form": form,
            "no_award": HandlingDecision.NO_ANNUAL_AWARD.label,
            "sanction_months": [
                (SanctionKind(kind).label, months)
                for kind, months in influence.SANCTION_MONTHS.items()
            ],
            "active": "",
        },
        status=400 if form.is_bound and form.errors else 200,
    )
