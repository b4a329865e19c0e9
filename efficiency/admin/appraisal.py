"""The appraisal in the administrator's pages.

Only the default criteria are edited here (recorded in the history, never deleted). Periods,
their criteria, marks and grade reviews are for inspection only: periods change state on the
appraisal page or with ``manage.py period``, marks and grades through the services. So a
locked period and everything under it are read-only here as everywhere else.
"""

from decimal import Decimal

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from efficiency import pools
from efficiency.models import (
    Criterion,
    GradeReview,
    Period,
    PeriodCriterion,
    PoolRounding,
    Score,
)
from efficiency.services.appraisal import THRESHOLD_FIELDS
from efficiency.services.roster import AUDITED_FIELDS
from efficiency.wording import weight_text

from .base import AuditedAdmin, ReadOnlyAdmin


@admin.register(Criterion)
class CriterionAdmin(AuditedAdmin):
    list_display = AUDITED_FIELDS[Criterion]
    list_editable = ["weight", "order", "active"]
    list_filter = ["active"]
    search_fields = ["code", "name"]

    def changelist_view(self, request, extra_context=None):
        # Weights are edited one row at a time, so say when the active ones stop adding up.
        if request.method == "GET":
            weights = Criterion.objects.filter(active=True).values_list("weight", flat=True)
            total = sum(weights, Decimal(0))
            if total != 100:
                messages.warning(
                    request,
                    _(
                        "The active criteria's weights add up to %(total)s, not 100: "
                        "no period can be opened until they do."
                    )
                    % {"total": total},
                )
        return super().changelist_view(request, extra_context)


class PeriodCriterionInline(admin.TabularInline):
    model = PeriodCriterion
    fields = ["code", "name", "weight", "order"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Period)
class PeriodAdmin(ReadOnlyAdmin):
    list_display = ["code", "__str__", "state", "opened_at", "closed_at", "locked_at"]
    list_filter = ["state", "year"]
    search_fields = ["code"]
    fields = [
        "code",
        "year",
        "quarter",
        "state",
        "lifecycle",
        "thresholds_text",
        "pools_text",
        "opened_at",
        "closed_at",
        "locked_at",
    ]
    readonly_fields = ["lifecycle", "thresholds_text", "pools_text"]
    inlines = [PeriodCriterionInline]

    @admin.display(description=gettext_lazy("how the state changes"))
    def lifecycle(self, obj):
        return format_html(
            '{} <a href="{}">{}</a>',
            _("Open, close, reopen and lock on the appraisal page, or with “manage.py period”."),
            reverse("period_list"),
            _("Appraisal periods"),
        )

    @admin.display(description=gettext_lazy("thresholds"))
    def thresholds_text(self, obj):
        values = {}
        for name, value in (obj.thresholds or {}).items():
            number = Decimal(value) * 100 if name.endswith("_quota") else Decimal(value)
            values[name] = weight_text(number)
        if set(values) != set(THRESHOLD_FIELDS):
            return "—"
        return (
            _(
                "好 from %(good)s, 较好 from %(fairly_good)s, 一般 from %(average)s; at most "
                "%(good_quota)s%% graded 好. Annual: 优秀 from %(excellent)s, 基本称职 below "
                "%(competent_floor)s, 不称职 below %(fail_floor)s; at most %(excellent_quota)s%% "
                "graded 优秀."
            )
            % values
        )

    @admin.display(description=gettext_lazy("quota pools"))
    def pools_text(self, obj):
        scheme = pools.from_json(obj.pools or {})
        if scheme is None:
            return _("One pool of everyone graded (opened before quota pools).")
        return "；".join(
            _("%(name)s: 好 %(good)s, 优秀 %(excellent)s, %(rounding)s, at least %(minimum)s")
            % {
                "name": rule.name,
                "good": _share_text(rule.share_good),
                "excellent": _share_text(rule.share_excellent),
                "rounding": PoolRounding(rule.rounding).label,
                "minimum": rule.minimum,
            }
            for rule in scheme.rules
        ) or _("The default pool of each staff category.")


def _share_text(share) -> str:
    if share is None:
        return _("as the thresholds")
    return f"{weight_text(share * 100)}%"


@admin.register(PeriodCriterion)
class PeriodCriterionAdmin(ReadOnlyAdmin):
    list_display = ["period", "code", "name", "weight", "order"]
    list_filter = ["period"]
    list_select_related = ["period"]


@admin.register(Score)
class ScoreAdmin(ReadOnlyAdmin):
    list_display = ["period", "subject", "criterion_name", "mark", "assessor", "updated_at"]
    list_filter = ["period", "criterion__name"]
    search_fields = ["staff__name", "staff__staff_no", "section__name", "assessor__username"]
    list_select_related = ["period", "criterion", "assessor", "staff", "section"]

    @admin.display(description=gettext_lazy("appraised"))
    def subject(self, obj):
        return obj.staff or obj.section

    @admin.display(description=gettext_lazy("criterion"), ordering="criterion__order")
    def criterion_name(self, obj):
        return obj.criterion.name

    @admin.display(description=gettext_lazy("mark"), ordering="tenths")
    def mark(self, obj):
        return obj.mark


@admin.register(GradeReview)
class GradeReviewAdmin(ReadOnlyAdmin):
    list_display = [
        "period",
        "staff",
        "proposed_grade",
        "grade",
        "reason",
        "decided_by",
        "decided_at",
    ]
    list_filter = ["period", "grade"]
    search_fields = ["staff__name", "staff__staff_no", "comment", "reason"]
    list_select_related = ["period", "staff", "decided_by"]
    fields = [
        "period",
        "staff",
        "comment",
        "proposed_grade",
        "proposal_reason",
        "proposed_by",
        "proposed_at",
        "grade",
        "reason",
        "decided_by",
        "decided_at",
    ]
    readonly_fields = fields
