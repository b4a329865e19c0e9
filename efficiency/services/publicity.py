"""Writes of 公示 and 结果反馈: objections lodged and answered, each person's own opinion.

When:
  objections  while the quarter is closed and its window runs (from closing to
              ``Period.publicity_ends``, inclusive); never after, never once locked;
  feedback    once the window is over (or when the quarter was closed without one), until lock.
Who:
  lodge       any active user with a login, about anyone on the 公示 list;
  answer      a leader (``reviews.may_decide``), once: 成立 with a reply and a new grade, which
              is a recorded decision (``reviews.decide``: the reply is its reason, the quota
              rule applies), or 不成立 with a reply;
  feedback    the person themself, or the administrator from paper (recorded as entered by them).
Every write is recorded in the history.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from efficiency import deadlines, results, selectors
from efficiency.models import (
    OBJECTION_REASON_MAX_LENGTH,
    Feedback,
    FeedbackOpinion,
    Objection,
    ObjectionAnswer,
    Period,
    PeriodState,
    Staff,
)
from efficiency.models.audit import AuditAction
from efficiency.models.publicity import FEEDBACK_TEXT_MAX_LENGTH, REPLY_MAX_LENGTH
from efficiency.reasons import check_reason
from efficiency.scoring import Grade

from . import ServiceError
from .audit import record
from .reviews import decide, may_decide
from .summaries import is_administrator, is_self

# --- the window ---------------------------------------------------------------------------------


# The window is a read (selectors), shared with the period's timeline.
Window = selectors.PublicityWindow
window = selectors.publicity_window


def in_window(period: Period) -> bool:
    return window(period).running


def feedback_open(period: Period) -> bool:
    """Feedback is recorded once the window is over, until the quarter is locked."""
    return period.state == PeriodState.CLOSED and not window(period).running


def may_see_publicity(user) -> bool:
    """Everyone with a login linked to a staff member, the leaders and the administrator."""
    return user.is_active and (
        selectors.staff_of(user) is not None
        or may_decide(user)
        or is_administrator(user)
        or user.has_perm("efficiency.view_results")
    )


# --- 异议 --------------------------------------------------------------------------------------


def _on_list(period: Period, staff: Staff) -> None:
    if not results.staff_in_period(period).filter(pk=staff.pk).exists():
        raise ServiceError(
            _("%(name)s is not on the publicity list of %(code)s.")
            % {"name": staff.name, "code": period.code}
        )


def check_lodge(*, actor, period: Period, staff: Staff, reason: str) -> str:
    if not may_see_publicity(actor):
        raise ServiceError(_("Only staff with a login lodge objections."))
    if period.state != PeriodState.CLOSED or not in_window(period):
        raise ServiceError(
            _("Objections to %(code)s are lodged only during its publicity window.")
            % {"code": period.code}
        )
    _on_list(period, staff)
    return objection_reason(reason)


def objection_reason(reason: str) -> str:
    """The reason of an objection, checked (a quarter's or the year's)."""
    reason = check_reason(reason, missing=_("Write why you object."))
    if len(reason) > OBJECTION_REASON_MAX_LENGTH:
        raise ServiceError(
            _("The reason is %(length)s characters long; at most %(max)s.")
            % {"length": len(reason), "max": OBJECTION_REASON_MAX_LENGTH}
        )
    return reason


@transaction.atomic
def lodge_objection(*, actor, period: Period, staff: Staff, reason: str) -> Objection:
    period = Period.objects.select_for_update().get(pk=period.pk)
    reason = check_lodge(actor=actor, period=period, staff=staff, reason=reason)
    objection = Objection(
        period=period, staff=staff, lodged_by=actor, reason=reason, lodged_at=timezone.now()
    )
    objection.full_clean()
    objection.save()
    record(
        actor=actor,
        obj=objection,
        action=AuditAction.OBJECTION_LODGE,
        reason=reason,
        changes={"period": period.code, "about": staff.name},
    )
    return objection


def check_answer(*, actor, objection: Objection, answer: str, reply: str, new_grade: str = ""):
    """Every refusal of an answer, without writing; returns (answer, reply, new grade or None)."""
    if not may_decide(actor):
        raise ServiceError(_("Only a leader answers objections."))
    if objection.is_answered:
        raise ServiceError(_("This objection has already been answered; an answer is final."))
    period = objection.period
    if period.state != PeriodState.CLOSED:
        raise ServiceError(
            _("Objections to %(code)s are answered while it is closed for review.")
            % {"code": period.code}
        )
    if answer not in (ObjectionAnswer.UPHELD, ObjectionAnswer.REJECTED):
        raise ServiceError(_("Choose whether the objection is upheld or rejected."))
    reply = objection_reply(reply)
    grade = None
    if answer == ObjectionAnswer.UPHELD:
        if new_grade not in {g.value for g in Grade}:
            raise ServiceError(_("An upheld objection needs the new grade."))
        grade = Grade(new_grade)
    return ObjectionAnswer(answer), reply, grade


@transaction.atomic
def answer_objection(
    *, actor, objection: Objection, answer: str, reply: str, new_grade: str = ""
) -> Objection:
    objection = (
        Objection.objects.select_for_update().select_related("period", "staff").get(pk=objection.pk)
    )
    answer, reply, grade = check_answer(
        actor=actor, objection=objection, answer=answer, reply=reply, new_grade=new_grade
    )
    if grade is not None:
        # A recorded change of the decided grade; every rule of a decision applies.
        decide(
            actor=actor, period=objection.period, staff=objection.staff, grade=grade, reason=reply
        )
    objection.answer = answer
    objection.reply = reply
    objection.new_grade = grade.value if grade is not None else ""
    objection.answered_by = actor
    objection.answered_at = timezone.now()
    objection.full_clean()
    objection.save()
    changes = {"answer": ["", str(answer.label)]}
    if grade is not None:
        changes["new grade"] = ["", str(grade.label)]
    record(
        actor=actor,
        obj=objection,
        action=AuditAction.OBJECTION_ANSWER,
        reason=reply,
        changes=changes,
    )
    return objection


def objection_reply(reply: str) -> str:
    """A leader's reply to an objection, checked (a quarter's or the year's)."""
    reply = check_reason(reply, missing=_("Write a reply to the objection."))
    if len(reply) > REPLY_MAX_LENGTH:
        raise ServiceError(
            _("The reply is %(length)s characters long; at most %(max)s.")
            % {"length": len(reply), "max": REPLY_MAX_LENGTH}
        )
    return reply


# --- 结果反馈 ----------------------------------------------------------------------------------


def may_record_feedback(user, staff: Staff) -> bool:
    return user.is_active and (is_self(user, staff) or is_administrator(user))


def check_feedback(*, actor, period: Period, staff: Staff, opinion: str, text: str):
    if not may_record_feedback(actor, staff):
        raise ServiceError(
            _("Only %(name)s, or the administrator from paper, records their opinion.")
            % {"name": staff.name}
        )
    if period.state != PeriodState.CLOSED:
        raise ServiceError(
            _("Opinions on %(code)s are recorded while it is closed, before it is locked.")
            % {"code": period.code}
        )
    if in_window(period):
        raise ServiceError(
            _("Opinions on %(code)s are recorded after the publicity window (until %(date)s).")
            % {"code": period.code, "date": deadlines.long_date(period.publicity_ends)}
        )
    _on_list(period, staff)
    return opinion_and_text(opinion, text)


def opinion_and_text(opinion: str, text: str) -> tuple[FeedbackOpinion, str]:
    """本人意见, checked: 同意, or 有异议 with a text (a quarter's or the year's)."""
    if opinion not in FeedbackOpinion.values:
        raise ServiceError(_("Choose “agree” or “disagree”."))
    text = (text or "").strip()
    if opinion == FeedbackOpinion.DISAGREE and not text:
        raise ServiceError(_("Write what you disagree with."))
    if len(text) > FEEDBACK_TEXT_MAX_LENGTH:
        raise ServiceError(
            _("The text is %(length)s characters long; at most %(max)s.")
            % {"length": len(text), "max": FEEDBACK_TEXT_MAX_LENGTH}
        )
    return FeedbackOpinion(opinion), text


@transaction.atomic
def record_feedback(
    *, actor, period: Period, staff: Staff, opinion: str, text: str = ""
) -> Feedback:
    """Record (or change, until lock) a person's own opinion of their result."""
    period = Period.objects.select_for_update().get(pk=period.pk)
    opinion, text = check_feedback(
        actor=actor, period=period, staff=staff, opinion=opinion, text=text
    )
    feedback = Feedback.objects.filter(period=period, staff=staff).first()
    old = "" if feedback is None else str(FeedbackOpinion(feedback.opinion).label)
    feedback = feedback or Feedback(period=period, staff=staff)
    feedback.opinion, feedback.text = opinion, text
    feedback.recorded_by, feedback.recorded_at = actor, timezone.now()
    feedback.full_clean()
    feedback.save()
    changes = {f"{period.code} opinion": [old, str(opinion.label)]}
    if text:
        changes[f"{period.code} text"] = text
    if not is_self(actor, staff):
        changes["entered for"] = ["", staff.name]
    record(actor=actor, obj=staff, action=AuditAction.FEEDBACK, changes=changes)
    return feedback
