"""The analytics page /analysis/: who sees which sections, the span chooser, the links through
to the incident list, and queries that stay flat as incidents grow."""

import datetime
import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from efficiency.services import incidents as services

from . import test_analysis
from .conftest import login
from .factories import report

counted = test_analysis.counted  # the office counted by hand

URL = "/analysis/"


def links(html: str) -> list[str]:
    return [unescape(href) for href in re.findall(r'href="([^"]+)"', html)]


def test_it_works_for_a_leader(office, counted):
    response = login(office.leader).get(URL, {"span": "2026Q4"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "三误分析 · 2026年第4季度" in html
    assert "秘书科" in html and "综合科" in html
    assert "同一条款（YW-01）在秘书科本季度已发生3次：考虑从流程上整改。" in html
    assert counted["a1"] in html
    # The heatmap's 秘书科 × October cell leads to its two incidents.
    a_october = f"/incidents/?span=2026-10&section={office.a.pk}&status=established"
    assert a_october in links(html)
    assert "25.0%" in html  # YW-01's dismissal rate
    assert "<svg" in html and "<table" in html


def test_the_default_span_is_the_current_quarter(office, counted):
    html = login(office.leader).get(URL).content.decode()
    assert "三误分析 · 2026年第4季度" in html  # the tests live on 2026-11-20


def test_a_bad_span_says_why_and_the_page_still_works(office, counted):
    response = login(office.leader).get(URL, {"span": "2026-13"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "没有13月。" in html
    assert "现显示2026年第4季度。" in html
    assert "2026年第4季度" in html


def test_a_section_head_sees_their_section_only(office, counted):
    response = login(office.head).get(URL, {"span": "2026Q4"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "仅显示您负责的科室：秘书科。" in html
    assert "综合科" not in html
    assert "SW-01" not in html.split('id="clauses"')[1].split("本期间未使用的条款")[0]
    # Every link to the list is limited to their section.
    for href in links(html):
        if href.startswith("/incidents/?"):
            assert f"section={office.a.pk}" in href, href


def test_it_rejects_another_section_for_a_head(office, counted):
    response = login(office.head).get(URL, {"span": "2026Q4", "section": office.b.pk})
    assert response.status_code == 404
    assert "综合科" not in response.content.decode()


def test_a_leader_may_narrow_to_one_section_and_kind(office, counted):
    html = (
        login(office.leader)
        .get(URL, {"span": "2026Q4", "section": office.b.pk, "kind": "slip"})
        .content.decode()
    )
    heat = html.split('id="heatmap"')[1].split('id="over-time"')[0]
    assert "秘书科" not in heat
    assert f"/incidents/?span=2026-11&section={office.b.pk}&status=established&kind=slip" in links(
        heat
    )


@pytest.mark.parametrize("persona", ["clerk", "supervisor", "assessor", "named", "outsider"])
def test_others_are_refused(office, persona):
    assert login(getattr(office, persona)).get(URL).status_code == 403


def test_the_navigation_links_it_for_those_who_may_see_it(office):
    assert 'href="/analysis/"' in login(office.leader).get("/").content.decode()
    assert 'href="/analysis/"' in login(office.head).get("/").content.decode()
    assert 'href="/analysis/"' not in login(office.clerk).get("/").content.decode()


def test_the_incident_list_filters_what_a_count_links_to(office, counted):
    client = login(office.leader)
    html = client.get(
        "/incidents/", {"span": "2026-10", "section": office.a.pk, "status": "established"}
    ).content.decode()
    shown = set(re.findall(r"2026-\d{4}", html)) & set(counted.values())
    assert shown == {counted["a1"], counted["a2"]}
    html = client.get(
        "/incidents/", {"span": "2026Q4", "clause": "sw-01", "status": "dismissed"}
    ).content.decode()
    assert set(re.findall(r"2026-\d{4}", html)) & set(counted.values()) == {counted["b1"]}
    # The filters it had keep working.
    html = client.get("/incidents/", {"quarter": "2026Q3", "kind": "slip"}).content.decode()
    assert set(re.findall(r"2026-\d{4}", html)) & set(counted.values()) == {counted["a6"]}


def test_the_incident_list_says_why_a_span_is_refused(office, counted):
    response = login(office.leader).get("/incidents/", {"span": "2026-02-30..2026-03-01"})
    assert response.status_code == 200
    assert "“2026-02-30..2026-03-01”中有不存在的日期。" in unescape(response.content.decode())


def test_queries_stay_flat_as_incidents_grow(office, counted):
    client = login(office.leader)
    client.get(URL, {"span": "2026"})  # the session's first request refreshes it

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL, {"span": "2026"}).status_code == 200
        return len(queries)

    before = count()
    for day in (1, 2, 3, 6, 7):
        incident = report(
            office.clerk_b,
            section=office.b,
            responsible=[office.other_person],
            standard=office.error,
            occurred_on=datetime.date(2026, 8, day),
        )
        services.incident_verify(actor=office.supervisor, incident=incident)
    assert count() == before
