"""The read side of /api/v1/: lists with filters and pagination, details, and the OpenAPI description."""

import pytest

from texnopark.network.models import BusinessCentre, District, Facility, Region, Technopark, University

pytestmark = pytest.mark.django_db


def get(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    return response.json()


def slugs(body):
    return sorted(item["slug"] for item in body["items"])


def test_the_park_list_has_every_published_park_with_its_sectors(client):
    body = get(client, "/api/v1/parks")
    assert body["count"] == 4
    assert slugs(body) == ["chortoq-agro", "kosonsoy-medical", "namangan-it", "namangan-textile"]
    it = next(p for p in body["items"] if p["slug"] == "namangan-it")
    assert sorted(s["slug"] for s in it["sectors"]) == ["hardware", "ict-services", "software"]
    assert it["planned_jobs"] == 1200
    assert it["region_id"] == Region.objects.get(code="UZ-NG").pk


def test_parks_filter_by_region_district_and_sector(client):
    region = Region.objects.get(code="UZ-NG")
    chortoq = District.objects.get(soato="1714236")
    assert get(client, "/api/v1/parks", region=region.pk)["count"] == 4
    assert get(client, "/api/v1/parks", region=region.pk + 1000)["count"] == 0
    assert slugs(get(client, "/api/v1/parks", district=chortoq.pk)) == ["chortoq-agro"]
    assert slugs(get(client, "/api/v1/parks", sector="textile")) == ["namangan-textile"]
    assert slugs(get(client, "/api/v1/parks", sector="textile", district=chortoq.pk)) == []


@pytest.mark.parametrize("q", ["Касансай", "Kosonsoy", "Косонсой", "kosonsoy medical", "코손소이"])
def test_parks_are_found_by_a_query_in_any_script(client, q):
    assert slugs(get(client, "/api/v1/parks", q=q)) == ["kosonsoy-medical"]


@pytest.mark.parametrize("q, soato", [("Пап", "1714219"), ("Chortoq", "1714236"), ("Чуст", "1714237"),
                                      ("Toʻraqoʻrgʻon", "1714224"), ("To'raqo'rg'on", "1714224"),
                                      ("Туракурган", "1714224")])
def test_districts_are_found_by_a_query_in_any_script(client, q, soato):
    body = get(client, "/api/v1/districts", q=q)
    assert [d["soato"] for d in body["items"]] == [soato]


def test_districts_filter_by_region_and_city(client):
    region = Region.objects.get(code="UZ-NG")
    active = District.objects.filter(is_active=True).count()
    assert get(client, "/api/v1/districts", region=region.pk)["count"] == active
    cities = get(client, "/api/v1/districts", is_city="true")
    assert [d["soato"] for d in cities["items"]] == ["1714401"]


def test_facilities_filter_by_park_kind_and_query(client):
    assert get(client, "/api/v1/facilities", park="namangan-it")["count"] == 5
    greenhouses = get(client, "/api/v1/facilities", kind="greenhouse")
    assert greenhouses["count"] == 2
    assert {f["kind"]["slug"] for f in greenhouses["items"]} == {"greenhouse"}
    assert {f["park_id"] for f in greenhouses["items"]} == {Technopark.objects.get(slug="chortoq-agro").pk}
    found = get(client, "/api/v1/facilities", q="Qulupnay")  # stored in Cyrillic: Қулупнай иссиқхонаси
    assert [f["name"] for f in found["items"]] == ["Қулупнай иссиқхонаси"]
    assert get(client, "/api/v1/facilities", park="namangan-it", kind="greenhouse")["count"] == 0


def test_business_centres_filter_by_region_and_district(client):
    chust = District.objects.get(soato="1714237")
    region = Region.objects.get(code="UZ-NG")
    assert get(client, "/api/v1/business-centres", region=region.pk)["count"] == BusinessCentre.objects.count()
    body = get(client, "/api/v1/business-centres", district=chust.pk)
    assert [c["district_id"] for c in body["items"]] == [chust.pk]


def test_universities_filter_by_query_and_region(client):
    body = get(client, "/api/v1/universities", q="pedagogika")
    assert [u["name_en"] for u in body["items"]] == ["Namangan State Pedagogical Institute"]
    region = Region.objects.get(code="UZ-NG")
    assert get(client, "/api/v1/universities", region=region.pk)["count"] == University.objects.count()


def test_regions_and_facility_kinds_are_listed(client):
    regions = get(client, "/api/v1/regions")
    assert [r["code"] for r in regions["items"]] == ["UZ-NG"]
    kinds = client.get("/api/v1/facility-kinds").json()
    assert {"research-lab", "coworking", "greenhouse", "cleanroom"} <= {k["slug"] for k in kinds}


def test_pages_split_a_list_without_losing_or_repeating_a_row(client):
    total = District.objects.filter(is_active=True).count()
    seen = []
    for page in (1, 2, 3):
        body = get(client, "/api/v1/districts", page=page, page_size=5)
        assert body["count"] == total
        assert len(body["items"]) == min(5, total - (page - 1) * 5)
        seen += [d["id"] for d in body["items"]]
    assert len(seen) == len(set(seen)) == total
    assert get(client, "/api/v1/districts", page=99, page_size=5)["items"] == []


@pytest.fixture
def many_districts():
    region = Region.objects.get(code="UZ-NG")
    District.objects.bulk_create([District(region=region, name=f"Tuman {i}") for i in range(220)])
    return District.objects.filter(is_active=True).count()


def test_the_default_page_holds_fifty_rows(client, many_districts):
    body = get(client, "/api/v1/districts")
    assert body["count"] == many_districts
    assert len(body["items"]) == 50


def test_a_page_holds_up_to_two_hundred_rows_when_asked(client, many_districts):
    assert len(get(client, "/api/v1/districts", page_size=150)["items"]) == 150
    response = client.get("/api/v1/districts", {"page_size": 10_000})
    if response.status_code == 200:  # capped at the maximum...
        assert len(response.json()["items"]) == 200
    else:  # ...or refused with the error shape
        assert response.status_code == 422
        assert response.json()["code"] == "invalid"


def test_details_of_each_kind_of_record(client):
    park = get(client, "/api/v1/parks/namangan-it")
    assert park["name"] == "Namangan IT texnoparki"
    facility = Facility.objects.get(name="Kovorking markazi")
    assert get(client, f"/api/v1/facilities/{facility.pk}")["kind"]["slug"] == "coworking"
    district = District.objects.get(soato="1714237")
    assert get(client, f"/api/v1/districts/{district.pk}")["name"] == "Chust tumani"
    region = Region.objects.get(code="UZ-NG")
    assert get(client, f"/api/v1/regions/{region.pk}")["code"] == "UZ-NG"
    centre = BusinessCentre.objects.get(district=district)
    assert get(client, f"/api/v1/business-centres/{centre.pk}")["district_id"] == district.pk
    university = University.objects.first()
    assert get(client, f"/api/v1/universities/{university.pk}")["id"] == university.pk


@pytest.mark.parametrize("url", ["/api/v1/parks/no-such-park", "/api/v1/facilities/999999",
                                 "/api/v1/districts/999999", "/api/v1/regions/999999",
                                 "/api/v1/business-centres/999999", "/api/v1/universities/999999"])
def test_an_unknown_record_answers_404_with_the_error_shape(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": response.json()["message"], "fields": {}}
    assert response.json()["message"]


@pytest.mark.parametrize("language, expected", [("uz", "Chortoq agro va kosmetika texnoparki"),
                                                ("uz-cyrl", "Чортоқ агро ва косметика технопарки"),
                                                ("en", "Chortoq Agro and Cosmetics Technopark")])
def test_the_display_name_is_in_the_readers_language_and_script(client, language, expected):
    body = client.get("/api/v1/parks/chortoq-agro", HTTP_ACCEPT_LANGUAGE=language).json()
    assert body["display_name"] == expected
    assert body["name"] == "Чортоқ агро ва косметика технопарки"  # stored as entered


def test_an_unpublished_park_is_hidden_from_the_public_but_not_from_its_staff(client, personas):
    Technopark.objects.filter(slug="chortoq-agro").update(is_published=False)
    assert "chortoq-agro" not in slugs(get(client, "/api/v1/parks"))
    assert client.get("/api/v1/parks/chortoq-agro").status_code == 404
    assert get(client, "/api/v1/facilities", park="chortoq-agro")["count"] == 0
    staff = personas("chortoq_manager")
    assert "chortoq-agro" in slugs(get(staff, "/api/v1/parks"))
    assert get(staff, "/api/v1/parks/chortoq-agro")["is_published"] is False


def test_the_openapi_description_lists_every_path(client):
    schema = get(client, "/api/v1/openapi.json")
    paths = set(schema["paths"])
    assert {
        "/api/v1/regions", "/api/v1/regions/{pk}", "/api/v1/districts", "/api/v1/districts/{pk}",
        "/api/v1/parks", "/api/v1/parks/{slug}", "/api/v1/parks/{slug}/facilities", "/api/v1/facilities",
        "/api/v1/facilities/{pk}", "/api/v1/facility-kinds", "/api/v1/business-centres",
        "/api/v1/business-centres/{pk}", "/api/v1/universities", "/api/v1/universities/{pk}", "/api/v1/me",
        "/api/v1/me/tokens", "/api/v1/me/tokens/{pk}",
    } <= paths
    assert "patch" in schema["paths"]["/api/v1/parks/{slug}"]
    schemes = schema["components"]["securitySchemes"]
    assert any(s.get("scheme") == "bearer" for s in schemes.values())


def test_the_interactive_docs_open(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    assert "openapi.json" in response.content.decode()
