"""Browser tests: Playwright's sync API driving Debian's Chromium against pytest-django's
live_server (a real HTTP server in a thread of the test process, on the test database).

- Chromium is /usr/bin/chromium (Playwright's own browser download is not reachable).
  When it is missing the tests skip locally and FAIL in CI (MARAC_REQUIRE_SERVICES=1);
  `.ci/run` installs it.
- Playwright's sync API runs an event loop in the test's thread, so Django's guard
  against synchronous database calls from async code would refuse the factories;
  DJANGO_ALLOW_ASYNC_UNSAFE lifts it for the browser tests' process (nothing here is
  actually concurrent: the live server answers from its own thread).

Helpers: `login(page, user)`, `assert_no_serious_axe_violations(page)`,
`screenshot(page, "docs/<name>.png")`.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from tests.factories import TEST_PASSWORD

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = os.environ.get("MARAC_CHROMIUM", "/usr/bin/chromium")
SERIOUS = ("serious", "critical")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/web/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        message = f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)."
        if os.environ.get("MARAC_REQUIRE_SERVICES") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "headless": True,
            "args": ["--no-sandbox", "--disable-dev-shm-usage"]}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args, live_server):
    return {**browser_context_args, "base_url": live_server.url, "viewport": {"width": 1280, "height": 900}}


@pytest.fixture(autouse=True)
def _plain_http_cookies(settings):
    """The live server speaks plain http: cookies must not be Secure-only there."""
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False


@pytest.fixture(autouse=True)
def _page_timeout(page):
    page.set_default_timeout(15_000)
    yield


def login(page, user, password: str = TEST_PASSWORD) -> None:
    """Sign in through the sign-in page, as a person would, and land on the home page."""
    page.goto("/sign-in/")
    page.get_by_label("Username").fill(user.get_username())
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/sign-in/" not in url)


def assert_no_serious_axe_violations(page) -> None:
    """axe-core (bundled by axe-playwright-python) on the page as it is now: no serious or
    critical violation of WCAG 2.x A/AA."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": [
        "wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]}})
    serious = [violation for violation in results.response["violations"] if violation.get("impact") in SERIOUS]
    assert not serious, f"{page.url}: " + "; ".join(
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}" for v in serious)


def screenshot(page, relative_path: str) -> Path:
    """A full-page PNG under the repository (e.g. "docs/home.png") for the README."""
    path = Path(django_settings.BASE_DIR) / relative_path
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)
    return path
