"""The network pages: what a visitor sees, and editing through the forms (with and without htmx)."""

import pytest
from django.urls import reverse

from texnopark.core.models import AuditEntry
from texnopark.network.models import BusinessCentre, District, Facility, FacilityKind, Region, Technopark

pytestmark = pytest.mark.django_db

NAMES = ["name", "name_ru", "name_en", "name_ko"]
DESCRIPTIONS = ["description", "description_ru", "description_en", "description_ko"]


def form_data(obj, fields, **changes) -> dict:
    data = {}
    for name in fields:
        value = getattr(obj, name)
        if name == "sectors":
            data[name] = [s.pk for s in value.all()]
        elif name == "kind":
            data[name] = obj.kind_id
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = "" if value is None else str(value)
    return {**data, **changes}


PARK_FIELDS = [*NAMES, *DESCRIPTIONS, "sectors", "address", "phone", "email", "website", "founded", "area_ha",
               "planned_jobs", "is_published"]
FACILITY_FIELDS = [*NAMES, "kind", *DESCRIPTIONS, "area_m2", "capacity", "is_published"]
CENTRE_FIELDS = [*NAMES, *DESCRIPTIONS, "address", "phone", "email", "opened", "is_published"]


def it_park():
    return Technopark.objects.get(slug="namangan-it")


def test_a_visitor_sees_the_four_parks_and_the_headline_figures_on_the_home_page(client):
    client.cookies["django_language"] = "uz"
    response = client.get(reverse("network:home"))
    html = response.content.decode()
    assert response.status_code == 200
    for park in Technopark.objects.all():
        assert park.get_absolute_url() in html
    figures = response.context["figures"]
    assert figures["parks"] == 4
    assert figures["facilities"] == Facility.objects.filter(is_published=True).count()
    assert figures["districts"] == District.objects.filter(is_active=True).count()
    assert figures["centres"] == BusinessCentre.objects.count()
    assert "Koreya texnoparklari uyushmasi" in html  # the Korean partners


def test_with_a_second_region_the_home_page_lists_the_regions(client):
    Region.objects.create(code="UZ-AN", name="Andijon viloyati")
    response = client.get(reverse("network:home"))
    assert reverse("network:region", args=["UZ-AN"]) in response.content.decode()
    assert response.context["figures"]["parks"] == 4


def test_the_edit_buttons_show_only_to_those_who_may_edit(personas):
    url = it_park().get_absolute_url()
    edit = reverse("network:park_edit", args=["namangan-it"])
    assert edit in personas("it_manager").get(url).content.decode()
    assert edit in personas("region_admin").get(url).content.decode()
    assert edit not in personas("it_staff").get(url).content.decode()
    assert edit not in personas("anonymous").get(url).content.decode()


EDIT_PAGES = {
    "park": ("it_manager", lambda: it_park(), PARK_FIELDS,
             lambda o: reverse("network:park_edit", args=[o.slug]), {"name_en": "Namangan IT Park"}),
    "facility": ("it_manager", lambda: it_park().facilities.get(name="Kovorking markazi"), FACILITY_FIELDS,
                 lambda o: reverse("network:facility_edit", args=[o.park.slug, o.pk]), {"capacity": "150"}),
    "centre": ("chust_centre", lambda: BusinessCentre.objects.get(district__soato="1714237"), CENTRE_FIELDS,
               lambda o: reverse("network:centre_edit", args=[o.pk]), {"address": "Chust, Mustaqillik 5"}),
}


@pytest.mark.parametrize("page", EDIT_PAGES)
def test_saving_an_edit_page_records_the_changed_fields_in_the_audit_log(personas, demo_user, page):
    persona, get, fields, url, changes = EDIT_PAGES[page]
    obj = get()
    (field, new), = changes.items()
    old = getattr(obj, field)
    response = personas(persona).post(url(obj), form_data(obj, fields, **changes))
    assert response.status_code == 302
    obj.refresh_from_db()
    assert str(getattr(obj, field)) == new
    entries = AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
    assert [(e.actor, e.changes) for e in entries] == [(demo_user(persona), {field: [old, getattr(obj, field)]})]


def test_a_bad_email_on_the_park_page_shows_beside_the_field_and_keeps_what_was_typed(personas):
    park = it_park()
    response = personas("it_manager").post(
        reverse("network:park_edit", args=["namangan-it"]),
        form_data(park, PARK_FIELDS, name="Yangi nom", email="not-an-email"),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_email_error"' in html
    assert 'value="Yangi nom"' in html
    park.refresh_from_db()
    assert (park.name, park.email) == ("Namangan IT texnoparki", "info@namangan-it.texnopark.uz")


def test_an_htmx_save_answers_with_a_client_redirect(personas):
    park = it_park()
    response = personas("it_manager").post(
        reverse("network:park_edit", args=["namangan-it"]), form_data(park, PARK_FIELDS, planned_jobs="1300"),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert response["HX-Redirect"] == park.get_absolute_url()


def test_an_htmx_form_with_errors_gets_only_the_form_back(personas):
    park = it_park()
    response = personas("it_manager").post(
        reverse("network:park_edit", args=["namangan-it"]), form_data(park, PARK_FIELDS, planned_jobs="-3"),
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<form method="post" id="park-form"')
    assert "<html" not in html and 'id="id_planned_jobs_error"' in html


def test_a_park_manager_adds_a_facility_on_the_new_facility_page(personas, demo_user):
    kind = FacilityKind.objects.get(slug="incubator")
    response = personas("it_manager").post(reverse("network:facility_new", args=["namangan-it"]), {
        "name": "Ikkinchi inkubator", "kind": kind.pk, "area_m2": "200", "capacity": "40", "is_published": "on",
    })
    facility = Facility.objects.get(park__slug="namangan-it", name="Ikkinchi inkubator")
    assert response.status_code == 302
    assert response.url == facility.get_absolute_url()
    entry = AuditEntry.objects.get(object_type="network.facility", object_id=str(facility.pk))
    assert (entry.action, entry.actor) == ("network.facility.created", demo_user("it_manager"))


def test_a_duplicate_facility_name_on_the_new_facility_page_gives_a_message_and_adds_nothing(personas):
    before = Facility.objects.count()
    response = personas("it_manager").post(reverse("network:facility_new", args=["namangan-it"]), {
        "name": "Kovorking markazi", "kind": FacilityKind.objects.first().pk,
    })
    assert response.status_code == 200
    assert response.context["form"].errors
    assert Facility.objects.count() == before


def test_a_manager_of_another_park_cannot_post_to_the_park_page(personas):
    park = it_park()
    response = personas("kosonsoy_manager").post(
        reverse("network:park_edit", args=["namangan-it"]), form_data(park, PARK_FIELDS, name="Olingan")
    )
    assert response.status_code == 404
    assert Technopark.objects.get(pk=park.pk).name == "Namangan IT texnoparki"


def test_a_park_manager_cannot_add_a_facility_to_another_park(personas):
    before = Facility.objects.count()
    response = personas("it_manager").post(reverse("network:facility_new", args=["chortoq-agro"]), {
        "name": "Begona", "kind": FacilityKind.objects.first().pk,
    })
    assert response.status_code == 404
    assert Facility.objects.count() == before


def test_the_chust_centre_employee_cannot_edit_the_pop_centre(personas):
    pop = BusinessCentre.objects.get(district__soato="1714219")
    response = personas("chust_centre").post(
        reverse("network:centre_edit", args=[pop.pk]), form_data(pop, CENTRE_FIELDS, address="Chust")
    )
    assert response.status_code == 404
    assert BusinessCentre.objects.get(pk=pop.pk).address == ""


def test_the_district_search_finds_a_district_typed_in_russian(client):
    response = client.get(reverse("network:districts"), {"q": "Касансай"})
    assert [d.soato for d in response.context["districts"]] == ["1714207"]


def test_the_district_search_answers_htmx_with_the_results_only(client):
    response = client.get(reverse("network:districts"), {"q": "Чуст"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="district-results"')
    assert reverse("network:district", args=[District.objects.get(soato="1714237").pk]) in html
    assert "Pop tumani" not in html


def test_a_district_page_offers_the_centre_edit_link_only_to_its_staff(personas):
    chust = BusinessCentre.objects.get(district__soato="1714237")
    url = reverse("network:district", args=[chust.district_id])
    edit = reverse("network:centre_edit", args=[chust.pk])
    assert edit in personas("chust_centre").get(url).content.decode()
    assert edit not in personas("it_manager").get(url).content.decode()
