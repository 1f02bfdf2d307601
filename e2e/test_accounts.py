"""A person signs up and uses the API with a personal token they can revoke."""

import re

import pytest
from playwright.sync_api import expect

from e2e.pages import by_label, close_menu, expect_assets_loaded, open_menu, shot, t, unlabelled_controls

pytestmark = pytest.mark.browser

EMAIL = "dilnoza.e2e@example.uz"
PASSWORD = "Yangi-parol-2026!"


def expect_signed_in(page) -> None:
    """"Sign out" is in the header's "Mine" menu (closed again afterwards, to free the page)."""
    mine = open_menu(page, "Mine")
    expect(mine.get_by_role("button", name=t(page, "Sign out"))).to_be_visible()
    close_menu(mine)


def test_a_new_person_signs_up_creates_an_api_token_uses_it_and_revokes_it(page, playwright, live_server):
    page.goto("/accounts/signup/")
    expect_assets_loaded(page)
    assert unlabelled_controls(page) == []
    by_label(page, t(page, "Full name")).fill("Dilnoza Rahimova")
    by_label(page, t(page, "E-mail")).fill(EMAIL)
    by_label(page, t(page, "Password")).fill(PASSWORD)
    by_label(page, t(page, "Password again")).fill(PASSWORD)
    shot(page, "20-signup")
    page.get_by_role("button", name=t(page, "Create the account")).click()

    # Signed in, on the profile page.
    expect(page).to_have_url(re.compile(r"/accounts/profile/$"))
    expect(page.get_by_role("status")).to_contain_text(t(page, "Welcome! Your account is ready."))
    expect(page.get_by_role("main")).to_contain_text(EMAIL)
    expect_signed_in(page)
    tokens = page.get_by_role("region", name=t(page, "API tokens"))
    expect(tokens.get_by_role("row")).to_have_count(2)  # the header, and "No tokens yet."
    expect(tokens).to_contain_text(t(page, "No tokens yet."))

    # A token, shown once.
    by_label(tokens, t(page, "Token name")).fill("reporting script")
    tokens.get_by_role("button", name=t(page, "Create a token")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t(page, "Your new API token"))
    token = page.locator("#new-token").inner_text().strip()
    assert len(token) >= 30 and " " not in token, token
    shot(page, "21-token-created")

    api = playwright.request.new_context(base_url=live_server.url)  # no cookies: only the token speaks
    try:
        me = api.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
        assert me.status == 200, me.text()
        assert me.json()["email"] == EMAIL
        assert me.json()["full_name"] == "Dilnoza Rahimova"

        page.get_by_role("link", name=t(page, "Back to your profile")).click()
        tokens = page.get_by_role("region", name=t(page, "API tokens"))
        row = tokens.get_by_role("row").filter(has_text="reporting script")
        expect(row).to_have_count(1)
        expect(row).to_contain_text(token[:6])
        expect(page.get_by_text(token)).to_have_count(0)  # never shown again
        assert token not in page.content()
        shot(page, "22-profile-with-token")

        row.get_by_role("button", name=t(page, "Revoke")).click()
        expect(page).to_have_url(re.compile(r"/accounts/profile/$"))
        expect(page.get_by_role("status")).to_contain_text(t(page, "The token was revoked."))
        row = page.get_by_role("region", name=t(page, "API tokens")).get_by_role("row").filter(
            has_text="reporting script")
        expect(row).to_contain_text(t(page, "revoked"))
        expect(row.get_by_role("button")).to_have_count(0)

        refused = api.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
        assert refused.status == 401, refused.text()
        assert set(refused.json()) == {"code", "message", "fields"}, refused.json()
        # A made-up token is refused the same way.
        made_up = api.get("/api/v1/me", headers={"Authorization": "Bearer not-a-real-token"})
        assert made_up.status == 401
    finally:
        api.dispose()
