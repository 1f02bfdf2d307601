"""List pages and API lists run a fixed number of queries, however many rows they show (no query per row)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

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

# A generous ceiling per page: session, person, memberships, then a handful of list queries.
CEILING = 15


def queries(client, url) -> int:
    client.get(url)  # warm up: the first request may fill caches
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def add_parks(n=20):
    region = Region.objects.get(code="UZ-NG")
    district = District.objects.get(soato="1714237")
    sectors = list(Sector.objects.all()[:3])
    kind = FacilityKind.objects.first()
    for i in range(n):
        park = Technopark.objects.create(region=region, district=district, slug=f"extra-{i}", name=f"Park {i}",
                                         search_text=f"park {i}")
        park.sectors.set(sectors)
        Facility.objects.create(park=park, kind=kind, name=f"Xona {i}")
        PartnerOrganisation.objects.create(region=region, name=f"Hamkor {i}", country="KR")


def add_facilities(n=20, park_slug="namangan-it"):
    park = Technopark.objects.get(slug=park_slug)
    kinds = list(FacilityKind.objects.all())
    for i in range(n):
        Facility.objects.create(park=park, kind=kinds[i % len(kinds)], name=f"Xona {i}", search_text=f"xona {i}")


def add_districts(n=20):
    region = Region.objects.get(code="UZ-NG")
    for i in range(n):
        district = District.objects.create(region=region, name=f"Yangi tuman {i}", search_text=f"yangi tuman {i}")
        BusinessCentre.objects.create(district=district, name=f"Markaz {i}")
        BusinessCentre.objects.create(district=district, name=f"Filial {i}")


def add_universities(n=20):
    region = Region.objects.get(code="UZ-NG")
    district = District.objects.get(soato="1714401")
    for i in range(n):
        University.objects.create(region=region, district=district, name=f"Institut {i}", search_text=f"i {i}")


PAGES = [
    ("home page", "/", add_parks),
    ("park page", "/parks/namangan-it/", add_facilities),
    ("district list", "/districts/", add_districts),
    ("university list", "/universities/", add_universities),
    ("region page", "/regions/UZ-NG/", add_parks),
    ("API parks", "/api/v1/parks?page_size=200", add_parks),
    ("API facilities", "/api/v1/facilities?page_size=200", add_facilities),
    ("API facilities of a park", "/api/v1/facilities?park=namangan-it&page_size=200", add_facilities),
    ("API districts", "/api/v1/districts?page_size=200", add_districts),
    ("API business centres", "/api/v1/business-centres?page_size=200", add_districts),
    ("API universities", "/api/v1/universities?page_size=200", add_universities),
]


@pytest.mark.parametrize("persona", ["anonymous", "it_manager", "region_admin"])
@pytest.mark.parametrize("page, url, add_rows", PAGES, ids=[p[0] for p in PAGES])
def test_a_list_runs_the_same_queries_with_twenty_more_rows(personas, page, url, add_rows, persona):
    client = personas(persona)
    before = queries(client, url)
    assert before <= CEILING
    add_rows()
    assert queries(client, url) == before


def test_the_park_page_shows_the_added_facilities(client):
    add_facilities()
    response = client.get("/parks/namangan-it/")
    assert "Xona 19" in response.content.decode()


def test_the_home_page_runs_a_known_number_of_queries_for_a_visitor(client, django_assert_max_num_queries):
    client.get("/")
    with django_assert_max_num_queries(10):
        client.get("/")
