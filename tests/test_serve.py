"""`make serve` runs the app as in production: scripts/serve.sh starts gunicorn with DEBUG off
and hashed, collected static files, and refuses to start without a SECRET_KEY of its own."""

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from .test_settings_security import PRODUCTION, ROOT

pytestmark = pytest.mark.server


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def serve_env(tmp_path, **extra) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "DEBUG", "DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    # Its own SQLite file, whatever database the suite runs on.
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'serve.sqlite3'}",
        PY=sys.executable,
        WEB_WORKERS="1",
        WEB_ACCESS_LOG="",
        **extra,
    )
    return env


def test_it_refuses_to_start_without_a_secret_key(tmp_path):
    result = subprocess.run(
        ["sh", "scripts/serve.sh"],
        cwd=ROOT,
        env=serve_env(tmp_path, SECRET_KEY="  "),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "未设置 SECRET_KEY" in result.stderr
    assert not (tmp_path / "serve.sqlite3").exists()  # nothing ran


def test_it_serves_the_login_page_with_debug_off(tmp_path):
    port = free_port()
    log = open(tmp_path / "serve.log", "w")
    server = subprocess.Popen(
        ["sh", "scripts/serve.sh"],
        cwd=ROOT,
        env=serve_env(tmp_path, SECRET_KEY=PRODUCTION["SECRET_KEY"], PORT=str(port), DEBUG="1"),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 240
        status, page = 0, ""
        while time.monotonic() < deadline and server.poll() is None:
            try:
                status, page = fetch(f"{base}/accounts/login/")
                break
            except OSError:
                time.sleep(0.5)
        assert status == 200, (tmp_path / "serve.log").read_text()[-3000:]
        assert 'name="csrfmiddlewaretoken"' in page
        # Static files are the collected, hashed ones, served by WhiteNoise.
        css = re.search(r'href="(/static/efficiency/app\.[0-9a-f]{12}\.css)"', page)
        assert css, page
        assert fetch(base + css.group(1))[0] == 200
        # DEBUG=1 in the environment is overridden: a missing page is the plain 404, no
        # URLconf listing.
        status, missing = fetch(f"{base}/no-such-page/")
        assert status == 404
        assert "URLconf" not in missing and "DEBUG" not in missing
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
        log.close()
    assert b"gunicorn" in (tmp_path / "serve.log").read_bytes()
