"""Shared test fixtures: the demo network, loaded once, and a persona per role."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

PERSONAS = {
    "platform": "platform",
    "region_admin": "region.admin",
    "it_manager": "it.manager",
    "it_staff": "it.staff",
    "chortoq_manager": "chortoq.manager",
    "kosonsoy_manager": "kosonsoy.manager",
    "chust_centre": "chust.centre",
    "expert": "expert",
    "resident": "resident",
    "researcher": "researcher",
    "lab": "lab",
    "partner": "partner",
    "citizen": "citizen",
}


def pytest_configure(config):
    # Fast hashing: tests sign in hundreds of times.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Tests read English unless they choose a language (cookie, Accept-Language, override).
    settings.LANGUAGE_CODE = "en"
    # Templates find static files without a collectstatic manifest.
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    # WhiteNoise warns at every request when the collected-static folder does not exist yet.
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_demo", quiet_accounts=True)


@pytest.fixture
def demo_user(db):
    from texnopark.accounts.models import User

    def get(persona: str):
        return User.objects.get(email=f"{PERSONAS[persona]}@demo.texnopark.uz")

    return get


@pytest.fixture
def personas(client, demo_user):
    """personas("it_manager") -> a test client signed in as that demo person; "anonymous" signs out."""

    def sign_in(persona: str):
        client.logout()
        if persona != "anonymous":
            client.force_login(demo_user(persona))
        return client

    return sign_in


@pytest.fixture(autouse=True)
def english_unless_chosen():
    """Each test starts in English: a page request leaves its language active in the thread."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()
