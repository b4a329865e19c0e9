"""考核结果通知书: one person's annual result, the date, and their review and appeal rights.

Printed from :func:`efficiency.services.annual_publicity.notice_of`, the same notice the
person's page shows: the decided grade (事业编 wording), the notice date, the 复核 deadline
(30 days from the notice, for 不称职/不合格) and the 申诉 right (15 days from the review
decision), and the person's 本人意见 once recorded.
"""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from efficiency import results, wording
from efficiency.models import Staff
from efficiency.services.annual_publicity import APPEAL_DAYS, REVIEW_DAYS, notice_of

from . import ReportError, pdf
from .common import PDF, Rendered, page_context, safe_filename
from .publicity import chinese_date

TEMPLATE = "reports/notice_pdf.html"


def notice_basis(year: int, staff: Staff, review) -> list[str]:
    """The sentences under the grade that say why it is what it is (see
    :func:`efficiency.wording.annual_basis`)."""
    row = next((r for r in results.annual_rollup(year).rows if r.facts.pk == staff.pk), None)
    if row is None:
        return []
    return wording.annual_basis(row.result, decision_reason=review.reason)


def notice_context(year: int, staff: Staff) -> dict:
    notice = notice_of(year, staff)
    if notice is None:
        raise ReportError(
            _("%(name)s has no result notice for %(year)s yet.")
            % {"name": staff.name, "year": year}
        )
    with translation.override(pdf.LANGUAGE):
        title = _("Result notice of the annual appraisal")
        review = notice.review
        return {
            **page_context(title=title, period_label=_("%(year)s") % {"year": year}, state=None),
            "notice": notice,
            "year": year,
            "staff": staff,
            "section": staff.section.name if staff.section_id else "",
            "notice_date": chinese_date(notice.notice_date),
            "review_by": chinese_date(notice.review_by) if notice.review_by else "",
            "review_days": REVIEW_DAYS,
            "appeal_days": APPEAL_DAYS,
            "opinion": review.get_opinion_display() if review.opinion else "",
            "opinion_text": review.opinion_text,
            "basis": notice_basis(year, staff, review),
            "issuer": settings.OFFICE_NAME,
        }


def notice_filename(year: int, staff: Staff) -> str:
    with translation.override(pdf.LANGUAGE):
        return safe_filename(f"{year}-{staff.staff_no}-{staff.name}-{_('Result notice')}") + ".pdf"


def notice(year: int, staff: Staff) -> Rendered:
    context = notice_context(year, staff)
    return Rendered(notice_filename(year, staff), PDF, pdf.render_pdf(TEMPLATE, context))


render = notice
