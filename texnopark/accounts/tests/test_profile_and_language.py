"""The profile (name, phone, language, script) and the language switch, remembered for the next visit."""

import pytest
from django.urls import reverse
from django.utils import translation

from texnopark.accounts import services
from texnopark.accounts.models import Role
from texnopark.core.errors import AppError, NotFound
from texnopark.core.models import AuditEntry

pytestmark = pytest.mark.django_db

PROFILE = {"full_name": "Malika Yusupova", "phone": "", "language": "uz", "latin_alphabet": "latn"}


def test_the_profile_saves_a_phone_typed_with_spaces_and_dashes(personas, demo_user):
    response = personas("it_manager").post(reverse("accounts:profile"), {
        **PROFILE, "full_name": "Malika Yusupova-Karimova", "phone": "+998 90 123-45-67",
    })
    assert response.status_code == 302
    user = demo_user("it_manager")
    assert (user.full_name, user.phone) == ("Malika Yusupova-Karimova", "+998901234567")


@pytest.mark.parametrize("phone", ["+7 999 123 45 67", "901234567", "+998 90 123 45", "+998 90 123 45 678"])
def test_a_phone_not_in_the_998_format_gives_a_message_and_saves_nothing(personas, demo_user, phone):
    response = personas("it_manager").post(reverse("accounts:profile"), {
        **PROFILE, "full_name": "Another Name", "phone": phone,
    })
    assert response.status_code == 200
    assert "phone" in response.context["form"].errors
    assert 'id="id_phone_error"' in response.content.decode()
    user = demo_user("it_manager")
    assert (user.full_name, user.phone) == ("Malika Yusupova", "")


def test_saving_the_profile_records_the_change_in_the_audit_log(personas, demo_user):
    personas("it_manager").post(reverse("accounts:profile"), {**PROFILE, "phone": "+998901234567"})
    user = demo_user("it_manager")
    entries = AuditEntry.objects.filter(object_type="accounts.user", object_id=str(user.pk))
    assert [e.changes for e in entries] == [{"phone": ["", "+998901234567"]}]


def test_choosing_a_language_in_the_profile_saves_it_and_sets_the_cookie(personas, demo_user):
    response = personas("it_manager").post(reverse("accounts:profile"), {**PROFILE, "language": "uz-cyrl"})
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "uz-cyrl"
    assert demo_user("it_manager").language == "uz-cyrl"


def test_choosing_the_2026_alphabet_in_the_profile_saves_it(personas, demo_user):
    personas("it_manager").post(reverse("accounts:profile"), {**PROFILE, "latin_alphabet": "latn2026"})
    assert demo_user("it_manager").latin_alphabet == "latn2026"


def test_the_profile_lists_the_roles_of_the_person(personas):
    client = personas("it_manager")
    client.cookies["django_language"] = "uz"
    html = client.get(reverse("accounts:profile")).content.decode()
    with translation.override("uz"):
        assert str(Role.PARK_MANAGER.label) in html  # the role's label, in the reader's language
    assert "Namangan IT texnoparki" in html


def test_the_language_switch_remembers_the_choice_of_a_visitor(client):
    response = client.post(reverse("set_language"), {"language": "ru", "next": "/districts/"})
    assert response.status_code == 302
    assert response.url == "/districts/"
    assert response.cookies["django_language"].value == "ru"
    page = client.get("/districts/")
    assert page["Content-Language"] == "ru"


def test_the_language_switch_saves_the_language_of_a_signed_in_person(personas, demo_user):
    response = personas("it_manager").post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.cookies["django_language"].value == "en"
    assert demo_user("it_manager").language == "en"


def test_the_language_switch_ignores_an_unknown_language(personas, demo_user):
    response = personas("it_manager").post(reverse("set_language"), {"language": "xx", "next": "/"})
    assert response.status_code == 302
    assert "django_language" not in response.cookies
    assert demo_user("it_manager").language == "uz"


def test_the_language_switch_never_sends_a_person_to_another_site(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "https://evil.example/"})
    assert response.url == "/"


def test_the_page_after_the_switch_is_in_cyrillic(client):
    client.post(reverse("set_language"), {"language": "uz-cyrl", "next": "/"})
    response = client.get("/parks/namangan-textile/")
    assert "Наманган тўқимачилик технопарки" in response.content.decode()


def test_a_person_cannot_update_someone_elses_profile(demo_user):
    with pytest.raises(NotFound):
        services.profile_update(actor=demo_user("it_manager"), user=demo_user("citizen"), full_name="X")
    assert demo_user("citizen").full_name == "Aziza Karimova"


def test_a_bad_phone_through_the_service_is_an_app_error(demo_user):
    with pytest.raises(AppError) as error:
        services.profile_update(actor=demo_user("citizen"), user=demo_user("citizen"), phone="12345")
    assert "phone" in error.value.fields
    assert demo_user("citizen").phone == ""
