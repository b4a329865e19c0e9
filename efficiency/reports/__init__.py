"""The PDF paperwork: personal forms, section summaries, the quarterly bulletin, the annual
roll-up, and a quarter's personal forms as one ZIP.

Every number printed comes from :mod:`efficiency.results` (which calls
:mod:`efficiency.scoring`), the same functions the pages call; nothing here does arithmetic.

- :mod:`.fonts`: the Chinese font, found and declared once per process; the system check.
- :mod:`.pdf`: HTML → PDF with WeasyPrint, a URL fetcher that only reads local files.
- :mod:`.documents`: what each report says (contexts from the results) and its rendering.
- :mod:`.zipjob`: the quarter's ZIP, rendered outside the request by a process pool.
"""


class ReportError(Exception):
    """A refusal the user can read: the message is already translated."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
