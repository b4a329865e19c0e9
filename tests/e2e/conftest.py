"""Real Chromium (Debian's /usr/bin/chromium) driven by Playwright against the live server.

Never downloads a browser: Playwright is pointed at the system Chromium, with the flags that
keep it off the network. A failing test leaves a screenshot in test-artifacts/.

Every page a test opens must pass the Content Security Policy: a violation the browser reports
(an inline script or style="" the policy blocked) fails the test at its end.
"""

import os
from pathlib import Path

import pytest

# pytest-django's live server and Playwright's sync API share the test thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-gpu",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make system-test-deps` (as root).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


FAILED = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call" and report.failed:
        item.stash[FAILED] = True
    return report


# Run in every page before its own scripts (Playwright's init scripts are not subject to the
# page's policy): each violation is written to the console, where the fixture below sees it.
CSP_WATCH = """
document.addEventListener("securitypolicyviolation", function (event) {
  console.error("CSP violation: " + event.effectiveDirective + " blocked "
    + (event.blockedURI || "inline") + " in " + event.documentURI
    + " (" + (event.sourceFile || "") + ":" + event.lineNumber + ")");
}, true);
"""


def is_csp_violation(text: str) -> bool:
    # Ours (CSP_WATCH), and Chromium's own "Refused to ... Content Security Policy" messages.
    return text.startswith("CSP violation:") or "Content Security Policy" in text


@pytest.fixture
def csp_violations() -> list[str]:
    """The CSP violations seen so far in this test's browser; any left at the end fail it."""
    return []


@pytest.fixture
def page(browser, request, live_server, csp_violations):
    context = browser.new_context(
        viewport={"width": 1366, "height": 768}, locale="zh-CN", base_url=live_server.url
    )
    context.add_init_script(CSP_WATCH)
    page = context.new_page()
    page.on(
        "console",
        lambda message: (
            csp_violations.append(message.text) if is_csp_violation(message.text) else None
        ),
    )
    page.set_default_timeout(10_000)
    # Confirmation dialogs are answered "OK", as the person clicking would.
    page.on("dialog", lambda dialog: dialog.accept())
    yield page
    if request.node.stash.get(FAILED, False):
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTIFACTS / f"{request.node.name}.png", full_page=True)
    context.close()
    if csp_violations:
        pytest.fail(
            "The Content Security Policy blocked something:\n" + "\n".join(csp_violations),
            pytrace=False,
        )


def log_in(page, username: str, password: str = "pw-for-tests-2026") -> None:
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/")
