"""Which importer reads which sheet."""

from .incidents import IncidentImporter
from .roster import SectionImporter, StaffImporter, StandardImporter
from .scores import ScoreImporter
from .summaries import SummaryImporter

IMPORTERS = {
    "sections": SectionImporter,
    "staff": StaffImporter,
    "standards": StandardImporter,
    "incidents": IncidentImporter,
    "scores": ScoreImporter,
    "summaries": SummaryImporter,
}
