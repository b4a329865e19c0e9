"""Plain-language sentences for the rules' outcomes, shared by pages, exports and PDFs."""

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from efficiency.scoring import AnnualGrade, AnnualSubjectResult, ReasonCode, SubjectResult

# What a period's step says once done, on the page and on the command line.
ACTION_DONE = {
    "open": gettext_lazy("Period %(code)s is open for scoring."),
    "close": gettext_lazy("Period %(code)s is closed; its results are published for review."),
    "reopen": gettext_lazy("Period %(code)s is open for scoring again."),
    "lock": gettext_lazy("Period %(code)s is locked; nothing about it can change any more."),
    "withdraw": gettext_lazy("The opening of period %(code)s was withdrawn; it is a draft again."),
}


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
    return notes


def quarter_grade_notes(result: SubjectResult) -> list[str]:
    """Why a quarterly grade is lower than the final alone gives (a cap or the quota), one
    short phrase per rule that lowered it; a leader's override is told apart, with its reason."""
    notes = []
    for step in result.grade_steps:
        if step.code == ReasonCode.CAP_INCIDENT:
            notes.append(_("an established incident caps the grade at 较好"))
        elif step.code == ReasonCode.CAP_GRAVE_INCIDENT:
            notes.append(_("a grave incident caps the grade at 一般"))
        elif step.code == ReasonCode.QUOTA_DEMOTION:
            notes.append(_("beyond the 好 quota"))
        elif step.code == ReasonCode.TIE_ON_QUOTA_LINE:
            notes.append(_("tied on the 好 quota line: for the leadership group to decide"))
    return notes
