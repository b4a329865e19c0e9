"""The set-up promise: `make run` installs what the app needs from Debian, as `make test` does,
and CI runs the calendar-sensitive tests on several days."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def dry_run(target: str) -> str:
    return subprocess.run(
        ["make", "-n", target], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout


def test_make_run_installs_the_apps_system_packages_before_serving():
    commands = dry_run("run")
    assert "scripts/system-deps.sh app" in commands
    # scripts/run.sh starts the development server (and the task worker beside it).
    assert commands.index("scripts/system-deps.sh app") < commands.index("scripts/run.sh")


def test_make_test_installs_the_browser_tests_packages():
    assert "scripts/system-deps.sh test" in dry_run("test")


def test_the_app_needs_harfbuzz_and_only_the_tests_need_chromium():
    script = (ROOT / "scripts" / "system-deps.sh").read_text()
    app_part, test_part = script.split('if [ "$mode" = test ]; then', 1)
    assert "libharfbuzz-subset0" in app_part
    assert "chromium" not in app_part and "chromium" in test_part.split("fi", 1)[0]


def test_ci_runs_the_calendar_tests_on_four_days_on_both_databases():
    ci = (ROOT / ".ci" / "run").read_text()
    assert ci.count("make test-dates") == 2
    days = dry_run("test-dates")
    for day in ("2026-01-02", "2026-06-30", "2026-12-31", "2027-03-15"):
        assert day in days


def test_a_setting_the_environment_got_wrong_is_said_without_a_traceback():
    env = {**os.environ, "LOGIN_FAILURE_LIMIT": "five"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 1
    assert "LOGIN_FAILURE_LIMIT must be a whole number, not 'five'." in result.stderr
    assert "应为整数" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_documented_excel_limits_come_from_the_environment():
    env = {**os.environ, "EXCEL_MAX_ROWS": "500", "EXCEL_MAX_UPLOAD_BYTES": "2097152"}
    code = (
        "import django; django.setup(); from efficiency.excel import reader; "
        "print(reader.max_rows(), reader.max_upload_bytes())"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "efficiency.settings"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.split() == ["500", "2097152"]
