"""Writes to the network: scoped, validated, atomic and audited."""

from decimal import Decimal

import pytest

from texnopark.core.errors import AppError, NotFound
from texnopark.core.models import AuditEntry
from texnopark.network import services
from texnopark.network.models import BusinessCentre, District, Facility, FacilityKind, Region, Sector, Technopark

pytestmark = pytest.mark.django_db


def audit_of(obj):
    return list(AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)))


@pytest.fixture
def it_park():
    return Technopark.objects.get(slug="namangan-it")


@pytest.fixture
def chust_centre():
    return BusinessCentre.objects.get(district__soato="1714237")


def test_a_park_manager_updates_their_park_and_the_audit_log_shows_old_and_new(demo_user, it_park):
    manager = demo_user("it_manager")
    services.park_update(actor=manager, park=it_park, name_en="Namangan IT Park", planned_jobs=1500,
                         phone=it_park.phone)
    it_park.refresh_from_db()
    assert (it_park.name_en, it_park.planned_jobs) == ("Namangan IT Park", 1500)
    [entry] = audit_of(it_park)
    assert entry.actor == manager
    assert entry.action == "network.technopark.updated"
    # Only what really changed, as [old, new]; the unchanged phone is not listed.
    assert entry.changes == {"name_en": ["Namangan IT Technopark", "Namangan IT Park"], "planned_jobs": [1200, 1500]}


def test_changing_the_sector_focus_is_recorded_as_lists_of_sector_ids(demo_user, it_park):
    old = sorted(it_park.sectors.values_list("pk", flat=True))
    textile = Sector.objects.get(slug="textile")
    services.park_update(actor=demo_user("region_admin"), park=it_park, sectors=[textile])
    assert list(it_park.sectors.all()) == [textile]
    [entry] = audit_of(it_park)
    assert entry.changes == {"sectors": [old, [textile.pk]]}


def test_saving_a_park_without_changes_records_nothing(demo_user, it_park):
    services.park_update(actor=demo_user("it_manager"), park=it_park, name=it_park.name)
    assert audit_of(it_park) == []


@pytest.mark.parametrize("persona", ["kosonsoy_manager", "chortoq_manager", "it_staff", "expert", "chust_centre",
                                     "citizen"])
def test_only_the_parks_manager_and_the_region_may_update_a_park(demo_user, it_park, persona):
    with pytest.raises(NotFound):
        services.park_update(actor=demo_user(persona), park=it_park, name_en="Taken over")
    it_park.refresh_from_db()
    assert it_park.name_en == "Namangan IT Technopark"
    assert audit_of(it_park) == []


def test_the_administrator_of_another_region_cannot_update_a_park(demo_user):
    region = Region.objects.create(code="UZ-FA", name="Fargʻona viloyati")
    district = District.objects.create(region=region, name="Quva tumani")
    park = Technopark.objects.create(region=region, district=district, slug="quva", name="Quva texnoparki")
    with pytest.raises(NotFound):
        services.park_update(actor=demo_user("region_admin"), park=park, name="Boshqa")
    services.park_update(actor=demo_user("platform"), park=park, name="Quva IT texnoparki")
    park.refresh_from_db()
    assert park.name == "Quva IT texnoparki"


def test_a_bad_park_email_is_refused_with_a_field_message_and_nothing_is_saved(demo_user, it_park):
    with pytest.raises(AppError) as error:
        services.park_update(actor=demo_user("it_manager"), park=it_park, name="Yangi nom", email="not-an-email",
                             sectors=[Sector.objects.get(slug="textile")])
    assert error.value.code == "invalid"
    assert error.value.status == 400
    assert list(error.value.fields) == ["email"]
    assert error.value.fields["email"][0]
    fresh = Technopark.objects.get(pk=it_park.pk)
    assert (fresh.name, fresh.email) == ("Namangan IT texnoparki", "info@namangan-it.texnopark.uz")
    assert sorted(fresh.sectors.values_list("slug", flat=True)) == ["hardware", "ict-services", "software"]
    assert audit_of(it_park) == []


def test_a_negative_park_area_is_refused(demo_user, it_park):
    with pytest.raises(AppError) as error:
        services.park_update(actor=demo_user("it_manager"), park=it_park, area_ha=Decimal("-1"))
    assert "area_ha" in error.value.fields
    assert Technopark.objects.get(pk=it_park.pk).area_ha == Decimal("4.50")


def test_a_park_manager_adds_a_facility_and_the_log_shows_its_fields(demo_user, it_park):
    kind = FacilityKind.objects.get(slug="research-lab")
    facility = services.facility_create(actor=demo_user("it_manager"), park=it_park, kind=kind,
                                        name="Robototexnika laboratoriyasi", area_m2=90)
    assert facility.park == it_park
    [entry] = audit_of(facility)
    assert entry.action == "network.facility.created"
    assert entry.changes["name"] == [None, "Robototexnika laboratoriyasi"]
    assert entry.changes["kind"] == [None, kind.pk]
    assert entry.changes["area_m2"] == [None, 90]
    # Found by its Cyrillic spelling too.
    assert "robototexnika laboratoriyasi" in facility.search_text


def test_a_park_manager_cannot_add_a_facility_to_another_park(demo_user):
    other = Technopark.objects.get(slug="kosonsoy-medical")
    before = Facility.objects.count()
    with pytest.raises(NotFound):
        services.facility_create(actor=demo_user("it_manager"), park=other, kind=FacilityKind.objects.first(),
                                 name="Begona xona")
    assert Facility.objects.count() == before


def test_two_facilities_of_one_park_cannot_share_a_name(demo_user, it_park):
    before = Facility.objects.count()
    with pytest.raises(AppError) as error:
        services.facility_create(actor=demo_user("it_manager"), park=it_park, kind=FacilityKind.objects.first(),
                                 name="Kovorking markazi")
    assert error.value.code == "invalid"
    assert error.value.fields  # a message the page can show
    assert Facility.objects.count() == before


def test_a_facility_without_a_name_is_refused_with_a_field_message(demo_user, it_park):
    with pytest.raises(AppError) as error:
        services.facility_create(actor=demo_user("it_manager"), park=it_park, kind=FacilityKind.objects.first(),
                                 name="")
    assert "name" in error.value.fields


def test_a_park_manager_updates_a_facility_of_their_park(demo_user, it_park):
    facility = it_park.facilities.get(name="Kovorking markazi")
    services.facility_update(actor=demo_user("it_manager"), facility=facility, capacity=150, name="Kovorking")
    facility.refresh_from_db()
    assert facility.capacity == 150
    [entry] = audit_of(facility)
    assert entry.changes == {"capacity": [120, 150], "name": ["Kovorking markazi", "Kovorking"]}
    assert "kovorking" in facility.search_text and "kovorking markazi" not in facility.search_text


def test_a_park_manager_cannot_update_another_parks_facility(demo_user):
    facility = Facility.objects.filter(park__slug="chortoq-agro").first()
    with pytest.raises(NotFound):
        services.facility_update(actor=demo_user("it_manager"), facility=facility, capacity=1)
    assert Facility.objects.get(pk=facility.pk).capacity != 1
    assert audit_of(facility) == []


def test_a_park_manager_cannot_move_a_facility_into_another_park(demo_user, it_park):
    facility = it_park.facilities.get(name="ITTKI markazi")
    other = Technopark.objects.get(slug="kosonsoy-medical")
    with pytest.raises(NotFound):
        services.facility_update(actor=demo_user("it_manager"), facility=facility, park=other)
    assert Facility.objects.get(pk=facility.pk).park == it_park


def test_a_bad_facility_update_changes_nothing(demo_user, it_park):
    facility = it_park.facilities.get(name="Kovorking markazi")
    with pytest.raises(AppError):
        services.facility_update(actor=demo_user("it_manager"), facility=facility, capacity=10, area_m2=-5)
    fresh = Facility.objects.get(pk=facility.pk)
    assert (fresh.capacity, fresh.area_m2) == (120, 600)
    assert audit_of(facility) == []


def test_the_chust_centre_employee_updates_their_centre(demo_user, chust_centre):
    services.centre_update(actor=demo_user("chust_centre"), centre=chust_centre, address="Chust, Mustaqillik 5")
    chust_centre.refresh_from_db()
    assert chust_centre.address == "Chust, Mustaqillik 5"
    [entry] = audit_of(chust_centre)
    assert entry.action == "network.businesscentre.updated"
    assert entry.changes == {"address": ["", "Chust, Mustaqillik 5"]}


@pytest.mark.parametrize("persona", ["chust_centre", "it_manager", "citizen"])
def test_only_its_own_staff_and_the_region_may_update_the_pop_centre(demo_user, persona):
    pop = BusinessCentre.objects.get(district__soato="1714219")
    with pytest.raises(NotFound):
        services.centre_update(actor=demo_user(persona), centre=pop, address="Elsewhere")
    assert BusinessCentre.objects.get(pk=pop.pk).address == ""


def test_the_region_administrator_updates_any_centre_of_the_region(demo_user):
    pop = BusinessCentre.objects.get(district__soato="1714219")
    services.centre_update(actor=demo_user("region_admin"), centre=pop, name_en="Pop business hub")
    assert BusinessCentre.objects.get(pk=pop.pk).name_en == "Pop business hub"


def test_a_bad_centre_email_is_refused_and_nothing_is_saved(demo_user, chust_centre):
    with pytest.raises(AppError) as error:
        services.centre_update(actor=demo_user("chust_centre"), centre=chust_centre, email="x@", address="New")
    assert "email" in error.value.fields
    fresh = BusinessCentre.objects.get(pk=chust_centre.pk)
    assert (fresh.email, fresh.address) == ("", "")
    assert audit_of(chust_centre) == []


def test_renaming_a_district_keeps_it_findable_by_every_spelling(demo_user):
    district = District.objects.get(soato="1714219")
    services.district_update(actor=demo_user("region_admin"), district=district, name="Поп тумани")
    district.refresh_from_db()
    assert "pop tumani" in district.search_text
    with pytest.raises(NotFound):
        services.district_update(actor=demo_user("it_manager"), district=district, name="Pop")
