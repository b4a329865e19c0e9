"""Writes to the 个人小结: drafts, submissions, entries from paper, acceptance and return.

Who may do what:
  write (draft, submit)   the person themself, the head of their section, an administrator;
  enter from paper        the head of the person's section or an administrator (recorded as
                          entered by them);
  accept or return        the head of the person's section or an administrator, never for
                          their own summary; a return needs a comment (:mod:`efficiency.reasons`).
Nothing changes once the period is locked, nor before it is opened; the person must be on the
period's roster. Every step is recorded in the history.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from efficiency.models import (
    SUMMARY_MAX_LENGTH,
    Period,
    PeriodState,
    Section,
    Staff,
    Summary,
    SummaryStatus,
)
from efficiency.models.audit import AuditAction
from efficiency.reasons import check_reason
from efficiency.results import staff_in_period

from . import ServiceError
from .appraisal import refuse_locked
from .audit import record

# The statuses in which the text may still change.
EDITABLE = (SummaryStatus.DRAFT, SummaryStatus.RETURNED, SummaryStatus.SUBMITTED)


# --- who may ------------------------------------------------------------------------------------


def is_administrator(user) -> bool:
    """The administrator keeps the roster, so they may enter and review anyone's summary."""
    return user.is_active and (user.is_superuser or user.has_perm("efficiency.change_staff"))


def heads_section_of(user, staff: Staff) -> bool:
    return (
        user.has_perm("efficiency.view_section_incidents")
        and user.headed_sections.filter(pk=staff.section_id).exists()
    )


def is_self(user, staff: Staff) -> bool:
    return staff.user_id is not None and staff.user_id == user.pk


def may_write(user, staff: Staff) -> bool:
    return is_self(user, staff) or may_review(user, staff)


def may_review(user, staff: Staff) -> bool:
    return is_administrator(user) or heads_section_of(user, staff)


def reviewable_sections(user):
    """The sections whose summaries this user lists: every section for administrators and
    leaders (who read them), the sections they head for a section head."""
    if is_administrator(user) or user.has_perm("efficiency.view_results"):
        return Section.objects.all()
    if not user.has_perm("efficiency.view_section_incidents"):
        return Section.objects.none()
    return user.headed_sections.all()


# --- the checks every write makes ----------------------------------------------------------------


def _check_period(period: Period) -> Period:
    period = Period.objects.get(pk=period.pk)
    refuse_locked(period)
    if period.state == PeriodState.DRAFT:
        raise ServiceError(
            _("Period %(code)s has not been opened yet; summaries are written once it is open.")
            % {"code": period.code}
        )
    return period


def _check_roster(period: Period, staff: Staff) -> None:
    if not staff_in_period(period).filter(pk=staff.pk).exists():
        raise ServiceError(
            _("%(name)s is not on the roster in %(code)s.")
            % {"name": staff.name, "code": period.code}
        )


def clean_text(text: str) -> str:
    text = (text or "").strip()
    if len(text) > SUMMARY_MAX_LENGTH:
        raise ServiceError(
            _("A summary is at most %(max)s characters long; this one has %(count)s.")
            % {"max": SUMMARY_MAX_LENGTH, "count": len(text)}
        )
    return text


def _summary(period: Period, staff: Staff, *, lock: bool = True) -> Summary | None:
    summaries = Summary.objects.select_for_update() if lock else Summary.objects
    return summaries.filter(period=period, staff=staff).first()


def _refuse_accepted(summary: Summary | None) -> None:
    if summary is not None and summary.status == SummaryStatus.ACCEPTED:
        raise ServiceError(
            _("The summary of %(name)s has been accepted; it no longer changes.")
            % {"name": summary.staff.name}
        )


def _save(
    *,
    actor,
    period: Period,
    staff: Staff,
    summary: Summary | None,
    text: str,
    status: str,
    reason: str = "",
) -> Summary:
    """Store the text and status, and record the step in the history."""
    created = summary is None
    if created:
        summary = Summary(period=period, staff=staff)
    old_text, old_status = ("", "") if created else (summary.text, summary.status)
    summary.text = text
    summary.status = status
    summary.written_by = actor
    if status == SummaryStatus.SUBMITTED:
        summary.submitted_at = timezone.now()
    summary.full_clean()
    summary.save()
    record(
        actor=actor,
        obj=summary,
        action=AuditAction.CREATE if created else AuditAction.CHANGE,
        from_status=old_status,
        to_status=status,
        reason=reason,
        changes={"个人小结": [old_text, text]} if old_text != text else {},
    )
    return summary


def _prepare_write(
    *, period: Period, staff: Staff, allowed: bool, refusal: str
) -> tuple[Period, Summary | None]:
    period = _check_period(period)
    if not allowed:
        raise ServiceError(refusal)
    _check_roster(period, staff)
    summary = _summary(period, staff)
    _refuse_accepted(summary)
    return period, summary


def _writer(actor, staff: Staff) -> dict:
    return {
        "allowed": may_write(actor, staff),
        "refusal": _(
            "Only the person themself, the head of their section or the administrator "
            "writes a summary."
        ),
    }


def _text_to_submit(text: str) -> str:
    text = clean_text(text)
    if not text:
        raise ServiceError(_("Write the summary before submitting it."))
    return text


# --- the steps ----------------------------------------------------------------------------------


@transaction.atomic
def save_draft(*, actor, period: Period, staff: Staff, text: str) -> Summary:
    """Keep what is written so far (the page autosaves). A returned summary stays 退回 until it
    is submitted again; a submitted one taken back to be changed becomes a draft again."""
    period, summary = _prepare_write(period=period, staff=staff, **_writer(actor, staff))
    text = clean_text(text)
    if summary is not None and summary.text == text:
        return summary
    status = SummaryStatus.DRAFT
    if summary is not None and summary.status == SummaryStatus.RETURNED:
        status = SummaryStatus.RETURNED
    return _save(actor=actor, period=period, staff=staff, summary=summary, text=text, status=status)


@transaction.atomic
def submit(*, actor, period: Period, staff: Staff, text: str) -> Summary:
    """Hand the summary to the section head."""
    period, summary = _prepare_write(period=period, staff=staff, **_writer(actor, staff))
    text = _text_to_submit(text)
    if summary is not None and summary.status == SummaryStatus.SUBMITTED and summary.text == text:
        raise ServiceError(_("This summary has already been submitted."))
    return _save(
        actor=actor,
        period=period,
        staff=staff,
        summary=summary,
        text=text,
        status=SummaryStatus.SUBMITTED,
    )


@transaction.atomic
def enter_for(*, actor, period: Period, staff: Staff, text: str) -> Summary:
    """A head or the administrator types in a summary handed in on paper: it is submitted,
    and the history says who entered it."""
    period, summary = _prepare_write(
        period=period,
        staff=staff,
        allowed=may_review(actor, staff),
        refusal=_(
            "Only the head of the person's section or the administrator enters a summary "
            "from paper."
        ),
    )
    text = _text_to_submit(text)
    if summary is not None and summary.status == SummaryStatus.SUBMITTED and summary.text == text:
        return summary
    return _save(
        actor=actor,
        period=period,
        staff=staff,
        summary=summary,
        text=text,
        status=SummaryStatus.SUBMITTED,
        reason=_("Entered from paper"),
    )


def _prepare_review(*, actor, period: Period, staff: Staff, lock: bool = True) -> Summary:
    period = _check_period(period)
    if not may_review(actor, staff):
        raise ServiceError(
            _("Only the head of the person's section or the administrator accepts or returns it.")
        )
    if is_self(actor, staff):
        raise ServiceError(_("You cannot accept or return your own summary."))
    summary = _summary(period, staff, lock=lock)
    if summary is None or summary.status != SummaryStatus.SUBMITTED:
        raise ServiceError(_("%(name)s has no submitted summary to review.") % {"name": staff.name})
    return summary


def check_review(*, actor, period: Period, staff: Staff, accepting: bool, comment: str) -> None:
    """Every reason this acceptance or return would be refused, without writing: the page asks
    for confirmation only when it would succeed."""
    _prepare_review(actor=actor, period=period, staff=staff, lock=False)
    if not accepting:
        _return_comment(comment)


def _return_comment(comment: str) -> str:
    return check_reason(comment, missing=_("Returning a summary needs a comment."))


def _review(*, actor, summary: Summary, status: str, comment: str) -> Summary:
    old = summary.status
    summary.status = status
    summary.head_comment = comment
    summary.reviewed_at = timezone.now()
    summary.save()
    record(
        actor=actor,
        obj=summary,
        action=AuditAction.CHANGE,
        from_status=old,
        to_status=status,
        reason=comment,
    )
    return summary


@transaction.atomic
def accept(*, actor, period: Period, staff: Staff, comment: str = "") -> Summary:
    summary = _prepare_review(actor=actor, period=period, staff=staff)
    return _review(
        actor=actor, summary=summary, status=SummaryStatus.ACCEPTED, comment=comment.strip()
    )


@transaction.atomic
def return_(*, actor, period: Period, staff: Staff, comment: str) -> Summary:
    """Send the summary back to be rewritten; the comment tells the person what to change."""
    summary = _prepare_review(actor=actor, period=period, staff=staff)
    comment = _return_comment(comment)
    return _review(actor=actor, summary=summary, status=SummaryStatus.RETURNED, comment=comment)
