"""Writes to the 个人小结: drafts, submissions, entries from paper, acceptance and return.

Who may do what:
  write (draft, submit)   the person themself, the head of their section, an administrator;
  enter from paper        the head of the person's section or an administrator (recorded as
                          entered by them);
  accept or return        the head of the person's section or an administrator, never for
                          their own summary; a return needs a comment (:mod:`efficiency.reasons`).
A quarter's 个人小结 changes only while its period is open or closed (not locked), and the
person must be on the period's roster. A year's 个人总结 is written from the opening of the
year's fourth quarter (the year's last work is under way and Q1-Q3 are known) until the year's
result notices are issued; the person must be on that fourth quarter's roster. Every step is
recorded in the history.

Each step takes ``period=`` (a quarter) or ``year=`` (a year): :func:`subject_of` turns either
into a :class:`Subject`, and everything below is one path for both.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from efficiency.models import (
    AnnualAppraisal,
    AnnualState,
    AnnualSummary,
    Period,
    PeriodState,
    Section,
    Staff,
    Summary,
    SummaryStatus,
)
from efficiency.models.audit import AuditAction
from efficiency.models.summaries import SummaryFields
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


# --- what is summarised --------------------------------------------------------------------------


@dataclass(frozen=True)
class Subject:
    """A quarter (``period``) or a year (``year``): which model holds its summaries, and the
    checks that say whether they may change."""

    period: Period | None = None
    year: int | None = None

    @property
    def model(self) -> type[SummaryFields]:
        return Summary if self.period is not None else AnnualSummary

    @property
    def max_length(self) -> int:
        return self.model.MAX_LENGTH

    @property
    def key(self) -> dict:
        return {"period": self.period} if self.period is not None else {"year": self.year}

    @property
    def noun(self) -> str:
        """What the papers call it (个人小结 for a quarter, 年度个人总结 for a year), for the
        messages both share."""
        return str(self.model._meta.verbose_name)

    @property
    def label(self) -> str:
        if self.period is not None:
            return self.period.code
        return _("Year %(year)s") % {"year": self.year}

    def fourth_quarter(self) -> Period | None:
        return Period.objects.filter(code=f"{self.year}Q4").first()

    def check_writable(self) -> None:
        """Refuse, with the reason, when this quarter's or year's summaries cannot change."""
        if self.period is not None:
            period = Period.objects.get(pk=self.period.pk)
            refuse_locked(period)
            if period.state == PeriodState.DRAFT:
                raise ServiceError(
                    _(
                        "Period %(code)s has not been opened yet; summaries are written once "
                        "it is open."
                    )
                    % {"code": period.code}
                )
            return
        fourth = self.fourth_quarter()
        if fourth is None or fourth.state == PeriodState.DRAFT:
            raise ServiceError(
                _(
                    "The summaries of %(year)s are written from the opening of its fourth "
                    "quarter, which has not been opened yet."
                )
                % {"year": self.year}
            )
        if AnnualAppraisal.objects.filter(year=self.year, state=AnnualState.NOTIFIED).exists():
            raise ServiceError(
                _(
                    "The result notices of %(year)s have been issued: the year's summaries "
                    "can no longer be changed."
                )
                % {"year": self.year}
            )

    def writable(self) -> bool:
        try:
            self.check_writable()
        except ServiceError:
            return False
        return True

    def roster(self):
        """The people who write one: the period's roster; for a year, its fourth quarter's."""
        period = self.period if self.period is not None else self.fourth_quarter()
        return staff_in_period(period) if period is not None else Staff.objects.none()

    def summary_of(self, staff: Staff, *, lock: bool = False) -> SummaryFields | None:
        objects = self.model.objects.select_for_update() if lock else self.model.objects
        return objects.filter(staff=staff, **self.key).first()


def subject_of(*, period: Period | None = None, year: int | None = None) -> Subject:
    if (period is None) == (year is None):
        raise TypeError("Give a period or a year.")
    return Subject(period=period, year=year)


# --- the checks every write makes ----------------------------------------------------------------


def _check_roster(subject: Subject, staff: Staff) -> None:
    if not subject.roster().filter(pk=staff.pk).exists():
        raise ServiceError(
            _("%(name)s is not on the roster in %(code)s.")
            % {"name": staff.name, "code": subject.label}
        )


def clean_text(text: str, subject: Subject) -> str:
    text = (text or "").strip()
    if len(text) > subject.max_length:
        raise ServiceError(
            _("The %(summary)s is at most %(max)s characters long; this one has %(count)s.")
            % {"summary": subject.noun, "max": subject.max_length, "count": len(text)}
        )
    return text


def _refuse_accepted(subject: Subject, summary: SummaryFields | None) -> None:
    if summary is not None and summary.status == SummaryStatus.ACCEPTED:
        raise ServiceError(
            _("The %(summary)s of %(name)s has been accepted; it no longer changes.")
            % {"summary": subject.noun, "name": summary.staff.name}
        )


def _save(
    *,
    actor,
    subject: Subject,
    staff: Staff,
    summary: SummaryFields | None,
    text: str,
    status: str,
    reason: str = "",
) -> SummaryFields:
    """Store the text and status, and record the step in the history."""
    created = summary is None
    if created:
        summary = subject.model(staff=staff, **subject.key)
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
        changes={_field_label(subject): [old_text, text]} if old_text != text else {},
    )
    return summary


def _field_label(subject: Subject) -> str:
    # The history names the text as the paper does: 个人小结 for a quarter, 个人总结 for a year.
    return "个人小结" if subject.period is not None else "个人总结"


def _prepare_write(
    *, subject: Subject, staff: Staff, allowed: bool, refusal: str
) -> SummaryFields | None:
    subject.check_writable()
    if not allowed:
        raise ServiceError(refusal)
    _check_roster(subject, staff)
    summary = subject.summary_of(staff, lock=True)
    _refuse_accepted(subject, summary)
    return summary


def _writer(actor, subject: Subject, staff: Staff) -> dict:
    return {
        "allowed": may_write(actor, staff),
        "refusal": _(
            "Only the person themself, the head of their section or the administrator "
            "writes the %(summary)s."
        )
        % {"summary": subject.noun},
    }


def _text_to_submit(subject: Subject, text: str) -> str:
    text = clean_text(text, subject)
    if not text:
        raise ServiceError(
            _("Write the %(summary)s before submitting it.") % {"summary": subject.noun}
        )
    return text


# --- the steps ----------------------------------------------------------------------------------
# Each takes ``period=`` (a quarter's 个人小结) or ``year=`` (a year's 个人总结).


@transaction.atomic
def save_draft(
    *, actor, staff: Staff, text: str, period: Period | None = None, year: int | None = None
) -> SummaryFields:
    """Keep what is written so far (the page autosaves). A returned summary stays 退回 until it
    is submitted again; a submitted one taken back to be changed becomes a draft again."""
    subject = subject_of(period=period, year=year)
    summary = _prepare_write(subject=subject, staff=staff, **_writer(actor, subject, staff))
    text = clean_text(text, subject)
    if summary is not None and summary.text == text:
        return summary
    status = SummaryStatus.DRAFT
    if summary is not None and summary.status == SummaryStatus.RETURNED:
        status = SummaryStatus.RETURNED
    return _save(
        actor=actor, subject=subject, staff=staff, summary=summary, text=text, status=status
    )


@transaction.atomic
def submit(
    *, actor, staff: Staff, text: str, period: Period | None = None, year: int | None = None
) -> SummaryFields:
    """Hand the summary to the section head."""
    subject = subject_of(period=period, year=year)
    summary = _prepare_write(subject=subject, staff=staff, **_writer(actor, subject, staff))
    text = _text_to_submit(subject, text)
    if summary is not None and summary.status == SummaryStatus.SUBMITTED and summary.text == text:
        raise ServiceError(
            _("This %(summary)s has already been submitted.") % {"summary": subject.noun}
        )
    return _save(
        actor=actor,
        subject=subject,
        staff=staff,
        summary=summary,
        text=text,
        status=SummaryStatus.SUBMITTED,
    )


@transaction.atomic
def enter_for(
    *, actor, staff: Staff, text: str, period: Period | None = None, year: int | None = None
) -> SummaryFields:
    """A head or the administrator types in a summary handed in on paper: it is submitted,
    and the history says who entered it."""
    subject = subject_of(period=period, year=year)
    summary = _prepare_write(
        subject=subject,
        staff=staff,
        allowed=may_review(actor, staff),
        refusal=_(
            "Only the head of the person's section or the administrator enters the "
            "%(summary)s from paper."
        )
        % {"summary": subject.noun},
    )
    text = _text_to_submit(subject, text)
    if summary is not None and summary.status == SummaryStatus.SUBMITTED and summary.text == text:
        return summary
    return _save(
        actor=actor,
        subject=subject,
        staff=staff,
        summary=summary,
        text=text,
        status=SummaryStatus.SUBMITTED,
        reason=_("Entered from the %(summary)s on paper") % {"summary": subject.noun},
    )


def _prepare_review(*, actor, subject: Subject, staff: Staff, lock: bool = True) -> SummaryFields:
    subject.check_writable()
    if not may_review(actor, staff):
        raise ServiceError(
            _(
                "Only the head of the person's section or the administrator accepts or returns "
                "the %(summary)s."
            )
            % {"summary": subject.noun}
        )
    if is_self(actor, staff):
        raise ServiceError(
            _("You cannot accept or return your own %(summary)s.") % {"summary": subject.noun}
        )
    summary = subject.summary_of(staff, lock=lock)
    if summary is None or summary.status != SummaryStatus.SUBMITTED:
        raise ServiceError(
            _("%(name)s has no submitted %(summary)s to review.")
            % {"name": staff.name, "summary": subject.noun}
        )
    return summary


def check_review(
    *,
    actor,
    staff: Staff,
    accepting: bool,
    comment: str,
    period: Period | None = None,
    year: int | None = None,
) -> None:
    """Every reason this acceptance or return would be refused, without writing: the page asks
    for confirmation only when it would succeed."""
    subject = subject_of(period=period, year=year)
    _prepare_review(actor=actor, subject=subject, staff=staff, lock=False)
    if not accepting:
        _return_comment(subject, comment)


def _return_comment(subject: Subject, comment: str) -> str:
    return check_reason(
        comment,
        missing=_("Returning the %(summary)s needs a comment.") % {"summary": subject.noun},
    )


def _review(*, actor, summary: SummaryFields, status: str, comment: str) -> SummaryFields:
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
def accept(
    *,
    actor,
    staff: Staff,
    comment: str = "",
    period: Period | None = None,
    year: int | None = None,
) -> SummaryFields:
    subject = subject_of(period=period, year=year)
    summary = _prepare_review(actor=actor, subject=subject, staff=staff)
    return _review(
        actor=actor, summary=summary, status=SummaryStatus.ACCEPTED, comment=comment.strip()
    )


@transaction.atomic
def return_(
    *, actor, staff: Staff, comment: str, period: Period | None = None, year: int | None = None
) -> SummaryFields:
    """Send the summary back to be rewritten; the comment tells the person what to change."""
    subject = subject_of(period=period, year=year)
    summary = _prepare_review(actor=actor, subject=subject, staff=staff)
    comment = _return_comment(subject, comment)
    return _review(actor=actor, summary=summary, status=SummaryStatus.RETURNED, comment=comment)
