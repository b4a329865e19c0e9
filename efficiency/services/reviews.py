"""Writes to 审核评鉴: the section head's proposal, the leader's decision.

Who may do what:
  propose   the head of the person's section, or the administrator: a 评价意见 (at most
            ``COMMENT_MAX_LENGTH`` characters) and a proposed grade, the computed one unless a
            reason says why not;
  decide    a leader (the permission the former grade override used): the decided grade, with a
            reason when it differs from the proposal or the computed grade, or when it takes the
            pool past its 好 quota; or all undecided people as proposed, in one action.
Only while the period is open or closed (not before it opens, never once it is locked), only for
people assessed in it. Every step is recorded in the history with who, when and why.

The 好 places are counted per quota pool (名额), as scoring computed them for the ranking
(``results.ranking(...).result.pools``; a period opened before pools is one pool, its
``result.quota``), never recounted here. Going over a pool's places needs a reason.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from efficiency import results
from efficiency.models import COMMENT_MAX_LENGTH, GradeReview, Period, PeriodState, Staff
from efficiency.models.audit import AuditAction
from efficiency.reasons import check_reason
from efficiency.scoring import Grade

from . import ServiceError
from .appraisal import refuse_locked
from .audit import record
from .summaries import heads_section_of, is_administrator

DECIDE_PERMISSION = "efficiency.override_grade"


# --- who may ------------------------------------------------------------------------------------


def may_propose(user, staff: Staff) -> bool:
    return is_administrator(user) or heads_section_of(user, staff)


def may_decide(user) -> bool:
    return user.is_active and user.has_perm(DECIDE_PERMISSION)


# --- reads the pages share ------------------------------------------------------------------------


@dataclass(frozen=True)
class PoolCounter:
    """可评“好”N人，已定M人 for one quota pool."""

    key: str
    name: str
    quota: int
    decided_good: int

    @property
    def over(self) -> bool:
        return self.decided_good > self.quota


@dataclass(frozen=True)
class Counter:
    """可评“好”N人，已定M人 over everyone, and per pool when there is more than one."""

    quota: int
    decided_good: int
    stale: int = 0  # decisions without a reason whose computed grade has moved since
    pools: tuple[PoolCounter, ...] = ()  # () when everyone graded is in one pool

    @property
    def over(self) -> bool:
        if self.pools:
            return any(pool.over for pool in self.pools)
        return self.decided_good > self.quota


def reviews_of(period: Period) -> dict[int, GradeReview]:
    return {r.staff_id: r for r in GradeReview.objects.filter(period=period)}


def _pool_of(table) -> dict[int, str]:
    """staff pk -> quota pool key, for everyone in the ranking who counts in a quota.

    ``table``: a quarter's ranking or the year's rollup (rows with ``facts``, ``pool`` and
    ``undetermined``). 不定等次 people are left out: a grade decided before they became so
    uses no place."""
    return {row.facts.pk: row.pool for row in table.rows if not row.undetermined}


def _pool_places(table, pool: str) -> int:
    found = table.result.pool(pool)
    return table.result.quota if found is None else found.places


def _pool_name(table, pool: str) -> str:
    found = table.result.pool(pool)
    return found.name if found else ""


def _pooled(table) -> bool:
    """Whether the graded are split over more than one pool (else one pool: the office)."""
    return sum(1 for pool in table.result.pools if pool.graded_count) > 1


def pool_counters(table, holders: list[int]) -> tuple[PoolCounter, ...]:
    """One counter per pool of ``holders`` (staff pks holding the top grade, 好 or 优秀);
    () when everyone graded is in one pool. Shared by the quarter's and the year's pages."""
    pool_of = _pool_of(table)
    per_pool = [
        PoolCounter(
            key=pool.key,
            name=pool.name,
            quota=pool.places,
            decided_good=sum(1 for pk in holders if pool_of.get(pk) == pool.key),
        )
        for pool in table.result.pools
    ]
    shown = tuple(
        c
        for c, pool in zip(per_pool, table.result.pools, strict=True)
        if pool.graded_count or c.decided_good
    )
    return shown if len(shown) > 1 else ()


def pool_room(table, staff: Staff, holders: list[int]) -> tuple[str, int, bool]:
    """(the pool's name when the graded are split over pools else "", its places, whether
    one more top grade for ``staff`` goes past them); ``holders``: the pks holding it."""
    pool_of = _pool_of(table)
    pool = pool_of.get(staff.pk, "")
    places = _pool_places(table, pool)
    used = sum(1 for pk in holders if pk != staff.pk and pool_of.get(pk) == pool)
    return (_pool_name(table, pool) if _pooled(table) else ""), places, used + 1 > places


def over_pool_places(table, holders: list[int], top: list) -> tuple[list, dict[int, int]]:
    """Of ``top`` (pending items with ``.staff`` in rank order, each to get the top grade),
    the lowest-ranked beyond the room their pool has left after ``holders``; and staff pk ->
    their pool's places."""
    pool_of = _pool_of(table)
    over: list = []
    places_of: dict[int, int] = {}
    for pool in dict.fromkeys(pool_of.get(p.staff.pk, "") for p in top):
        places = _pool_places(table, pool)
        used = sum(1 for pk in holders if pool_of.get(pk) == pool)
        in_pool = [p for p in top if pool_of.get(p.staff.pk, "") == pool]
        over += in_pool[max(places - used, 0) :]
        places_of.update((p.staff.pk, places) for p in in_pool)
    over.sort(key=top.index)
    return over, places_of


def pools_places_text(table) -> str:
    """“A 3、B 1”: each pool with someone graded and its places, for a refusal; "" when the
    graded are all in one pool."""
    if not _pooled(table):
        return ""
    return "、".join(
        _("%(pool)s %(places)s") % {"pool": p.name, "places": p.places}
        for p in table.result.pools
        if p.graded_count
    )


def counter(period: Period, table: results.Ranking | None = None) -> Counter:
    table = table or results.ranking(period, results.STAFF)
    # A 不定等次 person is outside the quota, whatever was decided before they became so.
    undetermined = [row.facts.pk for row in table.rows if row.undetermined]
    good_ids = list(
        GradeReview.objects.filter(period=period, grade=Grade.GOOD)
        .exclude(staff_id__in=undetermined)
        .values_list("staff_id", flat=True)
    )
    return Counter(
        quota=table.result.quota,
        decided_good=len(good_ids),
        stale=len(results.stale_decisions(period, table)),
        pools=pool_counters(table, good_ids),
    )


# --- the checks every write makes ----------------------------------------------------------------


def _check_comment(staff: Staff, comment: str) -> str:
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX_LENGTH:
        raise ServiceError(
            _("The comment on %(name)s is %(length)s characters long; at most %(max)s.")
            % {"name": staff.name, "length": len(comment), "max": COMMENT_MAX_LENGTH}
        )
    return comment


def _check_period(period: Period) -> Period:
    period = Period.objects.select_for_update().get(pk=period.pk)
    refuse_locked(period)
    if period.state not in (PeriodState.OPEN, PeriodState.CLOSED):
        raise ServiceError(
            _("Period %(code)s has not been opened yet; grades are reviewed once it is open.")
            % {"code": period.code}
        )
    return period


def _computed(table: results.Ranking, staff: Staff) -> Grade:
    row = table.row(staff.staff_no)
    if row is not None and row.undetermined:
        raise ServiceError(
            _("%(name)s has no grade determined this quarter (%(reason)s): there is no grade.")
            % {"name": staff.name, "reason": row.facts.standing_reason_label}
        )
    if row is None or not row.result.assessed or row.result.computed_grade is None:
        raise ServiceError(
            _("%(name)s is not assessed this quarter: there is no grade to review.")
            % {"name": staff.name}
        )
    return row.result.computed_grade


def _grade(value: str) -> Grade:
    if value not in {g.value for g in Grade}:
        raise ServiceError(_("Choose a grade from the list."))
    return Grade(value)


def _review(period: Period, staff: Staff) -> GradeReview:
    return GradeReview.objects.filter(period=period, staff=staff).first() or GradeReview(
        period=period, staff=staff
    )


def check_proposal(
    *, actor, period: Period, staff: Staff, grade: str, comment: str, reason: str
) -> tuple[Grade | None, str, str]:
    """Every refusal of a proposal, without writing; returns (grade, comment, reason).

    A person 不定等次 gets the comment only: the grade is None whatever was posted."""
    if not may_propose(actor, staff):
        raise ServiceError(
            _("Only the head of %(name)s's section proposes their grade.") % {"name": staff.name}
        )
    refuse_locked(period)
    table = results.ranking(period, results.STAFF)
    row = table.row(staff.staff_no)
    if row is not None and row.undetermined:
        return None, _check_comment(staff, comment), ""
    computed = _computed(table, staff)
    chosen = _grade(grade)
    comment = _check_comment(staff, comment)
    reason = (reason or "").strip()
    if chosen != computed:
        reason = check_reason(
            reason,
            missing=_(
                "Proposing “%(grade)s” for %(name)s instead of the computed “%(computed)s” "
                "needs a reason."
            )
            % {"grade": chosen.label, "name": staff.name, "computed": computed.label},
        )
    else:
        reason = ""
    return chosen, comment, reason


@transaction.atomic
def propose(
    *, actor, period: Period, staff: Staff, grade: str, comment: str, reason: str = ""
) -> GradeReview:
    period = _check_period(period)
    chosen, comment, reason = check_proposal(
        actor=actor, period=period, staff=staff, grade=grade, comment=comment, reason=reason
    )
    review = _review(period, staff)
    old = review.proposed_grade
    review.set_proposal(
        by=actor, at=timezone.now(), grade=chosen or "", comment=comment, reason=reason
    )
    review.full_clean()
    review.save()
    record(
        actor=actor,
        obj=staff,
        action=AuditAction.REVIEW_PROPOSE,
        reason=reason,
        changes={
            f"{period.code} proposed grade": [
                Grade(old).label if old else "",
                chosen.label if chosen else "",
            ],
            f"{period.code} comment": comment,
        },
    )
    return review


def check_decision(*, actor, period: Period, staff: Staff, grade: str, reason: str) -> tuple:
    """Every refusal of a decision, without writing; returns (grade, computed, proposal, reason).

    The page asks this before its confirmation step, and :func:`decide` again."""
    if not may_decide(actor):
        raise ServiceError(_("Only a leader decides grades."))
    refuse_locked(period)
    table = results.ranking(period, results.STAFF)
    computed = _computed(table, staff)
    chosen = _grade(grade)
    review = GradeReview.objects.filter(period=period, staff=staff).first()
    proposal = Grade(review.proposed_grade) if review and review.proposed_grade else computed
    reason = (reason or "").strip()
    pool, places, past = pool_room(
        table,
        staff,
        list(
            GradeReview.objects.filter(period=period, grade=Grade.GOOD).values_list(
                "staff_id", flat=True
            )
        ),
    )
    if chosen != Grade.GOOD or not past:
        over = None
    elif pool:
        over = _(
            "“好” for %(name)s goes over the %(quota)s places of the pool “%(pool)s”; "
            "write a reason."
        ) % {"name": staff.name, "quota": places, "pool": pool}
    else:
        over = _("“好” for %(name)s goes over the quota of %(quota)s; write a reason.") % {
            "name": staff.name,
            "quota": places,
        }
    reason = decision_reason(
        staff=staff, chosen=chosen, computed=computed, proposal=proposal, reason=reason, over=over
    )
    return chosen, computed, proposal, reason


def decision_reason(*, staff: Staff, chosen, computed, proposal, reason: str, over: str | None):
    """The reason a decision needs: one for a grade other than the proposal or the computed
    one; one for a grade past the places (``over``: what to say when it is missing, None
    within them). Shared by the quarter's and the year's decisions."""
    if chosen != proposal or chosen != computed:
        return check_reason(
            reason,
            missing=_(
                "Deciding “%(grade)s” for %(name)s needs a reason: the computed grade is "
                "“%(computed)s”, the proposal “%(proposal)s”."
            )
            % {
                "grade": chosen.label,
                "name": staff.name,
                "computed": computed.label,
                "proposal": proposal.label,
            },
        )
    if over is not None:
        return check_reason(reason, missing=over)
    return reason


def _save_decision(
    *,
    actor,
    period: Period,
    staff: Staff,
    grade: Grade,
    computed: Grade,
    reason: str,
    why: str,
    changes: dict | None = None,
):
    review = _review(period, staff)
    old = review.grade
    review.set_decision(by=actor, at=timezone.now(), grade=grade, reason=reason, computed=computed)
    review.full_clean()
    review.save()
    record(
        actor=actor,
        obj=staff,
        action=AuditAction.REVIEW_DECIDE,
        reason=reason or why,
        changes={
            f"{period.code} grade": [Grade(old).label if old else "", grade.label],
            **(changes or {}),
        },
    )
    return review


@transaction.atomic
def decide(*, actor, period: Period, staff: Staff, grade: str, reason: str = "") -> GradeReview:
    period = _check_period(period)
    chosen, computed, _proposal, reason = check_decision(
        actor=actor, period=period, staff=staff, grade=grade, reason=reason
    )
    return _save_decision(
        actor=actor,
        period=period,
        staff=staff,
        grade=chosen,
        computed=computed,
        reason=reason,
        why="",
    )


@transaction.atomic
def withdraw_decision(*, actor, period: Period, staff: Staff, reason: str) -> None:
    """Withdraw a decision: the computed grade applies again."""
    if not may_decide(actor):
        raise ServiceError(_("Only a leader decides grades."))
    period = _check_period(period)
    reason = check_reason(reason, missing=_("Withdrawing a decision needs a written reason."))
    review = GradeReview.objects.filter(period=period, staff=staff).exclude(grade="").first()
    if review is None:
        return
    old = review.grade
    review.grade, review.reason, review.decided_by, review.decided_at = "", "", None, None
    review.computed_at_decision = ""
    review.save()
    record(
        actor=actor,
        obj=staff,
        action=AuditAction.REVIEW_DECIDE,
        reason=reason,
        changes={f"{period.code} grade": [Grade(old).label, ""]},
    )


@dataclass(frozen=True)
class Pending:
    staff: Staff
    grade: Grade  # the proposal, or the computed grade when nobody proposed
    reason: str  # the proposal's reason (a grade other than the computed one has one)
    computed: Grade


def pending_as_proposed(period: Period, table: results.Ranking | None = None) -> list[Pending]:
    """Everyone assessed and not yet decided, in rank order, with the grade "all as proposed"
    would give."""
    table = table or results.ranking(period, results.STAFF)
    reviews = reviews_of(period)
    staff = {s.staff_no: s for s in results.staff_in_period(period)}
    pending = []
    for row in table.rows:
        person = staff.get(row.facts.key)
        computed = row.result.computed_grade
        if person is None or not row.result.assessed or computed is None:
            continue
        review = reviews.get(person.pk)
        if review is not None and review.grade:
            continue
        if review is not None and review.proposed_grade:
            pending.append(
                Pending(person, Grade(review.proposed_grade), review.proposal_reason, computed)
            )
        else:
            pending.append(Pending(person, computed, "", computed))
    return pending


@dataclass(frozen=True)
class AllAsProposed:
    """What 全部按建议审定 would do."""

    pending: list[Pending]
    quota: int
    good: int  # decided 好 afterwards
    over: list[Pending]  # the 好 beyond their pool's places, the lowest-ranked ones
    reason: str  # why going over the quota is right; blank when nothing goes over
    places_of: dict[int, int] = field(default_factory=dict)  # staff pk -> their pool's places
    pools: tuple[PoolCounter, ...] = ()  # 好 afterwards per pool; () when one pool


def check_all_as_proposed(
    *,
    actor,
    period: Period,
    reason: str | None = None,
    table: results.Ranking | None = None,
) -> AllAsProposed:
    """Every refusal of 全部按建议审定, without writing.

    ``reason=None`` checks everything but the reason (the page then asks for one when some 好
    go over the quota); a string is the reason, required when some go over. ``table``: the
    period's staff ranking when the caller has computed it already."""
    if not may_decide(actor):
        raise ServiceError(_("Only a leader decides grades."))
    refuse_locked(period)
    table = table or results.ranking(period, results.STAFF)
    pending = pending_as_proposed(period, table)
    if not pending:
        raise ServiceError(_("Every assessed person's grade is already decided."))
    quota = table.result.quota
    decided = list(
        GradeReview.objects.filter(period=period, grade=Grade.GOOD).values_list(
            "staff_id", flat=True
        )
    )
    good_pending = [p for p in pending if p.grade == Grade.GOOD]
    over, places_of = over_pool_places(table, decided, good_pending)
    good = len(decided) + len(good_pending)
    if over and reason is not None and _pooled(table):
        reason = check_reason(
            reason,
            missing=_(
                "Deciding all as proposed would give “好” to %(count)s people, %(over)s over "
                "their pools' places (%(pools)s); write a reason for going over them."
            )
            % {
                "count": good,
                "over": len(over),
                "pools": pools_places_text(table),
            },
        )
    elif over and reason is not None:
        reason = check_reason(
            reason,
            missing=_(
                "Deciding all as proposed would give “好” to %(count)s people, %(over)s over "
                "the quota of %(quota)s; write a reason for going over it."
            )
            % {"count": good, "over": len(over), "quota": quota},
        )
    return AllAsProposed(
        pending=pending,
        quota=quota,
        good=good,
        over=over,
        reason=(reason or "") if over else "",
        places_of=places_of,
        pools=pool_counters(table, decided + [p.staff.pk for p in good_pending]),
    )


@transaction.atomic
def decide_all_as_proposed(*, actor, period: Period, reason: str = "") -> int:
    """Decide every undecided person as proposed (or as computed); returns how many.

    When the 好 go over the quota, ``reason`` is required and recorded on each decision beyond
    it (the lowest-ranked 好), in the decision and in its history entry."""
    period = _check_period(period)
    plan = check_all_as_proposed(actor=actor, period=period, reason=reason)
    over = {item.staff.pk for item in plan.over}
    why = _("Decided as proposed, all at once.")
    for item in plan.pending:
        item_reason, changes = item.reason, None
        if item.staff.pk in over:
            places = plan.places_of.get(item.staff.pk, plan.quota)
            note = _("Over the quota of %(quota)s: %(reason)s") % {
                "quota": places,
                "reason": plan.reason,
            }
            item_reason = f"{item.reason}\n{note}" if item.reason else note
            changes = {f"{period.code} over the quota": places}
        _save_decision(
            actor=actor,
            period=period,
            staff=item.staff,
            grade=item.grade,
            computed=item.computed,
            reason=item_reason,
            why=why,
            changes=changes,
        )
    return len(plan.pending)
