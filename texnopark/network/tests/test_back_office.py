"""The back office (the Django admin) shows each person only what they manage, and writes through the services."""

import pytest
from django.urls import reverse

from texnopark.accounts.models import Membership, Role
from texnopark.core.models import AuditEntry
from texnopark.network.models import BusinessCentre, District, Facility, FacilityKind, Region, Technopark
from texnopark.network.selectors import matching

pytestmark = pytest.mark.django_db


def changelist(client, model: str):
    response = client.get(reverse(f"admin:{model}_changelist"))
    assert response.status_code == 200
    return list(response.context["cl"].queryset)


def second_region():
    """A region that is not Namangan, with a park, a district and a business centre."""
    region = Region.objects.create(code="UZ-FA", name="Fargʻona viloyati", name_en="Fergana Region")
    district = District.objects.create(region=region, name="Quva tumani", soato="1730215")
    park = Technopark.objects.create(region=region, district=district, slug="fargona-agro", name="Fargʻona agro")
    BusinessCentre.objects.create(district=district, name="Quva innovatsion biznes markazi")
    return region, district, park


def test_a_park_manager_sees_only_their_park_in_the_back_office(personas):
    parks = changelist(personas("it_manager"), "network_technopark")
    assert [p.slug for p in parks] == ["namangan-it"]


def test_a_park_manager_sees_only_their_parks_facilities_in_the_back_office(personas):
    facilities = changelist(personas("it_manager"), "network_facility")
    assert len(facilities) == Facility.objects.filter(park__slug="namangan-it").count() > 0
    assert {f.park.slug for f in facilities} == {"namangan-it"}


def test_a_business_centre_employee_sees_only_their_centre(personas):
    centres = changelist(personas("chust_centre"), "network_businesscentre")
    assert [c.district.soato for c in centres] == ["1714237"]


def test_the_region_administrator_sees_the_memberships_of_the_region_and_no_other(personas, demo_user):
    _region, _district, park = second_region()
    elsewhere = Membership.objects.create(user=demo_user("citizen"), role=Role.PARK_MANAGER, park=park)
    memberships = changelist(personas("region_admin"), "accounts_membership")
    assert elsewhere not in memberships
    assert Membership.objects.get(user=demo_user("it_manager")) in memberships
    assert Membership.objects.get(user=demo_user("chust_centre")) in memberships
    assert elsewhere in changelist(personas("platform"), "accounts_membership")


def test_the_region_administrator_sees_only_the_parks_of_their_region(personas):
    second_region()
    assert "fargona-agro" not in [p.slug for p in changelist(personas("region_admin"), "network_technopark")]
    assert "fargona-agro" in [p.slug for p in changelist(personas("platform"), "network_technopark")]


def test_a_citizen_is_sent_to_the_back_office_sign_in(personas):
    response = personas("citizen").get(reverse("admin:index"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_another_parks_object_answers_like_one_that_does_not_exist(personas):
    client = personas("chortoq_manager")
    it_park = Technopark.objects.get(slug="namangan-it")
    outside = client.get(reverse("admin:network_technopark_change", args=[it_park.pk]))
    missing = client.get(reverse("admin:network_technopark_change", args=[999999]))
    assert outside.status_code == missing.status_code == 302
    assert outside.url == missing.url == reverse("admin:index")


def park_form(park: Technopark, **changes) -> dict:
    data = {
        "name": park.name, "name_ru": park.name_ru, "name_en": park.name_en, "name_ko": park.name_ko,
        "description": park.description, "description_ru": "", "description_en": "", "description_ko": "",
        "sectors": [s.pk for s in park.sectors.all()], "address": park.address, "phone": park.phone,
        "email": park.email, "website": park.website, "founded": "", "area_ha": str(park.area_ha),
        "planned_jobs": str(park.planned_jobs), "is_published": "on",
    }
    return {**data, **changes}


def test_saving_a_park_in_the_back_office_records_the_change_in_the_audit_log(personas, demo_user):
    park = Technopark.objects.get(slug="namangan-it")
    old_name = park.name_en
    response = personas("it_manager").post(
        reverse("admin:network_technopark_change", args=[park.pk]), park_form(park, name_en="Namangan IT Park")
    )
    assert response.status_code == 302
    park.refresh_from_db()
    assert park.name_en == "Namangan IT Park"
    entry = AuditEntry.objects.get(object_type="network.technopark", object_id=str(park.pk))
    assert entry.actor == demo_user("it_manager")
    assert entry.action == "network.technopark.updated"
    assert entry.changes == {"name_en": [old_name, "Namangan IT Park"]}
    # The search text follows the new English name.
    assert "namangan it park" in park.search_text


def test_a_park_manager_cannot_move_their_park_in_the_back_office(personas):
    park = Technopark.objects.get(slug="namangan-it")
    chust = District.objects.get(soato="1714237")
    personas("it_manager").post(
        reverse("admin:network_technopark_change", args=[park.pk]),
        park_form(park, district=chust.pk, slug="moved"),
    )
    park.refresh_from_db()
    assert (park.slug, park.district.soato) == ("namangan-it", "1714401")


def facility_form(park_pk, **changes) -> dict:
    data = {"park": park_pk, "kind": FacilityKind.objects.get(slug="coworking").pk, "name": "Ikkinchi kovorking",
            "name_ru": "", "name_en": "", "name_ko": "", "description": "", "description_ru": "",
            "description_en": "", "description_ko": "", "area_m2": "120", "capacity": "30", "is_published": "on"}
    return {**data, **changes}


def test_a_park_manager_adds_a_facility_to_their_park_in_the_back_office(personas, demo_user):
    park = Technopark.objects.get(slug="namangan-it")
    client = personas("it_manager")
    form = client.get(reverse("admin:network_facility_add")).context["adminform"].form
    assert list(form.fields["park"].queryset) == [park]
    response = client.post(reverse("admin:network_facility_add"), facility_form(park.pk))
    assert response.status_code == 302
    facility = Facility.objects.get(park=park, name="Ikkinchi kovorking")
    entry = AuditEntry.objects.get(object_type="network.facility", object_id=str(facility.pk))
    assert (entry.action, entry.actor) == ("network.facility.created", demo_user("it_manager"))
    assert entry.changes["name"] == [None, "Ikkinchi kovorking"]
    assert "ikkinçi kovorking" in facility.search_text


def test_a_park_manager_cannot_add_a_facility_to_another_park_in_the_back_office(personas):
    other = Technopark.objects.get(slug="kosonsoy-medical")
    response = personas("it_manager").post(reverse("admin:network_facility_add"), facility_form(other.pk))
    assert response.status_code == 200  # the form again, with the park refused
    assert "park" in response.context["adminform"].form.errors
    assert not Facility.objects.filter(name="Ikkinchi kovorking").exists()


def test_the_region_administrator_grants_a_role_in_the_back_office(personas, demo_user):
    citizen = demo_user("citizen")
    park = Technopark.objects.get(slug="namangan-it")
    response = personas("region_admin").post(reverse("admin:accounts_membership_add"), {
        "user": citizen.pk, "role": Role.PARK_STAFF, "region": "", "park": park.pk, "district": "",
    })
    assert response.status_code == 302
    membership = Membership.objects.get(user=citizen, role=Role.PARK_STAFF, park=park)
    entry = AuditEntry.objects.get(object_type="accounts.membership", object_id=str(membership.pk))
    assert (entry.action, entry.actor) == ("accounts.membership.created", demo_user("region_admin"))


def test_the_platform_administrator_adds_a_second_region_in_the_back_office(personas):
    response = personas("platform").post(reverse("admin:network_region_add"), {
        "name": "Andijon viloyati", "name_ru": "Андижанская область", "name_en": "Andijan Region", "name_ko": "",
        "code": "UZ-AN", "soato": "1703", "timezone": "Asia/Tashkent", "population_thousands": "3400",
        "area_km2": "4240",
    })
    assert response.status_code == 302
    region = Region.objects.get(code="UZ-AN")
    assert AuditEntry.objects.filter(action="network.region.created", object_id=str(region.pk)).exists()
    assert list(matching(Region.objects.all(), "Андижанская")) == [region]


def test_the_platform_administrator_reads_the_audit_entries_in_the_back_office(personas):
    # core/admin.py registers AuditEntry for superusers; the back office must list it.
    response = personas("platform").get("/back-office/core/auditentry/")
    assert response.status_code == 200
