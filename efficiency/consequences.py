"""What a decision that cannot be taken back will do, in the words the confirmation step shows.

One function per decision; each returns the sentences, built from the same facts the services
act on, so the second look says exactly what is about to happen ("认定后……每人扣2分").
"""

from collections.abc import Sequence

from django.utils.translation import gettext as _

from efficiency import deadlines, influence
from efficiency.models import (
    Incident,
    IncidentStatus,
    Period,
    PeriodState,
    SanctionKind,
    Severity,
    Staff,
)
from efficiency.models.incidents import HandlingDecision
from efficiency.quarters import Quarter
from efficiency.scoring import AnnualGrade, Grade


def _names(incident: Incident) -> str:
    people = incident.responsibilities.select_related("staff").order_by("pk")
    return "、".join(r.staff.name for r in people)


def _quarter(incident: Incident) -> str:
    code = Quarter.of(incident.occurred_on).code
    return str(Period(code=code, year=int(code[:4]), quarter=int(code[5])))


def incident_verify(incident: Incident) -> list[str]:
    sentences = [
        _(
            "Once verified the incident is established: %(names)s will each lose %(points)s "
            "points in the appraisal of %(quarter)s."
        )
        % {"names": _names(incident), "points": incident.points, "quarter": _quarter(incident)}
    ]
    if incident.severity == Severity.GRAVE:
        sentences.append(
            _(
                "The incident is grave: those named can be graded at most “一般” that quarter "
                "and cannot be graded “优秀” for the year."
            )
        )
    else:
        sentences.append(_("Those named can be graded at most “较好” that quarter."))
    sentences.append(_("A verification cannot be withdrawn; a handling decision is recorded next."))
    return sentences


def incident_dismiss(incident: Incident) -> list[str]:
    return [
        _(
            "Once dismissed the incident deducts no points from %(names)s and can no longer "
            "be verified or handled."
        )
        % {"names": _names(incident)},
        _("The reason is recorded in the incident's history."),
    ]


def incident_handle(incident: Incident, decision: str, suggestion: str) -> list[str]:
    sentences = [
        _("%(names)s will receive the handling decision “%(decision)s”.")
        % {"names": _names(incident), "decision": HandlingDecision(decision).label}
    ]
    if decision != suggestion:
        sentences.append(
            _("The suggested step was “%(suggestion)s”; you chose another.")
            % {"suggestion": HandlingDecision(suggestion).label}
        )
    if decision == HandlingDecision.NO_ANNUAL_AWARD:
        sentences.append(_("They cannot be graded “优秀” for the year."))
    sentences.append(
        _(
            "A recorded handling decision cannot be changed; the people named may appeal "
            "once, and an appeal may dismiss the incident or lighten the decision."
        )
    )
    return sentences


def incident_appeal(incident: Incident) -> list[str]:
    return [
        _(
            "The appeal goes to the supervisors, who uphold it, uphold it in part or reject "
            "it. An incident can be appealed only once: this cannot be withdrawn."
        )
    ]


def appeal_decision(incident: Incident, *, outcome: str, lighten_to: str = "") -> list[str]:
    if outcome == "uphold":
        sentences = [
            _(
                "Upheld: the incident becomes “%(status)s”; the %(points)s points deducted from "
                "each of %(names)s are cancelled, and the handling decision no longer applies."
            )
            % {
                "status": IncidentStatus.DISMISSED.label,
                "points": incident.points,
                "names": _names(incident),
            }
        ]
    elif outcome == "lighten":
        sentences = [
            _(
                "Upheld in part: the incident stands and still deducts %(points)s points from "
                "each of %(names)s; the handling decision changes from “%(old)s” to the lighter "
                "“%(new)s”."
            )
            % {
                "points": incident.points,
                "names": _names(incident),
                "old": incident.get_handling_decision_display(),
                "new": HandlingDecision(lighten_to).label,
            }
        ]
    else:
        sentences = [
            _(
                "Rejected: the incident stays “%(status)s”; the deduction and the handling "
                "decision “%(decision)s” stand."
            )
            % {
                "status": incident.get_status_display(),
                "decision": incident.get_handling_decision_display(),
            }
        ]
    sentences.append(_("An appeal decision is final: the incident cannot be appealed again."))
    return sentences


def period_open(code: str, criteria: list[str], *, begun: bool) -> list[str]:
    period = Period(code=code, year=int(code[:4]), quarter=int(code[5]))
    sentences = [
        _("The assessors can mark %(period)s from now on.") % {"period": period},
        _("It takes these criteria and weights, which then never change for it: %(criteria)s.")
        % {"criteria": "、".join(criteria)},
    ]
    if not begun:
        sentences.insert(
            0,
            _("%(period)s has not begun yet: it starts on %(first)s. It is opened early.")
            % {"period": period, "first": Quarter.parse(code).first_day.isoformat()},
        )
    sentences.append(_("An opening made by mistake can be withdrawn only while nobody has marked."))
    return sentences


def period_close(period: Period) -> list[str]:
    return [
        _("Scoring of %(period)s stops; its rankings and grades are published for review.")
        % {"period": period},
        _("Only a leader can reopen it, with a written reason."),
    ]


def period_lock(period: Period) -> list[str]:
    return [
        _(
            "The marks, deductions and grades of %(period)s are frozen for good: no route "
            "can change them afterwards."
        )
        % {"period": period},
        _("A locked period never reopens. This cannot be undone."),
    ]


def period_withdraw(period: Period) -> list[str]:
    return [
        _(
            "%(period)s returns to “%(state)s”: the score sheet closes and the scheme copied "
            "into it is dropped. It can be opened again later."
        )
        % {"period": period, "state": PeriodState.DRAFT.label},
        _("The withdrawal and its reason stay in the period's history."),
    ]


def decision_set(
    period: Period, staff: Staff, *, computed: str, proposal: str, grade: str
) -> list[str]:
    return [
        _(
            "%(name)s's grade for %(period)s is decided as “%(grade)s” (computed “%(computed)s”, "
            "proposed “%(proposal)s”)."
        )
        % {
            "name": staff.name,
            "period": period,
            "computed": computed,
            "proposal": proposal,
            "grade": grade,
        },
        _(
            "The decision is recorded with your name and reason, shown on the ranking and the "
            "score card, and a “好” counts against the quota."
        ),
    ]


def decision_clear(period: Period, staff: Staff, *, computed: str) -> list[str]:
    return [
        _("%(name)s's grade for %(period)s returns to the computed “%(computed)s”.")
        % {"name": staff.name, "period": period, "computed": computed},
        _("The withdrawal and its reason are recorded."),
    ]


def _per_pool(pools: Sequence[tuple[str, int, int]], grade: str) -> str:
    """审定后各名额池——公务员/参公：可评“优秀”3人，审定后2人；事业编：可评“优秀”1人，审定后1人。"""
    return _("Afterwards, per quota pool: %(pools)s.") % {
        "pools": "；".join(
            _("%(pool)s: at most %(places)s “%(grade)s”, %(count)s afterwards")
            % {"pool": name, "places": places, "grade": grade, "count": count}
            for name, places, count in pools
        )
    }


def decide_all(
    period: Period,
    *,
    count: int,
    good: int,
    quota: int,
    over: list[str] | None = None,
    pools: Sequence[tuple[str, int, int]] = (),
) -> list[str]:
    """``over``: the names of the 好 beyond the quota, who get the reason written on this page;
    ``pools``: (name, places, 好 afterwards) per quota pool when the graded are split."""
    said = [
        _(
            "%(count)s grades for %(period)s will be decided as proposed (as computed where "
            "nobody proposed)."
        )
        % {"count": count, "period": period},
        _per_pool(pools, Grade.GOOD.label)
        if pools
        else _("Afterwards “好”: %(good)s of at most %(quota)s.") % {"good": good, "quota": quota},
    ]
    if over:
        said.append(
            _(
                "That is %(over)s over the quota (%(names)s): going over needs a reason, which "
                "is recorded on each of these decisions and in their history."
            )
            % {"over": len(over), "names": "、".join(over)}
        )
    said.append(
        _("Each decision is recorded with your name; each can still be changed one by one.")
    )
    return said


def sanction_record(staff: Staff, kind: str, dated) -> list[str]:
    """What recording a 处分 does to the person's annual grades (efficiency.influence)."""
    end = influence.sanction_period_end(kind, dated)
    values = {
        "name": staff.name,
        "sanction": SanctionKind(kind).label,
        "start": dated.isoformat(),
        "end": end.isoformat(),
        "year": dated.year,
    }
    sentences = [
        _("%(name)s will have the sanction “%(sanction)s” in effect from %(start)s to %(end)s.")
        % values
    ]
    if kind in influence.UNDETERMINING_SANCTIONS:
        years = list(range(dated.year, end.year))
        sentences.append(
            _("The annual appraisal of %(years)s will be undetermined (不定等次): no grade.")
            % {"years": "、".join(str(y) for y in years)}
        )
    else:
        sentences.append(_("They cannot be graded “优秀” for %(year)s.") % values)
    sentences.append(
        _(
            "The sanction is recorded in the history; it can later be corrected or withdrawn "
            "only with a written reason."
        )
    )
    return sentences


def correction_record(
    staff: Staff,
    period: Period,
    *,
    original_final,
    original_grade: str,
    final,
    grade: str,
    supersedes: bool,
) -> list[str]:
    """Where a 更正 after lock shows and what it changes (efficiency.results reads it)."""
    values = {
        "name": staff.name,
        "period": str(period),
        "year": period.year,
        "before": f"{original_final:.2f}",
        "after": f"{final:.2f}",
        "grade_before": original_grade or "—",
        "grade_after": grade,
    }
    sentences = [
        _(
            "The locked result of %(name)s in %(period)s stays as it is (final %(before)s, "
            "grade %(grade_before)s); the correction is recorded beside it."
        )
        % values,
        _(
            "The ranking page, the score card, the bulletin PDF, the personal form and the "
            "Excel ranking will show both: final %(before)s → %(after)s, grade %(grade_before)s "
            "→ %(grade_after)s."
        )
        % values,
        _(
            "The annual roll-up of %(year)s will count this quarter as final %(after)s, grade "
            "%(grade_after)s, and say that the quarter was corrected."
        )
        % values,
    ]
    if supersedes:
        sentences.append(
            _("It replaces the correction now in force for this person in this quarter.")
        )
    sentences.append(
        _(
            "A correction is never edited: a later one supersedes it, and a withdrawal needs "
            "a written reason. Both are kept in the history."
        )
    )
    return sentences


def year_decision_set(
    year: int, staff: Staff, *, computed: str, proposal: str, grade: str
) -> list[str]:
    return [
        _(
            "%(name)s's annual grade for %(year)s is decided as “%(grade)s” (computed "
            "“%(computed)s”, proposed “%(proposal)s”)."
        )
        % {
            "name": staff.name,
            "year": year,
            "computed": computed,
            "proposal": proposal,
            "grade": grade,
        },
        _(
            "The decision is recorded with your name and reason, and an “优秀” counts against "
            "the year's places."
        ),
    ]


def year_decide_all(
    year: int,
    *,
    count: int,
    excellent: int,
    places: int,
    over: list[str] | None = None,
    pools: Sequence[tuple[str, int, int]] = (),
) -> list[str]:
    """``over``: the names of the 优秀 beyond the places, who get the reason written on the page;
    ``pools``: (name, places, 优秀 afterwards) per quota pool when the graded are split."""
    said = [
        _(
            "%(count)s annual grades for %(year)s will be decided as proposed (as computed where "
            "nobody proposed)."
        )
        % {"count": count, "year": year},
        _per_pool(pools, AnnualGrade.EXCELLENT.label)
        if pools
        else _("Afterwards “优秀”: %(excellent)s of at most %(places)s.")
        % {"excellent": excellent, "places": places},
    ]
    if over:
        said.append(
            _(
                "That is %(over)s over the places (%(names)s): going over needs a reason, which "
                "is recorded on each of these decisions and in their history."
            )
            % {"over": len(over), "names": "、".join(over)}
        )
    said.append(
        _("Each decision is recorded with your name; each can still be changed one by one.")
    )
    return said


def year_publish(year: int, *, names: list[str], days: int, ends) -> list[str]:
    return [
        _("The 优秀 of %(year)s are published: %(names)s.")
        % {"year": year, "names": "、".join(names) or _("nobody")},
        _(
            "The publicity lasts %(days)s working days, until %(date)s; during it anyone with a "
            "login may lodge an objection, which a leader answers."
        )
        % {"days": days, "date": deadlines.long_date(ends)},
        _("The section heads' proposals can no longer change."),
    ]


def year_objection_answer(staff: Staff, *, upheld: bool, grade: str) -> list[str]:
    if upheld:
        return [
            _("The objection is upheld: %(name)s's annual grade is decided again as “%(grade)s”.")
            % {"name": staff.name, "grade": grade or "—"},
            _("The reply is the reason of the new decision; both are recorded. It is final."),
        ]
    return [
        _("The objection is rejected: %(name)s's annual grade stays as decided.")
        % {"name": staff.name},
        _("The reply is recorded and shown to whoever lodged it. An answer is final."),
    ]


def year_notices(year: int, *, today, review_days: int) -> list[str]:
    return [
        _(
            "Every person graded for %(year)s receives a result notice dated %(date)s, on their "
            "page and as a PDF, and records their own opinion."
        )
        % {"year": year, "date": deadlines.long_date(today)},
        _("Those graded 不称职 (不合格) may ask for a review within %(days)s days of the notice.")
        % {"days": review_days},
        _("The decisions no longer change on the decisions page."),
    ]


def year_clock_decision(staff: Staff, *, changed: bool, grade: str) -> list[str]:
    said = [
        _("The decision is recorded with today's date, your name and its text.")
        if not changed
        else _("%(name)s's annual grade is changed to “%(grade)s”; the change is recorded.")
        % {"name": staff.name, "grade": grade or "—"},
    ]
    said.append(_("The next step's clock starts today (calendar days)."))
    return said
