"""The admin speaks Chinese: no English label, column, filter or permission name is left."""

import re
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, User

from efficiency.models import Criterion, GradeReview, Staff
from efficiency.services import reviews

from .conftest import login
from .report_support import quarter

# Words that are data or names, not interface text: account names, codes, the keys of
# Django's own Chinese "按住 Control 键或 Mac 上的 Command 键", the acronym IP (IP 地址), and
# the browser "unknown" to django-axes when the test client sends no User-Agent.
DATA_WORDS = {
    "Control",
    "Command",
    "Mac",
    "LDAP",
    "True",
    "False",
    "manage.py period",
    "IP",
    "unknown",
}
ENGLISH = re.compile(r"[A-Za-z][A-Za-z ,.'’]{2,}")


class VisibleText(HTMLParser):
    """The text a person reads or hears: text nodes, titles, alt texts and labels."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "bdi"):  # bdi: a password hash's salt, as stored
            self._hidden += 1
        for name, value in attrs:
            if name in ("title", "alt", "aria-label", "placeholder") and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style", "bdi"):
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def english_in(html: str) -> set[str]:
    parser = VisibleText()
    parser.feed(html)
    return {word.strip() for part in parser.parts for word in ENGLISH.findall(part)}


@pytest.fixture
def superuser(office):
    quarter(office, "2026Q2", incidents=False)  # two periods: the admin shows the filter
    period = quarter(office)
    reviews.decide(
        actor=office.leader,
        period=period,
        staff=office.person,
        grade="average",
        reason="经复核，等次调整为一般。",
    )
    return User.objects.create_superuser("root", password="pw-for-tests-2026")


def admin_pages() -> list[str]:
    urls = ["/admin/"]
    for model in admin.site._registry:
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        urls.append(base)
        obj = model.objects.order_by("pk").first()
        if obj is not None:
            urls.append(f"{base}{obj.pk}/change/")
    return urls


def test_no_english_on_any_admin_page(superuser):
    client = login(superuser)
    data = set(User.objects.values_list("username", flat=True))
    data |= set(Criterion.objects.values_list("code", flat=True))
    data |= {"MSK", "ZHK", "DCS"}
    left = {}
    for url in admin_pages():
        if "/auditevent/" in url and url.endswith("/change/"):
            continue  # a history entry's raw changes name the fields as stored
        response = client.get(url)
        assert response.status_code == 200, url
        words = english_in(response.content.decode()) - DATA_WORDS - data
        if words:
            left[url] = sorted(words)
    assert not left


def test_permissions_are_named_in_chinese(superuser):
    page = login(superuser).get(f"/admin/auth/group/{Group.objects.first().pk}/change/")
    html = page.content.decode()
    assert "效能考核 | 三误事件 | 可作出申诉决定" in html
    assert "效能考核 | 干部职工 | 可以添加干部职工" in html
    assert "认证和授权 | 用户 | 可以修改用户" in html
    assert "Can " not in html


def test_the_grade_reviews_list_has_chinese_columns_and_filters(superuser):
    assert GradeReview.objects.exists()
    html = login(superuser).get("/admin/efficiency/gradereview/").content.decode()
    for header in ("考核期", "干部职工", "建议等次", "审定等次", "决定人", "决定时间"):
        assert f">{header}</a>" in html or f">{header}</span>" in html, header
    assert "以 考核期" in html


def test_the_permission_picker_script_is_chinese(superuser):
    catalogue = login(superuser).get("/admin/jsi18n/").content.decode()
    assert "\\u9009\\u62e9%s\\uff1a" in catalogue or "选择%s：" in catalogue
    assert Staff.objects.exists()
