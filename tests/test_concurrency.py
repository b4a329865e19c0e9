"""Twenty clerks press "submit" at the same moment, through the live server, on the default
database: nobody gets an error and no incident is lost."""

import http.cookiejar
import re
import threading
import urllib.parse
import urllib.request

import pytest
from django.contrib.auth.models import Group, User

from efficiency.models import AuditEvent, Incident, Section, Staff, Standard
from efficiency.roles import Role

CLERKS = 20
PASSWORD = "pw-for-tests-2026"


class Browser:
    """A person's browser: cookies kept, CSRF token sent back like a form does."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=60) as response:
            return response.read().decode()

    def post(self, path: str, data: dict) -> tuple[int, str]:
        token = next(c.value for c in self.jar if c.name == "csrftoken")
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}, doseq=True)
        request = urllib.request.Request(
            self.base + path, data=body.encode(), headers={"Referer": self.base + path}
        )
        with self.opener.open(request, timeout=60) as response:
            return response.status, response.geturl()


@pytest.mark.django_db(transaction=True)
def test_twenty_clerks_submit_at_once(live_server, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    section = Section.objects.create(code="MSK", name="秘书科")
    standard = Standard.objects.create(
        code="YW-01",
        kind="delay",
        text="文件积压。",
        points_minor=1,
        points_serious=2,
        points_grave=4,
    )
    person = Staff.objects.create(staff_no="001001", name="王建国", section=section)
    clerk_group = Group.objects.get(name=Role.CLERK)
    for n in range(CLERKS):
        user = User.objects.create_user(f"clerk{n}", password=PASSWORD)
        user.groups.add(clerk_group)
        section.clerks.add(user)

    browsers = []
    for n in range(CLERKS):
        browser = Browser(live_server.url)
        browser.get("/accounts/login/")
        browser.post("/accounts/login/", {"username": f"clerk{n}", "password": PASSWORD})
        assert 'name="description"' in browser.get("/incidents/new/")
        browsers.append(browser)

    barrier = threading.Barrier(CLERKS)
    outcomes: list[object] = [None] * CLERKS

    def submit(n: int) -> None:
        barrier.wait()
        try:
            outcomes[n] = browsers[n].post(
                "/incidents/new/",
                {
                    "kind": "delay",
                    "standard": standard.pk,
                    "severity": "minor",
                    "occurred_on": "2026-07-01",
                    "section": section.pk,
                    "responsible": [person.pk],
                    "description": f"第 {n} 号登记员同时提交。",
                    "source": "other",
                },
            )
        except Exception as error:  # noqa: BLE001 - the test reports whatever went wrong
            outcomes[n] = error

    threads = [threading.Thread(target=submit, args=(n,)) for n in range(CLERKS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    errors = [o for o in outcomes if not (isinstance(o, tuple) and o[0] == 200)]
    assert errors == []
    landed = [re.search(r"/incidents/(\d{4}-\d{4})/$", url)[1] for _, url in outcomes]
    assert Incident.objects.count() == CLERKS
    assert sorted(landed) == sorted(Incident.objects.values_list("number", flat=True))
    assert len(set(landed)) == CLERKS
    assert AuditEvent.objects.filter(action="create").count() == CLERKS
