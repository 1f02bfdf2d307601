"""Reads: any spelling finds a record, and each viewer sees only what they may see."""

import pytest
from django.contrib.auth.models import AnonymousUser

from texnopark.network import selectors
from texnopark.network.models import BusinessCentre, District, Facility, FacilityKind, Technopark

pytestmark = pytest.mark.django_db

TORAQORGON = "1714224"  # stored in Cyrillic: Тўрақўрғон тумани
APOSTROPHES = {
    "U+0027 apostrophe": "'",
    "U+2018 left quote": "\u2018",
    "U+2019 right quote": "\u2019",
    "U+02BC modifier apostrophe": "\u02bc",
    "U+0060 grave accent": "`",
    "U+02BB turned comma": "\u02bb",
}


def found_districts(query):
    return sorted(selectors.matching(selectors.district_list(), query).values_list("soato", flat=True))


@pytest.mark.parametrize("query, soato", [
    ("Chortoq", "1714236"),  # stored in Cyrillic, asked in Latin
    ("Чортоқ", "1714236"),  # as stored
    ("Çortoq", "1714236"),  # the 2026 Latin
    ("CHORTOQ TUMANI", "1714236"),
    ("Чуст", "1714237"),  # stored in Latin, asked in Cyrillic
    ("Chust", "1714237"),
    ("Тўрақўрғон", TORAQORGON),
    ("Töraqörğon", TORAQORGON),
    ("Косонсой", "1714207"),
    ("Kosonsoy", "1714207"),
    ("Пап", "1714219"),  # Russian: Папский район is Pop tumani
    ("Касансай", "1714207"),  # Russian: Касансайский район is Kosonsoy
    ("Туракурган", TORAQORGON),  # Russian: Туракурганский район
    ("Чартак", "1714236"),  # Russian: Чартакский район
    ("Pop district", "1714219"),  # English
])
def test_a_district_is_found_in_every_script_and_in_russian(query, soato):
    assert found_districts(query) == [soato]


@pytest.mark.parametrize("apostrophe", APOSTROPHES.values(), ids=APOSTROPHES.keys())
def test_a_district_is_found_whatever_apostrophe_the_query_uses(apostrophe):
    query = f"To{apostrophe}raqo{apostrophe}rg{apostrophe}on"
    assert found_districts(query) == [TORAQORGON]


def test_an_empty_query_finds_every_active_district():
    assert found_districts("") == found_districts(None) == sorted(
        District.objects.filter(is_active=True).values_list("soato", flat=True)
    )


def test_a_query_that_matches_nothing_finds_nothing():
    assert found_districts("Samarqand") == []


def test_a_park_is_found_by_its_russian_and_korean_names():
    parks = Technopark.objects.all()
    assert [p.slug for p in selectors.matching(parks, "Касансайский")] == ["kosonsoy-medical"]
    assert [p.slug for p in selectors.matching(parks, "차르토크")] == ["chortoq-agro"]
    assert [p.slug for p in selectors.matching(parks, "chortoq agro")] == ["chortoq-agro"]


@pytest.fixture
def chortoq_unpublished():
    Technopark.objects.filter(slug="chortoq-agro").update(is_published=False)
    return Technopark.objects.get(slug="chortoq-agro")


@pytest.mark.parametrize("persona, sees", [
    ("anonymous", False), ("citizen", False), ("it_manager", False), ("kosonsoy_manager", False),
    ("lab", False), ("chust_centre", False), ("chortoq_manager", True), ("region_admin", True), ("platform", True),
])
def test_an_unpublished_park_is_seen_only_by_its_staff_and_the_region(demo_user, chortoq_unpublished, persona, sees):
    viewer = AnonymousUser() if persona == "anonymous" else demo_user(persona)
    assert selectors.parks_visible_to(viewer).filter(pk=chortoq_unpublished.pk).exists() is sees
    assert selectors.facility_list_for(viewer=viewer, park=chortoq_unpublished).exists() is sees


def test_park_staff_see_their_unpublished_park(demo_user):
    Technopark.objects.filter(slug="namangan-it").update(is_published=False)
    assert selectors.parks_visible_to(demo_user("it_staff")).filter(slug="namangan-it").exists()
    assert not selectors.parks_visible_to(demo_user("resident")).filter(slug="namangan-it").exists()


def test_the_public_list_leaves_out_unpublished_parks(chortoq_unpublished):
    slugs = {p.slug for p in selectors.park_list_public()}
    assert slugs == {"namangan-it", "namangan-textile", "kosonsoy-medical"}


@pytest.mark.parametrize("persona, sees", [
    ("anonymous", False), ("citizen", False), ("chortoq_manager", False), ("resident", False),
    ("it_staff", True), ("it_manager", True), ("region_admin", True), ("platform", True),
])
def test_an_unpublished_facility_is_seen_only_by_its_parks_staff_and_the_region(demo_user, persona, sees):
    park = Technopark.objects.get(slug="namangan-it")
    hidden = Facility.objects.create(park=park, kind=FacilityKind.objects.first(), name="Yopiq", is_published=False)
    viewer = AnonymousUser() if persona == "anonymous" else demo_user(persona)
    assert selectors.facility_list_for(viewer=viewer).filter(pk=hidden.pk).exists() is sees


def test_the_facility_count_of_a_public_park_counts_published_facilities():
    park = Technopark.objects.get(slug="namangan-it")
    published = park.facilities.filter(is_published=True).count()
    Facility.objects.create(park=park, kind=FacilityKind.objects.first(), name="Yopiq", is_published=False)
    assert selectors.park_list_public().get(pk=park.pk).facility_count == published


@pytest.mark.parametrize("persona, slugs", [
    ("it_manager", ["namangan-it"]),
    ("chortoq_manager", ["chortoq-agro"]),
    ("it_staff", []),
    ("chust_centre", []),
    ("region_admin", ["chortoq-agro", "kosonsoy-medical", "namangan-it", "namangan-textile"]),
    ("platform", ["chortoq-agro", "kosonsoy-medical", "namangan-it", "namangan-textile"]),
])
def test_each_persona_may_edit_only_the_parks_in_their_scope(demo_user, persona, slugs):
    assert sorted(p.slug for p in selectors.parks_editable_by(demo_user(persona))) == slugs
    editable_facilities = selectors.facilities_editable_by(demo_user(persona))
    assert sorted({f.park.slug for f in editable_facilities}) == slugs


def test_a_centre_employee_may_edit_only_their_centre_and_the_region_every_centre(demo_user):
    assert [c.district.soato for c in selectors.centres_editable_by(demo_user("chust_centre"))] == ["1714237"]
    assert selectors.centres_editable_by(demo_user("it_manager")).count() == 0
    assert selectors.centres_editable_by(demo_user("region_admin")).count() == BusinessCentre.objects.count()


def test_a_retired_district_leaves_the_list_but_keeps_its_page():
    District.objects.filter(name="Davlatobod tumani").update(is_active=False)
    assert "Davlatobod tumani" not in {d.name for d in selectors.district_list()}
    assert "Davlatobod tumani" in {d.name for d in selectors.district_list(include_retired=True)}


def test_the_district_list_shows_only_published_centres():
    chust = BusinessCentre.objects.get(district__soato="1714237")
    BusinessCentre.objects.filter(pk=chust.pk).update(is_published=False)
    district = selectors.district_list().get(soato="1714237")
    assert list(district.business_centres.all()) == []
