"""公务员平时考核登记表: what each box of the official form says for one person.

The boxes, in the order the office files them: 姓名 · 部门及职务（职级） · 从事或分管工作 ·
个人小结 · 出勤情况 · 奖惩情况与不良行为记录 · 主管领导审核评价意见和等次建议 ·
机关审定意见（等次） · 未确定等次或不参加考核情况说明 · 备注. Each box is a plain string (or a
list of lines) built here from the records (:class:`~efficiency.models.Summary`,
:class:`~efficiency.models.Attendance`, :class:`~efficiency.models.GradeReview`) and the
ranking row, so the template only lays them out and a worker process renders without the
database. :func:`boxes_for` loads a whole quarter's records in three queries (the ZIP).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from efficiency import results
from efficiency.models import Attendance, GradeReview, Period, Staff, Summary
from efficiency.models.summaries import SummaryStatus
from efficiency.scoring import Grade

from .common import IncidentLine


@dataclass(frozen=True)
class Records:
    """One person's records of the quarter that the form prints (any may be missing)."""

    summary: Summary | None = None
    attendance: Attendance | None = None
    review: GradeReview | None = None


@dataclass(frozen=True)
class Boxes:
    name: str
    section_and_post: str
    work: str  # 从事或分管工作
    summary: str  # the accepted summary, or "" (then ``summary_missing`` says why)
    summary_missing: str
    attendance: str
    incidents: tuple[str, ...]  # empty: 无
    comment: str
    proposed_grade: str
    decided_grade: str
    unsettled: str  # 未确定等次或不参加考核情况说明; "" when there is nothing to explain


def records_for(period: Period, staff_ids: Iterable[int]) -> dict[int, Records]:
    """Summary, attendance and review of each person, in three queries whatever the count."""
    ids = list(staff_ids)
    summaries = {s.staff_id: s for s in Summary.objects.filter(period=period, staff_id__in=ids)}
    attendance = {a.staff_id: a for a in Attendance.objects.filter(period=period, staff_id__in=ids)}
    reviews = {r.staff_id: r for r in GradeReview.objects.filter(period=period, staff_id__in=ids)}
    return {pk: Records(summaries.get(pk), attendance.get(pk), reviews.get(pk)) for pk in ids}


def _days(value: Decimal | int) -> str:
    """1.5 → "1.5", 2.0 → "2": days as the office writes them."""
    return format(Decimal(value).normalize(), "f")


def attendance_sentence(attendance: Attendance | None) -> str:
    if attendance is None:
        return _("Not recorded")
    return _(
        "Absent without leave %(absent)s days, sick or personal leave %(leave)s days, "
        "late or left early %(late)s times"
    ) % {
        "absent": attendance.absent_days,
        "leave": _days(attendance.leave_days),
        "late": attendance.late_times,
    }


def incident_sentence(line: IncidentLine) -> str:
    date = line.occurred_on.strftime("%Y-%m-%d") if line.occurred_on else ""
    return _(
        "%(date)s %(kind)s (%(clause)s, %(severity)s, %(points)s points deducted) "
        "No. %(number)s; handling: %(handling)s"
    ) % {
        "date": date,
        "kind": line.kind,
        "clause": line.clause_code,
        "severity": line.severity,
        "points": line.points,
        "number": line.number,
        "handling": line.handling,
    }


def _summary(summary: Summary | None) -> tuple[str, str]:
    if summary is not None and summary.status == SummaryStatus.ACCEPTED and summary.text.strip():
        return summary.text.strip(), ""
    if summary is not None and summary.status in (
        SummaryStatus.SUBMITTED,
        SummaryStatus.RETURNED,
    ):
        return "", _("Handed in, not yet accepted by the head of section")
    return "", _("Not handed in")


def unsettled_note(row: results.Row, criteria: dict[str, str]) -> str:
    """Why a person has no grade this quarter: 不定等次 with its reason, or not assessed (marks
    missing). 不参加考核 people have no form at all."""
    result = row.result
    if row.undetermined:
        return _("No grade determined this quarter: %(reason)s") % {
            "reason": row.facts.standing_reason_label
        }
    if result.assessed:
        return ""
    names = "、".join(criteria.get(code, code) for code in result.missing_criteria)
    return _("Not assessed this quarter: no marks on %(criteria)s.") % {"criteria": names}


def boxes(
    *,
    staff: Staff,
    row: results.Row,
    criteria: dict[str, str],
    incidents: Iterable[IncidentLine],
    records: Records,
) -> Boxes:
    section = row.facts.section
    post = staff.post.strip()
    rank = staff.rank.strip()
    if rank:
        post = f"{post}（{rank}）"
    summary, summary_missing = _summary(records.summary)
    review = records.review
    return Boxes(
        name=staff.name,
        section_and_post=f"{section}　{post}" if post else section,
        work=staff.duties.strip(),
        summary=summary,
        summary_missing=summary_missing,
        attendance=attendance_sentence(records.attendance),
        incidents=tuple(incident_sentence(line) for line in incidents),
        comment=review.comment.strip() if review else "",
        proposed_grade=Grade(review.proposed_grade).label
        if review and review.proposed_grade
        else "",
        decided_grade=Grade(review.grade).label if review and review.grade else "",
        unsettled=unsettled_note(row, criteria),
    )
