"""Quota pools (名额) in the administrator's pages: edited here, recorded in the history."""

from collections import Counter

from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from efficiency import pool_schemes, pools
from efficiency.models import QuotaPool, Staff
from efficiency.services.pools import pool_set_membership
from efficiency.services.roster import AUDITED_FIELDS

from .base import AuditedAdmin


def _counted_now() -> Counter:
    """How many current staff each pool would count, under the pools as they are now."""
    rules = pool_schemes.current_rules()
    return Counter(
        pools.assign(rules, pk, category, section)
        for pk, category, section in Staff.objects.current().values_list(
            "pk", "category", "section_id"
        )
    )


def _counts(request) -> Counter:
    # Once per request: the list's column and the warning above it read the same figures.
    if not hasattr(request, "_pool_counts"):
        request._pool_counts = _counted_now()
    return request._pool_counts


@admin.register(QuotaPool)
class QuotaPoolAdmin(AuditedAdmin):
    list_display = AUDITED_FIELDS[QuotaPool]
    list_filter = ["active", "category"]
    search_fields = ["name"]
    filter_horizontal = ["sections"]
    autocomplete_fields = ["members"]
    fieldsets = [
        (None, {"fields": ["name", "order", "active"]}),
        (
            gettext_lazy("Places"),
            {"fields": ["good_percent", "excellent_percent", "rounding", "minimum"]},
        ),
        (gettext_lazy("Who is counted here"), {"fields": ["category", "sections", "members"]}),
    ]

    def get_list_display(self, request):
        counts = _counts(request)

        @admin.display(description=gettext_lazy("current staff counted here"))
        def counted_now(obj):
            return counts.get(f"p{obj.pk}", 0) if obj.active else "—"

        return [*AUDITED_FIELDS[QuotaPool], counted_now]

    def changelist_view(self, request, extra_context=None):
        if request.method == "GET":
            messages.info(
                request,
                _(
                    "The 40%% 好 and 20%% 优秀 are counted within each pool. A person named in a "
                    "pool is counted there; otherwise in the first pool in order whose category "
                    "and sections match; anyone left in the default pool of their category. A "
                    "quarter keeps the pools it was opened with: changes here apply from the "
                    "next quarter opened."
                )
                % {},  # the msgid is a format string: %% is one per cent sign
            )
            counts = _counts(request)
            left = sum(n for key, n in counts.items() if key.startswith(pools.FALLBACK_PREFIX))
            if left:
                messages.warning(
                    request,
                    _(
                        "%(count)s current staff match no pool here and are counted in the "
                        "default pool of their category (shares of the thresholds, rounded down)."
                    )
                    % {"count": left},
                )
        return super().changelist_view(request, extra_context)

    def save_related(self, request, form, formsets, change):
        # Sections and named people go through the service, so their changes are recorded.
        pool_set_membership(
            actor=request.user,
            pool=form.instance,
            sections=form.cleaned_data["sections"],
            members=form.cleaned_data["members"],
        )
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)
