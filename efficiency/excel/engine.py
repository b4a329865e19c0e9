"""The import engine every sheet shares: read, check every row, then write once or not at all.

A sheet's importer (:mod:`.roster`, :mod:`.incidents`, :mod:`.scores`) turns the rows of a
:class:`~.reader.Table` into :class:`RowPlan` objects — what each row would create, update or
leave unchanged, and every problem found, by row, column and value — without writing anything.
:func:`.sheets.preview` shows that plan. :func:`.sheets.run` makes it again inside one
transaction and, only if no row has a problem, writes every row through the services and
records an :class:`~efficiency.models.ImportRecord`; any error raised while writing rolls
everything back.
"""

from dataclasses import dataclass, field
from enum import StrEnum

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from efficiency.models import ImportRecord

from . import cleaners
from .layouts import Layout
from .reader import Row, Table

MESSAGE_CHARS = 300


class Action(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    ERROR = "error"

    @property
    def label(self) -> str:
        return str(ACTION_LABELS[self])


ACTION_LABELS = {
    Action.CREATE: gettext_lazy("New"),
    Action.UPDATE: gettext_lazy("Changed"),
    Action.UNCHANGED: gettext_lazy("Unchanged"),
    Action.ERROR: gettext_lazy("Error"),
}


@dataclass(frozen=True)
class Problem:
    """One reason the file cannot be imported, where it is and what was typed."""

    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        if self.row is not None and self.column:
            return _("Row %(row)s, “%(column)s”: %(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        if self.row is not None:
            return _("Row %(row)s: %(message)s") % {"row": self.row, "message": self.message}
        return self.message

    @property
    def in_row(self) -> str:
        """The problem as shown on its own row of the preview (no row number)."""
        if self.column:
            return _("“%(column)s”: %(message)s") % {
                "column": self.column,
                "message": self.message,
            }
        return self.message


@dataclass(frozen=True)
class Change:
    column: str
    old: str
    new: str


@dataclass
class RowPlan:
    row: int
    key: str = ""
    label: str = ""
    action: Action = Action.UNCHANGED
    changes: list[Change] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    payload: object = field(default=None, repr=False)

    def problem(self, column: str | None, message: str) -> None:
        # Values are quoted at most 40 characters long (cleaners.quote); this bounds whatever
        # else a message may carry, such as a model's own validation text.
        if len(message) > MESSAGE_CHARS:
            message = message[:MESSAGE_CHARS] + "…"
        self.problems.append(Problem(self.row, column, message))

    def settle(self) -> None:
        """The action once every check has run: any problem makes the row an error."""
        if self.problems:
            self.action = Action.ERROR
        elif self.action != Action.CREATE:
            self.action = Action.UPDATE if self.changes else Action.UNCHANGED


MISSING = object()

# The longest text each free-text column takes: the forms' own maximum where a form edits the
# field (情况描述: the incident form), the model's max_length for names; a criterion's 理由
# and 不予认定理由 as the handling and dismissal forms (1,000).
TEXT_MAX_LENGTHS = {
    "科室名称": 50,
    "姓名": 30,
    "职务": 50,
    "职级": 30,
    "从事或分管工作": 200,
    "条款内容": 1000,
    "情况描述": 2000,
}
REASON_MAX_LENGTH = 1000


def text_max_length(column: str) -> int | None:
    if column in TEXT_MAX_LENGTHS:
        return TEXT_MAX_LENGTHS[column]
    return REASON_MAX_LENGTH if column.endswith("理由") else None


class Cells:
    """A row's values, cleaned one column at a time; a bad value becomes a problem on the row."""

    def __init__(self, row: Row, plan: RowPlan) -> None:
        self.row = row
        self.plan = plan

    def has(self, column: str) -> bool:
        return column in self.row.values

    def raw(self, column: str):
        return self.row.values.get(column)

    def blank(self, column: str) -> bool:
        value = self.row.values.get(column)
        return cleaners.is_blank(value)

    def get(self, column: str, cleaner, *, required: bool = False, **kwargs):
        """The cleaned value; MISSING when blank (a problem if required) or when it is bad."""
        value = self.row.values.get(column)
        if cleaners.is_blank(value):
            if required:
                self.plan.problem(column, _("cannot be blank"))
            return MISSING
        if cleaner in (cleaners.text, cleaners.name) and "max_length" not in kwargs:
            kwargs["max_length"] = text_max_length(column)
        try:
            return cleaner(value, **kwargs)
        except cleaners.CellError as error:
            self.plan.problem(column, error.message)
            return MISSING


def model_problems(plan: RowPlan, error: ValidationError, columns: dict[str, str], values) -> None:
    """A model's own validation messages, put on the columns they are about (a column that
    already has a problem from its cell keeps that one only)."""
    reported = {p.column for p in plan.problems}
    for name, messages in error.message_dict.items():
        column = columns.get(name)
        if column is not None and column in reported:
            continue
        for message in messages:
            if column is not None:
                shown = cleaners.quote(values.get(name, ""))
                plan.problem(
                    column,
                    _("“%(value)s”: %(error)s") % {"value": shown, "error": message}
                    if shown
                    else message,
                )
            else:
                plan.problem(None, message)


def shown(value) -> str:
    """A stored value as the sheet writes it, for the preview's old → new."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    return cleaners.display(value)


class Importer:
    """One sheet's rules. Subclasses define ``layout``, :meth:`plan` and :meth:`write`."""

    layout: Layout
    permissions: tuple[str, ...] = ()

    def __init__(self, *, actor, file_name: str) -> None:
        self.actor = actor
        self.file_name = file_name
        self.period = None  # the scores sheet sets the period its rows are in

    def refusal(self) -> str | None:
        """Why this account may not import this sheet, or None."""
        if self.actor is None:  # the command line without --user: the system itself
            return None
        if not all(self.actor.has_perm(p) for p in self.permissions):
            return _("You are not allowed to import the “%(title)s” sheet.") % {
                "title": self.layout.title
            }
        return None

    def accepts(self):
        return None

    def load(self, table: Table) -> None:
        """Read whatever the rows will be checked against (in a fixed number of queries)."""

    def plan(self, table: Table) -> list[RowPlan]:
        raise NotImplementedError

    def write(self, plans: list[RowPlan]) -> None:
        raise NotImplementedError

    @property
    def reason(self) -> str:
        """What the history says about every change the import makes: in the office's
        language, whatever language the importer reads the pages in."""
        with translation.override(settings.LANGUAGE_CODE):
            return _("Imported from “%(file)s”") % {"file": self.file_name}


class NotAllowed(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Preview:
    sheet: str
    file_name: str
    table: Table | None = None
    rows: list[RowPlan] = field(default_factory=list)
    file_problems: list[Problem] = field(default_factory=list)
    record: ImportRecord | None = None
    period: object = None

    @property
    def problems(self) -> list[Problem]:
        return self.file_problems + [p for plan in self.rows for p in plan.problems]

    @property
    def ok(self) -> bool:
        return not self.problems

    def count(self, action: Action) -> int:
        return sum(1 for plan in self.rows if plan.action == action)

    @property
    def counts(self) -> dict[str, int]:
        return {action.value: self.count(action) for action in Action}

    @property
    def changes_anything(self) -> bool:
        return any(plan.action in (Action.CREATE, Action.UPDATE) for plan in self.rows)
