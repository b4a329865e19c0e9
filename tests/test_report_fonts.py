"""The Chinese font of the PDFs: where it is found, how it is declared, what happens without
one, the start-up check, installing it, and the URL fetcher that reads only local files."""

import hashlib
import io
import logging
import os
import stat
import tarfile
from pathlib import Path

import pytest
from django.core import checks

from efficiency.reports import documents, fonts, pdf

from .report_support import pdf_fonts, quarter

SYSTEM_CJK = Path("/usr/share/fonts/opentype/noto")


@pytest.fixture(autouse=True)
def fresh_engine():
    """Each test finds the fonts afresh; the next test file gets a clean engine too."""
    pdf.reset()
    yield
    pdf.reset()


def fake_font(path: Path) -> Path:
    path.write_bytes(b"\x00\x01\x00\x00" + b"\x00" * 64)
    return path


# --- finding ---------------------------------------------------------------------------------


def test_the_font_files_come_first(tmp_path, monkeypatch, settings):
    fake_font(tmp_path / fonts.SONG_FILE)
    fake_font(tmp_path / fonts.HEI_FILE)
    settings.REPORT_FONT_DIR = tmp_path
    monkeypatch.setattr(fonts, "_fontconfig_families", lambda: ["Noto Sans CJK SC"])
    found = fonts.find()
    assert found.source == "files"
    assert found.song == (fonts.SONG, "Noto Sans CJK SC")
    assert found.hei == (fonts.HEI, "Noto Sans CJK SC")
    assert found.files == {tmp_path / fonts.SONG_FILE, tmp_path / fonts.HEI_FILE}
    css = found.css()
    # Regular and Bold both declared, from whole files, never as a generic family
    assert f'font-family: "{fonts.SONG}"; font-weight: 400' in css
    assert f'font-family: "{fonts.SONG}"; font-weight: 700' in css
    assert (tmp_path / fonts.SONG_FILE).as_uri() in css
    assert '"serif"' not in css and '"sans-serif"' not in css


def test_fontconfig_chinese_fonts_are_the_fallback_simplified_first(
    tmp_path, monkeypatch, settings
):
    settings.REPORT_FONT_DIR = tmp_path / "nothing"
    monkeypatch.setattr(
        fonts,
        "_fontconfig_families",
        lambda: ["Noto Sans CJK JP", "Noto Sans CJK SC", "Noto Serif CJK SC"],
    )
    found = fonts.find()
    assert found.source == "fontconfig"
    assert found.faces == ()
    assert found.song == ("Noto Serif CJK SC", "Noto Sans CJK SC")
    assert found.hei == ("Noto Sans CJK SC", "Noto Serif CJK SC")


def test_no_chinese_font_at_all(tmp_path, monkeypatch, settings):
    settings.REPORT_FONT_DIR = tmp_path
    fake_font(tmp_path / fonts.SONG_FILE)  # one of two files is not enough
    (tmp_path / fonts.HEI_FILE).write_text("<html>not a font</html>")
    monkeypatch.setattr(fonts, "_fontconfig_families", lambda: [])
    assert fonts.find() is None
    with pytest.raises(fonts.NoCJKFont) as refused:
        fonts.require()
    assert "系统未安装报表所需的中文字体" in refused.value.message


def test_fontconfig_is_asked_what_covers_simplified_chinese():
    names = fonts._fontconfig_families()
    # the machines this runs on have Debian's fonts-noto-cjk (scripts/system-deps.sh)
    assert "Noto Sans CJK SC" in names


def test_without_a_font_the_pdf_is_refused_rather_than_printed_in_boxes(office, monkeypatch):
    period = quarter(office, incidents=False)
    monkeypatch.setattr(fonts, "find", lambda: None)
    with pytest.raises(fonts.NoCJKFont):
        documents.bulletin(period)


# --- the fonts really print ------------------------------------------------------------------


def test_a_pdf_made_with_the_system_font_embeds_it(office, tmp_path, settings):
    settings.REPORT_FONT_DIR = tmp_path / "nothing"
    period = quarter(office, incidents=False)
    content = documents.personal(period, office.person).content
    names = [f["name"] for f in pdf_fonts(content, tmp_path)]
    assert any("Noto-Serif-CJK-SC" in n for n in names), names
    assert any("Noto-Sans-CJK-SC-Bold" in n for n in names), names


def test_a_font_file_put_in_the_font_folder_is_embedded(office, tmp_path, settings, caplog):
    folder = tmp_path / "fonts"
    folder.mkdir()
    # Any whole font file will do, collections included (the templates say lang="zh-CN").
    (folder / fonts.SONG_FILE).symlink_to(SYSTEM_CJK / "NotoSerifCJK-Regular.ttc")
    (folder / fonts.HEI_FILE).symlink_to(SYSTEM_CJK / "NotoSansCJK-Bold.ttc")
    settings.REPORT_FONT_DIR = folder
    caplog.set_level(logging.WARNING, logger="weasyprint")
    period = quarter(office, incidents=False)
    content = documents.personal(period, office.person).content
    names = [f["name"] for f in pdf_fonts(content, tmp_path)]
    assert any("EA-Report-Song" in n for n in names), names
    assert any("EA-Report-Hei" in n for n in names), names
    assert not [r for r in caplog.records if "notdef" in r.getMessage()]


def test_rare_characters_of_names_print(office, tmp_path, caplog):
    from .factories import make_staff

    caplog.set_level(logging.WARNING, logger="weasyprint")
    rare = make_staff(office.a, "王䶮", "001066")
    period = quarter(office, incidents=False, state="open")
    text_pdf = documents.personal(period, rare).content
    assert not [r for r in caplog.records if "notdef" in r.getMessage()]
    assert text_pdf.startswith(b"%PDF-")


# --- the start-up check ----------------------------------------------------------------------


def test_the_system_check_warns_without_a_chinese_font(monkeypatch):
    monkeypatch.setattr(fonts, "find", lambda: None)
    messages = checks.run_checks(tags=["reports"])
    assert [m.id for m in messages] == ["efficiency.W501"]
    assert messages[0].msg == (
        "未安装报表所需的中文字体：在安装之前，所有 PDF 报表都将无法生成（页面会说明原因）。"
    )
    assert "python -m efficiency.reports.fonts install" in messages[0].hint


def test_the_system_check_warns_without_harfbuzz_subset(monkeypatch):
    monkeypatch.setattr(fonts, "harfbuzz_subset_available", lambda: False)
    messages = checks.run_checks(tags=["reports"])
    assert [m.id for m in messages] == ["efficiency.W502"]
    assert messages[0].hint == "请安装 Debian 的 libharfbuzz-subset0 软件包。"


def test_the_system_check_is_quiet_on_a_set_up_machine():
    assert checks.run_checks(tags=["reports"]) == []


# --- installing ------------------------------------------------------------------------------


def test_install_without_npm_says_what_to_do(tmp_path, monkeypatch, settings):
    monkeypatch.setattr(fonts.shutil, "which", lambda name: None)
    with pytest.raises(RuntimeError) as failed:
        fonts.install(tmp_path)
    assert "fonts-noto-cjk" in str(failed.value)
    settings.REPORT_FONT_DIR = tmp_path
    assert fonts.main(["install"]) == 1
    assert fonts.main(["install", "--optional"]) == 0


def test_install_fetches_with_npm_checks_the_sum_and_puts_the_file_in_place(tmp_path, monkeypatch):
    font = b"\x00\x01\x00\x00 a whole font file"
    packed = io.BytesIO()
    with tarfile.open(fileobj=packed, mode="w:gz") as archive:
        for name, data in [
            ("package/400Regular/Font_400Regular.ttf", font),
            ("package/LICENSE_FONT", b"SIL Open Font License 1.1"),
        ]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    tarball = tmp_path / "font-1.0.0.tgz"
    tarball.write_bytes(packed.getvalue())
    npm = tmp_path / "bin" / "npm"
    npm.parent.mkdir()
    # A stand-in for npm pack: copies the tarball into --pack-destination.
    npm.write_text(
        f'#!/bin/sh\nwhile [ "$1" != "--pack-destination" ]; do shift; done\ncp {tarball} "$2"/\n'
    )
    npm.chmod(npm.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{npm.parent}{os.pathsep}{os.environ['PATH']}")
    download = fonts.Download(
        package="font@1.0.0",
        member="package/400Regular/Font_400Regular.ttf",
        target="Font-Regular.ttf",
        sha256=hashlib.sha256(font).hexdigest(),
    )
    monkeypatch.setattr(fonts, "DOWNLOADS", (download,))
    target = tmp_path / "fonts"
    out = io.StringIO()
    fonts.install(target, out=out)
    assert (target / "Font-Regular.ttf").read_bytes() == font
    assert (target / "Font-Regular-OFL.txt").read_bytes() == b"SIL Open Font License 1.1"
    assert fonts.installed(target)
    fonts.install(target, out=out)  # a second run finds them in place
    assert "in place" in out.getvalue()
    # a file that does not match the pinned sum is refused
    monkeypatch.setattr(
        fonts, "DOWNLOADS", (fonts.Download(**{**download.__dict__, "sha256": "0" * 64}),)
    )
    with pytest.raises(RuntimeError, match="SHA-256"):
        fonts.install(tmp_path / "other")
    assert not (tmp_path / "other" / "Font-Regular.ttf").exists()


# --- the URL fetcher -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/static/efficiency/print.css",
        "https://example.com/logo.png",
        "file:///etc/passwd",
        "file:///static/../../etc/passwd",
        "file:///static/efficiency/nothing.css",
        "ftp://example.com/x",
        "file://otherhost/static/efficiency/print.css",
    ],
)
def test_the_fetcher_refuses_everything_but_our_files(url):
    fetcher = pdf.local_fetcher(frozenset())
    with pytest.raises(ValueError):
        fetcher.fetch(url)


def test_the_fetcher_reads_static_files_and_declared_fonts(tmp_path):
    font = fake_font(tmp_path / "font.ttf")
    fetcher = pdf.local_fetcher(frozenset({font}))
    css = fetcher.fetch("file:///static/efficiency/print.css")
    assert b"@page" in css.read()
    assert fetcher.fetch(font.as_uri()).read().startswith(b"\x00\x01\x00\x00")
    assert fetcher.fetch("data:text/plain,hello").read() == b"hello"


def test_a_document_cannot_reach_the_network_or_the_disk(caplog):
    caplog.set_level(logging.WARNING, logger="weasyprint")
    html = (
        '<html lang="zh-CN"><head><link rel="stylesheet" href="file:///etc/passwd">'
        '<link rel="stylesheet" href="http://127.0.0.1:9/x.css"></head>'
        '<body><p>考核</p><img src="http://127.0.0.1:9/x.png"></body></html>'
    )
    content = pdf.html_to_pdf(html)
    assert content.startswith(b"%PDF-")
    refused = " ".join(r.getMessage() for r in caplog.records)
    assert "file:///etc/passwd" in refused
    assert "127.0.0.1:9" in refused
