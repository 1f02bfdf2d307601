"""The demo network: loading it again is safe, and production refuses it."""

from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import override_settings

from texnopark.accounts.models import Membership, Role, User
from texnopark.accounts.validators import NotTheDemoPasswordValidator
from texnopark.core import demo_data
from texnopark.network import services
from texnopark.network.models import (
    BusinessCentre,
    District,
    Facility,
    FacilityKind,
    Region,
    Sector,
    Technopark,
    University,
)
from texnopark.partners.models import PartnerOrganisation

pytestmark = pytest.mark.django_db

MODELS = [Region, District, Sector, FacilityKind, Technopark, Facility, BusinessCentre, University,
          PartnerOrganisation, User, Membership]


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def load():
    call_command("load_demo", quiet_accounts=True)


def test_the_demo_network_holds_the_region_its_parks_and_a_centre_in_every_district():
    assert Region.objects.get(code="UZ-NG").name == "Namangan viloyati"
    assert Technopark.objects.count() == len(demo_data.PARKS) == 4
    assert Facility.objects.count() == len(demo_data.FACILITIES)
    assert District.objects.count() == len(demo_data.DISTRICTS)
    assert all(d.business_centres.exists() for d in District.objects.all())
    assert University.objects.count() == len(demo_data.UNIVERSITIES)
    assert set(PartnerOrganisation.objects.values_list("country", flat=True)) == {"KR"}
    assert all(p.search_text for p in Technopark.objects.all())


def test_there_is_a_demo_account_for_every_role():
    roles = set(Membership.objects.filter(user__email__endswith=demo_data.DEMO_EMAIL_DOMAIN)
                .values_list("role", flat=True))
    assert roles == set(Role.values)
    assert User.objects.get(email="platform@demo.texnopark.uz").is_superuser
    assert not Membership.objects.filter(user__email="citizen@demo.texnopark.uz").exists()


def test_loading_the_demo_twice_adds_nothing():
    before = counts()
    load()
    load()
    assert counts() == before


def test_loading_the_demo_again_keeps_a_park_name_a_person_changed(demo_user):
    park = Technopark.objects.get(slug="namangan-it")
    services.park_update(actor=demo_user("it_manager"), park=park, name="Namangan IT parki",
                         sectors=[Sector.objects.get(slug="software")], planned_jobs=2000)
    load()
    park.refresh_from_db()
    assert park.name == "Namangan IT parki"
    assert park.planned_jobs == 2000
    assert [s.slug for s in park.sectors.all()] == ["software"]


def test_loading_the_demo_again_keeps_a_changed_password_and_profile(demo_user):
    user = demo_user("citizen")
    user.set_password("a-new-long-secret")
    user.full_name = "Aziza K."
    user.save()
    load()
    user.refresh_from_db()
    assert user.check_password("a-new-long-secret")
    assert user.full_name == "Aziza K."


def test_loading_the_demo_again_after_a_district_was_renamed_adds_no_second_district(demo_user):
    district = District.objects.get(soato="1714219")
    services.district_update(actor=demo_user("region_admin"), district=district, name="Pop tumani (yangi)")
    before = counts()
    load()
    assert counts() == before
    assert District.objects.get(soato="1714219").name == "Pop tumani (yangi)"


def test_loading_the_demo_again_after_a_facility_was_renamed_adds_no_second_facility(demo_user):
    facility = Facility.objects.get(name="Kovorking markazi")
    services.facility_update(actor=demo_user("it_manager"), facility=facility, name="Kovorking")
    before = counts()
    load()
    assert counts() == before


def test_loading_the_demo_prints_the_accounts_unless_asked_not_to():
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "it.manager@demo.texnopark.uz" in out.getvalue()
    assert settings.DEMO_PASSWORD in out.getvalue()
    quiet = StringIO()
    call_command("load_demo", quiet_accounts=True, stdout=quiet)
    assert "it.manager@demo.texnopark.uz" not in quiet.getvalue()


def test_the_demo_password_opens_a_demo_account_outside_production():
    assert authenticate(username="it.manager@demo.texnopark.uz", password=settings.DEMO_PASSWORD) is not None


@override_settings(PRODUCTION=True)
def test_in_production_the_demo_password_opens_no_account(demo_user):
    assert authenticate(username="it.manager@demo.texnopark.uz", password=settings.DEMO_PASSWORD) is None
    user = demo_user("citizen")
    user.set_password("a-real-long-secret")
    user.save()
    assert authenticate(username="citizen@demo.texnopark.uz", password="a-real-long-secret") == user


@override_settings(PRODUCTION=True)
def test_in_production_signing_in_with_the_demo_password_fails(client):
    response = client.post("/accounts/login/", {"username": "it.manager@demo.texnopark.uz",
                                                "password": settings.DEMO_PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


@override_settings(PRODUCTION=True)
def test_in_production_the_demo_cannot_be_loaded():
    before = counts()
    with pytest.raises(CommandError):
        load()
    assert counts() == before


def test_the_demo_password_is_refused_as_a_new_password_in_production():
    with pytest.raises(ValidationError):
        NotTheDemoPasswordValidator().validate(settings.DEMO_PASSWORD)
    NotTheDemoPasswordValidator().validate("another-long-secret")
