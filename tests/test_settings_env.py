"""Every setting the README documents is read from the environment in settings.py, once; the
code reads django.conf.settings, never the environment itself."""

import ast
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from efficiency.reports import fonts, zipjob
from efficiency.settings import env_int, env_path

from .test_settings_security import PRODUCTION, ROOT, run

PACKAGE = ROOT / "efficiency"
# settings.py reads the environment; wsgi.py sets it for the web server; the font installer
# also runs standalone, before there are settings (see fonts.font_dir).
MAY_READ_THE_ENVIRONMENT = {
    "settings.py",
    "wsgi.py",
    "reports/fonts.py",
    # Not configuration: pg_dump/pg_restore get our environment with the connection's values,
    # and restore compares a running process's DATABASE_URL with ours.
    "backup/database.py",
    "backup/running.py",
}


def folders_in(**env: str) -> list[Path]:
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.REPORT_FONT_DIR); print(settings.MEDIA_ROOT); "
        "print(settings.EXCEL_UPLOAD_DIR)"
    )
    result = run(["-c", code], SECRET_KEY=PRODUCTION["SECRET_KEY"], **env)
    assert result.returncode == 0, result.stderr
    return [Path(line) for line in result.stdout.splitlines()]


def test_the_report_and_upload_folders_come_from_the_environment(tmp_path):
    assert folders_in() == [
        ROOT / "var" / "fonts",
        ROOT / "var" / "files",
        ROOT / "var" / "uploads",
    ]
    assert folders_in(
        REPORT_FONT_DIR=str(tmp_path / "fonts"),
        MEDIA_ROOT=str(tmp_path / "files"),
        EXCEL_UPLOAD_DIR=str(tmp_path / "uploads"),
    ) == [tmp_path / "fonts", tmp_path / "files", tmp_path / "uploads"]


def test_the_attachments_folder_follows_media_root_unless_set(tmp_path):
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.ATTACHMENT_DIR)"
    )

    def folder(**env: str) -> Path:
        result = run(["-c", code], SECRET_KEY=PRODUCTION["SECRET_KEY"], **env)
        assert result.returncode == 0, result.stderr
        return Path(result.stdout.strip())

    assert folder() == ROOT / "var" / "files" / "attachments"
    assert folder(MEDIA_ROOT=str(tmp_path / "files")) == tmp_path / "files" / "attachments"
    assert folder(ATTACHMENT_DIR=str(tmp_path / "evidence")) == tmp_path / "evidence"


def test_a_blank_or_missing_folder_is_the_default(monkeypatch):
    monkeypatch.setenv("REPORT_FONT_DIR", "  ")
    assert env_path("REPORT_FONT_DIR", Path("/default")) == Path("/default")
    monkeypatch.delenv("REPORT_FONT_DIR")
    assert env_path("REPORT_FONT_DIR", Path("/default")) == Path("/default")
    monkeypatch.setenv("REPORT_FONT_DIR", " /srv/kaohe/fonts ")
    assert env_path("REPORT_FONT_DIR", Path("/default")) == Path("/srv/kaohe/fonts")


def test_a_number_that_is_not_one_is_refused_by_name(monkeypatch):
    monkeypatch.setenv("EXCEL_MAX_ROWS", "20k")
    with pytest.raises(ImproperlyConfigured) as refused:
        env_int("EXCEL_MAX_ROWS", 20_000)
    assert "EXCEL_MAX_ROWS 应为整数" in str(refused.value)


def test_the_reports_read_their_folders_from_the_settings(settings, tmp_path):
    settings.REPORT_FONT_DIR = tmp_path / "fonts"
    settings.MEDIA_ROOT = tmp_path / "files"
    assert fonts.font_dir() == tmp_path / "fonts"
    assert zipjob.default_storage.path("reports/x.zip") == str(tmp_path / "files/reports/x.zip")


def test_no_other_module_reads_the_environment():
    readers = []
    for path in sorted(PACKAGE.rglob("*.py")):
        name = path.relative_to(PACKAGE).as_posix()
        if name in MAY_READ_THE_ENVIRONMENT or name.startswith("migrations/"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in {"environ", "getenv"}:
                readers.append(f"efficiency/{name}:{node.lineno}")
    assert not readers, "Read these in settings.py instead: " + ", ".join(readers)
