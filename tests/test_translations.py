"""The Chinese catalogue (locale/zh_Hans) is complete, well-formed and actually used.

Simplified Chinese is what users see by default, so a string added to the code or a template
without a translation would show up in English. ``test_catalogue_covers_the_source`` regenerates
the catalogue from a scratch copy of the source tree and fails on any string left untranslated.
Fix a failure with ``manage.py makemessages -l zh_Hans --ignore=.venv --ignore=tests
--ignore=bench --ignore=staticfiles --no-location``, then fill the new ``msgstr`` (see
the shared DOMAIN.md for the vocabulary).
"""

import ast
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import translation
from django.utils.translation import gettext, ngettext, pgettext

from efficiency.models.incidents import (
    HandlingDecision,
    IncidentKind,
    IncidentStatus,
    ResultUse,
    Severity,
)

ROOT = Path(settings.BASE_DIR)
PO_PATH = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
MAKEMESSAGES_ARGS = [
    "makemessages",
    "-l",
    "zh_Hans",
    "--ignore=.venv",
    "--ignore=tests",
    "--ignore=bench",
    "--ignore=staticfiles",
    "--no-location",
    "--verbosity=0",
]


# --- a tiny .po reader -------------------------------------------------------------------------


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)

    @property
    def label(self) -> str:
        return f"[{self.msgctxt}] {self.msgid!r}" if self.msgctxt else repr(self.msgid)

    @property
    def translations(self) -> list[str]:
        return [self.msgstr[i] for i in sorted(self.msgstr)] or [""]


_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")\s*$')


def parse_po(path: Path) -> list[Entry]:
    """Entries in file order, the header (msgid "") first; obsolete ``#~`` entries are skipped."""
    entries: list[Entry] = []
    entry = Entry()
    started = False
    target: tuple[str, int | None] | None = None

    def finish() -> None:
        nonlocal entry, started, target
        if started:
            entries.append(entry)
        entry, started, target = Entry(), False, None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line:
            finish()
        elif line.startswith("#~"):
            continue
        elif line.startswith("#,"):
            if started:  # comments open a new entry
                finish()
            entry.flags.update(f.strip() for f in line[2:].split(",") if f.strip())
        elif line.startswith("#"):
            if started:
                finish()
        elif match := _KEYWORD.match(line):
            keyword, index, quoted = match.groups()
            if keyword in ("msgctxt", "msgid") and started and target and target[0] == "msgstr":
                finish()  # entries not separated by a blank line
            started = True
            value = ast.literal_eval(quoted)
            if keyword.startswith("msgstr"):
                target = ("msgstr", int(index) if index is not None else 0)
                entry.msgstr[target[1]] = value
            else:
                target = (keyword, None)
                setattr(entry, keyword, value)
        elif line.startswith('"') and target:
            value = ast.literal_eval(line)
            if target[0] == "msgstr":
                entry.msgstr[target[1]] += value
            else:
                setattr(entry, target[0], getattr(entry, target[0]) + value)
        else:
            raise AssertionError(f"{path}:{number}: cannot read {raw!r}")
    finish()
    return entries


def untranslated(entries: list[Entry]) -> list[str]:
    return [e.label for e in entries if e.msgid and (not all(e.translations) or "fuzzy" in e.flags)]


# --- the committed catalogue ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def entries() -> list[Entry]:
    assert PO_PATH.exists(), f"{PO_PATH} is missing"
    return parse_po(PO_PATH)


def test_header(entries):
    header = entries[0]
    assert header.msgid == "", "the catalogue must start with its header"
    assert "fuzzy" not in header.flags
    text = header.msgstr[0]
    assert "Language: zh_Hans\n" in text
    assert "Plural-Forms: nplurals=1; plural=0;\n" in text
    assert "charset=UTF-8" in text
    assert "Project-Id-Version: efficiency\n" in text


def test_every_entry_is_translated_and_none_is_fuzzy(entries):
    assert len(entries) > 200
    assert not untranslated(entries), "untranslated or fuzzy entries"


def test_no_duplicate_entries(entries):
    keys = [e.key for e in entries]
    assert len(keys) == len(set(keys))


PLACEHOLDER = re.compile(r"%\([A-Za-z_]\w*\)[sd]|__[A-Z]+__|</?[a-z]+>")


def test_placeholders_and_markup_are_kept(entries):
    wrong = []
    for e in entries[1:]:
        expected = sorted(PLACEHOLDER.findall(e.msgid))
        for text in e.translations:
            if sorted(PLACEHOLDER.findall(text)) != expected:
                wrong.append(f"{e.label} -> {text!r}")
    assert not wrong, "placeholders differ:\n" + "\n".join(wrong)


# ASCII punctuation touching a Chinese character: Chinese text takes full-width ，。：；（）？！“”
HALF_WIDTH_NEXT_TO_HAN = re.compile(r"[\u4e00-\u9fff][,.:;?!()\"']|[,:;?!()\"'][\u4e00-\u9fff]")


def test_chinese_text_uses_full_width_punctuation(entries):
    wrong = [
        f"{e.label} -> {text!r}"
        for e in entries[1:]
        for text in e.translations
        if HALF_WIDTH_NEXT_TO_HAN.search(text)
    ]
    assert not wrong, "half-width punctuation in Chinese text:\n" + "\n".join(wrong)


# --- the catalogue against the source ------------------------------------------------------------


def regenerate(tmp_path: Path, extra_template: str | None = None) -> list[Entry]:
    """Run makemessages in a scratch copy of the source tree and read the catalogue it leaves."""
    if not (shutil.which("xgettext") and shutil.which("msgmerge")):
        pytest.fail("GNU gettext (xgettext, msgmerge) is needed: apt-get install gettext")
    tree = tmp_path / "src"
    skip = shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo")
    for name in ("efficiency", "templates", "locale"):
        shutil.copytree(ROOT / name, tree / name, ignore=skip)
    shutil.copy2(ROOT / "manage.py", tree / "manage.py")
    if extra_template is not None:
        (tree / "templates" / "zz_translation_probe.html").write_text(extra_template)

    original = PO_PATH.read_bytes()
    result = subprocess.run(
        [sys.executable, "manage.py", *MAKEMESSAGES_ARGS],
        cwd=tree,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert PO_PATH.read_bytes() == original, "makemessages must run on the copy only"

    fresh = parse_po(tree / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po")
    assert len(fresh) > 200, "makemessages found no strings: did it scan the copy?"
    return fresh


def test_catalogue_covers_the_source(tmp_path):
    """Nothing in the code or the templates may be left untranslated (a new or reworded string
    shows up here with an empty or fuzzy msgstr)."""
    missing = untranslated(regenerate(tmp_path))
    assert not missing, (
        "strings in the code or templates without a Chinese translation:\n  " + "\n  ".join(missing)
    )


def test_the_coverage_check_catches_a_new_string(tmp_path):
    probe = "A string nobody has translated yet"
    fresh = regenerate(tmp_path, '{% load i18n %}{% translate "' + probe + '" %}')
    assert repr(probe) in untranslated(fresh)


# --- the catalogue at run time -------------------------------------------------------------------


@pytest.fixture
def compiled_catalogue(tmp_path):
    """The .po as it is now, compiled into a scratch locale dir (the .mo is not committed and may
    be stale); msgfmt --check also validates the python-format placeholders."""
    if not shutil.which("msgfmt"):
        pytest.fail("GNU gettext (msgfmt) is needed: apt-get install gettext")
    target = tmp_path / "locale" / "zh_Hans" / "LC_MESSAGES"
    target.mkdir(parents=True)
    result = subprocess.run(
        ["msgfmt", "--check", "-o", str(target / "django.mo"), str(PO_PATH)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    with override_settings(LOCALE_PATHS=[tmp_path / "locale"]):
        yield


def test_default_language_is_simplified_chinese():
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert translation.to_locale(settings.LANGUAGE_CODE) == "zh_Hans"


@pytest.mark.usefixtures("compiled_catalogue")
def test_key_strings_in_chinese():
    with translation.override("zh-hans"):
        assert gettext("Three-errors incidents") == "三误事件"
        assert gettext("Record an incident") == "登记事件"
        assert gettext("Efficiency appraisal") == "效能考核"
        assert gettext("Roster") == "人员名册"
        assert gettext("Verify (establish)") == "认定"
        assert gettext("Dismiss") == "不予认定"
        assert gettext("No delays, no slips, no errors.") == "不延误、不失误、零错误。"
        assert pgettext("three errors", "Delay") == "延误"
        assert [str(k.label) for k in IncidentKind] == ["延误", "失误", "错误"]
        assert [str(s.label) for s in Severity] == ["一般", "较重", "严重"]
        assert [str(s.label) for s in IncidentStatus] == ["已登记", "已认定", "已处理", "不予认定"]
        assert [str(d.label) for d in HandlingDecision] == [
            "提醒谈话",
            "批评教育",
            "责令书面检查",
            "通报批评",
            "诫勉谈话",
            "取消年度评优资格",
            "调整岗位",
        ]
        assert [str(u.label) for u in ResultUse][1:] == ["评优", "晋升", "问责"]
        assert gettext("Incident %(number)s verified.") % {"number": "2026-0001"} == (
            "事件2026-0001已认定。"
        )
        one = "You have recorded %(counter)s incident."
        many = "You have recorded %(counter)s incidents."
        for n in (1, 3):
            assert ngettext(one, many, n) % {"counter": n} == f"您已登记{n}起事件。"


@pytest.mark.usefixtures("compiled_catalogue")
def test_english_stays_english():
    with translation.override("en"):
        assert gettext("Three-errors incidents") == "Three-errors incidents"
        assert pgettext("three errors", "Delay") == "Delay"
        assert [str(s.label) for s in Severity] == ["Minor", "Serious", "Grave"]
        assert str(IncidentStatus.DISMISSED.label) == "Dismissed"
        assert str(HandlingDecision.REMINDER_TALK.label) == "Reminder talk"


@pytest.mark.django_db
@pytest.mark.usefixtures("compiled_catalogue")
def test_login_page_speaks_chinese_by_default_and_english_on_request(client):
    page = client.get("/accounts/login/").content.decode()
    assert "登录" in page and "效能考核" in page
    assert "Log in" not in page
    english = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Log in" in english
