"""Plain-language sentences for the rules' outcomes, shared by pages, exports and PDFs.

The one home of every sentence a user reads about a result: why a grade is what it is, the
quarter's and the year's warnings, how marks became an average. Each function takes the
numbers :mod:`efficiency.results` hands out (:mod:`efficiency.scoring`'s dataclasses) and
returns words; the ranking page, the score card, the Excel export and the PDFs all call it.
"""

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from efficiency.scoring import (
    AnnualGrade,
    AnnualResult,
    AnnualSubjectResult,
    CriterionAverage,
    Grade,
    PeriodResult,
    PoolResult,
    ReasonCode,
    SubjectResult,
    Thresholds,
    Veto,
    VetoCode,
    WarningCode,
)

# What a period's step says once done, on the page and on the command line.
ACTION_DONE = {
    "open": gettext_lazy("Period %(code)s is open for scoring."),
    "close": gettext_lazy("Period %(code)s is closed; its results are published for review."),
    "reopen": gettext_lazy("Period %(code)s is open for scoring again."),
    "lock": gettext_lazy("Period %(code)s is locked; nothing about it can change any more."),
    "withdraw": gettext_lazy("The opening of period %(code)s was withdrawn; it is a draft again."),
}


# 人员类别 as stored (models.StaffCategory takes its values from here).
CIVIL_SERVANT = "civil_servant"
INSTITUTION = "institution"

# 事业单位工作人员考核规定: the same four grades under the names of public institutions.
_INSTITUTION_ANNUAL_LABELS = {
    AnnualGrade.EXCELLENT: "优秀",
    AnnualGrade.COMPETENT: "合格",
    AnnualGrade.BASIC: "基本合格",
    AnnualGrade.INCOMPETENT: "不合格",
}


def annual_label(grade: AnnualGrade | None, category: str = CIVIL_SERVANT) -> str:
    """The annual grade as the person's category names it: 称职 for a civil servant is 合格 for
    事业编 staff. "" for no grade."""
    if grade is None:
        return ""
    if category == INSTITUTION:
        return _INSTITUTION_ANNUAL_LABELS[grade]
    return grade.label


def undetermined_label() -> str:
    """The year of someone not graded because of a veto (a 处分 still in effect)."""
    return _("Undetermined (不定等次)")


def annual_count_labels(categories: Iterable[str]) -> dict[AnnualGrade, str]:
    """The heading of each grade's count: 称职/合格 when both categories are counted."""
    present = set(categories) or {CIVIL_SERVANT}
    labels = {}
    for grade in AnnualGrade:
        names = dict.fromkeys(
            annual_label(grade, c) for c in (CIVIL_SERVANT, INSTITUTION) if c in present
        )
        labels[grade] = "/".join(names)
    return labels


def weight_text(weight: Decimal) -> str:
    """40.00 → 40, 33.50 → 33.5: weights as people write them."""
    text = f"{weight:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def annual_notes(result: AnnualSubjectResult) -> list[str]:
    """Why a person's annual grade is what it is, one short phrase per rule that applied."""
    notes = []
    for step in result.grade_steps:
        if step.code == ReasonCode.THRESHOLD and step.grade in (
            AnnualGrade.INCOMPETENT,
            AnnualGrade.BASIC,
        ):
            notes.append(_("annual score too low"))
        elif step.code == ReasonCode.POOR_QUARTERS:
            notes.append(_("%(count)s quarter(s) graded 较差") % {"count": result.poor_quarters})
        elif step.code == ReasonCode.NOT_ENOUGH_GOOD_QUARTERS:
            notes.append(
                _("only %(count)s quarter(s) graded 好, two needed for 优秀")
                % {"count": result.good_quarters}
            )
        elif step.code == ReasonCode.GRAVE_INCIDENT:
            notes.append(_("a grave incident in the year bars 优秀"))
        elif step.code == ReasonCode.DISQUALIFIED:
            notes.append(_("disqualified from annual awards"))
        elif step.code == ReasonCode.QUOTA_DEMOTION:
            notes.append(_("beyond the 优秀 quota"))
        elif step.code == ReasonCode.TIE_ON_QUOTA_LINE:
            notes.append(_("tied on the 优秀 quota line"))
    notes.extend(veto_sentence(veto) for veto in result.vetoes)
    return notes


def annual_basis(result: AnnualSubjectResult, *, decision_reason: str = "") -> list[str]:
    """Why a person's decided annual grade is what it is, for their result notice: the annual
    score, the rules that applied, and the leader's reason when the decision departs from the
    computed grade."""
    lines = []
    if result.score is not None:
        lines.append(
            _("Annual score %(score)s (the mean of the quarters' final scores).")
            % {"score": result.score}
        )
    notes = annual_notes(result)
    if notes:
        lines.append(_("Basis: %(notes)s.") % {"notes": "；".join(notes)})
    if decision_reason:
        lines.append(_("Reason for the decision: %(reason)s") % {"reason": decision_reason})
    return lines


def _day(day) -> str:
    return _("%(year)s-%(month)s-%(day)s") % {"year": day.year, "month": day.month, "day": day.day}


def correction_sentence(
    *,
    original_final: Decimal | None,
    final: Decimal,
    original_grade: Grade | None,
    grade: Grade,
    recorded_on,
    basis: str,
) -> str:
    """更正：最终得分 88.50 → 90.20，等次 较好 → 好（2026年12月3日，依据…）"""
    return _(
        "Corrected: final %(before)s → %(after)s, grade %(grade_before)s → %(grade_after)s "
        "(%(date)s, following %(basis)s)"
    ) % {
        "before": "—" if original_final is None else f"{original_final:.2f}",
        "after": f"{final:.2f}",
        "grade_before": original_grade.label if original_grade else "—",
        "grade_after": grade.label,
        "date": _day(recorded_on),
        "basis": basis,
    }


def veto_sentence(veto: Veto) -> str:
    """One veto in words: "2026年5月诫勉谈话，影响期至2026年11月14日，不得评为优秀"."""
    values = {
        "year": veto.on.year,
        "month": veto.on.month,
        "what": veto.what,
        "ref": _(" (%(reference)s)") % {"reference": veto.reference} if veto.reference else "",
        "until": _day(veto.until) if veto.until else "",
    }
    if veto.code == VetoCode.SANCTION_PERIOD:
        text = _(
            "%(year)s-%(month)s sanction %(what)s%(ref)s, in effect until %(until)s: "
            "no grade this year (不定等次)"
        )
    elif veto.code == VetoCode.WARNING:
        text = _("%(year)s-%(month)s sanction %(what)s%(ref)s: no 优秀 this year")
    elif veto.until:
        text = _("%(year)s-%(month)s %(what)s, in effect until %(until)s: no 优秀 this year")
    else:
        text = _("%(year)s-%(month)s %(what)s%(ref)s: no 优秀 this year")
    return text % values


# Short phrases for a table cell: only the rules that lowered the grade below the final's.
_QUARTER_NOTES = {
    ReasonCode.CAP_INCIDENT: gettext_lazy("an established incident caps the grade at 较好"),
    ReasonCode.CAP_GRAVE_INCIDENT: gettext_lazy("a grave incident caps the grade at 一般"),
    ReasonCode.QUOTA_DEMOTION: gettext_lazy("beyond the 好 quota"),
    ReasonCode.TIE_ON_QUOTA_LINE: gettext_lazy(
        "tied on the 好 quota line: for the leadership group to decide"
    ),
}


def quarter_grade_notes(result: SubjectResult) -> list[str]:
    """Why a quarterly grade is lower than the final alone gives (a cap or the quota), one
    short phrase per rule that lowered it; a leader's override is told apart, with its reason."""
    return [str(_QUARTER_NOTES[s.code]) for s in result.grade_steps if s.code in _QUARTER_NOTES]


def choice_label(choices, value: str) -> str:
    """A stored choice as people read it; a value the choices no longer know, as stored."""
    return str(choices(value).label) if value in choices.values else value


def percent(share: Decimal) -> str:
    """0.40 → 40, 0.325 → 32.5: a quota's share as the rules write it."""
    return weight_text(share * 100)


def people(names: Mapping[str, str], keys: Iterable[str]) -> str:
    """张三（1001）、1002: each person by name and number; a number alone when unknown."""
    return "、".join(f"{names[key]}（{key}）" if key in names else key for key in keys)


# --- a quarter ----------------------------------------------------------------------------


def criterion_sentence(average: CriterionAverage | None) -> str:
    """How a criterion's marks became its average: which were dropped, how many averaged."""
    if average is None:
        return _("No marks yet on this criterion.")
    if average.dropped_high is not None:
        return _(
            "%(count)s marks: the highest (%(high)s) and the lowest (%(low)s) are "
            "dropped, the other %(used)s are averaged."
        ) % {
            "count": len(average.marks),
            "high": f"{average.dropped_high:.1f}",
            "low": f"{average.dropped_low:.1f}",
            "used": len(average.used),
        }
    return _("%(count)s marks, fewer than five: none is dropped, all are averaged.") % {
        "count": len(average.marks)
    }


def _share_note(share: Decimal) -> str:
    return _("%(share)s%% of those graded, rounded down") % {"share": percent(share)}


def quota_share_note(thresholds: Thresholds) -> str:
    """What the 好 quota is a share of, under the count of places."""
    return _share_note(thresholds.good_quota)


def excellent_share_note(thresholds: Thresholds) -> str:
    """What the 优秀 quota is a share of, under the count of places."""
    return _share_note(thresholds.excellent_quota)


def _annual_numbers(thresholds: Thresholds) -> dict[str, str]:
    return {
        "fail": weight_text(thresholds.fail_floor),
        "competent": weight_text(thresholds.competent_floor),
        "excellent": weight_text(thresholds.excellent),
        "share": percent(thresholds.excellent_quota),
    }


def _excellent_places(pools: list[PoolResult]) -> str:
    return pools_places(pools, AnnualGrade.EXCELLENT.label)


def _annual_paragraph(plain: str, pooled: str, thresholds: Thresholds, pools) -> str:
    """One of the annual rules' paragraphs: ``pooled`` (with the places per pool) when the
    graded are split over pools, else ``plain`` (with the thresholds' share)."""
    numbers = _annual_numbers(thresholds)
    if split := split_pools(pools):
        return _with_vetoes(pooled % {**numbers, "pools": _excellent_places(split)})
    return _with_vetoes(plain % numbers)


def annual_rules(thresholds: Thresholds, pools: Iterable[PoolResult] = ()) -> str:
    """The annual grades' rules in one paragraph (the annual page)."""
    return _annual_paragraph(
        _(
            "不称职: annual score below %(fail)s or two quarters 较差. 基本称职: below "
            "%(competent)s or one quarter 较差. 优秀: %(excellent)s or more, at least two quarters "
            "好, no 较差, no grave incident and no disqualification in the year, within the "
            "%(share)s%% quota. Otherwise 称职."
        ),
        _(
            "不称职: annual score below %(fail)s or two quarters 较差. 基本称职: below "
            "%(competent)s or one quarter 较差. 优秀: %(excellent)s or more, at least two quarters "
            "好, no 较差, no grave incident and no disqualification in the year, within the places "
            "of the person's quota pool (%(pools)s). Otherwise 称职."
        ),
        thresholds,
        pools,
    )


def annual_rules_printed(thresholds: Thresholds, pools: Iterable[PoolResult] = ()) -> str:
    """The annual score and grades' rules in one paragraph (the printed annual summary)."""
    return _annual_paragraph(
        _(
            "The annual score is the mean of the person's quarterly final scores. 不称职: below "
            "%(fail)s or two quarters 较差; 基本称职: below %(competent)s or one quarter 较差; "
            "优秀: %(excellent)s or more, at least two quarters 好, no 较差, no grave incident and "
            "no disqualification, within %(share)s%% of those graded."
        ),
        _(
            "The annual score is the mean of the person's quarterly final scores. 不称职: below "
            "%(fail)s or two quarters 较差; 基本称职: below %(competent)s or one quarter 较差; "
            "优秀: %(excellent)s or more, at least two quarters 好, no 较差, no grave incident and "
            "no disqualification, within the places of the person's quota pool (%(pools)s)."
        ),
        thresholds,
        pools,
    )


def _with_vetoes(rules: str) -> str:
    """The rules followed by the vetoes of influence periods and 处分 (efficiency.influence)."""
    vetoes = _(
        "No 优秀 during the influence period of an admonition talk (诫勉谈话) or heavier, nor in "
        "the year of a warning (警告); a demerit (记过) or heavier still in effect on 31 December "
        "leaves the year undetermined (不定等次)."
    )
    return _("%(rules)s %(vetoes)s") % {"rules": rules, "vetoes": vetoes}


def split_pools(pools: Iterable[PoolResult]) -> list[PoolResult]:
    """The pools a sentence names one by one: those with someone graded (or holding the top
    grade), when there are two or more; [] when one pool is the whole office."""
    listed = [p for p in pools if p.graded_count or p.used]
    return listed if len(listed) > 1 else []


def pools_places(pools: Iterable[PoolResult], grade: str) -> str:
    """公务员/参公：可评“好”7人（参加评定19人）；事业编：可评“好”2人（参加评定5人）."""
    return "；".join(
        _("%(pool)s: at most %(places)s “%(grade)s” (%(graded)s graded)")
        % {"pool": p.name, "places": p.places, "grade": grade, "graded": p.graded_count}
        for p in pools
    )


def quota_sentence(period: PeriodResult, thresholds: Thresholds) -> str:
    """The quarter's 好 quota in one sentence (the score card: the person's pool's figures,
    see results.quota_seen_by)."""
    return _(
        "This quarter at most %(quota)s of the %(count)s people graded may be “好” "
        "(%(share)s%%, rounded down)."
    ) % {
        "quota": period.quota,
        "count": period.graded_count,
        "share": percent(thresholds.good_quota),
    }


def quarter_rules(period: PeriodResult, thresholds: Thresholds) -> str:
    """The quota and the caps in two sentences (the printed bulletin); the quota per pool
    when the graded are split over pools."""
    if pools := split_pools(period.pools):
        return _(
            "Per quota pool, %(pools)s. Anyone with an established incident in the quarter is "
            "at most “较好”; with a grave one, at most “一般”."
        ) % {"pools": pools_places(pools, Grade.GOOD.label)}
    return _(
        "At most %(quota)s of the %(graded)s people graded may be “好” (%(share)s%%, rounded "
        "down). Anyone with an established incident in the quarter is at most “较好”; with a "
        "grave one, at most “一般”."
    ) % {
        "quota": period.quota,
        "graded": period.graded_count,
        "share": percent(thresholds.good_quota),
    }


# Every step from the final to the grade, in full sentences (the score card).
_QUARTER_SENTENCES = {
    ReasonCode.THRESHOLD: gettext_lazy(
        "A final of %(final)s gives “%(grade)s” (好 from %(good)s, 较好 from "
        "%(fairly_good)s, 一般 from %(average)s, 较差 below that)."
    ),
    ReasonCode.CAP_INCIDENT: gettext_lazy(
        "An established three-errors incident in the quarter caps the grade at "
        "“较好”: the grade becomes “%(grade)s”."
    ),
    ReasonCode.CAP_GRAVE_INCIDENT: gettext_lazy(
        "An established grave (严重) incident in the quarter caps the grade at "
        "“一般”: the grade becomes “%(grade)s”."
    ),
    ReasonCode.QUOTA_DEMOTION: gettext_lazy(
        "At most %(quota)s of the %(count)s people graded may be “好” (%(share)s%%, "
        "rounded down); this rank is beyond that line, so the grade becomes "
        "“%(grade)s”."
    ),
    ReasonCode.TIE_ON_QUOTA_LINE: gettext_lazy(
        "Tied with others at %(final)s on the line of the “好” quota (%(quota)s "
        "places): by the rules everyone tied becomes “%(grade)s”, and the leaders "
        "are asked to decide."
    ),
    ReasonCode.OVERRIDE: gettext_lazy("A leader set the grade to “%(grade)s”. Reason: %(reason)s"),
}

# The same steps, shorter, for the printed personal form (its override has its own line).
_FORM_NOTES = {
    ReasonCode.THRESHOLD: gettext_lazy("A final of %(final)s gives “%(grade)s”."),
    ReasonCode.CAP_INCIDENT: gettext_lazy(
        "An established three-errors incident in the quarter: at most “较好”."
    ),
    ReasonCode.CAP_GRAVE_INCIDENT: gettext_lazy(
        "An established grave incident in the quarter: at most “一般”."
    ),
    ReasonCode.QUOTA_DEMOTION: gettext_lazy(
        "Beyond the %(quota)s places for “好” (%(share)s%% of those graded): “较好”."
    ),
    ReasonCode.TIE_ON_QUOTA_LINE: gettext_lazy(
        "Tied with others on the line of the “好” quota: “较好” by the rules, "
        "for the leadership group to decide."
    ),
}


# The quota step when the graded are split over pools: the person's pool's line.
_POOLED_DEMOTION = {
    "sentence": gettext_lazy(
        "In the quota pool “%(pool)s” at most %(quota)s of the %(count)s people graded may be "
        "“好”; this rank is beyond that line, so the grade becomes “%(grade)s”."
    ),
    "note": gettext_lazy("Beyond the %(quota)s places for “好” of the pool “%(pool)s”: “较好”."),
}


def _grade_steps_in_words(
    texts: Mapping,
    result: SubjectResult,
    period: PeriodResult,
    thresholds: Thresholds,
    pooled: str = "sentence",
) -> list[str]:
    words = []
    # The line a person is beyond is their quota pool's, when the graded are split over pools.
    pool = next((p for p in split_pools(period.pools) if result.key in p.members), None)
    quota, count, share = (
        (pool.places, pool.graded_count, pool.share)
        if pool is not None
        else (period.quota, period.graded_count, thresholds.good_quota)
    )
    for step in result.grade_steps:
        if step.code in texts:
            text = texts[step.code]
            if pool is not None and step.code == ReasonCode.QUOTA_DEMOTION:
                text = _POOLED_DEMOTION[pooled]
            words.append(
                str(text)
                % {
                    "pool": pool.name if pool is not None else "",
                    "final": result.final,
                    "grade": step.grade.label,
                    "reason": step.detail,
                    "quota": quota,
                    "count": count,
                    "share": percent(share),
                    "good": thresholds.good,
                    "fairly_good": thresholds.fairly_good,
                    "average": thresholds.average,
                }
            )
    return words


def quarter_grade_sentences(
    result: SubjectResult, *, period: PeriodResult, thresholds: Thresholds
) -> list[str]:
    """Every step from the final to the grade, in full sentences (the score card)."""
    return _grade_steps_in_words(_QUARTER_SENTENCES, result, period, thresholds)


def quarter_grade_form_notes(
    result: SubjectResult, *, period: PeriodResult, thresholds: Thresholds
) -> list[str]:
    """The same steps, shorter, for the printed personal form (its override has its own line)."""
    return _grade_steps_in_words(_FORM_NOTES, result, period, thresholds, pooled="note")


def ranking_note(result: SubjectResult) -> str:
    """A ranking table's note column in the PDFs: not assessed, overridden, or why capped."""
    if not result.assessed:
        return _("Not assessed")
    if result.overridden and result.computed_grade:
        return _("Grade set by a leader (computed: %(grade)s)") % {
            "grade": result.computed_grade.label
        }
    return "；".join(quarter_grade_notes(result))


def ranking_remarks(
    result: SubjectResult,
    *,
    missing: Sequence[str],
    deductions: Sequence[str],
    given: int,
    expected: int,
) -> str:
    """The 备注 column of the exported ranking: what is missing, why the grade, what was
    deducted, how many marks are still to come."""
    notes = []
    if not result.assessed:
        notes.append(_("not assessed: no marks on %(criteria)s") % {"criteria": "、".join(missing)})
    notes += quarter_grade_notes(result)
    for step in result.grade_steps:
        if step.code == ReasonCode.OVERRIDE:
            notes.append(_("grade set by a leader: %(reason)s") % {"reason": step.detail})
    if deductions:
        notes.append(_("deductions: %(numbers)s") % {"numbers": "、".join(deductions)})
    if given < expected:
        notes.append(
            _("%(given)s of %(expected)s marks given") % {"given": given, "expected": expected}
        )
    return "；".join(notes)


# The quarter's warnings for the leaders; a warning added to scoring later still reaches them.
_QUARTER_WARNINGS = {
    WarningCode.TIE_ON_QUOTA_LINE: gettext_lazy(
        "%(count)s people are tied at %(final)s on the line of the “好” quota "
        "(%(quota)s places): %(names)s. By the rules all of them were graded "
        "“较好”; the leadership group should decide."
    ),
    WarningCode.OVER_QUOTA_AFTER_OVERRIDES: gettext_lazy(
        "After the leaders' overrides %(count)s people are graded “好”, more than "
        "the quota of %(quota)s: %(names)s."
    ),
    WarningCode.OVERRIDE_ABOVE_CAP: gettext_lazy(
        "An override grants a grade above the cap set by an established "
        "three-errors incident: %(names)s."
    ),
    WarningCode.OVERRIDE_IGNORED: gettext_lazy(
        "These people are not assessed this quarter, so their grade override "
        "has no effect: %(names)s."
    ),
}


def places_of(result: PeriodResult | AnnualResult, keys: Sequence[str]) -> int:
    """The places a warning about ``keys`` is about: their quota pool's, else everyone's."""
    for pool in result.pools:
        if keys and keys[0] in pool.members:
            return pool.places
    return result.quota


def quarter_warnings(period: PeriodResult, names: Mapping[str, str]) -> list[str]:
    """The quarter's warnings for the leaders, naming the people (``names``: key → name)."""
    finals = {result.key: result.final for result in period.results}
    texts = []
    for warning in period.warnings:
        who = people(names, warning.subject_keys)
        if warning.code not in _QUARTER_WARNINGS:
            texts.append(f"{warning.detail}: {who}")
            continue
        texts.append(
            str(_QUARTER_WARNINGS[warning.code])
            % {
                "count": len(warning.subject_keys),
                "final": finals.get(warning.subject_keys[0], ""),
                "quota": places_of(period, warning.subject_keys),
                "names": who,
            }
        )
    return texts


# --- a year -------------------------------------------------------------------------------


def annual_warnings(year: AnnualResult, names: Mapping[str, str]) -> list[str]:
    """The year's warnings for the leaders, naming the people (``names``: key → name)."""
    texts = []
    for warning in year.warnings:
        who = people(names, warning.subject_keys)
        if warning.code == WarningCode.TIE_ON_QUOTA_LINE:
            texts.append(
                _(
                    "%(count)s people are tied on the line of the “优秀” quota (%(quota)s "
                    "places): %(names)s. By the rules all of them were graded “称职”; the "
                    "leadership group should decide."
                )
                % {
                    "count": len(warning.subject_keys),
                    "quota": places_of(year, warning.subject_keys),
                    "names": who,
                }
            )
        else:  # a warning added to scoring later still reaches the leaders
            texts.append(f"{warning.detail}: {who}")
    return texts


def person_name(user) -> str:
    """A user as pages and papers name them: the staff record's name, else the full name, else
    the login name; blank for no user."""
    if user is None:
        return ""
    staff = getattr(user, "staff", None)
    return (staff.name if staff is not None else "") or user.get_full_name() or user.username


MB = 1024 * 1024


def file_too_big(limit_bytes: int, name: str | None, size: int) -> str:
    """Why an upload of ``size`` bytes is refused, naming the file when its name is known."""
    figures = {"name": name, "size": f"{size / MB:.1f}", "limit": limit_bytes // MB}
    if name is None:
        return _("The file is %(size)s MB; files up to %(limit)s MB are accepted.") % figures
    return _("“%(name)s” is %(size)s MB; files up to %(limit)s MB are accepted.") % figures


def file_too_big_template(limit_bytes: int) -> str:
    """The same sentence with the file's name and size left for upload.js to fill in before
    the file is sent."""
    return _("“%(name)s” is %(size)s MB; files up to %(limit)s MB are accepted.") % {
        "name": "%(name)s",
        "size": "%(size)s",
        "limit": limit_bytes // MB,
    }
