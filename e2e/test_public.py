"""A visitor on the public pages: languages and scripts, a phone, accessibility, district search."""

import re

import pytest
from playwright.sync_api import expect

from e2e.pages import (
    PHONE,
    expect_assets_loaded,
    horizontal_overflow,
    shot,
    switch_language,
    t,
    unlabelled_controls,
)

pytestmark = pytest.mark.browser

# The four parks as the demo network enters them (two in Latin, one in Cyrillic) ...
PARKS_EN = ["Namangan IT Technopark", "Namangan Textile Technopark", "Chortoq Agro and Cosmetics Technopark",
            "Kosonsoy Medical Technopark"]
# ... and as an Ўзбекча reader must see them: every Uzbek name in Cyrillic.
PARKS_CYRILLIC = [re.compile(r"^Наманган (IT|ИТ) технопарки$"), re.compile(r"^Наманган тўқимачилик технопарки$"),
                  re.compile(r"^Чортоқ агро ва косметика технопарки$"), re.compile(r"^Косонсой тиббиёт технопарки$")]
LATIN_LETTERS = re.compile(r"[A-Za-z]")
CYRILLIC_LETTERS = re.compile(r"[\u0400-\u04FF]")


def park_cards(page):
    return page.get_by_role("region", name=t(page, "Technoparks")).get_by_role("article")


def test_a_visitor_reads_the_network_in_uzbek_cyrillic_and_the_choice_is_remembered(page):
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "en")  # the browser asked for English
    expect_assets_loaded(page)
    cards = park_cards(page)
    expect(cards).to_have_count(4)
    for name in PARKS_EN:
        expect(cards.get_by_role("link", name=name, exact=True)).to_be_visible()
    shot(page, "01-home-en")

    switch_language(page, "Ўзбекча")
    expect(page.locator("html")).to_have_attribute("lang", "uz-Cyrl")
    expect(page.get_by_role("button", name="Ўзбекча", exact=True)).to_have_attribute("aria-current", "true")
    cards = park_cards(page)
    expect(cards).to_have_count(4)
    for name in PARKS_CYRILLIC:
        expect(cards.get_by_role("link", name=name)).to_be_visible()
    shot(page, "02-home-uz-cyrl")

    # Remembered: a cookie, and a fresh load of another page comes back in Ўзбекча.
    cookies = {cookie["name"]: cookie["value"] for cookie in page.context.cookies()}
    assert cookies.get("django_language") == "uz-cyrl", cookies
    other = page.context.new_page()
    other.goto("/districts/")
    expect(other.locator("html")).to_have_attribute("lang", "uz-Cyrl")
    other.close()
    page.reload()
    expect(page.locator("html")).to_have_attribute("lang", "uz-Cyrl")

    # A park, then one of its facilities, still in Cyrillic.
    park_cards(page).get_by_role("link", name=PARKS_CYRILLIC[0]).click()
    expect(page).to_have_url(re.compile(r"/parks/namangan-it/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(PARKS_CYRILLIC[0])
    expect_assets_loaded(page)
    facilities = page.get_by_role("region", name=t(page, "Facilities")).get_by_role("article")
    expect(facilities).to_have_count(5)
    shot(page, "03-park-uz-cyrl")
    facilities.get_by_role("link", name="Коворкинг маркази", exact=True).click()
    expect(page).to_have_url(re.compile(r"/parks/namangan-it/facilities/\d+/$"))
    expect(page.locator("html")).to_have_attribute("lang", "uz-Cyrl")
    expect(page.get_by_role("heading", level=1)).to_have_text("Коворкинг маркази")
    breadcrumb = page.get_by_role("navigation", name=t(page, "Breadcrumb"))
    expect(breadcrumb.get_by_role("link", name=PARKS_CYRILLIC[0])).to_be_visible()
    expect_assets_loaded(page)
    shot(page, "04-facility-uz-cyrl")

    # And back to Latin: the park entered in Cyrillic is shown in Latin.
    switch_language(page, "Oʻzbekcha")
    page.goto("/")
    chortoq = park_cards(page).get_by_role("link", name="Chortoq agro va kosmetika texnoparki", exact=True)
    expect(chortoq).to_be_visible()


def test_the_cyrillic_interface_is_written_in_cyrillic(page):
    """Ўзбекча must not fall back to the Latin catalogue (Django ships no uz_Cyrl one)."""
    page.goto("/")
    switch_language(page, "Ўзбекча")
    texts = {
        "navigation": page.get_by_role("navigation", name=re.compile(".")).first.inner_text(),
        "headings": " ".join(page.get_by_role("heading", level=2).all_inner_texts()),
        "skip link": page.locator(".skip-link").inner_text(),
        "footer": page.get_by_role("contentinfo").inner_text().replace("API", ""),
    }
    latin = {where: text for where, text in texts.items() if LATIN_LETTERS.search(text.replace("Texnopark", ""))}
    assert not latin, f"Latin (untranslated) interface text on the Ўзбекча page: {latin}"
    assert all(CYRILLIC_LETTERS.search(text) for text in texts.values()), texts


def test_on_a_phone_the_pages_fit_the_screen_and_work_from_the_keyboard(open_page):
    page = open_page(viewport=PHONE, is_mobile=True, has_touch=True)
    page.goto("/")
    expect_assets_loaded(page)
    # No horizontal scroll, in every interface language (Russian and Cyrillic labels run longest).
    for language in ["Oʻzbekcha", "Ўзбекча", "Русский", "한국어", "English"]:
        switch_language(page, language)
        assert horizontal_overflow(page) <= 0, f"the home page scrolls sideways in {language}"
    shot(page, "05-home-phone")

    # Landmarks and labels.
    assert page.locator("main, [role=main]").count() == 1
    assert page.locator("nav, [role=navigation]").count() >= 1
    expect(page.get_by_role("banner")).to_have_count(1)
    expect(page.get_by_role("contentinfo")).to_have_count(1)
    assert unlabelled_controls(page) == []

    # The skip link is the first stop of the keyboard, shows itself, and leads into the content.
    page.reload()
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name=t(page, "Skip to content"))
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], f"focused skip link off screen: {box}"
    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()

    # The park page is readable: no sideways scroll, text of a readable size, headings within the screen.
    page.get_by_role("link", name="Namangan IT Technopark", exact=True).click()
    expect(page).to_have_url(re.compile(r"/parks/namangan-it/$"))
    assert horizontal_overflow(page) <= 0, "the park page scrolls sideways on a phone"
    body_px = float(page.evaluate("getComputedStyle(document.body).fontSize").removesuffix("px"))
    assert body_px >= 14, f"body text is {body_px}px on a phone"
    heading = page.get_by_role("heading", level=1).bounding_box()
    assert heading and heading["x"] >= 0 and heading["x"] + heading["width"] <= PHONE["width"], heading
    for card in page.get_by_role("region", name=t(page, "Facilities")).get_by_role("article").all():
        card_box = card.bounding_box()
        assert card_box and card_box["x"] + card_box["width"] <= PHONE["width"], card_box
    assert page.locator("main, [role=main]").count() == 1
    assert unlabelled_controls(page) == []
    shot(page, "06-park-phone")

    # The other public pages and the forms a visitor meets.
    for path in ["/districts/", "/universities/", "/accounts/login/", "/accounts/signup/",
                 "/accounts/password-reset/"]:
        response = page.goto(path)
        assert response and response.ok, f"{path}: {response and response.status}"
        assert horizontal_overflow(page) <= 0, f"{path} scrolls sideways on a phone"
        assert page.locator("main, [role=main]").count() == 1, path
        assert unlabelled_controls(page) == [], path
        shot(page, "07-phone" + path.replace("/", "-").rstrip("-"))


def district_rows(page):
    return page.locator("#district-results tbody tr")


@pytest.mark.parametrize("query", ["Чартак", "Chortoq", "chortoq", "Чортоқ", "Chortoq tumani"],
                         ids=["russian", "latin", "lowercase", "cyrillic", "latin-with-tumani"])
def test_searching_districts_in_any_script_finds_chortoq_as_one_types(page, query):
    page.goto("/districts/")
    expect_assets_loaded(page)
    all_rows = district_rows(page).count()
    assert all_rows >= 12
    search = page.get_by_role("searchbox", name=t(page, "Find a district"))
    with page.expect_response(lambda r: "/districts/?" in r.url and r.request.headers.get("hx-request") == "true"):
        search.fill(query)
    expect(district_rows(page)).to_have_count(1)
    expect(district_rows(page).get_by_role("link", name="Chortoq district")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/districts/$"))  # a live search, not a page load
    if query == "Чартак":
        shot(page, "08-district-search")


def test_searching_districts_by_pressing_enter(open_page):
    page = open_page()
    page.goto("/districts/")
    page.evaluate("window.sameDocument = true")
    search = page.get_by_role("searchbox", name=t(page, "Find a district"))
    # Put the words in without an input event, so that only Enter (the form's submit) can search.
    search.evaluate("(el) => { el.value = 'Chortoq'; }")
    with page.expect_response(lambda r: "q=Chortoq" in r.url and r.request.headers.get("hx-request") == "true"):
        search.press("Enter")
    expect(district_rows(page)).to_have_count(1)
    expect(district_rows(page).get_by_role("link", name="Chortoq district")).to_be_visible()
    assert page.evaluate("window.sameDocument") is True, "Enter reloaded the whole page instead of the results"
    # A word that is no district says so.
    search.evaluate("(el) => { el.value = 'Toshkent'; }")
    search.press("Enter")
    expect(district_rows(page)).to_have_count(1)
    expect(district_rows(page)).to_contain_text(t(page, "No district matches your search."))

    # Without JavaScript, Enter submits the form as a plain GET and the page shows the result.
    plain = open_page(javascript=False)
    plain.goto("/districts/")
    search = plain.get_by_role("searchbox", name=t(plain, "Find a district"))
    search.fill("Чартак")
    search.press("Enter")
    expect(plain).to_have_url(re.compile(r"/districts/\?q=%D0%A7"))
    expect(district_rows(plain)).to_have_count(1)
    expect(district_rows(plain).get_by_role("link", name="Chortoq district")).to_be_visible()
    expect(plain.get_by_role("searchbox", name=t(plain, "Find a district"))).to_have_value("Чартак")
    expect_assets_loaded(plain, javascript=False)
