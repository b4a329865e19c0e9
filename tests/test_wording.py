"""The sentences about a quarter's grades print the period's own quota share: a period whose
好 share is 30% says 30%, on the card, the ranking, the printed form and the bulletin."""

from decimal import Decimal

from django.utils import translation

from efficiency import results, wording
from efficiency.models import Period, Staff
from efficiency.reports import documents
from efficiency.scoring import (
    AnnualGrade,
    AnnualSubjectResult,
    CriterionSpec,
    GradeStep,
    ReasonCode,
    SubjectInput,
    Thresholds,
    score_period,
)
from efficiency.services.appraisal import period_open

from .conftest import login
from .report_support import many_people, mark_everyone, pdf_text, squeeze

THIRTY = Thresholds(good_quota=Decimal("0.30"))
CRITERIA = (CriterionSpec(code="duty", name="履行职责", weight=Decimal(100)),)


def ten_good_people(thresholds: Thresholds):
    """Ten people between 91 and 100: all 好 by threshold, only the quota's share stays 好."""
    subjects = [
        SubjectInput(key=f"{n:03d}", marks={"duty": (Decimal(91 + n),) * 4}) for n in range(10)
    ]
    period = score_period(criteria=CRITERIA, subjects=subjects, thresholds=thresholds)
    return period, period.get("000")  # the lowest final: beyond the quota


def test_the_quota_sentences_print_the_periods_share():
    period, lowest = ten_good_people(THIRTY)
    assert period.quota == 3 and ReasonCode.QUOTA_DEMOTION in lowest.explanation
    with translation.override("zh-hans"):
        card = " ".join(wording.quarter_grade_sentences(lowest, period=period, thresholds=THIRTY))
        form = " ".join(wording.quarter_grade_form_notes(lowest, period=period, thresholds=THIRTY))
        assert "参加定等的 10 人中“好”等次最多 3 名（30%，向下取整）" in card
        assert "超出“好”等次名额（3 个，参加定等人数的 30%），定为“较好”。" in form
        assert wording.quota_sentence(period, THIRTY) == (
            "本季度参加定等 10 人，“好”等次最多 3 名（30%，向下取整）。"
        )
        assert wording.quota_share_note(THIRTY) == "参加定等人数的 30%，向下取整"
        assert "“好”等次不超过 3 人（30%，向下取整）" in wording.quarter_rules(period, THIRTY)
        assert "40%" not in card + form


def test_the_default_share_reads_as_before():
    period, lowest = ten_good_people(Thresholds())
    with translation.override("zh-hans"):
        card = " ".join(
            wording.quarter_grade_sentences(lowest, period=period, thresholds=Thresholds())
        )
    assert "参加定等的 10 人中“好”等次最多 4 名（40%，向下取整）" in card
    assert wording.percent(Decimal("0.325")) == "32.5"


def test_the_annual_rules_print_the_thresholds_they_apply():
    odd = Thresholds(
        excellent=Decimal(88), competent_floor=Decimal(72), excellent_quota=Decimal("0.15")
    )
    with translation.override("zh-hans"):
        page = wording.annual_rules(odd)
        printed = wording.annual_rules_printed(odd)
        assert wording.excellent_share_note(odd) == "参加定等人数的 15%，向下取整"
        assert wording.annual_rules(Thresholds()).startswith("不称职：年度得分低于 60 分")
    assert "低于 72 分" in page and "88 分及以上" in page and "15% 名额之内" in page
    assert "低于 72 分" in printed and "参加定等人数的 15%" in printed
    assert "20%" not in page + printed and "90" not in page + printed


def thirty_percent_quarter(office) -> tuple[Period, str]:
    """An open quarter whose 好 share is 30%, ten people all above 90, and the lowest of them."""
    people = many_people(office, 10)
    period = period_open(actor=office.leader, code="2026Q3")
    Period.objects.filter(pk=period.pk).update(
        thresholds={**period.thresholds, "good_quota": "0.30"}
    )
    period = Period.objects.get(pk=period.pk)
    marks = {p.staff_no: (91 + n, 91 + n, 91 + n) for n, p in enumerate(people)}
    mark_everyone(period, [office.assessor, office.leader], marks=marks)
    table = results.ranking(period, results.STAFF)
    assert table.result.quota == 3
    return period, people[0].staff_no


def test_the_card_and_ranking_say_30_percent(office):
    period, lowest = thirty_percent_quarter(office)
    client = login(office.leader)
    card = client.get(f"/appraisal/{period.code}/card/{lowest}/").content.decode()
    assert "参加定等的 10 人中“好”等次最多 3 名（30%，向下取整）" in card
    assert "本季度参加定等 10 人，“好”等次最多 3 名（30%，向下取整）。" in card
    ranking = client.get(f"/appraisal/{period.code}/ranking/").content.decode()
    assert "参加定等人数的 30%，向下取整" in ranking
    assert "40%" not in card and "40%" not in ranking


def test_the_printed_form_and_bulletin_say_30_percent(office, tmp_path):
    period, lowest = thirty_percent_quarter(office)
    person = Staff.objects.get(staff_no=lowest)
    form = squeeze(pdf_text(documents.personal(period, person).content, tmp_path))
    assert squeeze("参加定等人数的 30%") in form
    bulletin = squeeze(pdf_text(documents.bulletin(period).content, tmp_path))
    assert squeeze("“好”等次不超过 3 人（30%，向下取整）") in bulletin


def test_the_notice_basis_gives_the_score_the_rules_and_the_reason():
    failed = AnnualSubjectResult(
        key="002005",
        graded=True,
        quarters_assessed=4,
        score=Decimal("59.23"),
        raw_score=Decimal("59.2325"),
        rank=60,
        good_quarters=0,
        poor_quarters=2,
        grade=AnnualGrade.INCOMPETENT,
        grade_steps=(
            GradeStep(ReasonCode.THRESHOLD, AnnualGrade.INCOMPETENT, "59.23 < 60"),
            GradeStep(ReasonCode.POOR_QUARTERS, AnnualGrade.INCOMPETENT, "2 poor"),
        ),
    )
    with translation.override("zh-hans"):
        assert wording.annual_basis(failed) == [
            "年度得分 59.23（各季度最终得分的平均数）。",
            "等次依据：年度得分偏低；2 个季度为较差。",
        ]
        assert wording.annual_basis(failed, decision_reason="经复核维持。")[-1] == (
            "审定理由：经复核维持。"
        )
