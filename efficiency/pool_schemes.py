"""The quota pools in force: the administrator's current scheme, or the one a period froze.

See :mod:`efficiency.pools` for who is counted where. A period freezes the scheme when it opens
(:func:`freeze`); a period opened before pools existed has none and is counted as one pool.
The year uses the scheme frozen into its last opened quarter (:func:`year_scheme`), so the
annual 优秀 places follow the same pools as the year's last quarter; with no quarter yet, the
current scheme.
"""

from collections.abc import Iterable, Sequence
from decimal import Decimal

from efficiency import pools, scoring
from efficiency.models import Period, QuotaPool

_HUNDRED = Decimal(100)


def _share(percent: Decimal | None) -> Decimal | None:
    return None if percent is None else percent / _HUNDRED


def current_rules() -> tuple[pools.PoolRule, ...]:
    """The active pools as the administrator has them now, in order."""
    rows = QuotaPool.objects.filter(active=True).prefetch_related("sections", "members")
    return tuple(
        pools.PoolRule(
            key=f"p{row.pk}",
            name=row.name,
            share_good=_share(row.good_percent),
            share_excellent=_share(row.excellent_percent),
            rounding=scoring.PoolRounding(row.rounding),
            minimum=row.minimum,
            category=row.category,
            sections=frozenset(s.pk for s in row.sections.all()),
            members=frozenset(m.pk for m in row.members.all()),
        )
        for row in rows
    )


def freeze(people: Iterable[tuple[int, str, int]]) -> dict:
    """The scheme to store on a period that opens: the rules, and the pool of each of
    ``people`` (staff pk, category, section id) under them."""
    rules = current_rules()
    assigned = {pk: pools.assign(rules, pk, category, section) for pk, category, section in people}
    return pools.to_json(rules, assigned)


def scheme_of(period: Period) -> pools.Scheme | None:
    return pools.from_json(period.pools or {})


def year_scheme(periods: Sequence[Period]) -> pools.Scheme | None:
    """The scheme of the year's last opened quarter; the current one if none has opened."""
    opened = [p for p in periods if p.opened_at is not None]
    if opened:
        return scheme_of(max(opened, key=lambda p: p.quarter))
    return pools.Scheme(rules=current_rules(), assigned={})
