"""Waiting uploads: read once, capped per person, swept; previews of hostile files stay small."""

import os
import time

import pytest
from django.core.management import call_command
from django.urls import reverse

from efficiency.excel import pending, reader
from efficiency.models import Staff

from . import hostile_files
from .conftest import login
from .excel_samples import openpyxl_xlsx
from .test_excel_views import STAFF_HEADER, said, upload


@pytest.fixture(autouse=True)
def uploads(settings, tmp_path):
    settings.EXCEL_UPLOAD_DIR = tmp_path / "uploads"
    return settings.EXCEL_UPLOAD_DIR


def waiting(uploads) -> list:
    return sorted(uploads.glob("user-*/*.json"))


def staff_file(n: int = 1) -> bytes:
    return openpyxl_xlsx([STAFF_HEADER, [f"00300{n}", "张三", "秘书科"]])


def test_a_file_is_read_once_however_often_the_preview_is_reloaded(office, monkeypatch):
    reads = []
    real = reader.read_table

    def counted(*args, **kwargs):
        reads.append(args[1])
        return real(*args, **kwargs)

    monkeypatch.setattr("efficiency.excel.sheets.read_table", counted)
    client = login(office.administrator)
    preview_url = upload(client, "staff", staff_file())["Location"]
    for _ in range(3):
        assert client.get(preview_url).context["counts"]["create"] == 1
    response = client.post(preview_url + "confirm/")
    assert response["Location"] == "/excel/"
    assert Staff.objects.filter(staff_no="003001").exists()
    assert reads == ["人员.xlsx"]


def test_values_of_every_kind_survive_being_kept(office):
    import datetime

    from efficiency.excel import cleaners
    from efficiency.excel.reader import Row, Table

    table = Table("a.xlsx", "人员", 1, ["工号"], [])
    values = {
        "a": "001023",
        "b": 1023,
        "c": 99.5,
        "d": True,
        "e": datetime.datetime(2026, 7, 1, 8, 30),
        "f": datetime.date(2026, 7, 1),
        "g": datetime.time(8, 30),
        "h": datetime.timedelta(hours=2),
    }
    table.rows = [Row(2, values), Row(3, {"x": cleaners.FormulaWithoutValue("A1*2")})]
    table.rows.append(Row(4, {"y": cleaners.FormulaErrorValue("#DIV/0!")}))
    pending.save(office.administrator.pk, "t" * 32, table, sheet="staff", name="a.xlsx")
    meta, kept = pending.load(office.administrator.pk, "t" * 32)
    assert meta == {"sheet": "staff", "name": "a.xlsx"}
    assert kept.rows[0].values == values
    assert [type(v) for v in kept.rows[0].values.values()] == [type(v) for v in values.values()]
    assert kept.rows[1].values["x"].formula == "A1*2"
    assert str(kept.rows[2].values["y"]) == "#DIV/0!"


def test_waiting_uploads_are_capped_per_person_not_per_session(office, uploads):
    sessions = [login(office.administrator) for _ in range(3)]
    urls = []
    for n in range(7):
        urls.append(upload(sessions[n % 3], "staff", staff_file(n))["Location"])
    assert len(waiting(uploads)) == pending.PENDING_LIMIT
    # The oldest two went, whichever session made them; the newest still open.
    assert said(sessions[0], sessions[0].get(urls[0])) == ["该次上传已失效，请重新上传文件。"]
    assert sessions[0].get(urls[6]).status_code == 200
    # Someone else's uploads do not count against this person.
    upload(login(office.supervisor), "incidents", staff_file())
    assert len(waiting(uploads)) == pending.PENDING_LIMIT + 1


def test_signing_out_sweeps_the_sessions_uploads(office, uploads):
    client = login(office.administrator)
    other = login(office.administrator)
    upload(client, "staff", staff_file(1))
    upload(client, "staff", staff_file(2))
    kept = upload(other, "staff", staff_file(3))["Location"]
    assert len(waiting(uploads)) == 3
    client.post(reverse("logout"))
    assert len(waiting(uploads)) == 1
    assert other.get(kept).status_code == 200


def test_stale_uploads_are_swept_by_the_command_and_on_upload(office, uploads, settings):
    client = login(office.administrator)
    upload(client, "staff", staff_file(1))
    (old,) = waiting(uploads)
    day_ago = time.time() - 25 * 3600
    os.utime(old, (day_ago, day_ago))
    upload(client, "staff", staff_file(2))
    assert old not in waiting(uploads) and len(waiting(uploads)) == 1
    (newer,) = waiting(uploads)
    hour_ago = time.time() - 3600
    os.utime(newer, (hour_ago, hour_ago))
    call_command("sweep_uploads", stdout=open(os.devnull, "w"))
    assert waiting(uploads) == [newer]
    settings.EXCEL_UPLOAD_MAX_AGE = 1800
    call_command("sweep_uploads", stdout=open(os.devnull, "w"))
    assert waiting(uploads) == []


def test_a_long_value_repeated_on_every_row_makes_a_small_page(office, tmp_path):
    # The 35 KB file made a 75 MB preview page: every row quoted a long wrong 工号.
    path = hostile_files.repeated_long_value(tmp_path / "f.xlsx", rows=1_500, length=3_000)
    client = login(office.administrator)
    preview_url = upload(client, "staff", path.read_bytes())["Location"]
    page = client.get(preview_url)
    html = page.content.decode()
    assert len(html) < 1_000_000
    assert page.context["counts"]["error"] == 1_500
    quoted = "“" + "9" * 40 + "…” 不是有效的工号"
    assert f"第 2 行「工号」：{quoted}" in html
    assert "9" * 41 not in html
    assert html.count("<li>第 ") == 1_000
    assert "以及另外 500 处" in html


# --- through Django's storage API (issue 12, item 3) -----------------------------------------


def test_by_default_waiting_uploads_are_private_files_outside_media(office, uploads, settings):
    upload(login(office.administrator), "staff", staff_file())
    (kept,) = waiting(uploads)
    assert kept.stat().st_mode & 0o777 == 0o600
    assert kept.parent.stat().st_mode & 0o777 == 0o700
    assert not kept.resolve().is_relative_to(os.path.realpath(settings.MEDIA_ROOT))


def test_a_named_uploads_storage_keeps_them_and_the_rules_hold(office, uploads, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        pending.STORAGE: {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    store = pending.storage()
    client = login(office.administrator)
    urls = [upload(client, "staff", staff_file(n))["Location"] for n in range(7)]
    folder = f"user-{office.administrator.pk}"
    assert len(store.listdir(folder)[1]) == pending.PENDING_LIMIT
    assert waiting(uploads) == []  # nothing of them on the local disk
    assert said(client, client.get(urls[0])) == ["该次上传已失效，请重新上传文件。"]
    response = client.post(urls[6] + "confirm/")
    assert response["Location"] == "/excel/"
    assert Staff.objects.filter(staff_no="003006").exists()
    assert len(store.listdir(folder)[1]) == pending.PENDING_LIMIT - 1
    call_command("sweep_uploads", "--hours", "0", stdout=open(os.devnull, "w"))
    assert store.listdir(folder)[1] == []


def test_the_backup_takes_the_waiting_uploads_of_the_default_storage(office, uploads):
    from efficiency.backup import archive

    upload(login(office.administrator), "staff", staff_file())
    (kept,) = waiting(uploads)
    assert kept.resolve().is_relative_to(archive.areas()["uploads"].resolve())
