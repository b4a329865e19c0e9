"""Incident analytics (efficiency/analysis.py) against a small office counted by hand.

秘书科 (A): YW-01 three times in 2026Q4 naming 王建国 (Oct 5, Oct 12 handled, Nov 3), YW-01
once dismissed (Nov 10, 李秀英), CW-01 once only reported (Oct 20), SW-01 once in 2026Q3
(Sep 8, 李秀英, handled, appeal rejected).
综合科 (B): SW-01 on Oct 15 handled, appeal upheld (so dismissed); SW-01 on Nov 5 handled,
appeal upheld in part (it stands).
"""

import datetime
from decimal import Decimal

import pytest

from efficiency import analysis, charts, spans
from efficiency.models import Standard
from efficiency.services import incidents as services

from . import test_stored_results
from .factories import report

locked = test_stored_results.locked
appeal = test_stored_results.appeal

Q4 = spans.parse("2026Q4")
YEAR = spans.parse("2026")


def _established(office, incident, *, handled=False):
    services.incident_verify(actor=office.supervisor, incident=incident)
    if handled:
        services.incident_handle(
            actor=office.supervisor,
            incident=incident,
            decision="criticism",
            note="已批评教育。",
        )
    return incident


@pytest.fixture
def counted(office):
    day = datetime.date
    a, b = office.a, office.b
    numbers = {}

    def add(name, section, person, standard, on, severity="minor"):
        numbers[name] = report(
            office.clerk if section == a else office.clerk_b,
            section=section,
            responsible=[person],
            standard=standard,
            occurred_on=on,
            severity=severity,
        )
        return numbers[name]

    _established(office, add("a1", a, office.person, office.delay, day(2026, 10, 5)))
    _established(
        office,
        add("a2", a, office.person, office.delay, day(2026, 10, 12), "serious"),
        handled=True,
    )
    _established(office, add("a3", a, office.person, office.delay, day(2026, 11, 3)))
    services.incident_dismiss(
        actor=office.supervisor,
        incident=add("a4", a, office.colleague, office.delay, day(2026, 11, 10)),
        reason="已按时办结，登记有误。",
    )
    add("a5", a, office.colleague, office.error, day(2026, 10, 20))
    a6 = _established(
        office, add("a6", a, office.colleague, office.slip, day(2026, 9, 8)), handled=True
    )
    services.incident_appeal(actor=office.leader, incident=a6, text="信息已传递。")
    services.incident_decide_appeal(
        actor=office.supervisor, incident=a6, uphold=False, reason="证据不足。"
    )
    b1 = _established(
        office, add("b1", b, office.other_person, office.slip, day(2026, 10, 15)), handled=True
    )
    services.incident_appeal(actor=office.leader, incident=b1, text="已电话告知。")
    services.incident_decide_appeal(
        actor=office.supervisor, incident=b1, uphold=True, reason="通话记录可证。"
    )
    b2 = _established(
        office, add("b2", b, office.other_person, office.slip, day(2026, 11, 5)), handled=True
    )
    services.incident_appeal(actor=office.leader, incident=b2, text="情节轻微。")
    services.incident_decide_appeal(
        actor=office.supervisor,
        incident=b2,
        uphold=False,
        reason="处理偏重。",
        lighten_to="reminder_talk",
    )
    return {name: incident.number for name, incident in numbers.items()}


def test_rates_are_percent_rounded_half_up_once():
    assert analysis.rate(1, 3) == Decimal("33.3")
    assert analysis.rate(2, 3) == Decimal("66.7")
    assert analysis.rate(1, 8) == Decimal("12.5")
    assert analysis.rate(1, 16) == Decimal("6.3")  # 6.25 half-up
    assert analysis.rate(0, 0) is None


def test_the_heatmap_counts_established_incidents_by_section_and_month(office, counted):
    found = analysis.heatmap(analysis.Scope(Q4))
    assert found.months == [(2026, 10), (2026, 11), (2026, 12)]
    assert [s.name for s in found.sections] == ["秘书科", "综合科", "督查室"]
    assert found.values() == [[2, 1, 0], [0, 1, 0], [0, 0, 0]]
    assert found.row_totals == {office.a.pk: 3, office.b.pk: 1, found.sections[2].pk: 0}
    assert found.column_totals == {(2026, 10): 2, (2026, 11): 2, (2026, 12): 0}
    assert found.total == 4


def test_a_section_heads_heatmap_has_their_section_only(office, counted):
    found = analysis.heatmap(analysis.Scope(Q4, sections=(office.a.pk,)))
    assert [s.name for s in found.sections] == ["秘书科"]
    assert found.values() == [[2, 1, 0]]
    assert found.total == 3


def test_the_kind_filter_narrows_every_count(office, counted):
    scope = analysis.Scope(Q4, kind="slip")
    assert analysis.heatmap(scope).values() == [[0, 0, 0], [0, 1, 0], [0, 0, 0]]
    assert [row.code for row in analysis.clause_stats(scope)] == ["SW-01"]


def test_over_time_counts_kinds_and_severities_per_month(office, counted):
    found = analysis.over_time(analysis.Scope(Q4))
    assert found.by_kind == {"delay": [2, 1, 0], "slip": [0, 1, 0], "error": [0, 0, 0]}
    assert found.by_severity == {"minor": [1, 2, 0], "serious": [1, 0, 0], "grave": [0, 0, 0]}
    assert found.totals == [2, 2, 0]
    assert found.total == 4


def test_clause_stats_in_the_quarter(office, counted):
    rows = {row.code: row for row in analysis.clause_stats(analysis.Scope(Q4))}
    assert list(rows) == ["YW-01", "SW-01", "CW-01"]  # most established first
    yw = rows["YW-01"]
    assert (yw.reported, yw.established, yw.dismissed) == (4, 3, 1)
    assert yw.dismissal_rate == Decimal("25.0")
    assert (yw.appeals, yw.appeals_upheld, yw.upheld_rate) == (0, 0, None)
    assert yw.sections == ["秘书科"]
    assert yw.dismissal_reasons == ["已按时办结，登记有误。"]
    sw = rows["SW-01"]
    assert (sw.reported, sw.established, sw.dismissed) == (2, 1, 1)
    assert sw.dismissal_rate == Decimal("50.0")
    assert (sw.appeals, sw.appeals_decided, sw.appeals_upheld) == (2, 2, 2)
    assert sw.upheld_rate == Decimal("100.0")
    assert sw.sections == ["综合科"]
    # An appeal upheld dismisses the incident with the appeal's reason: said once, as such.
    assert sw.dismissal_reasons == []
    assert sw.appeal_reasons == ["通话记录可证。", "处理偏重。"]
    cw = rows["CW-01"]
    assert (cw.reported, cw.established, cw.dismissed, cw.dismissal_rate) == (1, 0, 0, None)
    assert cw.sections == []


def test_clause_stats_over_the_year_round_once(office, counted):
    rows = {row.code: row for row in analysis.clause_stats(analysis.Scope(YEAR))}
    sw = rows["SW-01"]
    assert (sw.reported, sw.established, sw.dismissed) == (3, 2, 1)
    assert sw.dismissal_rate == Decimal("33.3")
    assert (sw.appeals, sw.appeals_decided, sw.appeals_upheld) == (3, 3, 2)
    assert sw.upheld_rate == Decimal("66.7")
    assert sw.sections == ["秘书科", "综合科"]
    without = {row.code: row for row in analysis.clause_stats(analysis.Scope(YEAR), reasons=False)}
    assert without["SW-01"].appeal_reasons == [] and without["SW-01"].upheld_rate == Decimal("66.7")


def test_unused_clauses_are_active_in_force_and_never_cited(office, counted):
    def clause(code, **fields):
        return Standard.objects.create(
            code=code,
            kind="delay",
            text="条款",
            points_minor=1,
            points_serious=2,
            points_grave=4,
            **fields,
        )

    clause("YW-02")
    clause("YW-03", active=False)
    clause("YW-04", valid_until=datetime.date(2026, 6, 30))
    clause("YW-05", valid_from=datetime.date(2027, 1, 1))
    codes = [s.code for s in analysis.unused_clauses(analysis.Scope(Q4))]
    assert codes == ["YW-02"]
    # In 2026Q3 every clause but SW-01 went unused (by kind, then code); YW-04 had ended.
    q3 = [s.code for s in analysis.unused_clauses(analysis.Scope(spans.parse("2026Q3")))]
    assert q3 == ["YW-01", "YW-02", "CW-01"]
    # Over the year YW-04 was in force for half of it.
    assert [s.code for s in analysis.unused_clauses(analysis.Scope(YEAR))] == ["YW-02", "YW-04"]
    # A section head's view: 综合科 never cited YW-01 nor CW-01.
    head = analysis.Scope(Q4, sections=(office.b.pk,))
    assert [s.code for s in analysis.unused_clauses(head)] == ["YW-01", "YW-02", "CW-01"]


def test_repeat_alerts_for_a_section_and_a_person(office, counted):
    alerts = analysis.repeat_alerts(analysis.Scope(Q4))
    assert [(a.kind, a.code, a.who, a.count) for a in alerts] == [
        ("section", "YW-01", "秘书科", 3),
        ("person", "YW-01", "王建国", 3),
    ]
    section, person = alerts
    assert section.numbers == [counted["a1"], counted["a2"], counted["a3"]]
    assert section.sentence == "同一条款（YW-01）在秘书科本季度已发生3次：考虑从流程上整改。"
    assert section.span == Q4
    assert person.numbers == section.numbers
    assert person.staff_no == "001001"
    # The person's year, as far as the chosen quarter covers it.
    assert person.span == Q4
    assert person.sentence == "王建国本季度已3次违反同一条款（YW-01）：考虑提醒谈话。"


def test_a_quarter_label_names_the_quarter_outside_a_quarter_span(office, counted):
    [section, person] = analysis.repeat_alerts(analysis.Scope(YEAR))
    assert "2026年第4季度" in section.sentence
    assert "本年度" in person.sentence
    assert person.span == YEAR


def test_repeat_alerts_need_the_counts(office, counted):
    # 综合科 alone: SW-01 established once in the quarter, no alert.
    assert analysis.repeat_alerts(analysis.Scope(Q4, sections=(office.b.pk,))) == []
    # October alone: YW-01 twice in 秘书科 (below three), but twice for 王建国 (an alert).
    october = analysis.repeat_alerts(analysis.Scope(spans.parse("2026-10")))
    assert [(a.kind, a.count) for a in october] == [("person", 2)]


def test_grades_per_quarter_and_section_from_the_stored_ranking(office, locked):
    found = analysis.grade_distribution(analysis.Scope(YEAR))
    assert [(row.key, row.label) for row in found.quarters] == [("2026Q3", "2026年第3季度")]
    [quarter] = found.quarters
    # 王建国 较好 on his marks, 李秀英 好 by the leader's decision, 赵志强 不定等次; the five
    # other staff (刘科长, 陈文书; 孙科长, 周文书; 郑督查) have no marks.
    assert quarter.counts == {"good": 1, "fairly_good": 1, "average": 0, "poor": 0}
    assert (quarter.undetermined, quarter.not_assessed, quarter.total) == (1, 5, 8)
    sections = {row.label: row for row in found.sections}
    assert list(sections) == ["秘书科", "综合科", "督查室"]
    assert sections["秘书科"].ordered() == [1, 1, 0, 0]
    assert sections["秘书科"].not_assessed == 2
    assert (sections["综合科"].undetermined, sections["综合科"].not_assessed) == (1, 2)
    head = analysis.grade_distribution(analysis.Scope(YEAR, sections=(office.b.pk,)))
    assert [row.label for row in head.sections] == ["综合科"]
    assert sum(head.quarters[0].counts.values()) == 0


def test_grades_skip_quarters_not_opened(office):
    assert analysis.grade_distribution(analysis.Scope(YEAR)).empty


def test_the_heatmap_chart_writes_every_number_and_darkens_with_it():
    svg = str(
        charts.heatmap(
            "三误分布",
            ["秘书科", "综合科"],
            ["10月", "11月"],
            [[0, 7], [3, 1]],
            links=[["/a?1", None], ["/a?3", "/a?4&x=<y>"]],
        )
    )
    assert "秘书科" in svg and "11月" in svg
    assert svg.count("<a ") == 3
    assert "&lt;y&gt;" in svg and "<y>" not in svg
    assert charts.heat_shade(0, 7) == -1
    assert charts.heat_shade(7, 7) == len(charts.HEAT) - 1
    assert charts.heat_shade(1, 7) < charts.heat_shade(3, 7) < charts.heat_shade(7, 7)
    # The largest count's cell is the darkest shade, its number in white.
    assert f'fill="{charts.HEAT[-1]}"' in svg
    assert ">7</text>" in svg.split(charts.HEAT[-1])[1][:400]
    assert 'fill="#ffffff" font-weight="bold">7<' in svg
