"""A signed-in session's end moves forward at most once a minute (SessionRefreshMiddleware):
pages are reads, not writes, yet two hours idle still end the session."""

import datetime

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .conftest import login
from .test_settings_security import START


def session_writes(client, url: str = "/") -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return sum(
        1
        for query in queries.captured_queries
        if "django_session" in query["sql"]
        and query["sql"].lstrip().upper().startswith(("UPDATE", "INSERT"))
    )


def expires(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


@pytest.mark.django_db
def test_a_page_within_the_minute_writes_nothing(office):
    with time_machine.travel(START, tick=False) as traveller:
        client = login(office.clerk)
        assert session_writes(client) == 1  # the first page after logging in refreshes
        ends = expires(client)
        traveller.shift(datetime.timedelta(seconds=30))
        assert session_writes(client) == 0
        assert session_writes(client, "/incidents/") == 0
        assert expires(client) == ends


@pytest.mark.django_db
def test_a_page_a_minute_later_moves_the_end_forward(office):
    with time_machine.travel(START, tick=False) as traveller:
        client = login(office.clerk)
        client.get("/")
        ends = expires(client)
        traveller.shift(datetime.timedelta(seconds=61))
        assert session_writes(client) == 1
        assert expires(client) == ends + datetime.timedelta(seconds=61)


@pytest.mark.django_db
def test_anonymous_pages_create_no_session(client):
    assert client.get("/accounts/login/").status_code == 200
    assert not Session.objects.exists()
