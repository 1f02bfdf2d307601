"""Signing up, signing in and out, and resetting a forgotten password."""

import os
import re

import pytest
from django.conf import settings
from django.contrib.auth import authenticate
from django.urls import reverse

from texnopark.accounts.models import User
from texnopark.core.models import AuditEntry

pytestmark = pytest.mark.django_db

SIGNUP = {"full_name": "Bekzod Tursunov", "email": "Bekzod@Example.uz", "password": "choyxona-2026-kech",
          "password_again": "choyxona-2026-kech"}


def signed_in_email(client):
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id).email if user_id else None


def test_a_visitor_signs_up_and_is_signed_in(client):
    response = client.post(reverse("accounts:signup"), SIGNUP, HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 302
    assert response.url == reverse("accounts:profile")
    user = User.objects.get(email="bekzod@example.uz")
    assert user.full_name == "Bekzod Tursunov"
    assert user.check_password("choyxona-2026-kech")
    assert user.language == "ru"  # the language they were reading in
    assert signed_in_email(client) == "bekzod@example.uz"
    assert AuditEntry.objects.filter(action="accounts.user.signed_up", object_id=str(user.pk)).exists()


def test_signing_up_with_a_registered_email_says_so_and_keeps_the_typed_name(client):
    before = User.objects.count()
    client.cookies["django_language"] = "en"
    response = client.post(reverse("accounts:signup"), {**SIGNUP, "email": "IT.Manager@demo.texnopark.uz"})
    assert response.status_code == 200
    assert User.objects.count() == before
    assert list(response.context["form"].errors) == ["email"]
    html = response.content.decode()
    assert "This e-mail is already registered." in html
    assert 'value="Bekzod Tursunov"' in html
    assert signed_in_email(client) is None


def test_two_different_passwords_are_refused(client):
    response = client.post(reverse("accounts:signup"), {**SIGNUP, "password_again": "something-else-1"})
    assert "password_again" in response.context["form"].errors
    assert not User.objects.filter(email="bekzod@example.uz").exists()


def test_a_weak_password_is_refused(client):
    response = client.post(reverse("accounts:signup"), {**SIGNUP, "password": "12345678",
                                                        "password_again": "12345678"})
    assert "password" in response.context["form"].errors
    assert not User.objects.filter(email="bekzod@example.uz").exists()


def test_a_person_signs_in_with_their_email_in_capitals(client):
    response = client.post(reverse("accounts:login"), {"username": "IT.MANAGER@DEMO.TEXNOPARK.UZ",
                                                       "password": settings.DEMO_PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("accounts:profile")
    assert signed_in_email(client) == "it.manager@demo.texnopark.uz"


def test_signing_in_switches_to_the_language_of_the_profile(client):
    response = client.post(reverse("accounts:login"), {"username": "kosonsoy.manager@demo.texnopark.uz",
                                                       "password": settings.DEMO_PASSWORD})
    assert response.cookies["django_language"].value == "ru"


def test_a_wrong_password_gives_a_message_and_no_session(client):
    response = client.post(reverse("accounts:login"), {"username": "it.manager@demo.texnopark.uz",
                                                       "password": "not-the-password"})
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert signed_in_email(client) is None


def test_signing_in_returns_to_the_page_asked_for(client):
    response = client.post(reverse("accounts:login") + "?next=/parks/namangan-it/edit/", {
        "username": "it.manager@demo.texnopark.uz", "password": settings.DEMO_PASSWORD,
        "next": "/parks/namangan-it/edit/",
    })
    assert response.url == "/parks/namangan-it/edit/"


def test_a_person_signs_out_with_a_post(personas):
    client = personas("it_manager")
    assert client.get(reverse("accounts:logout")).status_code == 405  # a link cannot sign anyone out
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response.url == reverse("network:home")
    assert signed_in_email(client) is None
    assert client.get(reverse("accounts:profile")).status_code == 302


def reset_link(message) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/password-reset/\S+/)", message.body).group(1)


def test_a_forgotten_password_is_reset_through_the_emailed_link(client, mailoutbox, demo_user):
    response = client.post(reverse("accounts:password_reset"), {"email": "Citizen@demo.texnopark.uz"})
    assert response.status_code == 302
    assert response.url == reverse("accounts:password_reset_done")
    [message] = mailoutbox
    assert message.to == ["citizen@demo.texnopark.uz"]
    assert "Texnopark" in message.subject
    link = client.get(reset_link(message))
    assert link.status_code == 302  # Django hides the token behind a set-password address
    form = client.get(link.url)
    assert form.context["validlink"] is True
    done = client.post(link.url, {"new_password1": "yangi-parol-2026", "new_password2": "yangi-parol-2026"})
    assert done.status_code == 302
    assert done.url == reverse("accounts:login")
    assert authenticate(username="citizen@demo.texnopark.uz", password="yangi-parol-2026") == demo_user("citizen")
    assert authenticate(username="citizen@demo.texnopark.uz", password=settings.DEMO_PASSWORD) is None
    # The link works once.
    assert client.get(reset_link(message)).status_code == 200


def test_a_reset_for_an_unknown_email_sends_nothing_and_says_the_same(client, mailoutbox):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.uz"})
    assert response.status_code == 302
    assert response.url == reverse("accounts:password_reset_done")
    assert mailoutbox == []


def test_mail_goes_to_the_console_by_default():
    # pytest-django swaps in the memory backend; the configured default is the console.
    from config import settings as project_settings

    if os.environ.get("EMAIL_HOST") or os.environ.get("EMAIL_BACKEND"):
        pytest.skip("mail is configured from the environment")
    assert project_settings.EMAIL_BACKEND == "django.core.mail.backends.console.EmailBackend"
