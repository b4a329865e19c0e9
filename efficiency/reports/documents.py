"""The four PDF reports, one import away (views, commands, the ZIP job and the tests use this).

- 个人平时考核登记表: :func:`personal` (one person, one quarter), :func:`personal_contexts`
  (everyone's, for the ZIP) — :mod:`.personal`;
- 科室考核汇总: :func:`section`; 季度考核排名通报: :func:`bulletin` — :mod:`.quarter`;
- 年度考核汇总: :func:`annual` — :mod:`.annual`;
- 关于审定…平时考核等次的请示: :func:`request` — :mod:`.request`;
- 平时考核结果公示: :func:`publicity` — :mod:`.publicity`;
- 关于……“三误”情况的通报: :func:`incidents` (a month or a quarter) — :mod:`.incidents`;
- 界定标准年度评估: :func:`clauses` (a year or any span) — :mod:`.clauses`;
- 考核结果通知书: :func:`notice` (one person, one year) — :mod:`.notice`;
- 公务员年度考核登记表: :func:`annual_form` (one person, one year), :func:`annual_forms_zip`
  (everyone's) — :mod:`.annualform`.

Each returns a :class:`Rendered` (file name, MIME type, bytes). Every number printed comes from
:mod:`efficiency.results`, the same objects the pages show; nothing here does arithmetic.
"""

from . import pdf
from .annual import annual, annual_context, annual_filename
from .annualform import (
    annual_form,
    annual_form_context,
    annual_form_filename,
    annual_forms_zip,
    annual_forms_zip_filename,
)
from .clauses import clauses, clauses_context, clauses_filename, review_span
from .common import PDF, Rendered, published_period, safe_filename
from .incidents import bulletin_span, incidents, incidents_context, incidents_filename
from .notice import notice, notice_context, notice_filename
from .personal import (
    PERSONAL_TEMPLATE,
    personal,
    personal_context,
    personal_contexts,
    personal_filename,
    render_personal,
    trend_periods,
)
from .publicity import publicity, publicity_context, publicity_filename
from .quarter import (
    bulletin,
    bulletin_context,
    bulletin_filename,
    section,
    section_context,
    section_filename,
)
from .request import request, request_context, request_filename

__all__ = [
    "bulletin_span",
    "clauses",
    "clauses_context",
    "clauses_filename",
    "incidents",
    "incidents_context",
    "incidents_filename",
    "review_span",
    "notice",
    "notice_context",
    "notice_filename",
    "PDF",
    "PERSONAL_TEMPLATE",
    "Rendered",
    "annual",
    "annual_context",
    "annual_filename",
    "annual_form",
    "annual_form_context",
    "annual_form_filename",
    "annual_forms_zip",
    "annual_forms_zip_filename",
    "bulletin",
    "bulletin_context",
    "bulletin_filename",
    "pdf",
    "personal",
    "personal_context",
    "personal_contexts",
    "personal_filename",
    "published_period",
    "publicity",
    "publicity_context",
    "publicity_filename",
    "render_personal",
    "request",
    "request_context",
    "request_filename",
    "safe_filename",
    "section",
    "section_context",
    "section_filename",
    "trend_periods",
]
