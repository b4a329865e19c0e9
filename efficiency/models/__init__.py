from .audit import AuditEvent
from .incidents import (
    Explanation,
    HandlingDecision,
    Incident,
    IncidentKind,
    IncidentResponsible,
    IncidentSequence,
    IncidentStatus,
    Severity,
    Standard,
)
from .org import Section, Staff

__all__ = [
    "AuditEvent",
    "Explanation",
    "HandlingDecision",
    "Incident",
    "IncidentKind",
    "IncidentResponsible",
    "IncidentSequence",
    "IncidentStatus",
    "Section",
    "Severity",
    "Staff",
    "Standard",
]
