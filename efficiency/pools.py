"""Who is counted in which quota pool (名额), from a period's frozen scheme. Pure: plain values.

A scheme is the administrator's pools, in order, each with its shares, rounding, minimum and
membership rules, frozen into a period when it opens (``Period.pools``):

- explicit people (``members``) come first: the first pool in order naming a person wins;
- then the rules: the first pool in order whose category (blank: any) and sections (none: any)
  both match the person; a pool with neither category nor sections matches by name only;
- anyone left falls into the default pool of their category (公务员/参公 or 事业编), with the
  period's thresholds' shares, rounded down, no minimum.

A pool whose share is blank takes the period's thresholds' share (the 40% and 20% of the rules,
as frozen into the period), so the default pools follow the thresholds.

The snapshot also keeps the pool each person was counted in when the period opened
(``assigned``), so later edits to a person's section or category never move them in an opened
quarter; a person added later goes by the frozen rules.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from efficiency import scoring, wording

FALLBACK_PREFIX = "category:"
FALLBACK_NAMES = {wording.CIVIL_SERVANT: "公务员/参公", wording.INSTITUTION: "事业编"}


@dataclass(frozen=True)
class PoolRule:
    key: str
    name: str
    share_good: Decimal | None = None  # None: the period's thresholds' share (40%)
    share_excellent: Decimal | None = None  # None: the thresholds' share (20%)
    rounding: scoring.PoolRounding = scoring.PoolRounding.DOWN
    minimum: int = 0
    category: str = ""  # "" matches any category
    sections: frozenset[int] = frozenset()  # empty matches any section
    members: frozenset[int] = frozenset()  # staff pks named explicitly

    @property
    def matches_by_rule(self) -> bool:
        return bool(self.category or self.sections)

    def matches(self, category: str, section_id: int) -> bool:
        return (
            self.matches_by_rule
            and (not self.category or self.category == category)
            and (not self.sections or section_id in self.sections)
        )


@dataclass(frozen=True)
class Scheme:
    rules: tuple[PoolRule, ...]
    assigned: Mapping[int, str]  # staff pk -> pool key, as counted when the period opened

    def pool_of(self, staff_pk: int, category: str, section_id: int) -> str:
        if staff_pk in self.assigned:
            return self.assigned[staff_pk]
        return assign(self.rules, staff_pk, category, section_id)


def assign(rules: Iterable[PoolRule], staff_pk: int, category: str, section_id: int) -> str:
    rules = tuple(rules)
    for rule in rules:
        if staff_pk in rule.members:
            return rule.key
    for rule in rules:
        if rule.matches(category, section_id):
            return rule.key
    return FALLBACK_PREFIX + (category or wording.CIVIL_SERVANT)


def specs(
    scheme: Scheme, used_keys: Iterable[str], thresholds: scoring.Thresholds
) -> dict[str, scoring.PoolSpec]:
    """Pool key -> spec for scoring: every defined pool in order, then the category defaults
    someone fell into."""
    result = {
        rule.key: scoring.PoolSpec(
            share_good=thresholds.good_quota if rule.share_good is None else rule.share_good,
            share_excellent=(
                thresholds.excellent_quota if rule.share_excellent is None else rule.share_excellent
            ),
            rounding=rule.rounding,
            minimum=rule.minimum,
            name=rule.name,
        )
        for rule in scheme.rules
    }
    for key in sorted(set(used_keys) - set(result)):
        category = key.removeprefix(FALLBACK_PREFIX)
        result[key] = scoring.PoolSpec(
            share_good=thresholds.good_quota,
            share_excellent=thresholds.excellent_quota,
            name=FALLBACK_NAMES.get(category, category),
        )
    return result


def _text(share: Decimal | None) -> str:
    return "" if share is None else str(share)


def _share(text: str) -> Decimal | None:
    return Decimal(text) if text else None


def to_json(rules: Iterable[PoolRule], assigned: Mapping[int, str]) -> dict:
    return {
        "pools": [
            {
                "key": r.key,
                "name": r.name,
                "share_good": _text(r.share_good),
                "share_excellent": _text(r.share_excellent),
                "rounding": str(r.rounding),
                "minimum": r.minimum,
                "category": r.category,
                "sections": sorted(r.sections),
                "members": sorted(r.members),
            }
            for r in rules
        ],
        "assigned": {str(pk): key for pk, key in sorted(assigned.items())},
    }


def from_json(data: Mapping) -> Scheme | None:
    """The frozen scheme; None for a period opened before pools existed (one pool, as then)."""
    if not data:
        return None
    rules = tuple(
        PoolRule(
            key=p["key"],
            name=p["name"],
            share_good=_share(p["share_good"]),
            share_excellent=_share(p["share_excellent"]),
            rounding=scoring.PoolRounding(p["rounding"]),
            minimum=int(p["minimum"]),
            category=p["category"],
            sections=frozenset(p["sections"]),
            members=frozenset(p["members"]),
        )
        for p in data.get("pools", ())
    )
    assigned = {int(pk): key for pk, key in data.get("assigned", {}).items()}
    return Scheme(rules=rules, assigned=assigned)


def shown(results: Iterable[scoring.PoolResult]) -> list[scoring.PoolResult]:
    """The pools a page lists: those with someone graded, when there are two or more of them
    (one pool is the whole office, which the overall count already says)."""
    listed = [p for p in results if p.graded_count or p.used]
    return listed if len(listed) > 1 else []
