"""The Excel pages: who may do what, and upload → preview → confirm."""

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadhandler import FileUploadHandler

from efficiency.excel import exports
from efficiency.models import ImportRecord, Section, Staff
from efficiency.services import appraisal as appraisal_services

from .conftest import login
from .excel_samples import openpyxl_xlsx, workbook

ROLES = ["clerk", "head", "supervisor", "assessor", "leader", "administrator", "named", "outsider"]
STAFF_HEADER = ["工号", "姓名", "科室", "职务", "入职日期", "离岗日期"]


@pytest.fixture(autouse=True)
def uploads(settings, tmp_path):
    settings.EXCEL_UPLOAD_DIR = tmp_path / "uploads"
    return settings.EXCEL_UPLOAD_DIR


@pytest.fixture
def period(office):
    period = appraisal_services.period_open(actor=office.leader, code="2026Q3")
    return appraisal_services.period_close(actor=office.leader, period=period)


def said(client, response) -> list[str]:
    """The messages a redirect carries, then shown (and so used up) by the page it leads to."""
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    if response.status_code == 302:
        client.get(response["Location"])
    return messages


def upload(client, sheet, data, name="人员.xlsx"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(f"/excel/import/{sheet}/", {"file": SimpleUploadedFile(name, data)})


# --- permissions ------------------------------------------------------------------------------

IMPORTERS = {
    "sections": {"administrator"},
    "staff": {"administrator"},
    "standards": {"administrator"},
    "incidents": {"supervisor"},
    # The administrator types in marks handed in on paper, for any assessor.
    "scores": {"assessor", "leader", "administrator"},
}
EXPORTERS = {
    "sections": set(ROLES),
    "standards": set(ROLES),
    "incidents": set(ROLES),
    # The roster page's rule: a clerk lists the people of the sections they record for.
    "staff": {"clerk", "head", "supervisor", "leader", "administrator"},
    "scores": {"assessor", "leader", "administrator"},
    "rankings": {"leader", "administrator"},
    "annual": {"leader", "administrator"},
}


def test_signed_out_people_are_sent_to_log_in(client, office):
    for url in ("/excel/", "/excel/template/staff/", "/excel/export/sections/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client.post("/excel/import/staff/").status_code == 302


@pytest.mark.parametrize("role", ROLES)
def test_the_page_offers_each_role_what_it_may_do(office, period, role):
    response = login(getattr(office, role)).get("/excel/")
    assert response.status_code == 200
    page = response.content.decode()
    for sheet, importers in IMPORTERS.items():
        assert (f'action="/excel/import/{sheet}/"' in page) == (role in importers), sheet
    for sheet in ("sections", "staff", "standards", "incidents", "scores"):
        assert f'href="/excel/template/{sheet}/"' in page
    assert ('action="/excel/export/rankings/"' in page) == (role in EXPORTERS["rankings"])


@pytest.mark.parametrize("role", ROLES)
def test_exports_follow_what_each_role_may_see(office, period, role):
    client = login(getattr(office, role))
    for sheet, allowed in EXPORTERS.items():
        response = client.get(
            f"/excel/export/{sheet}/", {"period": "2026" if sheet == "annual" else "2026Q3"}
        )
        if role in allowed:
            assert response.status_code == 200, (sheet, role)
            assert response["Content-Type"].startswith("application/vnd.openxmlformats")
            assert "attachment" in response["Content-Disposition"]
        else:
            assert response.status_code == 403, (sheet, role)


@pytest.mark.parametrize("role", ROLES)
def test_uploads_follow_what_each_role_may_import(office, role, uploads):
    client = login(getattr(office, role))
    for sheet, allowed in IMPORTERS.items():
        response = upload(client, sheet, openpyxl_xlsx([STAFF_HEADER]))
        if role in allowed:
            assert response.status_code == 302, (sheet, role)
            assert f"/excel/import/{sheet}/" in response["Location"]
        else:
            assert response.status_code == 403, (sheet, role)
    assert role in {"administrator", "supervisor", "assessor", "leader"} or not list(
        uploads.glob("*")
    )


def test_unknown_sheets_and_methods(office):
    client = login(office.administrator)
    assert client.get("/excel/template/payroll/").status_code == 404
    assert client.get("/excel/export/payroll/").status_code == 404
    assert client.post("/excel/import/payroll/").status_code == 404
    assert client.get("/excel/import/staff/").status_code == 405
    assert client.get("/excel/template/rankings/").status_code == 404


def test_a_bad_period_in_an_export_link_is_a_message(office, period):
    client = login(office.leader)
    response = client.get("/excel/export/rankings/", {"period": "2026Q9"})
    assert response.status_code == 302 and response["Location"] == "/excel/"
    assert said(client, response) == ["“2026Q9”不是有效的季度，请按“2026Q3”格式填写。"]
    response = client.get("/excel/export/annual/", {"period": "x" * 500})
    assert said(client, response) == ["请写明年度，例如 2026。"]


# --- upload, preview, confirm -------------------------------------------------------------------


def test_upload_preview_confirm(office, uploads):
    client = login(office.administrator)
    data = openpyxl_xlsx(
        [
            STAFF_HEADER,
            ["003001", "张三", "秘书科", "科员", "2026-07-01"],
            ["001001", "王建国", "综合科"],
        ]
    )
    response = upload(client, "staff", data)
    preview_url = response["Location"]
    (stored,) = uploads.glob("user-*/*.json")
    assert "人员" not in stored.name  # stored under a random name
    page = client.get(preview_url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "人员.xlsx" in html and "确认导入" in html
    assert page.context["counts"] == {"create": 1, "update": 1, "unchanged": 0, "error": 0}
    assert not Staff.objects.filter(staff_no="003001").exists()

    response = client.post(preview_url + "confirm/")
    assert response.status_code == 302 and response["Location"] == "/excel/"
    assert said(client, response) == ["“人员.xlsx”已导入：新增 1 条，更新 1 条，不变 0 条。"]
    assert Staff.objects.get(staff_no="003001").name == "张三"
    office.person.refresh_from_db()
    assert office.person.section == office.b
    record = ImportRecord.objects.get()
    assert (record.sheet, record.file_name, record.imported_by, record.created, record.updated) == (
        "staff",
        "人员.xlsx",
        office.administrator,
        1,
        1,
    )
    assert not list(uploads.glob("user-*/*.json"))
    # The same link cannot import twice.
    again = client.post(preview_url + "confirm/")
    assert said(client, again) == ["该次上传已失效，请重新上传文件。"]
    assert ImportRecord.objects.count() == 1


def test_a_file_with_errors_shows_them_and_cannot_be_confirmed(office):
    client = login(office.administrator)
    data = openpyxl_xlsx(
        [STAFF_HEADER, ["003001", "张三", "秘书科"], ["003002", "李四", "秘书科", "", "2023-02-30"]]
    )
    preview_url = upload(client, "staff", data)["Location"]
    html = client.get(preview_url).content.decode()
    assert "第 3 行「入职日期」：“2023-02-30” 不是有效日期" in html
    assert "确认导入" not in html
    response = client.post(preview_url + "confirm/")
    assert response["Location"] == preview_url
    assert said(client, response) == ["未导入任何数据：文件中有 1 处错误，详见下方。"]
    assert not Staff.objects.filter(staff_no="003001").exists()
    assert not ImportRecord.objects.exists()


def test_a_refused_file_says_how_to_save_it(office):
    client = login(office.administrator)
    data = workbook("libreoffice-roster.xls")
    preview_url = upload(client, "staff", data, name="人员.xls")["Location"]
    html = client.get(preview_url).content.decode()
    assert "“人员.xls”是旧版 Excel 97–2003（.xls）或 WPS（.et）文件" in html
    assert "确认导入" not in html


def test_the_file_changed_in_between_is_checked_again(office):
    client = login(office.administrator)
    data = openpyxl_xlsx([["科室代码", "科室名称"], ["XXK", "信息科"]])
    preview_url = upload(client, "sections", data, name="科室.xlsx")["Location"]
    assert client.get(preview_url).context["counts"]["create"] == 1
    Section.objects.create(code="YYK", name="信息科")  # someone took the name meanwhile
    response = client.post(preview_url + "confirm/")
    assert response["Location"] == preview_url
    assert not Section.objects.filter(code="XXK").exists()
    html = client.get(preview_url).content.decode()
    assert "第 2 行「科室名称」：“信息科” 已被其他行或已有记录使用" in html


def test_an_upload_belongs_to_its_uploader(office):
    data = openpyxl_xlsx([STAFF_HEADER, ["003001", "张三", "秘书科"]])
    preview_url = upload(login(office.administrator), "staff", data)["Location"]
    other = login(office.administrator)  # another session of the same account, too
    for client in (other, login(office.supervisor)):
        response = client.get(preview_url)
        assert response.status_code in (302, 403)
        response = client.post(preview_url + "confirm/")
        assert response.status_code in (302, 403)
    assert not Staff.objects.filter(staff_no="003001").exists()


def test_bad_tokens_and_sheets_in_the_link(office):
    client = login(office.administrator)
    token = upload(client, "staff", openpyxl_xlsx([STAFF_HEADER]))["Location"].split("/")[-2]
    for url in (
        "/excel/import/staff/short/",
        "/excel/import/staff/../../etc/passwd/",
        f"/excel/import/sections/{token}/",
        "/excel/import/staff/" + "a" * 40 + "/",
    ):
        response = client.get(url)
        assert response.status_code in (302, 404), url
        if response.status_code == 302:
            assert said(client, response) == ["该次上传已失效，请重新上传文件。"]


def test_cancel_discards_the_upload(office, uploads):
    client = login(office.administrator)
    preview_url = upload(
        client, "staff", openpyxl_xlsx([STAFF_HEADER, ["003001", "张三", "秘书科"]])
    )["Location"]
    response = client.post(preview_url + "cancel/")
    assert said(client, response) == ["已放弃本次上传，未导入任何数据。"]
    assert not list(uploads.glob("user-*/*.json"))
    assert client.get(preview_url).status_code == 302


class SpyHandler(FileUploadHandler):
    """Stands for the handlers that write an upload to memory or disk: records what reaches it."""

    received: list[int] = []

    def receive_data_chunk(self, raw_data, start):
        SpyHandler.received.append(len(raw_data))
        return raw_data

    def file_complete(self, file_size):
        return None


def test_an_oversized_body_is_refused_before_any_of_it_is_written(office, settings, uploads):
    client = login(office.administrator)
    settings.EXCEL_MAX_UPLOAD_BYTES = 1024 * 1024
    settings.FILE_UPLOAD_HANDLERS = [
        "efficiency.excel.pending.SizeLimitHandler",
        "tests.test_excel_views.SpyHandler",
    ]
    SpyHandler.received = []
    response = upload(client, "staff", b"PK\x03\x04" + b"\0" * 1_300_000)
    assert said(client, response) == ["文件大小为 1.2 MB，只接受 1 MB 以内的文件。"]
    assert SpyHandler.received == []
    assert not list(uploads.glob("user-*/*.json"))
    # Just within the limit, the same handlers let it through.
    SpyHandler.received = []
    upload(client, "staff", b"PK\x03\x04" + b"\0" * 1_000_000)
    assert sum(SpyHandler.received) == 1_000_004


def test_size_limit_and_missing_file(office, settings, uploads):
    client = login(office.administrator)
    settings.EXCEL_MAX_UPLOAD_BYTES = 1024 * 1024
    response = upload(client, "staff", b"PK\x03\x04" + b"\0" * 1_060_000)
    assert said(client, response) == ["“人员.xlsx”大小为 1.0 MB，只接受 1 MB 以内的文件。"]
    assert not list(uploads.glob("user-*/*.json"))
    response = client.post("/excel/import/staff/")
    assert said(client, response) == ["请选择要上传的文件。"]


def test_an_assessor_downloads_their_sheet(office):
    appraisal_services.period_open(actor=office.leader, code="2026Q3")
    response = login(office.assessor).get("/excel/export/scores/")
    assert response.status_code == 200
    assert "2026Q3" in response["Content-Disposition"]


def test_recent_imports_are_listed(office, tmp_path):
    from efficiency.excel import sheets

    from .excel_samples import write

    name, data = exports.export("sections", user=office.administrator)
    sheets.run("sections", write(tmp_path, "s.xlsx", data), name, office.administrator)
    html = login(office.administrator).get("/excel/").content.decode()
    assert "我最近的导入" in html and name in html
