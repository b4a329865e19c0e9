"""Which importer reads which sheet."""

from .attendance import AttendanceImporter
from .incidents import IncidentImporter
from .roster import SectionImporter, StaffImporter, StandardImporter
from .scores import ScoreImporter

IMPORTERS = {
    "sections": SectionImporter,
    "staff": StaffImporter,
    "standards": StandardImporter,
    "incidents": IncidentImporter,
    "scores": ScoreImporter,
    "attendance": AttendanceImporter,
}
