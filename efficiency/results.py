"""Appraisal results: the one place where a period's numbers are assembled.

Pages, Excel exports and PDF reports all call these functions; they fetch the stored marks
and incidents in a fixed number of queries (never one per person) and hand plain values to
:mod:`efficiency.scoring`, which does all the arithmetic in ``Decimal``. No number comes out
of an SQL aggregate.
"""

import datetime
import gc
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from efficiency import caching, plain_data, pool_schemes, pools, scoring, standings, wording
from efficiency.models import (
    AnnualReview,
    Correction,
    GradeReview,
    IncidentResponsible,
    Period,
    PeriodState,
    Score,
    Section,
    Staff,
    StoredRanking,
)
from efficiency.models.incidents import (
    ESTABLISHED_STATUSES,
    Incident,
    number_order,
)
from efficiency.models.standing import StandingKind, StandingReason
from efficiency.quarters import Quarter
from efficiency.roles import Role
from efficiency.vetoes import year_vetoes

STAFF = "staff"
SECTION = "section"


@dataclass(frozen=True)
class DeductionFact:
    number: str
    points: Decimal
    severity: str
    kind: str
    clause_code: str


@dataclass(frozen=True)
class SubjectFacts:
    """Who a result is about, as they stood in the period."""

    key: str  # 工号 for staff, 科室代码 for sections
    pk: int
    name: str
    section: str  # the section's name as it stood (for a section: its own name); display only
    section_id: int  # who belongs where is decided by id, never by the name, which can change
    section_code: str
    deductions: tuple[DeductionFact, ...] = ()
    standing: str = ""  # "" 参加考核; StandingKind.UNDETERMINED (ABSENT people are left out)
    standing_reason: str = ""  # a StandingReason value
    standing_note: str = ""

    @property
    def undetermined(self) -> bool:
        return self.standing == StandingKind.UNDETERMINED

    @property
    def standing_reason_label(self) -> str:
        """新录用试用期（试用期至2026年12月31日）; "" when appraised as usual."""
        if not self.standing_reason:
            return ""
        label = str(StandingReason(self.standing_reason).label)
        return f"{label}（{self.standing_note}）" if self.standing_note else label


@dataclass(frozen=True)
class Progress:
    expected: int  # marks the eligible assessors should give this subject
    given: int

    @property
    def complete(self) -> bool:
        return self.given >= self.expected


@dataclass(frozen=True)
class CorrectionFact:
    """The 更正 in force for one person in a locked quarter (the stored result stays as it was)."""

    pk: int
    original_final: Decimal | None
    original_grade: scoring.Grade | None
    final: Decimal
    grade: scoring.Grade
    recorded_on: datetime.date
    basis: str  # the upheld appeal's incident number, or the written reference
    what: str = ""
    why: str = ""

    @property
    def text(self) -> str:
        """更正：最终得分 88.50 → 90.20，等次 较好 → 好（2026年12月3日，依据…）"""
        return wording.correction_sentence(
            original_final=self.original_final,
            final=self.final,
            original_grade=self.original_grade,
            grade=self.grade,
            recorded_on=self.recorded_on,
            basis=self.basis,
        )


@dataclass(frozen=True)
class Row:
    facts: SubjectFacts
    result: scoring.SubjectResult
    progress: Progress
    override: GradeReview | None  # the leader's decision, when there is one
    pool: str = ""  # the quota pool's key ("" when the period has no pools)
    correction: CorrectionFact | None = None  # 更正 after lock, shown beside the stored result

    @property
    def counted_final(self) -> Decimal | None:
        """The final that counts later (the annual roll-up): the correction's, if any."""
        return self.correction.final if self.correction else self.result.final

    @property
    def counted_grade(self) -> scoring.Grade | None:
        return self.correction.grade if self.correction else self.result.grade

    @property
    def undetermined(self) -> bool:
        """不定等次: scored and ranked, but no grade, outside the quota."""
        return self.result.undetermined


@dataclass(frozen=True)
class Ranking:
    period: Period
    kind: str
    criteria: tuple[scoring.CriterionSpec, ...]
    result: scoring.PeriodResult
    rows: tuple[Row, ...]
    not_fully_marked: int
    by_key: dict[str, Row] = field(repr=False)

    def row(self, key: str) -> Row | None:
        return self.by_key.get(key)

    @property
    def pools(self) -> tuple[scoring.PoolResult, ...]:
        """Each quota pool's places and use; () for a period opened before pools."""
        return self.result.pools


def quota_seen_by(
    table: Ranking, row: Row, thresholds: scoring.Thresholds
) -> tuple[scoring.PeriodResult, scoring.Thresholds]:
    """The 好 quota figures that applied to ``row``: its pool's places, people graded and share
    when the graded are split over pools; else the period's (for sentences about a grade)."""
    pool = table.result.pool(row.pool) if pools.shown(table.pools) else None
    if pool is None:
        return table.result, thresholds
    return (
        replace(table.result, quota=pool.places, graded_count=pool.graded_count),
        replace(thresholds, good_quota=pool.share),
    )


def pool_membership(
    scheme: pools.Scheme | None, people: dict[int, tuple[str, int]]
) -> dict[int, str]:
    """staff pk -> pool key under ``scheme``, for ``people`` (pk -> (category, section id))."""
    if scheme is None:
        return {}
    return {pk: scheme.pool_of(pk, category, section) for pk, (category, section) in people.items()}


def _people(facts: dict[int, SubjectFacts], scheme: pools.Scheme | None) -> dict[int, tuple]:
    """Category and section of everyone (the frozen assignment wins where it has them)."""
    if scheme is None:
        return {}
    # One query whoever is missing, so a page's query count does not vary with the roster.
    # Everyone's, unfiltered: cheaper than an IN over 2,000 ids.
    categories = dict(Staff.objects.values_list("pk", "category"))
    return {pk: (categories.get(pk, wording.CIVIL_SERVANT), facts[pk].section_id) for pk in facts}


def criteria_of(period: Period) -> tuple[scoring.CriterionSpec, ...]:
    return tuple(
        scoring.CriterionSpec(code=c.code, name=c.name, weight=c.weight)
        for c in period.criteria.all()
    )


def thresholds_of(period: Period) -> scoring.Thresholds:
    if not period.thresholds:
        return scoring.DEFAULT_THRESHOLDS
    return scoring.Thresholds(**{k: Decimal(v) for k, v in period.thresholds.items()})


def _marks(
    period: Period, kind: str
) -> tuple[dict[int, dict[str, list[int]]], dict[int, list[int]]]:
    """subject pk -> criterion code -> marks in tenths, as stored; subject pk -> the assessor
    of each of its marks (one entry a mark: a score is unique per assessor and criterion)."""
    codes = dict(period.criteria.values_list("pk", "code"))
    subject = "staff_id" if kind == STAFF else "section_id"
    rows = Score.objects.filter(period=period, **{f"{subject}__isnull": False}).values_list(
        subject, "criterion_id", "assessor_id", "tenths"
    )
    # Flat dicts while reading tens of thousands of rows, nested by code once a pair afterwards
    # (a dict of defaultdicts cost a second lookup and a factory call a row).
    by_pair: dict[tuple[int, int], list[int]] = defaultdict(list)
    givers: dict[int, list[int]] = defaultdict(list)
    for subject_pk, criterion_id, assessor_id, tenths in rows:
        by_pair[subject_pk, criterion_id].append(tenths)
        givers[subject_pk].append(assessor_id)
    marks: dict[int, dict[str, list[int]]] = {}
    for (subject_pk, criterion_id), tenths_given in by_pair.items():
        try:
            marks[subject_pk][codes[criterion_id]] = tenths_given
        except KeyError:
            marks[subject_pk] = {codes[criterion_id]: tenths_given}
    return marks, givers


def _assessors() -> tuple[list[int], dict[int, int | None], dict[int, set[int]]]:
    users = User.objects.filter(groups__name=Role.ASSESSOR, is_active=True).distinct()
    ids = list(users.values_list("pk", flat=True))
    own_staff = dict(Staff.objects.filter(user_id__in=ids).values_list("user_id", "pk"))
    headed: dict[int, set[int]] = defaultdict(set)
    for section_id, user_id in Section.heads.through.objects.filter(user_id__in=ids).values_list(
        "section_id", "user_id"
    ):
        headed[user_id].add(section_id)
    return ids, own_staff, headed


def staff_in_period(period: Period):
    """The people a period appraises: in post during the quarter, or already marked in it."""
    first, last = Quarter.parse(period.code).bounds
    in_post = (Q(start_date__isnull=True) | Q(start_date__lte=last)) & (
        Q(end_date__isnull=True) | Q(end_date__gte=first)
    )
    marked = Score.objects.filter(period=period, staff__isnull=False).values("staff_id")
    # 不参加考核 (e.g. seconded): listed nowhere, marked or not.
    absent = standings.absent_ids(period.year, period.quarter)
    return Staff.objects.filter(in_post | Q(pk__in=marked)).exclude(pk__in=absent)


def sections_in_period(period: Period):
    """The sections a period appraises: the active ones, or any already marked in it."""
    marked = Score.objects.filter(period=period, section__isnull=False).values("section_id")
    return Section.objects.filter(Q(active=True) | Q(pk__in=marked))


def _live_staff_facts(period: Period, only: int | None = None) -> dict[int, SubjectFacts]:
    """Everyone the period appraises, with their deductions; ``only``: just that person."""
    first, last = Quarter.parse(period.code).bounds
    staff = staff_in_period(period)
    responsible = IncidentResponsible.objects.filter(
        incident__status__in=ESTABLISHED_STATUSES,
        incident__occurred_on__range=(first, last),
    )
    standing_rows = standings.standings_of(period.year, period.quarter)
    if only is not None:
        staff, responsible = staff.filter(pk=only), responsible.filter(staff_id=only)
        standing_rows = standing_rows.filter(staff_id=only)
    standing_of = {
        staff_id: (kind, reason, note)
        for staff_id, kind, reason, note in standing_rows.filter(
            standing=StandingKind.UNDETERMINED
        ).values_list("staff_id", "standing", "reason", "note")
    }
    deductions: dict[int, list[DeductionFact]] = defaultdict(list)
    for staff_id, number, points, severity, kind, clause in responsible.order_by(
        "incident__occurred_on", *number_order("incident__number")
    ).values_list(
        "staff_id",
        "incident__number",
        "incident__points",
        "incident__severity",
        "incident__kind",
        "incident__clause_code",
    ):
        deductions[staff_id].append(DeductionFact(number, Decimal(points), severity, kind, clause))
    # Plain values, not 2,000 model instances.
    return {
        pk: SubjectFacts(
            key=staff_no,
            pk=pk,
            name=name,
            section=section,
            section_id=section_id,
            section_code=section_code,
            deductions=tuple(deductions.get(pk, ())),
            **_standing_fields(standing_of.get(pk)),
        )
        for pk, staff_no, name, section, section_id, section_code in staff.values_list(
            "pk", "staff_no", "name", "section__name", "section_id", "section__code"
        )
    }


def _standing_fields(standing: tuple[str, str, str] | None) -> dict[str, str]:
    if standing is None:
        return {}
    kind, reason, note = standing
    return {"standing": kind, "standing_reason": reason, "standing_note": note}


def _live_section_facts(period: Period) -> dict[int, SubjectFacts]:
    first, last = Quarter.parse(period.code).bounds
    sections = sections_in_period(period)
    deductions: dict[int, list[DeductionFact]] = defaultdict(list)
    for section_id, number, points, severity, kind, clause in (
        Incident.objects.filter(status__in=ESTABLISHED_STATUSES, occurred_on__range=(first, last))
        .order_by("occurred_on", *number_order())
        .values_list("section_id", "number", "points", "severity", "kind", "clause_code")
    ):
        deductions[section_id].append(
            DeductionFact(number, Decimal(points), severity, kind, clause)
        )
    return {
        s.pk: SubjectFacts(
            key=s.code,
            pk=s.pk,
            name=s.name,
            section=s.name,
            section_id=s.pk,
            section_code=s.code,
            deductions=tuple(deductions.get(s.pk, ())),
        )
        for s in sections
    }


def _facts_to_json(facts: dict[int, SubjectFacts]) -> dict:
    return {
        str(pk): {
            "key": f.key,
            "name": f.name,
            "section": f.section,
            "section_id": f.section_id,
            "section_code": f.section_code,
            "deductions": [
                [d.number, str(d.points), d.severity, d.kind, d.clause_code] for d in f.deductions
            ],
            # Frozen with the rest, so a locked quarter's 不定等次 never changes.
            **(
                {"standing": [f.standing, f.standing_reason, f.standing_note]} if f.standing else {}
            ),
        }
        for pk, f in facts.items()
    }


def _facts_from_json(data: dict) -> dict[int, SubjectFacts]:
    return {
        int(pk): SubjectFacts(
            key=f["key"],
            pk=int(pk),
            name=f["name"],
            section=f["section"],
            section_id=f["section_id"],
            section_code=f["section_code"],
            deductions=tuple(
                DeductionFact(number, Decimal(points), severity, kind, clause)
                for number, points, severity, kind, clause in f["deductions"]
            ),
            **_standing_fields(tuple(f["standing"]) if "standing" in f else None),
        )
        for pk, f in data.items()
    }


def freeze_inputs(period: Period) -> dict:
    """What a locked period keeps of the world outside its marks: subjects and deductions."""
    return {
        STAFF: _facts_to_json(_live_staff_facts(period)),
        SECTION: _facts_to_json(_live_section_facts(period)),
    }


def subject_facts(period: Period, kind: str) -> dict[int, SubjectFacts]:
    if period.state == PeriodState.LOCKED and period.frozen:
        return _facts_from_json(period.frozen[kind])
    return _live_staff_facts(period) if kind == STAFF else _live_section_facts(period)


def _one_subject_facts(period: Period, kind: str, pk: int) -> SubjectFacts | None:
    """One subject's facts, without building everyone's (trends, one person at a time)."""
    if period.state == PeriodState.LOCKED and period.frozen:
        data = period.frozen[kind].get(str(pk))
        return None if data is None else _facts_from_json({str(pk): data})[pk]
    if kind == STAFF:
        return _live_staff_facts(period, only=pk).get(pk)
    return _live_section_facts(period).get(pk)


def person_facts(period: Period, staff_pk: int) -> SubjectFacts | None:
    """One person's facts in the period (None: not appraised in it), cheaply, for access checks."""
    return _one_subject_facts(period, STAFF, staff_pk)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a ranking is built.

    A ranking at 2,000 staff allocates a few hundred thousand objects and keeps them all; the
    collector, woken every 700 allocations, walked them again and again: a quarter of the
    ranking's time. Nothing built here is garbage to reclaim early, and the collector resumes
    when the ranking is done. It is process-wide, so only whoever paused it resumes it.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def ranking(period: Period, kind: str = STAFF) -> Ranking:
    """The period's ranking of staff (graded) or sections (final and rank only).

    A locked period's is computed once and stored for good (:class:`StoredRanking`, written
    when it locks, or on the first read of a period locked before); its 更正 are read apart
    and applied on every read. An open or closed period's is reused while nothing it is
    computed from has changed (:mod:`efficiency.caching`)."""
    if period.state != PeriodState.LOCKED:
        return _computed_ranking(period, kind)
    stored = _stored_ranking(period, kind)
    if stored is not None:
        return stored
    table = _computed_ranking(period, kind)
    store_ranking(table)
    return table


@dataclass(frozen=True)
class _Inputs:
    """What a ranking is computed from besides the marks, as scoring takes it.

    All of it follows from the tables the change counter watches and the period's own fields,
    except who is appraised: someone out of post is appraised once marked. So it is reused
    under the change counter (not the marks counter) for as long as the same subjects hold
    marks (``marked``), and a mark saved in the open quarter costs a ranking only the marks
    and the scoring of whoever's marks changed (:func:`efficiency.scoring.score_period`)."""

    settings: list
    marked: frozenset[int]  # the subjects with a mark when these were read
    criteria: tuple[scoring.CriterionSpec, ...]
    facts: dict[int, SubjectFacts]
    overrides: dict[int, GradeReview]
    scheme: pools.Scheme | None
    pool_of: dict[int, str]
    assessor_ids: list[int]
    barred: dict[int, set[int]]  # subject pk -> the assessors who may not mark it
    deductions: dict[int, tuple[scoring.Deduction, ...]]
    thresholds: scoring.Thresholds


def _inputs(period: Period, kind: str, settings: list, marked: frozenset[int]) -> _Inputs:
    facts = subject_facts(period, kind)
    scheme = pool_schemes.scheme_of(period) if kind == STAFF else None
    assessor_ids, own_staff, headed = _assessors()
    if kind == STAFF:  # who may not mark a subject: the person's own account
        own_account = {staff_pk: user_pk for user_pk, staff_pk in own_staff.items()}
        barred = {pk: {own_account[pk]} for pk in facts if pk in own_account}
    else:  # a section's heads
        barred = {pk: {a for a in assessor_ids if pk in headed.get(a, ())} for pk in facts}
    return _Inputs(
        settings=settings,
        marked=marked,
        criteria=criteria_of(period),
        facts=facts,
        overrides=_overrides(period) if kind == STAFF else {},
        scheme=scheme,
        pool_of=pool_membership(scheme, _people(facts, scheme)),
        assessor_ids=assessor_ids,
        barred=barred,
        deductions={
            pk: tuple(
                scoring.Deduction(d.number, d.points, scoring.Severity(d.severity))
                for d in fact.deductions
            )
            for pk, fact in facts.items()
        },
        thresholds=thresholds_of(period),
    )


@_collector_paused()
def _computed_ranking(period: Period, kind: str, *, reuse: bool = True) -> Ranking:
    key = inputs_key = inputs = None
    settings = caching.settings_of(period)
    if reuse and period.state != PeriodState.LOCKED:  # a locked period's is stored instead
        key = caching.period_key(period, kind, STORED_SHAPE)
        kept = None if key is None else _recent.get(key)
        if kept is not None and kept[0] == settings:
            overrides = _overrides(period) if kind == STAFF else {}
            return _with_fresh_decisions(kept[1], period, overrides)
        if key is not None:
            inputs_key = replace(key, counter=key.counter[:2])
            inputs = _recent_inputs.get(inputs_key)
    marks, givers = _marks(period, kind)
    marked = frozenset(marks)
    if inputs is None or inputs.settings != settings or inputs.marked != marked:
        inputs = _inputs(period, kind, settings, marked)
    criteria, facts, overrides = inputs.criteria, inputs.facts, inputs.overrides
    scheme, pool_of, assessor_ids = inputs.scheme, inputs.pool_of, inputs.assessor_ids
    assessor_set = set(assessor_ids)
    no_one: set[int] = set()
    subjects = []
    progress = {}
    for pk, fact in facts.items():
        override = overrides.get(pk)
        subjects.append(
            scoring.SubjectInput(
                key=fact.key,
                marks={code: scoring.Tenths(tenths) for code, tenths in marks.get(pk, {}).items()},
                deductions=inputs.deductions[pk],
                override=(
                    scoring.GradeOverride(scoring.Grade(override.grade), override.reason)
                    if override
                    else None
                ),
                standing=(
                    scoring.Standing.UNDETERMINED
                    if fact.undetermined
                    else scoring.Standing.PARTICIPATING
                ),
                pool=pool_of.get(pk, ""),
            )
        )
        barred = inputs.barred.get(pk, no_one)
        marked_by = givers.get(pk, ())
        by_whom = set(marked_by)
        if by_whom <= assessor_set and not by_whom & barred:  # the usual case: count them all
            given = len(marked_by)
        else:
            given = sum(1 for a in marked_by if a in assessor_set and a not in barred)
        progress[fact.key] = Progress(
            expected=(len(assessor_ids) - len(barred)) * len(criteria), given=given
        )
    result = scoring.score_period(
        criteria=criteria,
        subjects=subjects,
        thresholds=inputs.thresholds,
        graded=kind == STAFF,
        pools=(
            None if scheme is None else pools.specs(scheme, pool_of.values(), inputs.thresholds)
        ),
    )
    pool_by_key = {facts[pk].key: key for pk, key in pool_of.items()}
    by_fact_key = {f.key: f for f in facts.values()}
    by_override_key = {facts[pk].key: o for pk, o in overrides.items() if pk in facts}
    corrections = corrections_in_force(period) if kind == STAFF else {}
    rows = tuple(
        Row(
            facts=by_fact_key[r.key],
            result=r,
            progress=progress[r.key],
            override=by_override_key.get(r.key),
            pool=pool_by_key.get(r.key, ""),
            correction=corrections.get(by_fact_key[r.key].pk),
        )
        for r in result.results
    )
    table = Ranking(
        period=period,
        kind=kind,
        criteria=criteria,
        result=result,
        rows=rows,
        not_fully_marked=sum(1 for p in progress.values() if not p.complete),
        by_key={row.facts.key: row for row in rows},
    )
    # Kept only if nothing was written meanwhile: a ranking read across a commit may mix
    # the inputs before and after it.
    if key is not None and caching.period_key(period, kind, STORED_SHAPE) == key:
        _recent.put(key, (settings, table))
        _recent_inputs.put(inputs_key, inputs)
    return table


# --- an open or closed period's ranking, reused while nothing it depends on changes -------

# Rankings by the key they were computed under (efficiency.caching): an open or closed
# period's by the change counter, a locked period's decoded by the token of its write.
_recent = caching.Recent()
# What they were computed from besides the marks, by the change counter alone (_Inputs).
_recent_inputs = caching.Recent()


def _with_fresh_decisions(
    table: Ranking, period: Period, overrides: dict, corrections: dict | None = None
) -> Ranking:
    """A reused ranking with this call's period, decision rows (their other fields, a
    comment, who decided, may have changed without changing any grade) and 更正."""
    corrections = corrections or {}
    rows = tuple(
        # Most people have neither, before and now: their row is the very same.
        row
        if row.override is None
        and row.correction is None
        and row.facts.pk not in overrides
        and row.facts.pk not in corrections
        else Row(
            facts=row.facts,
            result=row.result,
            progress=row.progress,
            override=overrides.get(row.facts.pk),
            pool=row.pool,
            correction=corrections.get(row.facts.pk),
        )
        for row in table.rows
    )
    return replace(table, period=period, rows=rows, by_key={row.facts.key: row for row in rows})


# --- a locked period's ranking, stored ------------------------------------------------------

_CRITERIA = tuple[scoring.CriterionSpec, ...]
# The layout of the stored data: any change to these classes (or to the list below) changes
# it, and a stored ranking of another layout is recomputed rather than misread.
STORED_SHAPE = "1-" + plain_data.shape(_CRITERIA, scoring.PeriodResult, SubjectFacts, Progress)


def _ranking_data(table: Ranking) -> dict:
    """The ranking as plain data, without what is read apart on every read (decisions are
    model rows, 更正 come after lock)."""
    facts, progress = plain_data.encoder(SubjectFacts), plain_data.encoder(Progress)
    return {
        "criteria": plain_data.encoder(_CRITERIA)(table.criteria),
        "result": plain_data.encoder(scoring.PeriodResult)(table.result),
        "rows": [[facts(row.facts), progress(row.progress), row.pool] for row in table.rows],
        "not_fully_marked": table.not_fully_marked,
    }


def store_ranking(table: Ranking) -> None:
    """Keep a locked period's ranking for good (the lock's transaction, or a first read)."""
    if table.period.state != PeriodState.LOCKED:
        raise ValueError(f"{table.period.code} is not locked; its ranking can still change")
    try:
        with transaction.atomic():
            StoredRanking.objects.update_or_create(
                period=table.period,
                kind=table.kind,
                defaults={
                    "shape": STORED_SHAPE,
                    "data": _ranking_data(table),
                    "token": uuid.uuid4(),
                },
            )
    except IntegrityError:  # two first reads at once: the other one stored the same
        pass


def store_rankings(period: Period) -> None:
    """Compute a period that has just locked and keep its rankings for good."""
    for kind in (STAFF, SECTION):
        store_ranking(_computed_ranking(period, kind))


def _stored_ranking(period: Period, kind: str) -> Ranking | None:
    """The stored ranking with this call's decisions and 更正; decoded once per process
    and per write (each write has its own token, so a restored or another database's row of
    the same id is never taken for the one decoded)."""
    stored = StoredRanking.objects.filter(period=period, kind=kind, shape=STORED_SHAPE)
    written = stored.values_list("pk", "token").first()
    if written is None:
        return None
    overrides = _overrides(period) if kind == STAFF else {}
    corrections = corrections_in_force(period) if kind == STAFF else {}
    decoded = _recent.get(("stored", *written))
    if decoded is None:
        data = stored.filter(pk=written[0]).values_list("data", flat=True).first()
        if data is None:  # replaced meanwhile
            return None
        decoded = _decoded(period, kind, data)
        _recent.put(("stored", *written), decoded)
    return _with_fresh_decisions(decoded, period, overrides, corrections)


@_collector_paused()
def _decoded(period: Period, kind: str, data: dict) -> Ranking:
    result = plain_data.decoder(scoring.PeriodResult)(data["result"])
    facts, progress = plain_data.decoder(SubjectFacts), plain_data.decoder(Progress)
    rows = tuple(
        Row(
            facts=facts(row_facts),
            result=subject,
            progress=progress(row_progress),
            override=None,
            pool=pool,
        )
        for subject, (row_facts, row_progress, pool) in zip(
            result.results, data["rows"], strict=True
        )
    )
    return Ranking(
        period=period,
        kind=kind,
        criteria=plain_data.decoder(_CRITERIA)(data["criteria"]),
        result=result,
        rows=rows,
        not_fully_marked=data["not_fully_marked"],
        by_key={},  # filled by _with_fresh_decisions
    )


def _overrides(period: Period) -> dict[int, GradeReview]:
    """Staff pk -> the leaders' decision that changes a grade (审核评鉴).

    A decision without a reason confirmed the computed grade (services.reviews requires one
    for any other grade), so only decisions with a reason change a grade and are told apart
    on pages, exports and PDFs."""
    return {
        o.staff_id: o
        for o in GradeReview.objects.filter(period=period).exclude(grade="").exclude(reason="")
    }


def corrections_in_force(period: Period) -> dict[int, CorrectionFact]:
    """Staff pk -> the 更正 in force in a locked period (one query; none before lock)."""
    if period.state != PeriodState.LOCKED:
        return {}
    return {
        c.staff_id: CorrectionFact(
            pk=c.pk,
            original_final=c.original_final,
            original_grade=scoring.Grade(c.original_grade) if c.original_grade else None,
            final=c.corrected_final,
            grade=scoring.Grade(c.corrected_grade),
            recorded_on=timezone.localdate(c.recorded_at),
            basis=c.basis,
            what=c.what,
            why=c.why,
        )
        for c in Correction.objects.in_force().filter(period=period).select_related("incident")
    }


@dataclass(frozen=True)
class StaleDecision:
    """A decision without a reason whose computed grade has moved since it was made."""

    staff_id: int
    staff_no: str
    name: str
    decided: scoring.Grade
    then: scoring.Grade  # the computed grade the decision agreed with
    now: scoring.Grade | None  # None: no longer assessed


def stale_decisions(period: Period, table: Ranking | None = None) -> list[StaleDecision]:
    """Decisions without a reason that no longer mean anything (one query besides the ranking).

    Such a decision only said "as computed"; :func:`ranking` ignores it, so once the marks move
    the computed grade, the published grade follows the marks while the decision still says
    otherwise. Decisions with a reason stand whatever the marks do."""
    # Plain values, not model instances: on a quarter of 2,000 decided grades this runs twice
    # per decision page.
    reviews = (
        GradeReview.objects.filter(period=period, reason="")
        .exclude(grade="")
        .exclude(computed_at_decision="")
        .order_by("staff__staff_no")
        .values_list("staff_id", "staff__staff_no", "staff__name", "grade", "computed_at_decision")
    )
    stale = []
    for staff_id, staff_no, name, grade, computed_at_decision in reviews:
        table = table or ranking(period, STAFF)
        row = table.row(staff_no)
        now = (
            row.result.computed_grade
            if row is not None and row.result.assessed and row.result.computed_grade is not None
            else None
        )
        then = scoring.Grade(computed_at_decision)
        if now != then:
            stale.append(StaleDecision(staff_id, staff_no, name, scoring.Grade(grade), then, now))
    return stale


# --- across periods ---------------------------------------------------------------------


@dataclass(frozen=True)
class TrendPoint:
    period: str
    final: Decimal | None  # None: not assessed that quarter


def staff_trend(
    staff: Staff, periods: Iterable[Period], *, known: Ranking | None = None
) -> list[TrendPoint]:
    """A person's finals quarter by quarter, from their own marks and deductions only.

    A final depends on nothing but the subject's own marks, deductions and the criteria, so
    a ranking's row holds the same value: a locked quarter's comes from its stored ranking
    (:func:`_stored_finals`), ``known`` (a ranking the caller already has, e.g. the score
    card's quarter) is read as it is, and any other quarter scores the one person alone."""
    periods = list(periods)
    stored = _stored_finals(periods, STAFF)
    if known is not None and known.kind == STAFF:
        row = next((row for row in known.rows if row.facts.pk == staff.pk), None)
        stored[known.period.pk] = {} if row is None else _finals_of(replace(known, rows=(row,)))
    points = []
    for period in periods:
        finals = stored.get(period.pk)
        if finals is None and period.state == PeriodState.LOCKED:
            # Locked before its ranking was stored: store it now, once, as ranking() does on
            # a first read, rather than parse the quarter's frozen facts on every trend.
            finals = _finals_of(ranking(period, STAFF))
        if finals is not None:
            found = finals.get(staff.pk)
            points.append(TrendPoint(period.code, found.final if found else None))
            continue
        row = _single_result(period, STAFF, staff.pk)
        points.append(TrendPoint(period.code, row.final if row and row.assessed else None))
    return points


@dataclass(frozen=True)
class _Final:
    section_id: int | None
    name: str
    final: Decimal | None  # None: not assessed


def _finals_of(table: Ranking) -> dict[int, _Final]:
    """Subject pk -> its final in the ranking, in the ranking's order."""
    return {
        row.facts.pk: _Final(
            row.facts.section_id,
            row.facts.name,
            row.result.final if row.result.assessed else None,
        )
        for row in table.rows
    }


# Locked quarters' finals by the stored ranking they come from (kind, its id and the token of
# its write: a new write is another key, so nothing is ever invalidated). A few kB a quarter,
# against a few MB for a whole decoded ranking: every quarter a trend shows fits, where the
# rankings (_recent) would push one another out.
_finals_cache = caching.Recent(size=200)


def forget_kept() -> None:
    """Drop what this process keeps of results (tests counting what a fresh read costs)."""
    for kept in (_recent, _recent_inputs, _finals_cache):
        kept.clear()


def _stored_finals(periods: Iterable[Period], kind: str) -> dict[int, dict[int, _Final]]:
    """Locked quarters' finals from their stored rankings, by period pk: one small query for
    all of them once decoded (a quarter left out has nothing stored yet, or of another
    layout)."""
    locked = {p.pk: p for p in periods if p.state == PeriodState.LOCKED}
    if not locked:
        return {}
    written = StoredRanking.objects.filter(
        period__in=list(locked), kind=kind, shape=STORED_SHAPE
    ).values_list("period_id", "pk", "token")
    found = {}
    for period_pk, pk, token in written:
        finals = _finals_cache.get((kind, pk, token))
        if finals is None:
            decoded = _recent.get(("stored", pk, token))
            if decoded is None:
                data = (
                    StoredRanking.objects.filter(pk=pk, token=token)
                    .values_list("data", flat=True)
                    .first()
                )
                if data is None:  # replaced meanwhile
                    continue
                decoded = _decoded(locked[period_pk], kind, data)
            finals = _finals_of(decoded)
            _finals_cache.put((kind, pk, token), finals)
        found[period_pk] = finals
    return found


def _single_result(period: Period, kind: str, pk: int) -> scoring.SubjectResult | None:
    facts = _one_subject_facts(period, kind, pk)
    if facts is None:
        return None
    subject_field = "staff_id" if kind == STAFF else "section_id"
    codes = dict(period.criteria.values_list("pk", "code"))
    marks: dict[str, list[int]] = defaultdict(list)
    for criterion_id, tenths in Score.objects.filter(
        period=period, **{subject_field: pk}
    ).values_list("criterion_id", "tenths"):
        marks[codes[criterion_id]].append(tenths)
    result = scoring.score_period(
        criteria=criteria_of(period),
        subjects=[
            scoring.SubjectInput(
                key=facts.key,
                marks={code: scoring.Tenths(given) for code, given in marks.items()},
                deductions=tuple(
                    scoring.Deduction(d.number, d.points, scoring.Severity(d.severity))
                    for d in facts.deductions
                ),
            )
        ],
        thresholds=thresholds_of(period),
        graded=False,
    )
    return result.results[0]


def section_trends(periods: Iterable[Period]) -> dict[str, list[TrendPoint]]:
    """Every section's finals quarter by quarter (section's current name -> points).

    Quarters are joined by the section's id: a section renamed since a locked quarter is
    still one line, under the name it has now.
    """
    series: dict[int, list[TrendPoint]] = defaultdict(list)
    names: dict[int, str] = {}
    periods = list(periods)
    stored = _stored_finals(periods, SECTION)
    for period in periods:
        finals = stored.get(period.pk)
        if finals is None:
            finals = _finals_of(ranking(period, SECTION))
        for found in finals.values():
            names.setdefault(found.section_id, found.name)
            series[found.section_id].append(TrendPoint(period.code, found.final))
    names.update(Section.objects.filter(pk__in=series).values_list("pk", "name"))
    return {names[pk]: points for pk, points in series.items()}


@dataclass(frozen=True)
class AnnualRow:
    facts: SubjectFacts
    result: scoring.AnnualSubjectResult
    quarters: dict[str, Row | None]
    category: str = wording.CIVIL_SERVANT  # the person's 人员类别 today, which names the grade
    standing_reason_label: str = ""  # 不定等次 for the year: why (see SubjectFacts)

    @property
    def undetermined(self) -> bool:
        return self.result.undetermined

    pool: str = ""  # the 优秀 quota pool's key ("" without pools)

    @property
    def grade_label(self) -> str:
        """优秀/称职/… (事业编: 优秀/合格/…); 不定等次 when a veto left the year ungraded; ""
        when not graded."""
        if self.result.undetermined:
            return wording.undetermined_label()
        return wording.annual_label(self.result.grade, self.category)


@dataclass(frozen=True)
class AnnualRollup:
    year: int
    periods: tuple[Period, ...]
    result: scoring.AnnualResult
    rows: tuple[AnnualRow, ...]
    thresholds: scoring.Thresholds


def annual_rollup(year: int) -> AnnualRollup:
    """The year's 优秀/称职/基本称职/不称职 from the closed or locked quarters' results."""
    periods = tuple(
        Period.objects.filter(
            year=year, state__in=[PeriodState.CLOSED, PeriodState.LOCKED]
        ).order_by("quarter")
    )
    rankings = [ranking(period, STAFF) for period in periods]
    facts: dict[str, SubjectFacts] = {}
    quarter_rows: dict[str, dict[str, Row | None]] = defaultdict(dict)
    for table in rankings:
        for row in table.rows:
            facts.setdefault(row.facts.key, row.facts)
            quarter_rows[row.facts.key][table.period.code] = row
    grave = set(
        IncidentResponsible.objects.filter(
            incident__status__in=ESTABLISHED_STATUSES,
            incident__occurred_on__year=year,
            incident__severity="grave",
        ).values_list("staff__staff_no", flat=True)
    )
    # The year's own standings: 不参加考核 leaves a person out, 不定等次 keeps them ungraded.
    year_standing = {row.staff.staff_no: row for row in standings.standings_of(year, None)}
    for key, row in year_standing.items():
        if row.standing == StandingKind.ABSENT:
            facts.pop(key, None)
    # Influence periods and 处分 (取消年度评优资格 among them): see efficiency.influence.
    vetoes = year_vetoes(year, facts)
    # 优秀 pools: the scheme of the year's last opened quarter (efficiency.pool_schemes).
    # Everyone's, unfiltered: cheaper than an IN over the year's 2,000 staff numbers.
    categories = dict(Staff.objects.values_list("staff_no", "category"))
    scheme = pool_schemes.year_scheme(periods)
    pool_of = pool_membership(
        scheme,
        {
            f.pk: (categories.get(key, wording.CIVIL_SERVANT), f.section_id)
            for key, f in facts.items()
        },
    )
    pool_by_key = {key: pool_of.get(f.pk, "") for key, f in facts.items()}
    inputs = []
    for key in facts:
        assessed = [r for r in quarter_rows[key].values() if r and r.result.assessed]
        inputs.append(
            scoring.AnnualInput(
                key=key,
                # A 更正 after lock counts instead of the stored result (Row.counted_*).
                quarter_finals=[r.counted_final for r in assessed],
                quarter_grades=[r.counted_grade for r in assessed],
                has_grave_incident=key in grave,
                standing=(
                    scoring.Standing.UNDETERMINED
                    if key in year_standing
                    else scoring.Standing.PARTICIPATING
                ),
                vetoes=vetoes.get(key, ()),
                pool=pool_by_key[key],
            )
        )
    thresholds = scoring.DEFAULT_THRESHOLDS
    result = scoring.score_year(
        subjects=inputs,
        thresholds=thresholds,
        pools=None if scheme is None else pools.specs(scheme, pool_of.values(), thresholds),
    )
    rows = tuple(
        AnnualRow(
            facts=facts[r.key],
            result=r,
            quarters={p.code: quarter_rows[r.key].get(p.code) for p in periods},
            category=categories.get(r.key, wording.CIVIL_SERVANT),
            standing_reason_label=_annual_reason_label(year_standing.get(r.key)),
            pool=pool_by_key.get(r.key, ""),
        )
        for r in result.results
    )
    return AnnualRollup(year=year, periods=periods, result=result, rows=rows, thresholds=thresholds)


def _annual_reason_label(row) -> str:
    if row is None:
        return ""
    facts = _standing_fields((row.standing, row.reason, row.note))
    return SubjectFacts("", 0, "", "", 0, "", **facts).standing_reason_label


def annual_excellent_places(rollup: AnnualRollup) -> int:
    """How many 优秀 the year's decision may give over everyone: the sum of the pools' places
    (each pool's share of the people it grades, rounded and raised to its minimum). The
    decision's counter and checks go per pool (``rollup.result.pools``) as the quarter's do."""
    return rollup.result.quota


def annual_any_decided(year: int) -> bool:
    """Whether the committee has decided anyone's grade for ``year`` (the 审定等次 column)."""
    return AnnualReview.objects.filter(appraisal__year=year, grade__gt="").exists()


def annual_decided_labels(year: int, rows: Iterable[AnnualRow]) -> dict[str, str]:
    """工号 → the committee's decided grade (审定等次) in the person's wording; absent: undecided.
    Printed beside the computed grade in the roll-up's PDF and Excel."""
    categories = {row.facts.pk: (row.facts.key, row.category) for row in rows}
    decided = AnnualReview.objects.filter(
        appraisal__year=year, staff_id__in=categories, grade__gt=""
    ).values_list("staff_id", "grade")
    return {
        categories[pk][0]: wording.annual_label(scoring.AnnualGrade(grade), categories[pk][1])
        for pk, grade in decided
    }
