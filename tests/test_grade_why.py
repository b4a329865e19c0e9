"""The ranking page and the bulletin say why a higher final has a lower grade: a cap or the
quota, in the same words (efficiency.wording), not only on the score card."""

from efficiency import results
from efficiency.reports import documents
from efficiency.scoring import ReasonCode

from .conftest import login
from .report_support import established, pdf_text, quarter, squeeze

CAP = "有已认定的三误事件，等次最高为较好"
QUOTA = "超出“好”等次名额"


def capped_quarter(office):
    period = quarter(office, incidents=False, state="open")
    established(office, office.colleague, standard=office.delay)
    table = results.ranking(period, results.STAFF)
    colleague = table.row("001002")
    assert colleague.result.final >= 90 and colleague.result.grade.label == "较好"
    return period, table


def row_html(page: str, key: str) -> str:
    start = page.index(f'id="row-{key}"')
    return page[start : page.index("</tr>", start)]


def test_the_ranking_says_why_a_grade_is_lower(office):
    period, table = capped_quarter(office)
    page = login(office.leader).get(f"/appraisal/{period.code}/ranking/").content.decode()
    assert f'<div class="grade-why">{CAP}</div>' in row_html(page, "001002")
    demoted = [r for r in table.rows if ReasonCode.QUOTA_DEMOTION in r.result.explanation]
    for row in demoted:
        assert QUOTA in row_html(page, row.facts.key)
    plain = [r for r in table.rows if r.result.assessed and len(r.result.grade_steps) == 1]
    assert plain, "someone graded by the final alone"
    for row in plain:
        assert "grade-why" not in row_html(page, row.facts.key)


def test_the_bulletin_says_why_a_grade_is_lower(office, tmp_path):
    period, table = capped_quarter(office)
    rank = table.row("001002").result.rank
    text = squeeze(pdf_text(documents.bulletin(period).content, tmp_path))
    # The note wraps inside its cell, around the row's other cells: take the row out.
    row = f"{rank}001002李秀英秘书科94.801.0093.80较好"
    at = text.index(row)
    around = text[at - len(CAP) - 2 : at] + text[at + len(row) : at + len(row) + len(CAP)]
    assert CAP in around
