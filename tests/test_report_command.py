"""``manage.py report_pdf KIND --period P [--staff | --section | --all] -o FILE``."""

import zipfile

import pytest

from efficiency.management.commands.report_pdf import Command

from .report_support import pdf_text, quarter, squeeze


@pytest.fixture(autouse=True)
def keep_the_test_connection(monkeypatch):
    # run_from_argv closes every connection when it ends, as a real process would.
    monkeypatch.setattr("django.core.management.base.connections.close_all", lambda: None)


@pytest.fixture
def report_pdf(capsys, tmp_path, monkeypatch):
    """Run the command as from a shell in tmp_path: (exit status, stdout, stderr)."""
    monkeypatch.chdir(tmp_path)

    def run(*args: str) -> tuple[int, str, str]:
        try:
            Command().run_from_argv(["manage.py", "report_pdf", *args])
            status = 0
        except SystemExit as exit_:
            status = exit_.code
        out, err = capsys.readouterr()
        return status, out, err

    return run


@pytest.fixture
def period(office):
    return quarter(office)


def test_personal_form_of_one_person(period, report_pdf, tmp_path):
    status, out, err = report_pdf(
        "personal", "--period", "2026Q3", "--staff", "001001", "-o", "form.pdf"
    )
    assert (status, err) == (0, "")
    assert out.startswith("已生成 form.pdf（")
    assert "王建国" in squeeze(pdf_text((tmp_path / "form.pdf").read_bytes(), tmp_path))


def test_without_o_the_file_gets_its_own_name(period, report_pdf, tmp_path):
    status, _out, _err = report_pdf("personal", "--period", "2026q3", "--staff", "001002")
    assert status == 0
    assert (tmp_path / "001002-李秀英-2026Q3.pdf").read_bytes().startswith(b"%PDF-")


def test_o_may_name_a_folder(period, report_pdf, tmp_path):
    (tmp_path / "out").mkdir()
    status, _out, _err = report_pdf("bulletin", "--period", "2026Q3", "-o", "out")
    assert status == 0
    assert (tmp_path / "out" / "2026Q3-季度考核排名通报.pdf").exists()


def test_everyones_forms_as_one_zip(period, report_pdf, tmp_path):
    status, out, err = report_pdf(
        "personal", "--period", "2026Q3", "--all", "-o", "all.zip", "--workers", "1"
    )
    assert status == 0
    assert out.strip() == "已生成 all.zip：共 8 份个人登记表。"
    assert err.strip().endswith("8/8")
    with zipfile.ZipFile(tmp_path / "all.zip") as archive:
        assert "001001-王建国-2026Q3.pdf" in archive.namelist()
        assert len(archive.namelist()) == 8


def test_section_summary_and_every_sections_summary(period, report_pdf, tmp_path):
    status, _out, _err = report_pdf("section", "--period", "2026Q3", "--section", "MSK")
    assert status == 0
    assert (tmp_path / "2026Q3-秘书科-科室考核汇总.pdf").exists()
    status, out, _err = report_pdf("section", "--period", "2026Q3", "--all", "-o", "s.zip")
    assert status == 0
    assert out.strip() == "已生成 s.zip：共 3 份科室汇总。"
    with zipfile.ZipFile(tmp_path / "s.zip") as archive:
        assert archive.namelist() == [  # in the office's order of sections
            "2026Q3-秘书科-科室考核汇总.pdf",
            "2026Q3-综合科-科室考核汇总.pdf",
            "2026Q3-督查室-科室考核汇总.pdf",
        ]


def test_bulletin_and_annual(period, report_pdf, tmp_path):
    assert report_pdf("bulletin", "--period", "2026Q3", "-o", "b.pdf")[0] == 0
    assert report_pdf("annual", "--period", "2026", "-o", "a.pdf")[0] == 0
    assert "年度考核汇总" in squeeze(pdf_text((tmp_path / "a.pdf").read_bytes(), tmp_path))


@pytest.mark.parametrize(
    "args, message",
    [
        (
            (),
            "请指明报表类型：personal、section、bulletin、request、publicity、annual、"
            "notice、annual-form、incidents 或 clauses，例如“report_pdf bulletin --period "
            "2026Q3”。",
        ),
        (
            ("forms", "--period", "2026Q3"),
            "“forms”不是报表类型，请使用 personal、section、bulletin、request、publicity、"
            "annual、notice、annual-form、incidents 或 clauses。",
        ),
        (
            ("bulletin",),
            "请用 --period 指明考核期，例如 --period 2026Q3（年度汇总：--period 2026）。",
        ),
        (("bulletin", "--period", "2026-3"), "“2026-3”不是有效的季度，请按“2026Q3”格式填写。"),
        (("bulletin", "--period", "2025Q1"), "考核期 2025Q1 尚无考核结果。"),
        (("annual", "--period", "2026Q3"), "“2026Q3”不是有效的年度，请按“2026”格式填写。"),
        (("annual", "--period", "2025"), "2025年尚无已关闭或已锁定的季度，暂无年度汇总。"),
        (("annual", "--period", "2026", "--all"), "annual 报表不接受 --all 参数。"),
        (
            ("bulletin", "--period", "2026Q3", "--staff", "001001"),
            "bulletin 报表不接受 --staff 参数。",
        ),
        (("personal", "--period", "2026Q3"), "personal 报表须且只须指定 --staff、--all 中的一项。"),
        (
            ("personal", "--period", "2026Q3", "--staff", "001001", "--all"),
            "personal 报表须且只须指定 --staff、--all 中的一项。",
        ),
        (
            ("personal", "--period", "2026Q3", "--section", "MSK"),
            "personal 报表不接受 --section 参数。",
        ),
        (("personal", "--period", "2026Q3", "--staff", "999999"), "没有工号为 999999 的人员。"),
        (("section", "--period", "2026Q3", "--section", "NOPE"), "没有代码为 NOPE 的科室。"),
        (("section", "--period", "2026Q3"), "section 报表须且只须指定 --section、--all 中的一项。"),
        (("bulletin", "--period", "2026Q3", "-o", "missing/b.pdf"), "文件夹 missing 不存在。"),
    ],
)
def test_bad_arguments_say_what_is_wrong_and_write_nothing(
    period, report_pdf, tmp_path, args, message
):
    status, out, err = report_pdf(*args)
    assert status == 1
    assert out == ""
    assert err.strip() == f"CommandError: {message}"
    assert not [p for p in tmp_path.iterdir() if p.suffix in (".pdf", ".zip")]
