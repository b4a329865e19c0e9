from .annual import (
    AnnualAppraisal,
    AnnualClockStep,
    AnnualObjection,
    AnnualReview,
    AnnualState,
    ClockOutcome,
    ClockStep,
)
from .appraisal import Criterion, GradeOverride, Period, PeriodCriterion, PeriodState, Score
from .attachments import IncidentAttachment
from .attendance import Attendance
from .audit import AuditEvent, ChainHead
from .calendar import DayKind, OfficeDay
from .corrections import Correction
from .incidents import (
    Explanation,
    HandlingDecision,
    Incident,
    IncidentKind,
    IncidentResponsible,
    IncidentSequence,
    IncidentSource,
    IncidentStatus,
    Severity,
    Standard,
)
from .org import Gender, PoliticalStatus, Section, Staff, StaffCategory
from .paperwork import ImportRecord, ReportJob, ReportJobStatus
from .pools import PoolRounding, QuotaPool
from .publicity import (
    OBJECTION_REASON_MAX_LENGTH,
    Feedback,
    FeedbackOpinion,
    Objection,
    ObjectionAnswer,
)
from .reminders import Reminder, ReminderKind
from .results import StoredRanking
from .reviews import COMMENT_MAX_LENGTH, GradeReview
from .sanctions import InfluenceMonths, Sanction, SanctionKind
from .site import DemoMark
from .standing import (
    REASONS_FOR,
    STANDING_NOTE_MAX_LENGTH,
    StaffStanding,
    StandingKind,
    StandingReason,
)
from .summaries import (
    ANNUAL_SUMMARY_MAX_LENGTH,
    SUMMARY_MAX_LENGTH,
    AnnualSummary,
    Summary,
    SummaryStatus,
)

__all__ = [
    "StoredRanking",
    "Correction",
    "AnnualAppraisal",
    "AnnualClockStep",
    "ClockOutcome",
    "ClockStep",
    "AnnualObjection",
    "AnnualReview",
    "AnnualState",
    "Attendance",
    "DayKind",
    "OfficeDay",
    "Criterion",
    "GradeOverride",
    "GradeReview",
    "COMMENT_MAX_LENGTH",
    "Period",
    "PoolRounding",
    "QuotaPool",
    "PeriodCriterion",
    "PeriodState",
    "Feedback",
    "FeedbackOpinion",
    "Objection",
    "ObjectionAnswer",
    "OBJECTION_REASON_MAX_LENGTH",
    "Reminder",
    "ReminderKind",
    "ReportJob",
    "ReportJobStatus",
    "Score",
    "AuditEvent",
    "ChainHead",
    "DemoMark",
    "Explanation",
    "HandlingDecision",
    "ImportRecord",
    "Incident",
    "InfluenceMonths",
    "IncidentKind",
    "IncidentResponsible",
    "IncidentSequence",
    "IncidentSource",
    "IncidentAttachment",
    "IncidentStatus",
    "Sanction",
    "SanctionKind",
    "Section",
    "Gender",
    "PoliticalStatus",
    "StaffCategory",
    "Severity",
    "Staff",
    "StaffStanding",
    "StandingKind",
    "StandingReason",
    "REASONS_FOR",
    "STANDING_NOTE_MAX_LENGTH",
    "Standard",
    "SUMMARY_MAX_LENGTH",
    "ANNUAL_SUMMARY_MAX_LENGTH",
    "AnnualSummary",
    "Summary",
    "SummaryStatus",
]
