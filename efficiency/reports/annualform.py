"""公务员年度考核登记表 (事业编: 事业单位工作人员年度考核登记表): one person, one year.

The boxes, in the order the office files them: 姓名 · 性别 · 出生年月 · 政治面貌 ·
现任职务职级及时间 · 单位及职务 · 从事或分管工作 · 个人总结 · 主管领导评语和考核等次建议 ·
机关负责人或考核委员会意见 · 本人意见 · 需要说明的情况. The year's numbers come from
:func:`efficiency.results.annual_rollup` (the quarters' counted grades, so a 更正 counts) and the
words from the year's :class:`~efficiency.models.AnnualReview` and
:class:`~efficiency.models.AnnualSummary`. An empty box prints blank lines
to be filled in by hand.
"""

import io
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from efficiency import results, wording
from efficiency.models import AnnualReview, AnnualSummary, Staff, SummaryStatus
from efficiency.models.org import StaffCategory
from efficiency.scoring import AnnualGrade, Grade

from . import ReportError, pdf
from .common import PDF, Rendered, page_context, safe_filename

TEMPLATE = "reports/annualform_pdf.html"


@dataclass(frozen=True)
class AnnualBoxes:
    name: str
    gender: str
    born: str  # 1985年3月
    political_status: str
    post_and_rank: str  # 现任职务职级
    post_since: str  # 2019年7月; blank: written by hand
    unit_and_post: str
    work: str
    summary: str  # 个人总结: the accepted or submitted text; blank: lines to write on
    comment: str
    proposed_grade: str
    decided_grade: str
    opinion: str
    remarks: tuple[str, ...]  # 需要说明的情况: always the 平时考核情况 line first


def quarter_counts_line(row: results.AnnualRow) -> str:
    """本年度平时考核情况：“好”N次，“较好”N次，“一般”N次，“较差”N次 (corrected grades count)."""
    counts = Counter(
        quarter.counted_grade
        for quarter in row.quarters.values()
        if quarter is not None and quarter.counted_grade is not None
    )
    parts = "，".join(
        _("“%(grade)s” %(count)s times") % {"grade": grade.label, "count": counts.get(grade, 0)}
        for grade in Grade
    )
    return _("Quarterly appraisals this year: %(counts)s") % {"counts": parts}


def _grade_label(value: str, category: str) -> str:
    return wording.annual_label(AnnualGrade(value), category) if value else ""


# The 个人总结 printed: accepted, or handed in and not yet read; a draft or a returned text is
# not the person's final word.
PRINTED_SUMMARY = (SummaryStatus.ACCEPTED, SummaryStatus.SUBMITTED)


def printed_summaries(year: int, staff_ids) -> dict[int, str]:
    """Each person's 个人总结 text as the form prints it, by staff pk."""
    rows = AnnualSummary.objects.filter(
        year=year, staff_id__in=staff_ids, status__in=PRINTED_SUMMARY
    ).values_list("staff_id", "text")
    return {staff_id: text for staff_id, text in rows}


def annual_boxes(
    row: results.AnnualRow, staff: Staff, review: AnnualReview | None, summary: str = ""
) -> AnnualBoxes:
    category = staff.category
    post = staff.post.strip()
    rank = staff.rank.strip()
    remarks = [quarter_counts_line(row)]
    if row.undetermined:
        remarks.append(wording.undetermined_label())
    if row.standing_reason_label:
        remarks.append(row.standing_reason_label)
    remarks.extend(wording.veto_sentence(veto) for veto in row.result.vetoes)
    opinion = ""
    if review is not None and review.opinion:
        opinion = review.get_opinion_display()
        if review.opinion_text.strip():
            opinion = f"{opinion}：{review.opinion_text.strip()}"
    born = staff.birth_date
    since = staff.post_since
    return AnnualBoxes(
        name=staff.name,
        gender=staff.get_gender_display() if staff.gender else "",
        born=_("%(year)s-%(month)s") % {"year": born.year, "month": born.month} if born else "",
        political_status=staff.get_political_status_display() if staff.political_status else "",
        post_and_rank="　".join(p for p in (post, rank) if p),
        post_since=_("%(year)s-%(month)s") % {"year": since.year, "month": since.month}
        if since
        else "",
        unit_and_post="　".join(p for p in (settings.OFFICE_NAME, row.facts.section, post) if p),
        work=staff.duties.strip(),
        summary=summary.strip(),
        comment=review.comment.strip() if review else "",
        proposed_grade=_grade_label(review.proposed_grade, category) if review else "",
        decided_grade=_grade_label(review.grade, category) if review else "",
        opinion=opinion,
        remarks=tuple(remarks),
    )


def _title(category: str) -> str:
    if category == StaffCategory.INSTITUTION:
        return _("Institution staff's annual appraisal form")
    return _("Civil servant's annual appraisal form")


def _rollup(year: int) -> results.AnnualRollup:
    rollup = results.annual_rollup(year)
    if not rollup.periods:
        raise ReportError(
            _("No quarter of %(year)s is closed or locked yet: there is no annual roll-up.")
            % {"year": year}
        )
    return rollup


def _context(year: int, row: results.AnnualRow, staff: Staff, review, summary: str) -> dict:
    return {
        **page_context(
            title=_title(staff.category),
            period_label=_("Year %(year)s") % {"year": year},
            state=None,
        ),
        "year": year,
        "form": annual_boxes(row, staff, review, summary),
    }


def annual_form_context(year: int, staff: Staff) -> dict:
    with translation.override(pdf.LANGUAGE):
        rollup = _rollup(year)
        row = next((r for r in rollup.rows if r.facts.pk == staff.pk), None)
        if row is None:
            raise ReportError(
                _("%(name)s is not in the annual appraisal of %(year)s.")
                % {"name": staff.name, "year": year}
            )
        review = AnnualReview.objects.filter(appraisal__year=year, staff=staff).first()
        summary = printed_summaries(year, [staff.pk]).get(staff.pk, "")
        return _context(year, row, staff, review, summary)


def annual_form_filename(year: int, staff: Staff) -> str:
    with translation.override(pdf.LANGUAGE):
        name = f"{year}-{staff.staff_no}-{staff.name}-{_title(staff.category)}"
        return safe_filename(name) + ".pdf"


def annual_form(year: int, staff: Staff) -> Rendered:
    context = annual_form_context(year, staff)
    return Rendered(annual_form_filename(year, staff), PDF, pdf.render_pdf(TEMPLATE, context))


def annual_forms_zip_filename(year: int) -> str:
    with translation.override(pdf.LANGUAGE):
        return safe_filename(f"{year}-{_('Annual appraisal forms')}") + ".zip"


def annual_form_contexts(year: int) -> Iterator[tuple[str, dict]]:
    """Everyone's form of the year (the ZIPs), each with its file name, in roll-up order:
    one roll-up and one query of reviews for all of them."""
    with translation.override(pdf.LANGUAGE):
        rollup = _rollup(year)
        staff = Staff.objects.select_related("section").in_bulk([r.facts.pk for r in rollup.rows])
        reviews = {r.staff_id: r for r in AnnualReview.objects.filter(appraisal__year=year)}
        summaries = printed_summaries(year, list(staff))
        for row in rollup.rows:
            person = staff[row.facts.pk]
            context = _context(
                year, row, person, reviews.get(person.pk), summaries.get(person.pk, "")
            )
            yield annual_form_filename(year, person), context


def annual_forms_zip(year: int, progress: Callable[[int, int], None] | None = None) -> bytes:
    """Everyone's form of the year in one ZIP (``report_pdf annual-form --all``)."""
    items = list(annual_form_contexts(year))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for done, (filename, context) in enumerate(items, start=1):
            archive.writestr(filename, pdf.render_pdf(TEMPLATE, context))
            if progress:
                progress(done, len(items))
    return buffer.getvalue()
