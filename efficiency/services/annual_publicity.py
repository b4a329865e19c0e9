"""After the year's decision: 公示 of the 优秀, objections, the 考核结果通知书 and 本人意见.

When and who:
  publish     a leader, once every graded person's annual grade is decided: the 优秀 are
              published for ``days`` working days (at least ``MIN_PUBLICITY_DAYS``) on the
              office's calendar, counted from the day after publishing;
  lodge       anyone who may see a 公示 (``publicity.may_see_publicity``), during the window,
              about someone on the list;
  answer      a leader, once, before the notices: 成立 with a new grade, which is a recorded
              decision (``annual.decide``: the reply is its reason), or 不成立;
  notices     a leader, after the window, once every objection is answered: the notice date is
              today, and the review clock (``REVIEW_DAYS``) runs from it;
  opinion     本人意见 on the notice: the person, or the administrator from paper.
Every step is recorded in the history.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from efficiency import selectors, wording
from efficiency.models import (
    AnnualAppraisal,
    AnnualObjection,
    AnnualReview,
    AnnualState,
    FeedbackOpinion,
    ObjectionAnswer,
    Staff,
)
from efficiency.models.audit import AuditAction
from efficiency.scoring import AnnualGrade

from . import ServiceError
from . import annual as decisions
from .audit import record
from .publicity import may_see_publicity, objection_reason, objection_reply, opinion_and_text
from .reviews import may_decide
from .summaries import heads_section_of, is_administrator, is_self

MIN_PUBLICITY_DAYS = 5
REVIEW_DAYS = 30  # 复核: requested within 30 calendar days of the notice
APPEAL_DAYS = 15  # 申诉: within 15 calendar days of the review decision


def appraisal_of(year: int) -> AnnualAppraisal | None:
    return AnnualAppraisal.objects.filter(year=year).first()


def _locked(year: int) -> AnnualAppraisal:
    appraisal = AnnualAppraisal.objects.select_for_update().filter(year=year).first()
    if appraisal is None:
        raise ServiceError(_("No annual grade of %(year)s is decided yet.") % {"year": year})
    return appraisal


def in_window(appraisal: AnnualAppraisal | None, today: datetime.date | None = None) -> bool:
    today = today or timezone.localdate()
    return (
        appraisal is not None
        and appraisal.state == AnnualState.PUBLICITY
        and appraisal.publicity_ends is not None
        and today <= appraisal.publicity_ends
    )


def excellent_list(year: int):
    """The 公示 list: those decided 优秀, in section order."""
    return (
        AnnualReview.objects.filter(appraisal__year=year, grade=AnnualGrade.EXCELLENT)
        .select_related("staff", "staff__section")
        .order_by("staff__section__order", "staff__staff_no")
    )


# --- 公示 -----------------------------------------------------------------------------------


def publicity_end(today: datetime.date, days: int) -> datetime.date:
    calendar = selectors.office_calendar(today, today + datetime.timedelta(days=days * 3 + 30))
    return calendar.add_working_days(today, days)


def check_publish(*, actor, year: int, days: int) -> datetime.date:
    """Every refusal of publishing, without writing; returns the window's last day."""
    if not may_decide(actor):
        raise ServiceError(_("Only a leader publishes the annual results."))
    appraisal = appraisal_of(year)
    if appraisal is not None and appraisal.state != AnnualState.DECIDING:
        raise ServiceError(_("The 优秀 of %(year)s are already published.") % {"year": year})
    if not isinstance(days, int) or not MIN_PUBLICITY_DAYS <= days <= 30:
        raise ServiceError(
            _("The publicity lasts at least %(min)s working days (at most 30).")
            % {"min": MIN_PUBLICITY_DAYS}
        )
    pending = decisions.pending_as_proposed(year, decisions.results.annual_rollup(year))
    if appraisal is None or pending:
        raise ServiceError(
            _("%(count)s annual grades of %(year)s are not decided yet; decide them first.")
            % {"count": len(pending), "year": year}
        )
    return publicity_end(timezone.localdate(), days)


@transaction.atomic
def publish(*, actor, year: int, days: int = MIN_PUBLICITY_DAYS) -> AnnualAppraisal:
    ends = check_publish(actor=actor, year=year, days=days)
    appraisal = _locked(year)
    appraisal.state = AnnualState.PUBLICITY
    appraisal.published_on = timezone.localdate()
    appraisal.publicity_ends = ends
    appraisal.save()
    names = [r.staff.name for r in excellent_list(year)]
    record(
        actor=actor,
        obj=appraisal,
        action=AuditAction.ANNUAL_PUBLISH,
        changes={"优秀": "、".join(names), "publicity ends": ends.isoformat()},
    )
    return appraisal


# --- 异议 -----------------------------------------------------------------------------------


def check_lodge(*, actor, year: int, staff: Staff, reason: str) -> str:
    if not may_see_publicity(actor):
        raise ServiceError(_("Only staff with a login lodge objections."))
    if not in_window(appraisal_of(year)):
        raise ServiceError(
            _("Objections to the 优秀 of %(year)s are lodged only during their publicity.")
            % {"year": year}
        )
    if not excellent_list(year).filter(staff=staff).exists():
        raise ServiceError(
            _("%(name)s is not on the publicity list of %(year)s.")
            % {"name": staff.name, "year": year}
        )
    return objection_reason(reason)


@transaction.atomic
def lodge_objection(*, actor, year: int, staff: Staff, reason: str) -> AnnualObjection:
    appraisal = _locked(year)
    reason = check_lodge(actor=actor, year=year, staff=staff, reason=reason)
    objection = AnnualObjection.objects.create(
        appraisal=appraisal, staff=staff, lodged_by=actor, reason=reason, lodged_at=timezone.now()
    )
    record(
        actor=actor,
        obj=objection,
        action=AuditAction.OBJECTION_LODGE,
        reason=reason,
        changes={"year": year, "about": staff.name},
    )
    return objection


@transaction.atomic
def answer_objection(
    *, actor, objection: AnnualObjection, answer: str, reply: str, new_grade: str = ""
) -> AnnualObjection:
    if not may_decide(actor):
        raise ServiceError(_("Only a leader answers objections."))
    objection = (
        AnnualObjection.objects.select_for_update()
        .select_related("appraisal", "staff")
        .get(pk=objection.pk)
    )
    if objection.answer:
        raise ServiceError(_("This objection has already been answered; an answer is final."))
    if objection.appraisal.state != AnnualState.PUBLICITY:
        raise ServiceError(_("Objections are answered before the result notices are issued."))
    if answer not in (ObjectionAnswer.UPHELD, ObjectionAnswer.REJECTED):
        raise ServiceError(_("Choose whether the objection is upheld or rejected."))
    reply = objection_reply(reply)
    grade = ""
    if answer == ObjectionAnswer.UPHELD:
        if new_grade not in {g.value for g in AnnualGrade}:
            raise ServiceError(_("An upheld objection needs the new grade."))
        # A recorded change of the decision; every rule of a decision applies.
        decisions.decide(
            actor=actor,
            year=objection.appraisal.year,
            staff=objection.staff,
            grade=new_grade,
            reason=reply,
        )
        grade = new_grade
    objection.answer, objection.reply, objection.new_grade = answer, reply, grade
    objection.answered_by, objection.answered_at = actor, timezone.now()
    objection.full_clean()
    objection.save()
    changes = {"answer": ["", str(ObjectionAnswer(answer).label)]}
    if grade:
        changes["new grade"] = ["", AnnualGrade(grade).label]
    record(
        actor=actor,
        obj=objection,
        action=AuditAction.OBJECTION_ANSWER,
        reason=reply,
        changes=changes,
    )
    return objection


# --- 考核结果通知书 ---------------------------------------------------------------------------


def check_notices(*, actor, year: int) -> AnnualAppraisal:
    if not may_decide(actor):
        raise ServiceError(_("Only a leader issues the result notices."))
    appraisal = appraisal_of(year)
    if appraisal is None or appraisal.state == AnnualState.DECIDING:
        raise ServiceError(
            _("The 优秀 of %(year)s must be published before the notices.") % {"year": year}
        )
    if appraisal.state == AnnualState.NOTIFIED:
        raise ServiceError(
            _("The result notices of %(year)s were issued on %(date)s.")
            % {"year": year, "date": appraisal.notice_date.isoformat()}
        )
    if in_window(appraisal):
        raise ServiceError(
            _("The publicity of %(year)s runs until %(date)s; the notices come after it.")
            % {"year": year, "date": appraisal.publicity_ends.isoformat()}
        )
    open_objections = appraisal.objections.filter(answer="").count()
    if open_objections:
        raise ServiceError(
            _("%(count)s objections are not answered yet; answer them first.")
            % {"count": open_objections}
        )
    return appraisal


@transaction.atomic
def issue_notices(*, actor, year: int) -> AnnualAppraisal:
    check_notices(actor=actor, year=year)
    appraisal = _locked(year)
    appraisal.state = AnnualState.NOTIFIED
    appraisal.notice_date = timezone.localdate()
    appraisal.save()
    record(
        actor=actor,
        obj=appraisal,
        action=AuditAction.ANNUAL_NOTICE,
        changes={"notice date": appraisal.notice_date.isoformat()},
    )
    return appraisal


@dataclass(frozen=True)
class Notice:
    """One person's 考核结果通知书, for the page and the PDF."""

    year: int
    staff: Staff
    grade_label: str  # as the person's category names it
    grade: str
    notice_date: datetime.date
    review_by: datetime.date | None  # 复核 may be requested until this day (不称职 only)
    review: AnnualReview

    @property
    def may_request_review(self) -> bool:
        return self.review_by is not None


def notice_of(year: int, staff: Staff) -> Notice | None:
    """The person's notice, once issued; None before, or without a decided grade."""
    review = (
        AnnualReview.objects.filter(appraisal__year=year, staff=staff)
        .exclude(grade="")
        .select_related("appraisal", "opinion_by")
        .first()
    )
    if review is None or review.appraisal.notice_date is None:
        return None
    notice_date = review.appraisal.notice_date
    failed = review.grade == AnnualGrade.INCOMPETENT
    return Notice(
        year=year,
        staff=staff,
        grade_label=wording.annual_label(AnnualGrade(review.grade), staff.category),
        grade=review.grade,
        notice_date=notice_date,
        review_by=notice_date + datetime.timedelta(days=REVIEW_DAYS) if failed else None,
        review=review,
    )


def may_see_notice(user, staff: Staff) -> bool:
    """The person themself, their section head, the administrator and whoever sees the
    results (the leaders)."""
    return user.is_active and (
        is_self(user, staff)
        or heads_section_of(user, staff)
        or is_administrator(user)
        or user.has_perm("efficiency.view_results")
    )


# --- 本人意见 ---------------------------------------------------------------------------------


def may_record_opinion(user, staff: Staff) -> bool:
    return user.is_active and (is_self(user, staff) or is_administrator(user))


@transaction.atomic
def record_opinion(*, actor, year: int, staff: Staff, opinion: str, text: str = "") -> AnnualReview:
    """Record (or change) a person's 本人意见 on their result notice."""
    if not may_record_opinion(actor, staff):
        raise ServiceError(
            _("Only %(name)s, or the administrator from paper, records their opinion.")
            % {"name": staff.name}
        )
    notice = notice_of(year, staff)
    if notice is None:
        raise ServiceError(
            _("%(name)s has no result notice for %(year)s yet.")
            % {"name": staff.name, "year": year}
        )
    opinion, text = opinion_and_text(opinion, text)
    review = AnnualReview.objects.select_for_update().get(pk=notice.review.pk)
    old = str(FeedbackOpinion(review.opinion).label) if review.opinion else ""
    review.opinion, review.opinion_text = opinion, text
    review.opinion_by, review.opinion_at = actor, timezone.now()
    review.full_clean()
    review.save()
    changes = {f"{year} opinion": [old, str(FeedbackOpinion(opinion).label)]}
    if text:
        changes[f"{year} text"] = text
    if not is_self(actor, staff):
        changes["entered for"] = ["", staff.name]
    record(actor=actor, obj=staff, action=AuditAction.FEEDBACK, changes=changes)
    return review
