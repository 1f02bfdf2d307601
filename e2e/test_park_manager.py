"""A park manager edits their park, and only their park."""

import re

import pytest
from playwright.sync_api import expect

from e2e.pages import (
    by_label,
    expect_assets_loaded,
    field_label,
    shot,
    sign_in,
    switch_language,
    t,
    unlabelled_controls,
)
from texnopark.network.models import Technopark

pytestmark = pytest.mark.browser

NEW_NAME_EN = "Namangan Digital Valley Technopark"


def field_box(page, label: str):
    """The block of one form field: its label, input, help and errors."""
    return page.locator(".field").filter(has=by_label(page, label))


def park_fields(page) -> dict:
    return {name: by_label(page, field_label(page, Technopark, name)) for name in ("name_en", "email", "phone")}


def open_the_edit_form(page, javascript: bool) -> None:
    page.goto("/")
    page.get_by_role("link", name="Namangan IT texnoparki", exact=True).click()
    expect(page).to_have_url(re.compile(r"/parks/namangan-it/$"))
    page.get_by_role("button", name=t(page, "Edit the park")).click()
    expect(page).to_have_url(re.compile(r"/parks/namangan-it/edit/$"))
    expect_assets_loaded(page, javascript=javascript)
    assert unlabelled_controls(page) == []
    expect(park_fields(page)["name_en"]).to_have_value("Namangan IT Technopark")
    expect(page.locator("input[name=sectors]:checked")).to_have_count(3)


def submit_a_bad_email(page, javascript: bool) -> None:
    """A bad e-mail: a message beside that field, and everything typed is still there."""
    htmx_posts = []
    page.on("request", lambda r: r.method == "POST" and r.headers.get("hx-request") and htmx_posts.append(r.url))
    page.evaluate("window.sameDocument = true")
    fields = park_fields(page)
    fields["name_en"].fill(NEW_NAME_EN)
    fields["phone"].fill("+998 69 227 00 01")
    fields["email"].fill("not-an-email")
    page.get_by_role("button", name=t(page, "Save"), exact=True).click()

    errors = field_box(page, field_label(page, Technopark, "email")).locator(".errorlist")
    expect(errors).to_be_visible()
    expect(errors).to_have_text(t(page, "Enter a valid email address."))
    expect(page.locator(".errorlist")).to_have_count(1)
    fields = park_fields(page)  # (re-found: htmx swapped the form)
    expect(fields["email"]).to_have_value("not-an-email")
    expect(fields["email"]).to_have_attribute("aria-invalid", "true")
    expect(fields["name_en"]).to_have_value(NEW_NAME_EN)
    expect(fields["phone"]).to_have_value("+998 69 227 00 01")
    expect(page.locator("input[name=sectors]:checked")).to_have_count(3)
    expect(page).to_have_url(re.compile(r"/parks/namangan-it/edit/$"))
    expect(page.get_by_role("main")).to_have_count(1)
    expect(page.locator("form#park-form")).to_have_count(1)  # swapped in place, not nested
    if javascript:
        assert page.evaluate("window.sameDocument") is True, "the form was not submitted by htmx"
        assert htmx_posts and all(url.endswith("/parks/namangan-it/edit/") for url in htmx_posts), htmx_posts


@pytest.mark.parametrize("javascript", [True, False], ids=["with-htmx", "without-javascript"])
def test_the_park_manager_edits_the_park_and_a_bad_value_keeps_what_was_typed(open_page, javascript):
    way = "htmx" if javascript else "nojs"
    page = open_page(javascript=javascript)
    sign_in(page, "it.manager")
    expect(page.locator("html")).to_have_attribute("lang", "uz-Latn")  # her profile says Oʻzbekcha
    open_the_edit_form(page, javascript)
    shot(page, f"10-park-edit-{way}")

    submit_a_bad_email(page, javascript)
    shot(page, f"11-park-edit-error-{way}")

    # Put it right and save: back on the park page with a message.
    park_fields(page)["email"].fill("it@texnopark.uz")
    page.get_by_role("button", name=t(page, "Save"), exact=True).click()
    expect(page).to_have_url(re.compile(r"/parks/namangan-it/$"))
    expect(page.get_by_role("status")).to_contain_text(t(page, "The park was saved."))
    expect(page.get_by_role("heading", level=1)).to_have_text("Namangan IT texnoparki")  # Uzbek name unchanged
    expect(page.get_by_role("link", name="it@texnopark.uz")).to_be_visible()

    # The new English name, once the interface is in English.
    switch_language(page, "English")
    expect(page.get_by_role("heading", level=1)).to_have_text(NEW_NAME_EN)
    page.goto("/")
    expect(page.get_by_role("link", name=NEW_NAME_EN, exact=True)).to_be_visible()
    shot(page, f"12-park-saved-{way}")

    park = Technopark.objects.get(slug="namangan-it")
    assert (park.name_en, park.email, park.name) == (NEW_NAME_EN, "it@texnopark.uz", "Namangan IT texnoparki")


def test_another_parks_manager_gets_a_404_for_the_namangan_it_edit_page(open_page):
    page = open_page()
    sign_in(page, "kosonsoy.manager")
    # Their own park opens for editing (so the 404 below is about scope, not a broken page).
    own = page.goto("/parks/kosonsoy-medical/edit/")
    assert own and own.status == 200

    for path in ["/parks/namangan-it/edit/", "/parks/namangan-it/facilities/new/"]:
        response = page.goto(path)
        assert response and response.status == 404, f"{path}: {response and response.status}"
        expect(page.locator("form#park-form")).to_have_count(0)
        expect(page.get_by_text("Namangan")).to_have_count(0)
    # The park page itself is public, but offers them no edit button.
    page.goto("/parks/namangan-it/")
    expect(page.locator("a[href$='/edit/']")).to_have_count(0)
    page.goto("/parks/namangan-it/edit/")
    shot(page, "13-not-found")


def test_the_404_page_is_a_page_of_the_site_in_the_readers_language(open_page):
    """A person who lands outside their scope needs a way back, in their language."""
    page = open_page()
    sign_in(page, "kosonsoy.manager")  # reads in Russian
    response = page.goto("/parks/namangan-it/edit/")
    assert response and response.status == 404
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.get_by_role("main")).to_have_count(1)
    expect(page.get_by_role("link", name=t(page, "Texnopark"), exact=True)).to_be_visible()
