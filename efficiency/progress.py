"""考核进度: who is behind in a quarter, read in a handful of queries whatever the office's size.

Per assessor: people and sections fully marked against those they may mark (nobody marks
themself, a head never marks their own section). Per person: where their 个人小结 stands.
The completion board, the 催办 reminders and the ``send_reminders`` command all read here,
so "behind" means one thing everywhere.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Count, OuterRef, Q, Subquery

from efficiency.models import Period, Score, Section, Staff, Summary, SummaryStatus
from efficiency.results import sections_in_period, staff_in_period

# Where a person's 个人小结 stands on the board; the first four are behind.
NOT_WRITTEN = "missing"
SUMMARY_STATES = (NOT_WRITTEN, SummaryStatus.DRAFT, SummaryStatus.RETURNED, SummaryStatus.SUBMITTED)
DONE_SUMMARY = (SummaryStatus.SUBMITTED, SummaryStatus.ACCEPTED)  # the person's part is done


@dataclass(frozen=True)
class AssessorLine:
    user_id: int
    name: str
    username: str
    people_marked: int
    people_to_mark: int
    sections_marked: int
    sections_to_mark: int

    @property
    def done(self) -> bool:
        return (
            self.people_marked >= self.people_to_mark
            and self.sections_marked >= self.sections_to_mark
        )


@dataclass(frozen=True)
class Person:
    staff_id: int
    staff_no: str
    name: str
    user_id: int | None
    state: str  # one of SUMMARY_STATES, or "accepted"


@dataclass
class SectionLine:
    section_id: int
    code: str
    name: str
    head_ids: tuple[int, ...]
    people: int = 0
    accepted: int = 0
    # state -> the people in it, for the states that are behind
    behind: dict[str, list[Person]] = field(default_factory=lambda: defaultdict(list))

    @property
    def done(self) -> bool:
        return self.accepted >= self.people

    @property
    def to_review(self) -> int:
        return len(self.behind.get(SummaryStatus.SUBMITTED, ()))

    def people_in(self, state: str) -> list[Person]:
        return self.behind.get(state, [])

    @property
    def columns(self) -> list[tuple[str, list[Person]]]:
        """(state, people) in the board's column order."""
        return [(state, self.people_in(state)) for state in SUMMARY_STATES]


def _assessors():
    perm = Permission.objects.get(content_type__app_label="efficiency", codename="add_score")
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(groups__permissions=perm) | Q(user_permissions=perm))
        .distinct()
        .select_related("staff")
        .order_by("username")
    )


def assessor_lines(period: Period, *, text: str = "") -> list[AssessorLine]:
    """Every assessor's progress in ``period`` (five queries)."""
    criteria = period.criteria.count()
    assessors = _assessors()
    if text:
        assessors = assessors.filter(
            Q(username__icontains=text) | Q(staff__name__icontains=text) | Q(last_name=text)
        )
    assessors = list(assessors)
    staff_ids = set(staff_in_period(period).values_list("pk", flat=True))
    section_ids = set(sections_in_period(period).values_list("pk", flat=True))
    headed: dict[int, set[int]] = defaultdict(set)
    for user_id, section_id in Section.heads.through.objects.filter(
        user_id__in=[a.pk for a in assessors]
    ).values_list("user_id", "section_id"):
        headed[user_id].add(section_id)
    complete: dict[tuple[int, str], int] = defaultdict(int)
    if criteria:
        for kind in ("staff", "section"):
            rows = (
                Score.objects.filter(period=period, **{f"{kind}__isnull": False})
                .values("assessor_id", f"{kind}_id")
                .annotate(n=Count("pk"))
                .filter(n__gte=criteria)
                .values_list("assessor_id", flat=True)
            )
            for assessor_id in rows:
                complete[(assessor_id, kind)] += 1
    lines = []
    for user in assessors:
        own = getattr(user, "staff", None)
        lines.append(
            AssessorLine(
                user_id=user.pk,
                name=own.name if own is not None else user.get_full_name() or user.username,
                username=user.username,
                people_marked=complete[(user.pk, "staff")],
                people_to_mark=len(staff_ids - ({own.pk} if own is not None else set())),
                sections_marked=complete[(user.pk, "section")],
                sections_to_mark=len(section_ids - headed[user.pk]),
            )
        )
    return lines


def section_lines(period: Period, *, section_code: str = "", text: str = "") -> list[SectionLine]:
    """Every section's 个人小结 in ``period``: counts, and who is behind in which way (three
    queries)."""
    sections = sections_in_period(period).prefetch_related("heads").order_by("order", "code")
    if section_code:
        sections = sections.filter(code=section_code)
    lines = {
        s.pk: SectionLine(s.pk, s.code, s.name, tuple(h.pk for h in s.heads.all()))
        for s in sections
    }
    status = Summary.objects.filter(period=period, staff=OuterRef("pk")).values("status")[:1]
    people = (
        staff_in_period(period)
        .filter(section_id__in=lines)
        .annotate(summary_status=Subquery(status))
        .order_by("section__order", "staff_no")
    )
    if text:
        people = people.filter(Q(name__icontains=text) | Q(staff_no__icontains=text))
    for staff_id, staff_no, name, user_id, section_id, state in people.values_list(
        "pk", "staff_no", "name", "user_id", "section_id", "summary_status"
    ):
        line = lines[section_id]
        line.people += 1
        state = state or NOT_WRITTEN
        if state == SummaryStatus.ACCEPTED:
            line.accepted += 1
        else:
            line.behind[state].append(Person(staff_id, staff_no, name, user_id, state))
    return [line for line in lines.values() if line.people or not text]


# --- who is behind, for reminders ------------------------------------------------------------


def assessors_behind(period: Period) -> list[AssessorLine]:
    return [line for line in assessor_lines(period) if not line.done]


def summary_writers_behind(period: Period) -> list[Person]:
    """People with a login whose 个人小结 is not yet submitted."""
    return [
        person
        for line in section_lines(period)
        for state in (NOT_WRITTEN, SummaryStatus.DRAFT, SummaryStatus.RETURNED)
        for person in line.people_in(state)
        if person.user_id is not None
    ]


def reviewers_behind(period: Period) -> dict[int, int]:
    """Section head's user id -> how many submitted summaries wait for them."""
    waiting: dict[int, int] = defaultdict(int)
    for line in section_lines(period):
        for head_id in line.head_ids:
            if line.to_review:
                waiting[head_id] += line.to_review
    return waiting


def staff_summary_done(period: Period, user) -> bool:
    return (
        Summary.objects.filter(period=period, staff__user=user, status__in=DONE_SUMMARY).exists()
        or not Staff.objects.filter(user=user).exists()
    )
