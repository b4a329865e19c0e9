"""The appraisal arithmetic of DOMAIN.md, and only that. Pure: no Django, no ORM, no request.

Plain values in (``Decimal``, ``str``), frozen dataclasses out. The ranking page, the Excel
export and the PDF bulletin all call :func:`score_period` / :func:`score_year`, so a number a
leader sees on screen is the number printed on paper.

Rounding
    All arithmetic is exact. Averages, base and final are carried as exact quotients and
    rounded half-up to 2 places once, when reported (:func:`round2` semantics). In particular
    the base is computed from the *unrounded* criterion averages, and
    ``final = max(0, base - deductions)`` from the unrounded base; rounding the base and the
    final are two separate roundings of exact values, never a rounding of a rounded value.
    The ``raw_*`` fields carry the unrounded values (to 50 significant digits) for audit.

Grades use the rounded final: what a leader sees is what is graded, and ranks compare the
rounded finals too (two people shown with 90.00 share a rank and are both 好 by threshold).

Order of the quarterly grade rules (DOMAIN.md is silent; this is the decision)
    1. threshold on the rounded final;
    2. caps: any established incident -> at most 较好; a 严重 one -> at most 一般;
    3. quota over the people *still* 好 after the caps, so a capped person never uses up a
       好 slot; a tie straddling the quota line drops everyone tied on the line to 较好 and
       raises a ``TIE_ON_QUOTA_LINE`` warning;
    4. leaders' overrides replace the grade; they count against the quota, and if the 好 after
       overrides exceed it an ``OVER_QUOTA_AFTER_OVERRIDES`` warning is raised (the override
       stands: it is a leader's recorded decision).

The annual 20% 优秀 quota uses the same line rule as the quarterly one: tied people on the line
all fall back to 称职, with a ``TIE_ON_QUOTA_LINE`` warning.

Quota pools (名额)
    With ``pools`` given, each subject names its pool (``SubjectInput.pool``) and the quota,
    the line rule and the over-quota check run within each pool; a pool's places are
    :func:`pool_places`. ``quota`` on the result is the total of all pools' places. Without
    ``pools`` everything is counted over everyone, as one pool rounded down.
"""

import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import (
    ROUND_CEILING,
    ROUND_FLOOR,
    ROUND_HALF_UP,
    Context,
    Decimal,
    DivisionByZero,
    Inexact,
    InvalidOperation,
    Overflow,
)
from enum import StrEnum

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
ZERO = Decimal(0)
_RAW_DIGITS = 50  # significant digits of the informative raw_* values
_EXACT_DIGITS = 1000  # context for exact sums and products; Inexact is trapped
_RAW = Context(prec=_RAW_DIGITS)  # the default context's rounding and traps, 50 digits
_EXACT = Context(  # built once: a fresh context per sum cost more than the sum
    prec=_EXACT_DIGITS, traps=[Inexact, InvalidOperation, DivisionByZero, Overflow]
)


# --- enums --------------------------------------------------------------------------------


class Grade(StrEnum):
    """Quarterly grade (等次)."""

    GOOD = "good"
    FAIRLY_GOOD = "fairly_good"
    AVERAGE = "average"
    POOR = "poor"

    @property
    def label(self) -> str:
        return _GRADE_LABELS[self]

    @property
    def level(self) -> int:
        """Higher is better: POOR 0 ... GOOD 3."""
        return _GRADE_LEVELS[self]


_GRADE_LABELS = {
    Grade.GOOD: "好",
    Grade.FAIRLY_GOOD: "较好",
    Grade.AVERAGE: "一般",
    Grade.POOR: "较差",
}
_GRADE_LEVELS = {Grade.GOOD: 3, Grade.FAIRLY_GOOD: 2, Grade.AVERAGE: 1, Grade.POOR: 0}


class AnnualGrade(StrEnum):
    """Annual grade (年度考核等次)."""

    EXCELLENT = "excellent"
    COMPETENT = "competent"
    BASIC = "basic"
    INCOMPETENT = "incompetent"

    @property
    def label(self) -> str:
        return _ANNUAL_LABELS[self]

    @property
    def level(self) -> int:
        """Higher is better: INCOMPETENT 0 ... EXCELLENT 3."""
        return _ANNUAL_LEVELS[self]


_ANNUAL_LABELS = {
    AnnualGrade.EXCELLENT: "优秀",
    AnnualGrade.COMPETENT: "称职",
    AnnualGrade.BASIC: "基本称职",
    AnnualGrade.INCOMPETENT: "不称职",
}
_ANNUAL_LEVELS = {
    AnnualGrade.EXCELLENT: 3,
    AnnualGrade.COMPETENT: 2,
    AnnualGrade.BASIC: 1,
    AnnualGrade.INCOMPETENT: 0,
}


class Severity(StrEnum):
    """Severity of a three-errors incident."""

    MINOR = "minor"
    SERIOUS = "serious"
    GRAVE = "grave"

    @property
    def label(self) -> str:
        return _SEVERITY_LABELS[self]


_SEVERITY_LABELS = {Severity.MINOR: "一般", Severity.SERIOUS: "较重", Severity.GRAVE: "严重"}


class ReasonCode(StrEnum):
    """Why a grade is what it is; one :class:`GradeStep` per rule that set or changed it."""

    THRESHOLD = "threshold"  # grade from the (rounded) final or annual score
    CAP_INCIDENT = "cap_incident"  # established incident in the quarter: at most 较好
    CAP_GRAVE_INCIDENT = "cap_grave_incident"  # established 严重 incident: at most 一般
    QUOTA_DEMOTION = "quota_demotion"  # beyond the quota line
    TIE_ON_QUOTA_LINE = "tie_on_quota_line"  # tied on the quota line: all tied drop
    OVERRIDE = "override"  # a leader's override, with its reason
    POOR_QUARTERS = "poor_quarters"  # annual: quarters graded 较差
    NOT_ENOUGH_GOOD_QUARTERS = "not_enough_good_quarters"  # annual: fewer than two 好
    GRAVE_INCIDENT = "grave_incident"  # annual: 严重 incident in the year bars 优秀
    DISQUALIFIED = "disqualified"  # annual: 取消年度评优资格 decision bars 优秀
    VETO = "veto"  # annual: a veto (influence period, 处分) bars 优秀


class Standing(StrEnum):
    """A person's standing in a period (考核情况).

    ``UNDETERMINED`` (不定等次): scored, ranked and commented, but given no grade and left out
    of every quota count. ``ABSENT`` (不参加考核): not listed at all; callers never pass such a
    person to scoring.
    """

    PARTICIPATING = "participating"
    UNDETERMINED = "undetermined"
    ABSENT = "absent"


class WarningCode(StrEnum):
    TIE_ON_QUOTA_LINE = "tie_on_quota_line"
    OVER_QUOTA_AFTER_OVERRIDES = "over_quota_after_overrides"
    OVERRIDE_ABOVE_CAP = "override_above_cap"  # an override lifts a grade past an incident cap
    OVERRIDE_IGNORED = "override_ignored"  # override on someone not assessed, or ungraded run


class VetoCode(StrEnum):
    """Why a year's grade is vetoed (see :mod:`efficiency.influence`)."""

    DISQUALIFIED = "disqualified"  # 取消年度评优资格 for an incident of the year: no 优秀
    INFLUENCE_PERIOD = "influence_period"  # 诫勉谈话-or-above period overlaps the year: no 优秀
    WARNING = "warning"  # 警告 dated in the year: no 优秀
    SANCTION_PERIOD = "sanction_period"  # 记过-or-above period not ended by 31 Dec: 不定等次

    @property
    def undetermines(self) -> bool:
        """True: no grade for the year at all (不定等次); False: only no 优秀."""
        return self is VetoCode.SANCTION_PERIOD


# --- inputs -------------------------------------------------------------------------------


def _decimal(value: object, what: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise TypeError(f"{what} must be a Decimal or int, not {type(value).__name__}")
    result = Decimal(value)
    if not result.is_finite():
        raise ValueError(f"{what} must be finite, got {result}")
    return result


@dataclass(frozen=True)
class CriterionSpec:
    code: str
    name: str
    weight: Decimal

    def __post_init__(self) -> None:
        weight = _decimal(self.weight, f"weight of criterion {self.code!r}")
        if weight <= 0:
            raise ValueError(f"weight of criterion {self.code!r} must be positive, got {weight}")
        object.__setattr__(self, "weight", weight)


@dataclass(frozen=True)
class Thresholds:
    """Grade thresholds and quotas; the defaults are DOMAIN.md's."""

    good: Decimal = Decimal(90)
    fairly_good: Decimal = Decimal(75)
    average: Decimal = Decimal(60)
    good_quota: Decimal = Decimal("0.40")
    excellent: Decimal = Decimal(90)
    competent_floor: Decimal = Decimal(70)
    fail_floor: Decimal = Decimal(60)
    excellent_quota: Decimal = Decimal("0.20")

    def __post_init__(self) -> None:
        if not self.average <= self.fairly_good <= self.good:
            raise ValueError("thresholds must satisfy average <= fairly_good <= good")
        if not self.fail_floor <= self.competent_floor <= self.excellent:
            raise ValueError("thresholds must satisfy fail_floor <= competent_floor <= excellent")
        for name in ("good_quota", "excellent_quota"):
            if not ZERO <= getattr(self, name) <= 1:
                raise ValueError(f"{name} must be between 0 and 1")


DEFAULT_THRESHOLDS = Thresholds()


class PoolRounding(StrEnum):
    """How a pool's share x people graded becomes a whole number of places."""

    DOWN = "down"
    NEAREST = "nearest"  # half up: 2.5 -> 3
    UP = "up"


@dataclass(frozen=True)
class PoolSpec:
    """A quota pool (名额): its shares of 好 and 优秀, rounding and minimum number of places."""

    share_good: Decimal = Decimal("0.40")
    share_excellent: Decimal = Decimal("0.20")
    rounding: PoolRounding = PoolRounding.DOWN
    minimum: int = 0
    name: str = ""  # display only

    def __post_init__(self) -> None:
        for name in ("share_good", "share_excellent"):
            value = _decimal(getattr(self, name), name)
            if not ZERO <= value <= 1:
                raise ValueError(f"{name} must be between 0 and 1, got {value}")
            object.__setattr__(self, name, value)
        object.__setattr__(self, "rounding", PoolRounding(self.rounding))
        if isinstance(self.minimum, bool) or not isinstance(self.minimum, int):
            raise TypeError("minimum must be an int")
        if self.minimum < 0:
            raise ValueError(f"minimum must not be negative, got {self.minimum}")


@dataclass(frozen=True)
class Deduction:
    """An established incident in the period naming the subject (the caller filters)."""

    incident_id: str | int
    points: Decimal
    severity: Severity

    def __post_init__(self) -> None:
        points = _decimal(self.points, f"points of incident {self.incident_id!r}")
        if points < 0:
            raise ValueError(f"points of incident {self.incident_id!r} must not be negative")
        object.__setattr__(self, "points", points)


@dataclass(frozen=True)
class GradeOverride:
    grade: Grade
    reason: str

    def __post_init__(self) -> None:
        if not self.reason.strip():
            raise ValueError("a grade override needs a written reason")


@dataclass(frozen=True)
class SubjectInput:
    """One person (or section): marks per criterion code, established deductions."""

    key: str
    marks: Mapping[str, Sequence[Decimal]]
    deductions: Sequence[Deduction] = ()
    override: GradeOverride | None = None
    standing: Standing = Standing.PARTICIPATING
    pool: str = ""  # the quota pool's key when ``pools`` is given to score_period


@dataclass(frozen=True)
class Veto:
    """One veto on a year's grade: what (诫勉谈话, 警告, ...), dated when, its period's last day."""

    code: VetoCode
    what: str
    on: date
    until: date | None = None
    reference: str = ""  # 文号 of a 处分, number of an incident


@dataclass(frozen=True)
class AnnualInput:
    key: str
    quarter_finals: Sequence[Decimal]  # assessed quarters only
    quarter_grades: Sequence[Grade]
    has_grave_incident: bool = False
    disqualified_from_excellence: bool = False  # a 取消年度评优资格 decision in the year
    standing: Standing = Standing.PARTICIPATING
    vetoes: tuple[Veto, ...] = ()  # see efficiency.influence
    pool: str = ""  # the quota pool's key when ``pools`` is given to score_year


# --- outputs ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CriterionAverage:
    code: str
    marks: tuple[Decimal, ...]  # all marks, as given
    used: tuple[Decimal, ...]  # marks averaged, in the order given
    dropped_high: Decimal | None
    dropped_low: Decimal | None
    average: Decimal  # rounded half-up to 2 places, for display
    raw_average: Decimal  # unrounded (50 significant digits)


@dataclass(frozen=True)
class GradeStep:
    code: ReasonCode
    grade: Grade | AnnualGrade  # the grade after this step
    detail: str  # short English note with the numbers involved


@dataclass(frozen=True)
class ScoringWarning:
    code: WarningCode
    subject_keys: tuple[str, ...]
    detail: str


@dataclass(frozen=True)
class SubjectResult:
    key: str
    assessed: bool
    averages: tuple[CriterionAverage, ...]  # criteria order; only criteria that have marks
    missing_criteria: tuple[str, ...]  # codes without marks (non-empty: not assessed)
    base: Decimal | None
    raw_base: Decimal | None
    deductions_total: Decimal
    deductions: tuple[Deduction, ...]
    final: Decimal | None
    raw_final: Decimal | None
    rank: int | None
    computed_grade: Grade | None  # before the override
    grade: Grade | None  # after the override
    grade_steps: tuple[GradeStep, ...] = ()
    overridden: bool = False
    override: GradeOverride | None = None
    undetermined: bool = False  # 不定等次: scored and ranked, no grade, outside the quota

    @property
    def explanation(self) -> tuple[ReasonCode, ...]:
        return tuple(step.code for step in self.grade_steps)


@dataclass(frozen=True)
class PoolResult:
    """One quota pool's figures: places for the top grade and how many hold it."""

    key: str
    name: str
    graded_count: int  # people graded in the pool (the share's denominator)
    places: int  # most 好 (quarter) or 优秀 (year) allowed in the pool
    used: int  # people holding the top grade in the pool, after overrides
    share: Decimal = Decimal("0.40")  # the pool's share for this grade
    rounding: PoolRounding = PoolRounding.DOWN
    members: tuple[str, ...] = ()  # keys of those graded in the pool

    @property
    def over(self) -> bool:
        return self.used > self.places


@dataclass(frozen=True)
class PeriodResult:
    results: tuple[SubjectResult, ...]  # by rank then key; not assessed last, by key
    warnings: tuple[ScoringWarning, ...]
    quota: int  # most 好 allowed (0 when ungraded)
    graded_count: int  # assessed and graded (the quota's denominator)
    assessed_count: int
    not_assessed_count: int
    graded: bool
    pools: tuple[PoolResult, ...] = ()  # per pool, in the order given; () without pools

    def pool(self, key: str) -> PoolResult | None:
        return next((p for p in self.pools if p.key == key), None)

    def get(self, key: str) -> SubjectResult:
        for result in self.results:
            if result.key == key:
                return result
        raise KeyError(key)


@dataclass(frozen=True)
class AnnualSubjectResult:
    key: str
    graded: bool  # False: no assessed quarter in the year
    quarters_assessed: int
    score: Decimal | None  # mean of quarterly finals, rounded half-up to 2 places
    raw_score: Decimal | None
    rank: int | None
    good_quarters: int
    poor_quarters: int
    grade: AnnualGrade | None
    grade_steps: tuple[GradeStep, ...] = ()
    vetoes: tuple[Veto, ...] = ()  # every veto on the year, whether or not it changed the grade
    undetermined: bool = False  # 不定等次: scored and ranked, no grade, not in the quota

    @property
    def explanation(self) -> tuple[ReasonCode, ...]:
        return tuple(step.code for step in self.grade_steps)


@dataclass(frozen=True)
class AnnualResult:
    results: tuple[AnnualSubjectResult, ...]  # by rank then key; not graded last, by key
    warnings: tuple[ScoringWarning, ...]
    quota: int  # most 优秀 allowed
    graded_count: int
    not_graded_count: int
    pools: tuple[PoolResult, ...] = ()  # per pool, in the order given; () without pools

    def pool(self, key: str) -> PoolResult | None:
        return next((p for p in self.pools if p.key == key), None)

    def get(self, key: str) -> AnnualSubjectResult:
        for result in self.results:
            if result.key == key:
                return result
        raise KeyError(key)


# --- helpers ------------------------------------------------------------------------------


def round2(value: Decimal) -> Decimal:
    """Round half-up (away from zero on .5) to 2 places: 1.005 -> 1.01, 2.004 -> 2.00."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _round2_quotient(numerator: Decimal, denominator: int) -> Decimal:
    """Exactly ``round2(numerator / denominator)``, without an inexact division first."""
    num, den = numerator.as_integer_ratio()
    scaled, divisor = abs(num) * 100, den * denominator
    cents = (2 * scaled + divisor) // (2 * divisor)  # half-up on the exact quotient
    return Decimal(cents if num >= 0 else -cents).scaleb(-2)


def _raw_quotient(numerator: Decimal, denominator: int) -> Decimal:
    # One context built once: entering a local context per call was half of a ranking's
    # arithmetic at 2,000 staff. Same precision, rounding and traps as the default's copy.
    return _RAW.divide(numerator, Decimal(denominator))


def _exact_sum(values: Iterable[Decimal]) -> Decimal:
    total, add = ZERO, _EXACT.add
    for value in values:
        total = add(total, value)
    return total


# --- marks in whole tenths: the integer fast path -----------------------------------------

# Every mark a stored score can hold (whole tenths, 0..1000) as the Decimal tenths / 10: the
# values the results layer always passed, so results built from them are the same, exponents
# included (90.0 is Decimal("90"), 85.5 is Decimal("85.5")).
_TENTHS_MAX = 1000
_TENTH_MARKS = tuple(Decimal(tenths) / 10 for tenths in range(_TENTHS_MAX + 1))
_CENTS = tuple(Decimal(cents).scaleb(-2) for cents in range(100 * 100 + 1))  # 0.00..100.00
_TENTH = Decimal(-1)  # scaleb exponent of a sum of tenths
_INT_ONLY = {int}  # not bool: True is no mark


class Tenths(Sequence[Decimal]):
    """Marks given in whole tenths of a point (what a stored score holds: 87.5 is 875).

    A sequence of the Decimals ``tenths / 10``, so anything that accepts marks accepts it;
    :func:`trimmed_mean` (and so :func:`score_period`) averages it in integers instead of
    Decimals, with the same results, exponents included (tests/test_scoring_fast_path.py
    proves it against the Decimal path).
    """

    __slots__ = ("tenths",)

    def __init__(self, tenths: Iterable[int]) -> None:
        values = tuple(tenths)
        if values and (
            {*map(type, values)} != _INT_ONLY or min(values) < 0 or max(values) > _TENTHS_MAX
        ):
            raise ValueError(f"marks in tenths must be whole numbers 0-1000, got {values}")
        self.tenths = values

    def __len__(self) -> int:
        return len(self.tenths)

    def __getitem__(self, index):  # type: ignore[override]
        if isinstance(index, slice):
            return tuple(map(_TENTH_MARKS.__getitem__, self.tenths[index]))
        return _TENTH_MARKS[self.tenths[index]]

    def __iter__(self) -> Iterator[Decimal]:
        return map(_TENTH_MARKS.__getitem__, self.tenths)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Tenths):
            return self.tenths == other.tenths
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.tenths)

    def __repr__(self) -> str:
        return f"Tenths({list(self.tenths)!r})"


def _trimmed_tenths(tenths: tuple[int, ...], code: str) -> tuple["CriterionAverage", Decimal]:
    """:func:`trimmed_mean` over whole tenths, in integers; also the exact sum of the used."""
    if not tenths:
        raise ValueError(f"no marks on {code or 'criterion'}")
    used = list(tenths)
    high = low = None
    if len(used) >= 5:
        high = max(used)
        used.remove(high)  # first occurrence, as the Decimal path: the same marks are used
        low = min(used)
        used.remove(low)
    count, total = len(used), sum(used)
    # The Decimal path's exact sum of tenths / 10 has the least exponent of its terms: 0 when
    # every used mark is a whole point, else -1 (always so when the total is not).
    if total % 10 or any(mark % 10 for mark in used):
        exact = _EXACT.scaleb(Decimal(total), _TENTH)
    else:
        exact = Decimal(total // 10)
    marks = _TENTH_MARKS
    return (
        CriterionAverage(
            code=code,
            marks=tuple(map(marks.__getitem__, tenths)),
            used=tuple(map(marks.__getitem__, used)),
            dropped_high=None if high is None else marks[high],
            dropped_low=None if low is None else marks[low],
            # round2(total / (10 * count)) half-up, in cents: floor(10 * total / count + 1/2)
            average=_CENTS[(20 * total + count) // (2 * count)],
            raw_average=_RAW.divide(exact, Decimal(count)),  # _raw_quotient, inlined
        ),
        exact,
    )


def quota_limit(*, share: Decimal, graded_count: int) -> int:
    """floor(share x graded_count): the most people allowed the top grade."""
    return int((share * graded_count).to_integral_value(rounding=ROUND_FLOOR))


_ROUNDINGS = {
    PoolRounding.DOWN: ROUND_FLOOR,
    PoolRounding.NEAREST: ROUND_HALF_UP,
    PoolRounding.UP: ROUND_CEILING,
}


def pool_places(
    *,
    share: Decimal,
    graded: int,
    rounding: PoolRounding = PoolRounding.DOWN,
    minimum: int = 0,
) -> int:
    """share x graded, rounded so, raised to ``minimum``, never more than ``graded``."""
    exact = _EXACT.multiply(_decimal(share, "share"), Decimal(graded))
    rounded = int(exact.to_integral_value(rounding=_ROUNDINGS[PoolRounding(rounding)]))
    return min(max(rounded, minimum), graded)


def _split_pools(
    pools: Mapping[str, PoolSpec] | None,
    share: Decimal,
    subjects: Sequence[tuple[str, str]],
    graded_keys: Sequence[str],
    *,
    excellent: bool,
) -> tuple[dict[str, PoolSpec], dict[str, list[str]], dict[str, int]]:
    """(pool key -> spec, pool key -> graded keys, pool key -> places) for the top grade.

    ``subjects``: (key, pool) of everyone. Without pools, one pool of everyone, rounded down,
    with ``share`` (the thresholds' quota)."""
    if pools is None:
        specs = {"": PoolSpec(share_good=share, share_excellent=share)}
        pool_of = dict.fromkeys((key for key, _pool in subjects), "")
    else:
        specs, pool_of = dict(pools), {}
        for key, pool in subjects:
            if pool not in pools:
                raise ValueError(f"subject {key!r} is in unknown pool {pool!r}")
            pool_of[key] = pool
    members: dict[str, list[str]] = {key: [] for key in specs}
    for key in graded_keys:
        members[pool_of[key]].append(key)
    places = {
        key: pool_places(
            share=spec.share_excellent if excellent else spec.share_good,
            graded=len(members[key]),
            rounding=spec.rounding,
            minimum=spec.minimum,
        )
        for key, spec in specs.items()
    }
    return specs, members, places


def competition_ranks(values: Sequence[Decimal]) -> list[int]:
    """Standard competition ranks, highest first, in input order: [9, 8, 8, 7] -> [1, 2, 2, 4]."""
    ordered = sorted(values, reverse=True)
    first_position: dict[Decimal, int] = {}
    for position, value in enumerate(ordered, start=1):
        first_position.setdefault(value, position)
    return [first_position[value] for value in values]


def trimmed_mean(marks: Sequence[Decimal], *, code: str = "") -> CriterionAverage:
    """Average of the marks; with five or more, one highest and one lowest are dropped first.

    Exactly four marks: nothing is dropped. Marks must be between 0 and 100.
    """
    return _trimmed(marks, code)[0]


def _trimmed(marks: Sequence[Decimal], code: str) -> tuple[CriterionAverage, Decimal]:
    """:func:`trimmed_mean` and the exact sum of the marks it used (for the base)."""
    if type(marks) is Tenths:
        return _trimmed_tenths(marks.tenths, code)
    # Decimals (what callers pass) are taken as they are; anything else is checked.
    given = tuple(
        mark
        if type(mark) is Decimal and mark.is_finite()
        else _decimal(mark, f"mark on {code or 'criterion'}")
        for mark in marks
    )
    if not given:
        raise ValueError(f"no marks on {code or 'criterion'}")
    for mark in given:
        if not ZERO <= mark <= HUNDRED:
            raise ValueError(f"mark {mark} on {code or 'criterion'} is outside 0-100")
    used = list(given)
    dropped_high = dropped_low = None
    if len(given) >= 5:
        dropped_high = max(used)
        used.remove(dropped_high)  # first occurrence only: exactly one is dropped
        dropped_low = min(used)
        used.remove(dropped_low)
    total = _exact_sum(used)
    average = CriterionAverage(
        code=code,
        marks=given,
        used=tuple(used),
        dropped_high=dropped_high,
        dropped_low=dropped_low,
        average=_round2_quotient(total, len(used)),
        raw_average=_raw_quotient(total, len(used)),
    )
    return average, total


def validate_criteria(criteria: Sequence[CriterionSpec]) -> tuple[CriterionSpec, ...]:
    """Criteria must be non-empty, with unique codes and weights summing to exactly 100."""
    specs = tuple(criteria)
    if not specs:
        raise ValueError("a scheme needs at least one criterion")
    codes = [spec.code for spec in specs]
    if len(set(codes)) != len(codes):
        raise ValueError(f"criterion codes must be unique: {codes}")
    total = _exact_sum(spec.weight for spec in specs)
    if total != HUNDRED:
        raise ValueError(f"criterion weights must sum to 100, they sum to {total}")
    return specs


def _threshold_grade(final: Decimal, thresholds: Thresholds) -> Grade:
    if final >= thresholds.good:
        return Grade.GOOD
    if final >= thresholds.fairly_good:
        return Grade.FAIRLY_GOOD
    if final >= thresholds.average:
        return Grade.AVERAGE
    return Grade.POOR


def _quota_cut(
    candidates: Sequence[tuple[str, Decimal]], quota: int
) -> tuple[list[str], list[str]]:
    """Split top-grade candidates (key, rounded score) that exceed the quota.

    Returns (demoted beyond the line, tied on the line). Lowest ranked go first; if the last
    place inside the quota ties with the first place outside it, everyone with that score drops.
    """
    if len(candidates) <= quota:
        return [], []
    ordered = sorted(candidates, key=lambda item: (-item[1], item[0]))
    line_score = ordered[quota][1]
    tie = quota > 0 and ordered[quota - 1][1] == line_score
    tied = [key for key, score in ordered if tie and score == line_score]
    beyond = [key for key, score in ordered[quota:] if key not in tied]
    return beyond, tied


def _pool_note(pools: Mapping[str, PoolSpec] | None, key: str) -> str:
    # One pool is the whole office: naming it would add nothing.
    return "" if pools is None or len(pools) < 2 else f" in pool {key!r}"


def _pool_results(
    pools: Mapping[str, PoolSpec] | None,
    specs: Mapping[str, PoolSpec],
    members: Mapping[str, Sequence[str]],
    places: Mapping[str, int],
    grades: Mapping[str, Grade | AnnualGrade],
    top: Grade | AnnualGrade,
) -> tuple[PoolResult, ...]:
    if pools is None:
        return ()
    return tuple(
        PoolResult(
            key=key,
            name=spec.name,
            graded_count=len(members[key]),
            places=places[key],
            used=sum(1 for k in members[key] if grades.get(k) is top),
            share=spec.share_excellent if top is AnnualGrade.EXCELLENT else spec.share_good,
            rounding=spec.rounding,
            members=tuple(members[key]),
        )
        for key, spec in specs.items()
    )


# --- quarterly ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Scored:
    subject: SubjectInput
    averages: tuple[CriterionAverage, ...]
    missing: tuple[str, ...]
    deductions: tuple[Deduction, ...]
    deductions_exact: Decimal
    base: Decimal | None = None
    raw_base: Decimal | None = None
    final: Decimal | None = None
    raw_final: Decimal | None = None


def _score_subject(criteria: tuple[CriterionSpec, ...], subject: SubjectInput) -> _Scored:
    marks = subject.marks
    if not marks.keys() <= {spec.code for spec in criteria}:
        unknown = sorted(set(marks) - {spec.code for spec in criteria})
        raise ValueError(f"subject {subject.key!r} has marks on unknown criteria {unknown}")
    trimmed = []  # (average, exact sum of its used marks, weight) of each criterion with marks
    missing = []
    for spec in criteria:
        given = marks.get(spec.code)
        if given:
            trimmed.append((*_trimmed(given, spec.code), spec.weight))
        else:
            missing.append(spec.code)
    averages = tuple(average for average, _total, _weight in trimmed)
    deductions = tuple(subject.deductions)
    deducted = _exact_sum(d.points for d in deductions) if deductions else ZERO
    if missing:
        return _Scored(subject, averages, tuple(missing), deductions, deducted)
    # Exact base over a common denominator: sum(w_i * S_i / n_i) / 100 = num / (100 * L).
    # The exact context's operations directly (Inexact trapped): the same values, exponents
    # included, as the same products and sums in a local 1000-digit context, without
    # entering one per subject.
    common = math.lcm(*[len(average.used) for average in averages])
    add, multiply = _EXACT.add, _EXACT.multiply
    numerator = ZERO
    for average, total, weight in trimmed:
        share = Decimal(common // len(average.used))
        numerator = add(numerator, multiply(multiply(weight, total), share))
    denominator = 100 * common
    base = _round2_quotient(numerator, denominator)
    raw_base = _raw_quotient(numerator, denominator)
    if deductions or not numerator:
        final_numerator = max(
            ZERO, _EXACT.subtract(numerator, multiply(deducted, Decimal(denominator)))
        )
        final = _round2_quotient(final_numerator, denominator)
        raw_final = _raw_quotient(final_numerator, denominator)
    else:  # numerator - 0 * denominator is numerator itself, exponent included
        final, raw_final = base, raw_base
    return _Scored(
        subject,
        averages,
        (),
        deductions,
        deducted,
        base=base,
        raw_base=raw_base,
        final=final,
        raw_final=raw_final,
    )


# Subjects already scored, by everything their scoring reads: the criteria's codes and weights,
# the marks in whole tenths and the deductions' points (as written: Decimal("1") and
# Decimal("1.0") are equal and hash alike, but their sums differ in exponent). A ranking
# recomputed after one saved mark scores again only the subject whose marks changed.
# Marks given as Decimals (not Tenths) are scored every time.
_SCORED: dict[tuple, tuple] = {}
_SCORED_SIZE = 50_000  # a 2,000-staff office's open and closed quarters, people and sections


def _scored_once(
    criteria: tuple[CriterionSpec, ...], criteria_key: tuple, subject: SubjectInput
) -> _Scored:
    """:func:`_score_subject`, reused for a subject scored before from the same inputs."""
    marks = subject.marks
    if not all(type(given) is Tenths for given in marks.values()):
        return _score_subject(criteria, subject)
    key = (
        criteria_key,
        tuple(sorted((code, given.tenths) for code, given in marks.items())),
        tuple(str(d.points) for d in subject.deductions),
    )
    kept = _SCORED.get(key)
    if kept is None:
        scored = _score_subject(criteria, subject)
        if len(_SCORED) >= _SCORED_SIZE:
            _SCORED.clear()
        _SCORED[key] = (
            scored.averages,
            scored.missing,
            scored.deductions_exact,
            scored.base,
            scored.raw_base,
            scored.final,
            scored.raw_final,
        )
        return scored
    averages, missing, exact, base, raw_base, final, raw_final = kept
    return _Scored(
        subject,
        averages,
        missing,
        tuple(subject.deductions),
        exact,
        base=base,
        raw_base=raw_base,
        final=final,
        raw_final=raw_final,
    )


def _cap_for(deductions: Sequence[Deduction]) -> tuple[Grade, ReasonCode] | None:
    if any(d.severity is Severity.GRAVE for d in deductions):
        return Grade.AVERAGE, ReasonCode.CAP_GRAVE_INCIDENT
    if deductions:
        return Grade.FAIRLY_GOOD, ReasonCode.CAP_INCIDENT
    return None


def score_period(
    *,
    criteria: Sequence[CriterionSpec],
    subjects: Sequence[SubjectInput],
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    graded: bool = True,
    pools: Mapping[str, PoolSpec] | None = None,
) -> PeriodResult:
    """Score, rank and (when ``graded``) grade everyone in one quarter.

    ``graded=False`` is for sections: final and rank, no grade, no quota. Grade rules apply
    in this order: threshold on the rounded final, incident caps, the 好 quota over those still
    好 (a capped person does not use up a slot), then overrides (see the module docstring).
    Grades and ranks use the rounded final: what a leader sees is what is graded.
    ``pools``: the quota runs within each pool (see the module docstring).
    """
    specs = validate_criteria(criteria)
    keys = [subject.key for subject in subjects]
    if len(set(keys)) != len(keys):
        raise ValueError("subject keys must be unique")
    criteria_key = tuple((spec.code, str(spec.weight)) for spec in specs)
    scored = [_scored_once(specs, criteria_key, subject) for subject in subjects]
    assessed = [s for s in scored if s.final is not None]
    finals = {s.subject.key: s.final for s in assessed if s.final is not None}
    ranks = dict(zip(finals, competition_ranks(list(finals.values())), strict=True))

    warnings: list[ScoringWarning] = []
    # 不定等次: scored and ranked with everyone, but no grade and outside the quota.
    undetermined = {s.subject.key for s in scored if s.subject.standing is Standing.UNDETERMINED}
    ignored = [
        s.subject.key
        for s in scored
        if s.subject.override and (not graded or s.missing or s.subject.key in undetermined)
    ]
    if ignored:
        warnings.append(
            ScoringWarning(
                WarningCode.OVERRIDE_IGNORED,
                tuple(sorted(ignored)),
                "override on a subject that is not assessed or not graded was ignored",
            )
        )

    grades: dict[str, Grade] = {}
    computed: dict[str, Grade] = {}
    steps: dict[str, list[GradeStep]] = {key: [] for key in finals}
    to_grade = [s for s in assessed if s.subject.key not in undetermined]
    graded_count = len(to_grade) if graded else 0
    specs_by_pool, members, places = _split_pools(
        pools,
        thresholds.good_quota,
        [(s.subject.key, s.subject.pool) for s in scored],
        [s.subject.key for s in to_grade] if graded else [],
        excellent=False,
    )
    quota = sum(places.values())
    if graded:
        for s in to_grade:
            key, final = s.subject.key, finals[s.subject.key]
            grade = _threshold_grade(final, thresholds)
            steps[key].append(GradeStep(ReasonCode.THRESHOLD, grade, f"final {final}"))
            cap = _cap_for(s.deductions)
            if cap and grade.level > cap[0].level:
                grade = cap[0]
                steps[key].append(GradeStep(cap[1], grade, f"{len(s.deductions)} incident(s)"))
            grades[key] = grade
        for pool, keys_in_pool in members.items():
            limit, where = places[pool], _pool_note(pools, pool)
            candidates = [(k, finals[k]) for k in keys_in_pool if grades[k] is Grade.GOOD]
            beyond, tied = _quota_cut(candidates, limit)
            for key in beyond:
                grades[key] = Grade.FAIRLY_GOOD
                steps[key].append(
                    GradeStep(ReasonCode.QUOTA_DEMOTION, Grade.FAIRLY_GOOD, f"quota {limit}{where}")
                )
            for key in tied:
                grades[key] = Grade.FAIRLY_GOOD
                steps[key].append(
                    GradeStep(
                        ReasonCode.TIE_ON_QUOTA_LINE,
                        Grade.FAIRLY_GOOD,
                        f"tied at {finals[key]} on the quota line ({limit}){where}",
                    )
                )
            if tied:
                warnings.append(
                    ScoringWarning(
                        WarningCode.TIE_ON_QUOTA_LINE,
                        tuple(tied),
                        f"tie at {finals[tied[0]]} straddles the 好 quota of {limit}{where}: "
                        "all tied dropped to 较好; leaders to decide",
                    )
                )
        computed = dict(grades)
        above_cap: list[str] = []
        for s in to_grade:
            override = s.subject.override
            if override is None:
                continue
            key = s.subject.key
            grades[key] = override.grade
            steps[key].append(GradeStep(ReasonCode.OVERRIDE, override.grade, override.reason))
            cap = _cap_for(s.deductions)
            if cap and override.grade.level > cap[0].level:
                above_cap.append(key)
        if above_cap:
            warnings.append(
                ScoringWarning(
                    WarningCode.OVERRIDE_ABOVE_CAP,
                    tuple(sorted(above_cap)),
                    "override grants a grade above the incident cap",
                )
            )
        for pool, keys_in_pool in members.items():
            goods = sorted(k for k in keys_in_pool if grades[k] is Grade.GOOD)
            if len(goods) > places[pool]:
                warnings.append(
                    ScoringWarning(
                        WarningCode.OVER_QUOTA_AFTER_OVERRIDES,
                        tuple(goods),
                        f"{len(goods)} graded 好 after overrides, quota is {places[pool]}"
                        + _pool_note(pools, pool),
                    )
                )

    results: list[SubjectResult] = []
    for s in scored:
        key = s.subject.key
        overridden = key in grades and s.subject.override is not None
        results.append(
            SubjectResult(
                key=key,
                assessed=not s.missing,
                averages=s.averages,
                missing_criteria=s.missing,
                base=s.base,
                raw_base=s.raw_base,
                deductions_total=round2(s.deductions_exact),
                deductions=s.deductions,
                final=s.final,
                raw_final=s.raw_final,
                rank=ranks.get(key),
                computed_grade=computed.get(key),
                grade=grades.get(key),
                grade_steps=tuple(steps.get(key, ())),
                overridden=overridden,
                override=s.subject.override if overridden else None,
                undetermined=graded and key in undetermined,
            )
        )
    results.sort(key=lambda r: (r.rank is None, r.rank or 0, r.key))
    return PeriodResult(
        results=tuple(results),
        warnings=tuple(warnings),
        quota=quota,
        graded_count=graded_count,
        assessed_count=len(assessed),
        not_assessed_count=len(scored) - len(assessed),
        graded=graded,
        pools=_pool_results(pools, specs_by_pool, members, places, grades, Grade.GOOD),
    )


# --- annual -------------------------------------------------------------------------------


def _annual_grade(
    score: Decimal, good: int, poor: int, subject: AnnualInput, t: Thresholds
) -> tuple[AnnualGrade, list[GradeStep]]:
    """Grade before the 优秀 quota; every reason that applies at the grade's tier is recorded."""
    fail, basic = AnnualGrade.INCOMPETENT, AnnualGrade.BASIC
    if score < t.fail_floor or poor >= 2:
        fail_steps: list[GradeStep] = []
        if score < t.fail_floor:
            fail_steps.append(
                GradeStep(ReasonCode.THRESHOLD, fail, f"score {score} < {t.fail_floor}")
            )
        if poor >= 2:
            fail_steps.append(GradeStep(ReasonCode.POOR_QUARTERS, fail, f"{poor} quarters 较差"))
        return fail, fail_steps
    if score < t.competent_floor or poor == 1:
        steps: list[GradeStep] = []
        if score < t.competent_floor:
            steps.append(
                GradeStep(ReasonCode.THRESHOLD, basic, f"score {score} < {t.competent_floor}")
            )
        if poor == 1:
            steps.append(GradeStep(ReasonCode.POOR_QUARTERS, basic, "1 quarter 较差"))
        return basic, steps
    competent = AnnualGrade.COMPETENT
    if score < t.excellent:
        return competent, [GradeStep(ReasonCode.THRESHOLD, competent, f"score {score}")]
    bars: list[GradeStep] = []
    if good < 2:
        bars.append(GradeStep(ReasonCode.NOT_ENOUGH_GOOD_QUARTERS, competent, f"{good} 好"))
    if subject.has_grave_incident:
        bars.append(GradeStep(ReasonCode.GRAVE_INCIDENT, competent, "严重 incident in the year"))
    if subject.disqualified_from_excellence:
        bars.append(GradeStep(ReasonCode.DISQUALIFIED, competent, "取消年度评优资格"))
    for veto in subject.vetoes:
        if not veto.code.undetermines:
            bars.append(GradeStep(ReasonCode.VETO, competent, f"{veto.code} {veto.what} {veto.on}"))
    if bars:
        return competent, bars
    excellent = AnnualGrade.EXCELLENT
    return excellent, [GradeStep(ReasonCode.THRESHOLD, excellent, f"score {score}, {good} 好")]


def score_year(
    *,
    subjects: Sequence[AnnualInput],
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    pools: Mapping[str, PoolSpec] | None = None,
) -> AnnualResult:
    """Annual score (mean of the assessed quarters' finals), competition rank and grade.

    No assessed quarter: not graded. The 优秀 quota is floor(20% x graded), by rank; a tie on
    the line drops everyone tied to 称职 with a ``TIE_ON_QUOTA_LINE`` warning. With ``pools``,
    the 优秀 places and the line rule are per pool (``share_excellent`` of each).
    """
    keys = [subject.key for subject in subjects]
    if len(set(keys)) != len(keys):
        raise ValueError("subject keys must be unique")
    scores: dict[str, Decimal] = {}
    raw: dict[str, Decimal] = {}
    for subject in subjects:
        finals = [_decimal(f, f"quarter final of {subject.key!r}") for f in subject.quarter_finals]
        if finals:
            total = _exact_sum(finals)
            scores[subject.key] = _round2_quotient(total, len(finals))
            raw[subject.key] = _raw_quotient(total, len(finals))
    ranks = dict(zip(scores, competition_ranks(list(scores.values())), strict=True))
    # 不定等次 for the year, by the year's standing or by a veto (a 记过-or-above period not over
    # by 31 December): scored and ranked among the assessed, but no grade and no quota count.
    undetermined = {
        s.key
        for s in subjects
        if s.key in scores
        and (s.standing is Standing.UNDETERMINED or any(v.code.undetermines for v in s.vetoes))
    }
    graded_count = len(scores) - len(undetermined)
    specs_by_pool, members, places = _split_pools(
        pools,
        thresholds.excellent_quota,
        [(s.key, s.pool) for s in subjects],
        [key for key in scores if key not in undetermined],
        excellent=True,
    )
    quota = sum(places.values())

    grades: dict[str, AnnualGrade] = {}
    steps: dict[str, list[GradeStep]] = {}
    for subject in subjects:
        if subject.key in scores and subject.key not in undetermined:
            good = sum(1 for g in subject.quarter_grades if g is Grade.GOOD)
            poor = sum(1 for g in subject.quarter_grades if g is Grade.POOR)
            grade, reasons = _annual_grade(scores[subject.key], good, poor, subject, thresholds)
            grades[subject.key], steps[subject.key] = grade, reasons
    competent = AnnualGrade.COMPETENT
    warnings: list[ScoringWarning] = []
    for pool, keys_in_pool in members.items():
        limit, where = places[pool], _pool_note(pools, pool)
        candidates = [(k, scores[k]) for k in keys_in_pool if grades[k] is AnnualGrade.EXCELLENT]
        beyond, tied = _quota_cut(candidates, limit)
        for key in beyond:
            grades[key] = competent
            steps[key].append(
                GradeStep(ReasonCode.QUOTA_DEMOTION, competent, f"quota {limit}{where}")
            )
        for key in tied:
            grades[key] = competent
            steps[key].append(
                GradeStep(ReasonCode.TIE_ON_QUOTA_LINE, competent, f"tied at {scores[key]}")
            )
        if tied:
            warnings.append(
                ScoringWarning(
                    WarningCode.TIE_ON_QUOTA_LINE,
                    tuple(tied),
                    f"tie at {scores[tied[0]]} straddles the 优秀 quota of {limit}{where}: "
                    "all tied dropped to 称职; leaders to decide",
                )
            )

    results: list[AnnualSubjectResult] = []
    for subject in subjects:
        key = subject.key
        is_graded = key in scores
        results.append(
            AnnualSubjectResult(
                key=key,
                graded=is_graded,
                quarters_assessed=len(subject.quarter_finals),
                score=scores.get(key),
                raw_score=raw.get(key),
                rank=ranks.get(key),
                good_quarters=sum(1 for g in subject.quarter_grades if g is Grade.GOOD),
                poor_quarters=sum(1 for g in subject.quarter_grades if g is Grade.POOR),
                grade=grades.get(key),
                grade_steps=tuple(steps.get(key, ())),
                vetoes=tuple(subject.vetoes),
                undetermined=key in undetermined,
            )
        )
    results.sort(key=lambda r: (r.rank is None, r.rank or 0, r.key))
    return AnnualResult(
        results=tuple(results),
        warnings=tuple(warnings),
        quota=quota,
        graded_count=graded_count,
        not_graded_count=len(subjects) - len(scores),
        pools=_pool_results(pools, specs_by_pool, members, places, grades, AnnualGrade.EXCELLENT),
    )
