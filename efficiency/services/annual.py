"""Writes to the year's decision (年度考核审定): the section head's proposal, the leader's decision.

The computed annual grade (``results.annual_rollup``) is the 建议等次. As in the quarter's
审核评鉴 (:mod:`.reviews`, whose permission rules are reused):
  propose   the head of the person's section, or the administrator: a 评语 (at most
            ``COMMENT_MAX_LENGTH`` characters) and a proposed grade, the computed one unless a
            reason says why not; a 不定等次 person gets the 评语 only;
  decide    a leader: the decided grade, with a reason when it differs from the proposal or the
            computed grade, or when it takes the year past its 优秀 places; or every undecided
            person as proposed, in one action.
Every step is recorded in the history of the person with who, when and why.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from efficiency import results
from efficiency.models import AnnualAppraisal, AnnualReview, AnnualState, Staff
from efficiency.models.audit import AuditAction
from efficiency.reasons import check_reason
from efficiency.scoring import AnnualGrade

from . import ServiceError
from .audit import record
from .reviews import (
    Counter,
    PoolCounter,
    decision_reason,
    may_decide,
    may_propose,
    over_pool_places,
    pool_counters,
    pool_room,
    pools_places_text,
)

__all__ = ["Counter", "may_decide", "may_propose"]


def reviews_of(year: int) -> dict[int, AnnualReview]:
    return {r.staff_id: r for r in AnnualReview.objects.filter(appraisal__year=year)}


def _decided_excellent(year: int, rollup: results.AnnualRollup) -> list[int]:
    """The pks of those graded whose decided grade is 优秀 (a 不定等次 person is left out)."""
    graded = [row.facts.pk for row in rollup.rows if row.result.grade is not None]
    return list(
        AnnualReview.objects.filter(
            appraisal__year=year, grade=AnnualGrade.EXCELLENT, staff_id__in=graded
        ).values_list("staff_id", flat=True)
    )


def counter(year: int, rollup: results.AnnualRollup | None = None) -> Counter:
    """可评“优秀”N人，已定M人, per 优秀 pool when there is more than one (as the quarter's).
    A 不定等次 person is outside every count, whatever was decided."""
    rollup = rollup or results.annual_rollup(year)
    excellent = _decided_excellent(year, rollup)
    return Counter(
        quota=results.annual_excellent_places(rollup),
        decided_good=len(excellent),
        pools=pool_counters(rollup, excellent),
    )


def _row(rollup: results.AnnualRollup, staff: Staff) -> results.AnnualRow | None:
    return next((row for row in rollup.rows if row.facts.pk == staff.pk), None)


def _computed(rollup: results.AnnualRollup, staff: Staff) -> AnnualGrade:
    row = _row(rollup, staff)
    if row is not None and row.undetermined:
        raise ServiceError(
            _("%(name)s has no grade determined for %(year)s: there is no grade to decide.")
            % {"name": staff.name, "year": rollup.year}
        )
    if row is None or row.result.grade is None:
        raise ServiceError(
            _("%(name)s has no annual grade for %(year)s: no quarter of the year was assessed.")
            % {"name": staff.name, "year": rollup.year}
        )
    return row.result.grade


def _grade(value: str) -> AnnualGrade:
    if value not in {g.value for g in AnnualGrade}:
        raise ServiceError(_("Choose a grade from the list."))
    return AnnualGrade(value)


def _comment(staff: Staff, comment: str) -> str:
    from efficiency.models import COMMENT_MAX_LENGTH

    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX_LENGTH:
        raise ServiceError(
            _("The comment on %(name)s is %(length)s characters long; at most %(max)s.")
            % {"name": staff.name, "length": len(comment), "max": COMMENT_MAX_LENGTH}
        )
    return comment


def _review_for_update(year: int, staff: Staff) -> AnnualReview:
    appraisal, _created = AnnualAppraisal.objects.get_or_create(year=year)
    appraisal = AnnualAppraisal.objects.select_for_update().get(pk=appraisal.pk)
    return AnnualReview.objects.filter(appraisal=appraisal, staff=staff).first() or AnnualReview(
        appraisal=appraisal, staff=staff
    )


def refuse_after(year: int, state: str) -> None:
    """Proposals end once the 优秀 are published; decisions once the notices are issued."""
    appraisal = AnnualAppraisal.objects.filter(year=year).first()
    if appraisal is None:
        return
    if appraisal.state == AnnualState.NOTIFIED:
        raise ServiceError(
            _("The result notices of %(year)s are issued: the decisions no longer change here.")
            % {"year": year}
        )
    if state == AnnualState.DECIDING and appraisal.state != AnnualState.DECIDING:
        raise ServiceError(
            _("The 优秀 of %(year)s are published: proposals no longer change.") % {"year": year}
        )


def _label(value: str) -> str:
    return AnnualGrade(value).label if value else ""


def check_proposal(
    *, actor, year: int, staff: Staff, grade: str, comment: str, reason: str, rollup=None
) -> tuple[AnnualGrade | None, str, str]:
    """Every refusal of a proposal, without writing; returns (grade, comment, reason)."""
    if not may_propose(actor, staff):
        raise ServiceError(
            _("Only the head of %(name)s's section proposes their grade.") % {"name": staff.name}
        )
    refuse_after(year, AnnualState.DECIDING)
    rollup = rollup or results.annual_rollup(year)
    row = _row(rollup, staff)
    if row is not None and row.undetermined:
        return None, _comment(staff, comment), ""
    computed = _computed(rollup, staff)
    chosen = _grade(grade)
    comment = _comment(staff, comment)
    reason = (reason or "").strip()
    if chosen == computed:
        return chosen, comment, ""
    reason = check_reason(
        reason,
        missing=_(
            "Proposing “%(grade)s” for %(name)s instead of the computed “%(computed)s” "
            "needs a reason."
        )
        % {"grade": chosen.label, "name": staff.name, "computed": computed.label},
    )
    return chosen, comment, reason


@transaction.atomic
def propose(
    *, actor, year: int, staff: Staff, grade: str, comment: str, reason: str = ""
) -> AnnualReview:
    chosen, comment, reason = check_proposal(
        actor=actor, year=year, staff=staff, grade=grade, comment=comment, reason=reason
    )
    review = _review_for_update(year, staff)
    old = review.proposed_grade
    review.set_proposal(
        by=actor, at=timezone.now(), grade=chosen or "", comment=comment, reason=reason
    )
    review.full_clean()
    review.save()
    record(
        actor=actor,
        obj=staff,
        action=AuditAction.ANNUAL_PROPOSE,
        reason=reason,
        changes={
            f"{year} proposed annual grade": [_label(old), chosen.label if chosen else ""],
            f"{year} comment": comment,
        },
    )
    return review


@dataclass(frozen=True)
class Decision:
    grade: AnnualGrade
    computed: AnnualGrade
    proposal: AnnualGrade
    reason: str


def check_decision(
    *, actor, year: int, staff: Staff, grade: str, reason: str, rollup=None
) -> Decision:
    """Every refusal of a decision, without writing; the page asks it before its confirmation
    step, and :func:`decide` again."""
    if not may_decide(actor):
        raise ServiceError(_("Only a leader decides grades."))
    refuse_after(year, AnnualState.PUBLICITY)
    rollup = rollup or results.annual_rollup(year)
    computed = _computed(rollup, staff)
    chosen = _grade(grade)
    review = AnnualReview.objects.filter(appraisal__year=year, staff=staff).first()
    proposal = AnnualGrade(review.proposed_grade) if review and review.proposed_grade else computed
    reason = (reason or "").strip()
    pool, places, past = pool_room(rollup, staff, _decided_excellent(year, rollup))
    message = None
    if chosen == AnnualGrade.EXCELLENT and past:
        message = (
            _(
                "“优秀” for %(name)s goes over the %(places)s places of the pool “%(pool)s”; "
                "write a reason."
            )
            if pool
            else _("“优秀” for %(name)s goes over the %(places)s places; write a reason.")
        ) % {"name": staff.name, "places": places, "pool": pool}
    reason = decision_reason(
        staff=staff,
        chosen=chosen,
        computed=computed,
        proposal=proposal,
        reason=reason,
        over=message,
    )
    return Decision(chosen, computed, proposal, reason)


def _save_decision(*, actor, year: int, staff: Staff, decision: Decision, why: str, changes=None):
    review = _review_for_update(year, staff)
    old = review.grade
    review.set_decision(
        by=actor,
        at=timezone.now(),
        grade=decision.grade,
        reason=decision.reason,
        computed=decision.computed,
    )
    review.full_clean()
    review.save()
    record(
        actor=actor,
        obj=staff,
        action=AuditAction.ANNUAL_DECIDE,
        reason=decision.reason or why,
        changes={f"{year} annual grade": [_label(old), decision.grade.label], **(changes or {})},
    )
    return review


@transaction.atomic
def decide(*, actor, year: int, staff: Staff, grade: str, reason: str = "") -> AnnualReview:
    decision = check_decision(actor=actor, year=year, staff=staff, grade=grade, reason=reason)
    return _save_decision(actor=actor, year=year, staff=staff, decision=decision, why="")


@dataclass(frozen=True)
class Pending:
    staff: Staff
    grade: AnnualGrade  # the proposal, or the computed grade when nobody proposed
    reason: str
    computed: AnnualGrade


def pending_as_proposed(year: int, rollup: results.AnnualRollup) -> list[Pending]:
    """Everyone graded and not yet decided, in rank order."""
    reviews = reviews_of(year)
    graded = [row for row in rollup.rows if row.result.grade is not None]
    staff = Staff.objects.in_bulk([row.facts.pk for row in graded])
    pending = []
    for row in graded:
        review = reviews.get(row.facts.pk)
        if review is not None and review.grade:
            continue
        computed = row.result.grade
        if review is not None and review.proposed_grade:
            grade, reason = AnnualGrade(review.proposed_grade), review.proposal_reason
        else:
            grade, reason = computed, ""
        pending.append(Pending(staff[row.facts.pk], grade, reason, computed))
    return pending


@dataclass(frozen=True)
class AllAsProposed:
    pending: list[Pending]
    places: int
    excellent: int  # decided 优秀 afterwards
    over: list[Pending]  # the 优秀 beyond their pool's places, the lowest-ranked ones
    reason: str
    places_of: dict[int, int] = field(default_factory=dict)  # staff pk -> their pool's places
    pools: tuple[PoolCounter, ...] = ()  # 优秀 afterwards per pool; () when one pool


def check_all_as_proposed(
    *, actor, year: int, reason: str | None = None, rollup=None
) -> AllAsProposed:
    """Every refusal of 全部按建议审定, without writing. ``reason=None`` checks all but the
    reason (asked for on the confirmation page when some 优秀 go over the places)."""
    if not may_decide(actor):
        raise ServiceError(_("Only a leader decides grades."))
    refuse_after(year, AnnualState.PUBLICITY)
    rollup = rollup or results.annual_rollup(year)
    pending = pending_as_proposed(year, rollup)
    if not pending:
        raise ServiceError(_("Every graded person's annual grade is already decided."))
    places = results.annual_excellent_places(rollup)
    decided = _decided_excellent(year, rollup)
    excellent = [p for p in pending if p.grade == AnnualGrade.EXCELLENT]
    over, places_of = over_pool_places(rollup, decided, excellent)
    count = len(decided) + len(excellent)
    pooled = pools_places_text(rollup)
    if over and reason is not None:
        missing = (
            _(
                "Deciding all as proposed would give “优秀” to %(count)s people, %(over)s over "
                "their pools' places (%(pools)s); write a reason for going over them."
            )
            if pooled
            else _(
                "Deciding all as proposed would give “优秀” to %(count)s people, %(over)s over "
                "the %(places)s places; write a reason for going over them."
            )
        ) % {"count": count, "over": len(over), "places": places, "pools": pooled}
        reason = check_reason(reason, missing=missing)
    return AllAsProposed(
        pending=pending,
        places=places,
        excellent=count,
        over=over,
        reason=(reason or "") if over else "",
        places_of=places_of,
        pools=pool_counters(rollup, decided + [p.staff.pk for p in excellent]),
    )


@transaction.atomic
def decide_all_as_proposed(*, actor, year: int, reason: str = "") -> int:
    """Decide every undecided person as proposed (or as computed); returns how many. Beyond the
    places, ``reason`` is recorded on each 优秀 over them."""
    plan = check_all_as_proposed(actor=actor, year=year, reason=reason)
    over = {item.staff.pk for item in plan.over}
    why = _("Decided as proposed, all at once.")
    for item in plan.pending:
        note, changes = item.reason, None
        if item.staff.pk in over:
            places = plan.places_of.get(item.staff.pk, plan.places)
            extra = _("Over the %(places)s places: %(reason)s") % {
                "places": places,
                "reason": plan.reason,
            }
            note = f"{note}\n{extra}" if note else extra
            changes = {f"{year} over the places": places}
        decision = Decision(item.grade, item.computed, item.grade, note)
        _save_decision(
            actor=actor, year=year, staff=item.staff, decision=decision, why=why, changes=changes
        )
    return len(plan.pending)
