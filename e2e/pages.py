"""What the browser tests share: translated labels, screenshots, sign-in, page checks."""

import re
from pathlib import Path

from django.utils import translation
from django.utils.text import capfirst
from playwright.sync_api import expect

SHOTS = Path("/tmp/e2e-shots")
DEMO_PASSWORD = "texnopark-demo"
PHONE = {"width": 390, "height": 844}

# <html lang> (BCP 47) back to the Django language code, to read the page's own catalogue.
DJANGO_LANGUAGE = {"uz-Latn": "uz", "uz-Cyrl": "uz-cyrl", "ru": "ru", "en": "en", "ko": "ko"}

# What every page must load: the CSS framework, our CSS and htmx, all vendored.
ASSETS = ("/static/vendor/pico-", "/static/css/texnopark.css", "/static/vendor/htmx-")


def demo_email(persona: str) -> str:
    return f"{persona}@demo.texnopark.uz"


def page_language(page) -> str:
    return DJANGO_LANGUAGE[page.locator("html").get_attribute("lang")]


def t(page, message: str) -> str:
    """The interface string as the page's language translates it (the catalogue the server uses)."""
    with translation.override(page_language(page)):
        return translation.gettext(message)


def field_label(page, model, field: str) -> str:
    """A model form field's label as the page shows it (the verbose name, capitalised)."""
    with translation.override(page_language(page)):
        return capfirst(str(model._meta.get_field(field).verbose_name))


def by_label(scope, text: str):
    """The form control labelled exactly `text` (a required field's label ends in a decorative "*")."""
    return scope.get_by_label(re.compile(rf"^\s*{re.escape(text)}(\s*\*)?\s*$"))


def shot(page, name: str) -> None:
    """A full-page screenshot for people to look at (not asserted)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def expect_assets_loaded(page, *, javascript: bool = True) -> None:
    """The page loaded the vendored CSS and htmx with 200, and both took effect."""
    statuses = page.evaluate(
        "performance.getEntriesByType('resource').map(e => [new URL(e.name).pathname, e.responseStatus])"
    )
    for asset in ASSETS:
        if asset.startswith("/static/vendor/htmx") and not javascript:
            continue
        loaded = [status for path, status in statuses if path.startswith(asset)]
        assert loaded and all(status == 200 for status in loaded), f"{asset} on {page.url}: {statuses}"
    # Our stylesheet applies (the skip link is moved off screen) and Pico's does (body has its font).
    assert page.evaluate("getComputedStyle(document.querySelector('.skip-link')).position") == "absolute"
    assert "system-ui" in page.evaluate("getComputedStyle(document.body).fontFamily")
    if javascript:
        assert page.evaluate("typeof window.htmx") == "object", f"htmx is not running on {page.url}"


def sign_in(page, persona: str) -> None:
    """Sign in through the form, as a person would; lands on the profile page."""
    page.goto("/accounts/login/")
    by_label(page, t(page, "E-mail")).fill(demo_email(persona))
    by_label(page, t(page, "Password")).fill(DEMO_PASSWORD)
    page.get_by_role("main").get_by_role("button", name=t(page, "Sign in")).click()
    page.wait_for_url(re.compile(r"/accounts/profile/$"))


def open_menu(page, name: str):
    """Open a dropdown menu of the header ("More", "Manage", "Mine") by its summary, as the page words it.

    Returns the menu (its links are visible then). A menu already open stays open: a second click would
    close it. While a menu is open, Pico lays its summary over the whole window (a click anywhere closes
    it), so close it with `close_menu` before using the page itself."""
    summary = page.get_by_role("navigation", name=t(page, "Main")).locator("details.dropdown > summary").filter(
        has_text=re.compile(rf"^\s*{re.escape(t(page, name))}\s*$"))
    expect(summary).to_have_count(1)
    menu = summary.locator("xpath=..")
    if menu.get_attribute("open") is None:
        summary.click()
    expect(menu).to_have_attribute("open", "")
    return menu


def close_menu(menu) -> None:
    """Close an open header menu, as a click beside it does."""
    menu.locator("summary").click()
    expect(menu).not_to_have_attribute("open", "")


def switch_language(page, label: str) -> None:
    """Press a language button in the header and wait for the page to come back in it."""
    lang = {"Oʻzbekcha": "uz-Latn", "Ўзбекча": "uz-Cyrl", "Русский": "ru", "English": "en", "한국어": "ko"}[label]
    with page.expect_navigation():
        switcher = page.get_by_role("group", name=t(page, "Interface language"))
        switcher.get_by_role("button", name=label, exact=True).click()
    assert page.locator("html").get_attribute("lang") == lang


UNLABELLED_CONTROLS_JS = """() => [...document.querySelectorAll('input, select, textarea, button')]
  .filter(el => !(el.type === 'hidden'))
  .filter(el => {
    if (el.tagName === 'BUTTON') return !(el.textContent.trim() || el.getAttribute('aria-label'));
    if (el.labels && [...el.labels].some(l => l.textContent.trim())) return false;
    if (el.getAttribute('aria-label')) return false;
    const by = el.getAttribute('aria-labelledby');
    return !(by && by.split(/\\s+/).some(id => document.getElementById(id)?.textContent.trim()));
  })
  .map(el => el.outerHTML.slice(0, 120))"""


def unlabelled_controls(page) -> list[str]:
    return page.evaluate(UNLABELLED_CONTROLS_JS)


def horizontal_overflow(page) -> int:
    """How many CSS pixels the page is wider than the window (0 when there is no horizontal scroll)."""
    return page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")

