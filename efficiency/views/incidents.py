"""Incident pages: list, report, detail with its history, correction and the status actions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from efficiency import consequences, selectors, vetoes
from efficiency.forms import (
    ESTABLISHED,
    SORTS,
    AppealDecisionForm,
    AppealForm,
    CorrectionForm,
    DismissForm,
    ExplanationForm,
    HandleForm,
    IncidentFilterForm,
    IncidentForm,
    VerifyForm,
)
from efficiency.models import Incident, IncidentStatus, Section
from efficiency.models.incidents import (
    ESTABLISHED_STATUSES,
    AppealStatus,
    HandlingDecision,
    ResultUse,
)
from efficiency.quarters import Quarter
from efficiency.services import ServiceError
from efficiency.services import incidents as services

from . import confirm, incident_or_404

PAGE_SIZE = 20


def _visible_sections(user):
    if selectors.sees_all_incidents(user):
        return Section.objects.all()
    ids = set(selectors.headed_section_ids(user))
    ids.update(selectors.reporting_sections(user).values_list("pk", flat=True))
    return Section.objects.filter(pk__in=ids)


def _quarters(incidents) -> list[str]:
    years = sorted({d.year for d in incidents.dates("occurred_on", "year")}, reverse=True)
    return [Quarter(year, number).code for year in years for number in (4, 3, 2, 1)]


@login_required
def incident_list(request: HttpRequest) -> HttpResponse:
    incidents = selectors.incidents_visible_to(request.user)
    form = IncidentFilterForm(
        request.GET or None,
        sections=_visible_sections(request.user),
        quarters=_quarters(incidents),
    )
    sort = "-occurred_on"
    if form.is_bound:
        if form.is_valid():
            data = form.cleaned_data
            if data["quarter"]:
                quarter = Quarter.parse(data["quarter"])
                incidents = incidents.filter(occurred_on__range=quarter.bounds)
            if data["span"]:
                incidents = incidents.filter(
                    occurred_on__range=(data["span"].first, data["span"].last)
                )
            if data["section"]:
                incidents = incidents.filter(section=data["section"])
            if data["clause"]:
                incidents = incidents.filter(standard__code=data["clause"])
            if data["status"] == ESTABLISHED:
                incidents = incidents.filter(status__in=ESTABLISHED_STATUSES)
            elif data["status"]:
                incidents = incidents.filter(status=data["status"])
            for name in ("kind", "severity"):
                if data[name]:
                    incidents = incidents.filter(**{name: data[name]})
            if data["q"]:
                text = data["q"].strip()
                incidents = incidents.filter(
                    Q(number__icontains=text)
                    | Q(description__icontains=text)
                    | Q(clause_code__icontains=text)
                    | Q(responsibilities__staff__name__icontains=text)
                    | Q(responsibilities__staff__staff_no=text)
                ).distinct()
            sort = data["sort"] or sort
        else:
            messages.error(
                request, _("Some filters were not valid; correct them and filter again.")
            )
            incidents = incidents.none()
    incidents = incidents.order_by(*SORTS[sort]).prefetch_related("responsibilities__staff")
    page = Paginator(incidents, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "efficiency/incidents/list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "can_report": request.user.has_perm("efficiency.add_incident"),
        },
    )


@login_required
@permission_required("efficiency.add_incident", raise_exception=True)
def incident_create(request: HttpRequest) -> HttpResponse:
    if not selectors.reporting_sections(request.user).exists():
        messages.error(
            request,
            _("No section is assigned to you for recording incidents; ask the administrator."),
        )
        return redirect("incident_list")
    sections = list(selectors.reporting_sections(request.user)[:2])
    initial = {"occurred_on": timezone.localdate()}
    if len(sections) == 1:
        initial["section"] = sections[0].pk
    form = IncidentForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            incident = services.incident_report(reporter=request.user, **form.cleaned_data)
        except ServiceError as error:
            _add_error(form, error)
        else:
            messages.success(
                request, _("Incident %(number)s recorded.") % {"number": incident.number}
            )
            return redirect("incident_detail", number=incident.number)
    return render(request, "efficiency/incidents/form.html", {"form": form, "incident": None})


def _add_error(form, error: ServiceError) -> None:
    """The service's reason, beside the field it is about when it names one."""
    field = getattr(error, "field", None)
    form.add_error(field if field in form.fields else None, error.message)


def _correctable(user, incident: Incident) -> bool:
    return (
        incident.status == IncidentStatus.REPORTED
        and user.has_perm("efficiency.change_incident")
        and (incident.reporter_id == user.pk or selectors.sees_all_incidents(user))
    )


@login_required
def incident_edit(request: HttpRequest, number: str) -> HttpResponse:
    incident = incident_or_404(request.user, number)
    if not _correctable(request.user, incident):
        if incident.status != IncidentStatus.REPORTED:
            messages.error(
                request, _("Only an incident that is still only reported can be corrected.")
            )
            return redirect("incident_detail", number=incident.number)
        raise PermissionDenied
    initial = {
        "kind": incident.kind,
        "standard": incident.standard_id,
        "severity": incident.severity,
        "occurred_on": incident.occurred_on,
        "section": incident.section_id,
        "responsible": [r.staff_id for r in incident.responsibilities.all()],
        "description": incident.description,
    }
    form = CorrectionForm(request.POST or None, user=request.user, initial=initial)
    if incident.section_id not in {s.pk for s in form.fields["section"].queryset}:
        form.fields["section"].queryset = Section.objects.filter(pk=incident.section_id)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        reason = data.pop("reason")
        try:
            services.incident_correct(actor=request.user, incident=incident, reason=reason, **data)
        except ServiceError as error:
            _add_error(form, error)
        else:
            messages.success(
                request, _("Incident %(number)s corrected.") % {"number": incident.number}
            )
            return redirect("incident_detail", number=incident.number)
    return render(request, "efficiency/incidents/form.html", {"form": form, "incident": incident})


def _action_forms(user, incident: Incident) -> dict:
    forms = {}
    explainable = selectors.explainable_staff(user, incident)
    if explainable:
        forms["explain_form"] = ExplanationForm(staff_choices=explainable)
    if incident.status == IncidentStatus.REPORTED and user.has_perm("efficiency.verify_incident"):
        forms["verify_form"] = VerifyForm()
        forms["dismiss_form"] = DismissForm()
    if incident.status == IncidentStatus.VERIFIED and user.has_perm("efficiency.handle_incident"):
        forms["handle_form"] = HandleForm()
        forms["handling_suggestion"] = selectors.suggested_handling(incident)
    if selectors.may_appeal(user, incident):
        forms["appeal_form"] = AppealForm()
    if incident.appeal_status == AppealStatus.PENDING and user.has_perm("efficiency.decide_appeal"):
        forms["appeal_decision_form"] = AppealDecisionForm(
            lighter=services.lighter_decisions(incident.handling_decision)
        )
    return forms


@login_required
def incident_detail(request: HttpRequest, number: str) -> HttpResponse:
    incident = incident_or_404(request.user, number)
    context = {
        "incident": incident,
        "responsibilities": incident.responsibilities.select_related("staff", "section"),
        "explanations": incident.explanations.select_related("staff", "author"),
        "history": selectors.incident_history(incident),
        "can_correct": _correctable(request.user, incident),
        "influence_until": vetoes.incident_period_end(
            incident.handling_decision, incident.handled_at
        )
        if incident.is_established
        else None,
        **_action_forms(request.user, incident),
    }
    return render(request, "efficiency/incidents/detail.html", context)


def _act(
    request: HttpRequest,
    number: str,
    form_class,
    perform,
    success: str,
    form_kwargs=None,
    check=None,
    ask=None,
):
    """Shared shape of every status action: read, check, validate, one service call, redirect.

    ``check(incident)`` raises ServiceError when the action no longer applies, so nobody is
    asked to confirm what cannot be done; ``ask(incident, data)`` returns the keyword arguments
    of the confirmation step (see ``confirm.ask``) for a decision that cannot be taken back.
    """
    incident = incident_or_404(request.user, number)
    form = form_class(request.POST, **(form_kwargs(incident) if form_kwargs else {}))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("incident_detail", number=incident.number)
    try:
        if check is not None:
            check(incident)
        if ask is not None and not confirm.confirmed(request):
            back = reverse("incident_detail", kwargs={"number": incident.number})
            return confirm.ask(request, back_url=back, **ask(incident, form.cleaned_data))
        perform(incident, form.cleaned_data)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success % {"number": incident.number})
    return redirect("incident_detail", number=incident.number)


def _status_is(*statuses: str):
    return lambda incident: services.require_status(incident, *statuses)


@require_POST
@login_required
def incident_explain(request: HttpRequest, number: str) -> HttpResponse:
    incident = incident_or_404(request.user, number)
    allowed = selectors.explainable_staff(request.user, incident)
    if not allowed:
        if incident.status != IncidentStatus.REPORTED:
            messages.error(request, _("Explanations can only be written before verification."))
            return redirect("incident_detail", number=incident.number)
        raise PermissionDenied
    return _act(
        request,
        number,
        ExplanationForm,
        lambda inc, data: services.incident_explain(
            actor=request.user, incident=inc, staff=data["staff"], text=data["text"]
        ),
        _("Explanation recorded for incident %(number)s."),
        form_kwargs=lambda inc: {"staff_choices": allowed},
    )


@require_POST
@login_required
@permission_required("efficiency.verify_incident", raise_exception=True)
def incident_verify(request: HttpRequest, number: str) -> HttpResponse:
    return _act(
        request,
        number,
        VerifyForm,
        lambda inc, data: services.incident_verify(
            actor=request.user, incident=inc, note=data["note"]
        ),
        _("Incident %(number)s verified."),
        check=_status_is(IncidentStatus.REPORTED),
        ask=lambda inc, data: {
            "title": _("Verify incident %(number)s?") % {"number": inc.number},
            "consequences": consequences.incident_verify(inc),
            "details": [(_("Note"), data["note"])],
            "submit_label": _("Verify (establish)"),
        },
    )


@require_POST
@login_required
@permission_required("efficiency.verify_incident", raise_exception=True)
def incident_dismiss(request: HttpRequest, number: str) -> HttpResponse:
    return _act(
        request,
        number,
        DismissForm,
        lambda inc, data: services.incident_dismiss(
            actor=request.user, incident=inc, reason=data["reason"]
        ),
        _("Incident %(number)s dismissed."),
        check=_status_is(IncidentStatus.REPORTED),
        ask=lambda inc, data: {
            "title": _("Dismiss incident %(number)s?") % {"number": inc.number},
            "consequences": consequences.incident_dismiss(inc),
            "details": [(_("Reason for dismissal"), data["reason"])],
            "submit_label": _("Dismiss"),
            "danger": True,
        },
    )


@require_POST
@login_required
@permission_required("efficiency.handle_incident", raise_exception=True)
def incident_handle(request: HttpRequest, number: str) -> HttpResponse:
    return _act(
        request,
        number,
        HandleForm,
        lambda inc, data: services.incident_handle(
            actor=request.user,
            incident=inc,
            decision=data["decision"],
            note=data["note"],
            result_use=data["result_use"],
        ),
        _("Handling decision recorded for incident %(number)s."),
        check=_status_is(IncidentStatus.VERIFIED),
        ask=lambda inc, data: {
            "title": _("Record the handling decision for incident %(number)s?")
            % {"number": inc.number},
            "consequences": consequences.incident_handle(
                inc, data["decision"], selectors.suggested_handling(inc)
            ),
            "details": [
                (_("Handling decision"), HandlingDecision(data["decision"]).label),
                (_("Handling note"), data["note"]),
                (_("Where the result was used"), ResultUse(data["result_use"]).label),
            ],
            "submit_label": _("Record the handling decision"),
        },
    )


@require_POST
@login_required
def incident_appeal(request: HttpRequest, number: str) -> HttpResponse:
    incident = incident_or_404(request.user, number)
    if not selectors.may_appeal(request.user, incident):
        if incident.status != IncidentStatus.HANDLED or incident.appeal_status:
            messages.error(request, _("This incident cannot be appealed now."))
            return redirect("incident_detail", number=incident.number)
        raise PermissionDenied
    return _act(
        request,
        number,
        AppealForm,
        lambda inc, data: services.incident_appeal(
            actor=request.user, incident=inc, text=data["text"]
        ),
        _("Appeal filed for incident %(number)s."),
        ask=lambda inc, data: {
            "title": _("File an appeal on incident %(number)s?") % {"number": inc.number},
            "consequences": consequences.incident_appeal(inc),
            "details": [(_("Grounds of appeal"), data["text"])],
            "submit_label": _("File an appeal"),
        },
    )


@require_POST
@login_required
@permission_required("efficiency.decide_appeal", raise_exception=True)
def incident_decide_appeal(request: HttpRequest, number: str) -> HttpResponse:
    return _act(
        request,
        number,
        AppealDecisionForm,
        lambda inc, data: services.incident_decide_appeal(
            actor=request.user,
            incident=inc,
            uphold=data["outcome"] == "uphold",
            lighten_to=data["lighten_to"],
            reason=data["reason"],
        ),
        _("Appeal on incident %(number)s decided."),
        form_kwargs=lambda inc: {"lighter": services.lighter_decisions(inc.handling_decision)},
        check=services.require_pending_appeal,
        ask=lambda inc, data: {
            "title": _("Decide the appeal on incident %(number)s?") % {"number": inc.number},
            "consequences": consequences.appeal_decision(
                inc, outcome=data["outcome"], lighten_to=data["lighten_to"]
            ),
            "details": [(_("Reason"), data["reason"])],
            "submit_label": _("Decide the appeal"),
            "danger": data["outcome"] == "uphold",
        },
    )
