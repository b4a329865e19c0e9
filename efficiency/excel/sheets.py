"""Importing a sheet by its name: which importer reads it, then read, preview and run.

The steps every sheet shares are in :mod:`.engine`; the importers (:mod:`.roster`,
:mod:`.incidents`, :mod:`.scores`) build on them, and this module sits above them all.
"""

import logging
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _

from efficiency.models import ImportRecord
from efficiency.services import ServiceError

from .attendance import AttendanceImporter
from .engine import Action, Importer, NotAllowed, Preview, Problem
from .incidents import IncidentImporter
from .reader import FileRefused, Table, read_table
from .roster import SectionImporter, StaffImporter, StandardImporter
from .scores import ScoreImporter
from .summaries import SummaryImporter, YearSummaryImporter

log = logging.getLogger(__name__)

IMPORTERS: dict[str, type[Importer]] = {
    "sections": SectionImporter,
    "staff": StaffImporter,
    "standards": StandardImporter,
    "incidents": IncidentImporter,
    "scores": ScoreImporter,
    "attendance": AttendanceImporter,
    "summaries": SummaryImporter,
    "year_summaries": YearSummaryImporter,
}


def importer_for(sheet: str, *, actor, file_name: str) -> Importer:
    return IMPORTERS[sheet](actor=actor, file_name=file_name)


def _plan(importer: Importer, table: Table, preview: Preview) -> None:
    if not table.rows:
        preview.file_problems.append(
            Problem(
                None,
                None,
                _("“%(name)s” has a header row but no rows of data.") % {"name": table.file_name},
            )
        )
        return
    importer.load(table)
    preview.rows = importer.plan(table)
    for plan in preview.rows:
        plan.settle()
    preview.period = importer.period


def _allowed(sheet: str, file_name: str, actor) -> Importer:
    importer = importer_for(sheet, actor=actor, file_name=file_name)
    refusal = importer.refusal()
    if refusal:
        raise NotAllowed(refusal)
    return importer


def read(sheet: str, path: Path, file_name: str, actor) -> Table | FileRefused:
    """The file read into the sheet's table, or why it cannot be; checks nothing else.

    Reading is the slow part: the upload page does it once, keeps the table, and hands it to
    :func:`preview` and :func:`run` as often as the person reloads.
    """
    importer = _allowed(sheet, file_name, actor)
    try:
        return read_table(path, file_name, importer.layout, importer.accepts())
    except FileRefused as error:
        return error


def preview(
    sheet: str,
    path: Path | None,
    file_name: str,
    actor,
    *,
    table: Table | FileRefused | None = None,
) -> Preview:
    """What importing the file (or the table it was read into) would do, row by row; writes
    nothing."""
    importer = _allowed(sheet, file_name, actor)
    result = Preview(sheet=sheet, file_name=file_name)
    if not _read_into(result, importer, path, table):
        return result
    _plan(importer, result.table, result)
    return result


def _read_into(result: Preview, importer: Importer, path, table) -> bool:
    if table is None:
        try:
            table = read_table(path, result.file_name, importer.layout, importer.accepts())
        except FileRefused as error:
            table = error
    if isinstance(table, FileRefused):
        result.file_problems.append(Problem(None, None, table.message))
        return False
    result.table = table
    return True


def run(
    sheet: str,
    path: Path | None,
    file_name: str,
    actor,
    *,
    dry_run: bool = False,
    table: Table | FileRefused | None = None,
) -> Preview:
    """Import the file (or the table it was read into): every row or, on any problem,
    nothing. ``record`` is set on success."""
    if dry_run:
        return preview(sheet, path, file_name, actor, table=table)
    importer = _allowed(sheet, file_name, actor)
    result = Preview(sheet=sheet, file_name=file_name)
    # Parsing happens outside the transaction: it can take seconds, and the write lock
    # should not wait on it.
    if not _read_into(result, importer, path, table):
        return result
    try:
        with transaction.atomic():
            _plan(importer, result.table, result)
            if not result.ok:
                return result
            importer.write(result.rows)
            result.record = ImportRecord.objects.create(
                sheet=sheet,
                file_name=file_name[:255],
                imported_by=actor if actor is not None and actor.is_authenticated else None,
                period=importer.period,
                created=result.count(Action.CREATE),
                updated=result.count(Action.UPDATE),
                unchanged=result.count(Action.UNCHANGED),
            )
    except ServiceError as error:
        result.record = None
        result.file_problems.append(_nothing_imported(error.message))
    except ValidationError as error:
        result.record = None
        result.file_problems.append(_nothing_imported("；".join(error.messages)))
    except DatabaseError:
        log.exception("import of %s failed while writing", file_name)
        result.record = None
        result.file_problems.append(
            _nothing_imported(_("the database refused a change (was it changed meanwhile?)"))
        )
    return result


def _nothing_imported(message: str) -> Problem:
    return Problem(
        None, None, _("Nothing was imported, because: %(message)s") % {"message": message}
    )
