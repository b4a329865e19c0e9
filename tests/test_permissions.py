"""Every view, every role, and an outsider: 200/302 where allowed, 403 or 404 otherwise, never
500 and never another section's data."""

import pytest

from efficiency.models import IncidentStatus

from .conftest import PERSONAS, login


def expect(table: dict[str, int]) -> list[tuple[str, int]]:
    assert set(table) == set(PERSONAS), "every role must be listed"
    return list(table.items())


@pytest.mark.parametrize("url", ["/", "/incidents/", "/incidents/new/", "/roster/"])
def test_anonymous_is_sent_to_login(client, office, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


@pytest.mark.parametrize("role", PERSONAS)
@pytest.mark.parametrize("url", ["/", "/incidents/", "/roster/"])
def test_every_role_opens_the_shared_pages(office, role, url):
    assert login(getattr(office, role)).get(url).status_code == 200


@pytest.mark.parametrize(
    "role,status",
    expect(
        {
            "clerk": 200,
            "clerk_b": 200,
            "head": 403,
            "head_b": 403,
            "supervisor": 403,
            "leader": 403,
            "assessor": 403,
            "administrator": 403,
            "named": 403,
            "outsider": 403,
        }
    ),
)
def test_record_page(office, role, status):
    assert login(getattr(office, role)).get("/incidents/new/").status_code == status


@pytest.mark.parametrize(
    "role,status",
    expect(
        {
            "clerk": 200,
            "clerk_b": 404,
            "head": 200,
            "head_b": 404,
            "supervisor": 200,
            "leader": 200,
            "assessor": 404,
            "administrator": 404,
            "named": 200,
            "outsider": 404,
        }
    ),
)
def test_detail_page(office, incident_a, role, status):
    response = login(getattr(office, role)).get(f"/incidents/{incident_a.number}/")
    assert response.status_code == status


@pytest.mark.parametrize(
    "role,status",
    expect(
        {
            "clerk": 200,
            "clerk_b": 404,
            "head": 403,
            "head_b": 404,
            "supervisor": 403,
            "leader": 403,
            "assessor": 404,
            "administrator": 404,
            "named": 403,
            "outsider": 404,
        }
    ),
)
def test_correction_page(office, incident_a, role, status):
    response = login(getattr(office, role)).get(f"/incidents/{incident_a.number}/edit/")
    assert response.status_code == status


@pytest.mark.parametrize(
    "role,status",
    expect(
        {
            "clerk": 403,
            "clerk_b": 403,
            "head": 403,
            "head_b": 403,
            "supervisor": 302,
            "leader": 403,
            "assessor": 403,
            "administrator": 403,
            "named": 403,
            "outsider": 403,
        }
    ),
)
@pytest.mark.parametrize("action", ["verify", "dismiss"])
def test_verify_and_dismiss(office, incident_a, role, status, action):
    response = login(getattr(office, role)).post(
        f"/incidents/{incident_a.number}/{action}/",
        {"reason": "经核实情况不属实。", "confirmed": "1"},
    )
    assert response.status_code == status
    incident_a.refresh_from_db()
    assert (incident_a.status != IncidentStatus.REPORTED) == (status == 302)


@pytest.mark.parametrize(
    "role,status",
    expect(
        {
            "clerk": 403,
            "clerk_b": 404,
            "head": 302,
            "head_b": 404,
            "supervisor": 403,
            "leader": 403,
            "assessor": 404,
            "administrator": 404,
            "named": 302,
            "outsider": 404,
        }
    ),
)
def test_explain(office, incident_a, role, status):
    response = login(getattr(office, role)).post(
        f"/incidents/{incident_a.number}/explain/",
        {"staff": office.person.pk, "text": "当日在外参加会议，已电话告知科长。"},
    )
    assert response.status_code == status
    assert incident_a.explanations.count() == (1 if status == 302 else 0)


def _handled(office, incident):
    from efficiency.services import incidents as services

    services.incident_verify(actor=office.supervisor, incident=incident)
    return services.incident_handle(
        actor=office.supervisor, incident=incident, decision="reminder_talk", note=""
    )


@pytest.mark.parametrize(
    "role,status",
    expect(
        {
            "clerk": 403,
            "clerk_b": 404,
            "head": 302,
            "head_b": 404,
            "supervisor": 403,
            "leader": 403,
            "assessor": 404,
            "administrator": 404,
            "named": 302,
            "outsider": 404,
        }
    ),
)
def test_appeal(office, incident_a, role, status):
    _handled(office, incident_a)
    response = login(getattr(office, role)).post(
        f"/incidents/{incident_a.number}/appeal/",
        {"text": "时限计算有误，实际未超期。", "confirmed": "1"},
    )
    assert response.status_code == status
    incident_a.refresh_from_db()
    assert bool(incident_a.appeal_status) == (status == 302)


@pytest.mark.parametrize(
    "role,status",
    expect(
        {
            "clerk": 403,
            "clerk_b": 403,
            "head": 403,
            "head_b": 403,
            "supervisor": 302,
            "leader": 403,
            "assessor": 403,
            "administrator": 403,
            "named": 403,
            "outsider": 403,
        }
    ),
)
def test_handle_and_appeal_decision(office, incident_a, role, status):
    from efficiency.services import incidents as services

    services.incident_verify(actor=office.supervisor, incident=incident_a)
    client = login(getattr(office, role))
    response = client.post(
        f"/incidents/{incident_a.number}/handle/",
        {"decision": "criticism", "note": "", "confirmed": "1"},
    )
    assert response.status_code == status
    if status == 302:
        services.incident_appeal(actor=office.named, incident=incident_a, text="请求复核。")
        response = client.post(
            f"/incidents/{incident_a.number}/appeal/decide/",
            {"outcome": "reject", "reason": "事实清楚，维持原处理。", "confirmed": "1"},
        )
        assert response.status_code == 302
        incident_a.refresh_from_db()
        assert incident_a.appeal_status == "rejected"


@pytest.mark.parametrize("role", PERSONAS)
def test_list_shows_only_what_the_role_may_see(office, incident_a, incident_b, role):
    content = login(getattr(office, role)).get("/incidents/").content.decode()
    sees_a = role in {"clerk", "head", "supervisor", "leader", "named"}
    sees_b = role in {"clerk_b", "head_b", "supervisor", "leader"}
    assert (incident_a.number in content) == sees_a
    assert (incident_b.number in content) == sees_b


@pytest.mark.parametrize("role", PERSONAS)
def test_roster_shows_only_what_the_role_may_see(office, role):
    content = login(getattr(office, role)).get("/roster/").content.decode()
    sees_a = role in {"clerk", "head", "supervisor", "leader", "administrator"}
    sees_b = role in {"clerk_b", "head_b", "supervisor", "leader", "administrator"}
    assert ('<td class="font-monospace">001001</td>' in content) == sees_a
    assert ('<td class="font-monospace">002001</td>' in content) == sees_b


@pytest.mark.parametrize("role", PERSONAS)
def test_the_roster_link_is_shown_only_when_it_leads_somewhere(office, role):
    # A clerk sees the people of the sections they record for; someone with no section to
    # see gets no link (it used to lead to “您的账号无权查看任何科室”).
    home = login(getattr(office, role)).get("/").content.decode()
    leads_somewhere = role not in {"named", "outsider", "assessor", "supervisor2"}
    assert ('href="/roster/"' in home) == leads_somewhere, role


@pytest.mark.parametrize("role", PERSONAS)
def test_unknown_and_malformed_numbers_are_404(office, role):
    client = login(getattr(office, role))
    assert client.get("/incidents/2026-9999/").status_code == 404
    assert client.get("/incidents/abc/").status_code == 404
    assert client.get("/incidents/2026-0001'--/").status_code == 404


@pytest.mark.parametrize("role", ["administrator"])
def test_administrator_reaches_the_admin(office, role):
    client = login(getattr(office, role))
    for url in [
        "/admin/",
        "/admin/efficiency/section/",
        "/admin/efficiency/staff/",
        "/admin/efficiency/standard/",
        "/admin/auth/user/",
        "/admin/efficiency/auditevent/",
    ]:
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("role", ["clerk", "head", "supervisor", "leader", "outsider"])
def test_other_roles_do_not_reach_the_admin(office, role):
    response = login(getattr(office, role)).get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response.url
