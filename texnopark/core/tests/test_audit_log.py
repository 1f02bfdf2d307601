"""The audit log: who changed what and when, read by the region administrator, filtered by object and person."""

import pytest
from django.urls import reverse

from texnopark.core.models import AuditEntry
from texnopark.network import services
from texnopark.network.models import BusinessCentre, District, Facility, Region, Technopark

pytestmark = pytest.mark.django_db


@pytest.fixture
def changes(demo_user):
    """Three recorded changes by two people: two to the IT park, one to the Chust centre."""
    park = Technopark.objects.get(slug="namangan-it")
    centre = BusinessCentre.objects.get(district__soato="1714237")
    services.park_update(actor=demo_user("it_manager"), park=park, planned_jobs=1300)
    services.park_update(actor=demo_user("region_admin"), park=park, name_en="Namangan IT Park")
    services.centre_update(actor=demo_user("chust_centre"), centre=centre, address="Chust, Mustaqillik 5")
    return park, centre


def entries(response):
    return list(response.context["page"].object_list)


def test_the_region_administrator_reads_every_change_of_the_region(personas, changes):
    response = personas("region_admin").get(reverse("audit_log"))
    assert response.status_code == 200
    actions = [(e.action, e.actor.email) for e in entries(response)]
    assert actions[:3] == [
        ("network.businesscentre.updated", "chust.centre@demo.texnopark.uz"),
        ("network.technopark.updated", "region.admin@demo.texnopark.uz"),
        ("network.technopark.updated", "it.manager@demo.texnopark.uz"),
    ]
    html = response.content.decode()
    assert "planned_jobs" in html and "1200" in html and "1300" in html


def test_the_log_filters_by_object(personas, changes):
    park, _centre = changes
    response = personas("region_admin").get(
        reverse("audit_log"), {"object_type": "network.technopark", "object_id": str(park.pk)}
    )
    found = entries(response)
    assert len(found) == 2
    assert {(e.object_type, e.object_id) for e in found} == {("network.technopark", str(park.pk))}


@pytest.mark.parametrize("person", ["chust.centre@demo.texnopark.uz", "Ergasheva", "CHUST.CENTRE"])
def test_the_log_filters_by_person_email_or_name(personas, changes, person):
    found = entries(personas("region_admin").get(reverse("audit_log"), {"actor": person}))
    assert [e.action for e in found] == ["network.businesscentre.updated"]


@pytest.mark.parametrize("persona", ["it_manager", "chust_centre", "citizen", "partner"])
def test_only_the_region_reads_the_log(personas, changes, persona):
    assert personas(persona).get(reverse("audit_log")).status_code == 404


def test_a_visitor_is_asked_to_sign_in_to_read_the_log(personas):
    response = personas("anonymous").get(reverse("audit_log"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_the_log_of_another_region_stays_hidden(personas, demo_user):
    region = Region.objects.create(code="UZ-FA", name="Fargʻona viloyati")
    district = District.objects.create(region=region, name="Quva tumani")
    park = Technopark.objects.create(region=region, district=district, slug="quva", name="Quva texnoparki")
    services.park_update(actor=demo_user("platform"), park=park, name="Quva IT texnoparki")
    region_admin = entries(personas("region_admin").get(reverse("audit_log"), {"object_id": str(park.pk)}))
    assert [e for e in region_admin if e.object_type == "network.technopark"] == []
    platform = entries(personas("platform").get(reverse("audit_log"), {"object_id": str(park.pk)}))
    assert [e.action for e in platform if e.object_type == "network.technopark"] == ["network.technopark.updated"]


def test_the_region_administrator_sees_a_change_the_platform_administrator_made_to_a_facility(personas, demo_user):
    facility = Facility.objects.get(name="Kovorking markazi")
    services.facility_update(actor=demo_user("platform"), facility=facility, capacity=130)
    found = entries(personas("region_admin").get(
        reverse("audit_log"), {"object_type": "network.facility", "object_id": str(facility.pk)}
    ))
    assert [e.changes for e in found] == [{"capacity": [120, 130]}]


def test_every_entry_knows_who_what_and_when(changes):
    entry = AuditEntry.objects.filter(action="network.technopark.updated").order_by("id").first()
    assert entry.actor.email == "it.manager@demo.texnopark.uz"
    assert entry.created_at is not None
    assert entry.object_repr
    assert entry.changes == {"planned_jobs": [1200, 1300]}
