"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

Playwright's sync API keeps an asyncio loop running in this thread while it is started,
and Django then refuses ORM calls (SynchronousOnlyOperation) from the test, from
load_demo and from the flush after a transactional test. DJANGO_ALLOW_ASYNC_UNSAFE
allows them. It is set for exactly as long as Playwright runs (one module at a time)
and removed afterwards: set for the whole session it leaks into the environment of
other tests' subprocesses, and `manage.py check --deploy` there fails with async.E001.
"""

import os
from pathlib import Path

import pytest
from django.core.management import call_command

ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"
# Debian's Chromium; never `playwright install`. E2E_CHROMIUM points elsewhere (e.g. to check the skip).
CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
DESKTOP = {"width": 1280, "height": 900}
TIMEOUT_MS = 10_000


def unavailable(reason: str):
    """No usable browser: skip, except in CI, where the browser tests must run."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} — CI=true, so the browser tests may not be skipped", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def playwright():
    """Playwright for one test module, so that its event loop is gone when the module is done."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:  # pragma: no cover - depends on the environment
        unavailable(f"the playwright package is not installed: {error}")
    before = os.environ.get(ASYNC_UNSAFE)
    os.environ[ASYNC_UNSAFE] = "true"
    try:
        with sync_playwright() as manager:
            yield manager
    finally:
        if before is None:
            os.environ.pop(ASYNC_UNSAFE, None)
        else:
            os.environ[ASYNC_UNSAFE] = before


@pytest.fixture(scope="module")
def browser(playwright):
    from playwright.sync_api import Error

    if not Path(CHROMIUM).exists():
        unavailable(f"{CHROMIUM} is missing: install Debian's chromium package to run the browser tests")
    try:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    except Error as error:
        unavailable(f"{CHROMIUM} cannot be launched: {str(error).splitlines()[0]}")
    yield chromium
    chromium.close()


@pytest.fixture
def demo_network(live_server, transactional_db):
    """The demo network, again: the transactional test before this one flushed the database."""
    call_command("load_demo", quiet_accounts=True)


class Watch:
    """What went wrong in a page that no assertion looks at: crashes, script errors, missing files."""

    def __init__(self):
        self.problems: list[str] = []

    def attach(self, page):
        page.on("pageerror", lambda error: self.problems.append(f"script error on {page.url}: {error}"))
        page.on("response", self._response)
        page.on("requestfailed", self._failed)

    def _response(self, response):
        if response.status >= 500:
            self.problems.append(f"{response.status} from {response.request.method} {response.url}")
        elif response.status >= 400 and "/static/" in response.url:
            self.problems.append(f"static file {response.url} answered {response.status}")

    def _failed(self, request):
        if "/static/" in request.url:
            self.problems.append(f"static file {request.url} failed: {request.failure}")


@pytest.fixture
def open_page(browser, live_server, demo_network):
    """open_page(viewport=..., javascript=..., locale=...) -> a new page in a fresh browser context."""
    contexts = []
    watch = Watch()

    def make(*, viewport: dict | None = None, javascript: bool = True, locale: str = "en-US", **options):
        context = browser.new_context(
            base_url=live_server.url, viewport=viewport or DESKTOP, java_script_enabled=javascript,
            locale=locale, **options,
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        watch.attach(page)
        return page

    yield make
    for context in contexts:
        context.close()
    assert not watch.problems, "\n".join(watch.problems)


@pytest.fixture
def page(open_page):
    return open_page()
