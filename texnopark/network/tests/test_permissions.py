"""Who may open which page: one table over every HTML route of the project, for every demo persona.

Scoped objects outside a person's scope answer 404, never 403, so their existence does not leak.
A new route fails `test_every_html_route_is_in_the_permission_table` until it gets a row here.
"""

import importlib
from datetime import time, timedelta

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from texnopark.accounts import services as account_services
from texnopark.bookings import services as booking_services
from texnopark.bookings.models import Booking, Resource
from texnopark.bookings.rules import at
from texnopark.network.models import BusinessCentre, Facility, FacilityKind, Technopark
from texnopark.network.tests.permission_table import (  # noqa: F401  (re-exported for the rows modules)
    BACK_OFFICE,
    BO_INDEX,
    BO_LOGIN,
    CENTRE,
    IT_RUNS,
    LOGIN,
    PARK_RUNNERS,
    PERSONAS,
    PROFILE,
    REGION,
    back_office,
    everyone,
    private,
)
from texnopark.training import services as training_services
from texnopark.training.models import Certificate, ConsultationSlot, Programme, Session

# Each app past training keeps its rows, and the objects they need, in its own module.
ROW_MODULES = [
    "texnopark.ventures.tests.permission_rows",
    "texnopark.intake.tests.permission_rows_calls",
    "texnopark.intake.tests.permission_rows_review",
    "texnopark.reports.tests.permission_rows",
]
EXTRA = [importlib.import_module(name) for name in ROW_MODULES]


def citizen_certificate_code() -> str:
    return Certificate.objects.get(enrolment__person__email="citizen@demo.texnopark.uz").code


# (case, method, url name, args from the `objects` fixture, expected per persona)
TABLE = [
    ("home", "get", "network:home", lambda o: [], everyone()),
    ("region page", "get", "network:region", lambda o: ["UZ-NG"], everyone()),
    ("park page", "get", "network:park", lambda o: ["namangan-it"], everyone()),
    ("unpublished park page", "get", "network:park", lambda o: ["chortoq-agro"],
     {**everyone(404), **dict.fromkeys([*REGION, "chortoq_manager"], 200)}),
    ("park edit", "get", "network:park_edit", lambda o: ["namangan-it"], private(*REGION, "it_manager")),
    ("other park edit", "get", "network:park_edit", lambda o: ["kosonsoy-medical"],
     private(*REGION, "kosonsoy_manager")),
    ("facility page", "get", "network:facility", lambda o: ["namangan-it", o["it_facility"]], everyone()),
    ("unpublished facility page", "get", "network:facility", lambda o: ["namangan-it", o["hidden_facility"]],
     {**everyone(404), **dict.fromkeys([*REGION, "it_manager", "it_staff"], 200)}),
    ("new facility", "get", "network:facility_new", lambda o: ["namangan-it"], private(*REGION, "it_manager")),
    ("facility edit", "get", "network:facility_edit", lambda o: ["namangan-it", o["it_facility"]],
     private(*REGION, "it_manager")),
    ("other park's facility edit", "get", "network:facility_edit", lambda o: ["chortoq-agro", o["chortoq_facility"]],
     private(*REGION, "chortoq_manager")),
    ("facility edit under the wrong park", "get", "network:facility_edit",
     lambda o: ["namangan-it", o["chortoq_facility"]], private(others=404)),
    ("districts", "get", "network:districts", lambda o: [], everyone()),
    ("district page", "get", "network:district", lambda o: [o["chust_district"]], everyone()),
    ("Chust centre edit", "get", "network:centre_edit", lambda o: [o["chust_centre"]],
     private(*REGION, "chust_centre")),
    ("Pop centre edit", "get", "network:centre_edit", lambda o: [o["pop_centre"]], private(*REGION)),
    ("universities", "get", "network:universities", lambda o: [], everyone()),
    ("profile", "get", "accounts:profile", lambda o: [], private("*")),
    ("signup", "get", "accounts:signup", lambda o: [], everyone()),
    ("login", "get", "accounts:login", lambda o: [], {**everyone(PROFILE), "anonymous": 200}),
    ("logout needs POST", "get", "accounts:logout", lambda o: [], everyone(405)),
    ("token create needs POST", "get", "accounts:token_create", lambda o: [], private("*", code=405)),
    ("revoking someone's token", "post", "accounts:token_revoke", lambda o: [o["it_manager_token"]],
     private("it_manager", code=302)),
    ("password reset", "get", "accounts:password_reset", lambda o: [], everyone()),
    ("password reset sent", "get", "accounts:password_reset_done", lambda o: [], everyone()),
    ("password reset with a bad link", "get", "accounts:password_reset_confirm", lambda o: ["MQ", "bad-token"],
     everyone()),
    ("language switch", "post", "set_language", lambda o: [], everyone(302)),
    ("audit log", "get", "audit_log", lambda o: [], private(*REGION)),
    ("back office", "get", "admin:index", lambda o: [], back_office(*BACK_OFFICE)),
    ("regions", "get", "admin:network_region_changelist", lambda o: [], back_office(*REGION)),
    ("districts", "get", "admin:network_district_changelist", lambda o: [], back_office(*REGION)),
    ("sectors", "get", "admin:network_sector_changelist", lambda o: [], back_office(*REGION)),
    ("facility kinds", "get", "admin:network_facilitykind_changelist", lambda o: [], back_office(*REGION)),
    ("technoparks", "get", "admin:network_technopark_changelist", lambda o: [],
     back_office(*REGION, "it_manager", "chortoq_manager", "kosonsoy_manager")),
    ("technopark", "get", "admin:network_technopark_change", lambda o: [o["it_park"]],
     {**back_office(*REGION, "it_manager"), "chortoq_manager": BO_INDEX, "kosonsoy_manager": BO_INDEX}),
    ("facilities", "get", "admin:network_facility_changelist", lambda o: [],
     back_office(*REGION, "it_manager", "chortoq_manager", "kosonsoy_manager")),
    ("business centres", "get", "admin:network_businesscentre_changelist", lambda o: [],
     back_office(*REGION, "chust_centre")),
    ("Pop business centre", "get", "admin:network_businesscentre_change", lambda o: [o["pop_centre"]],
     {**back_office(*REGION), "chust_centre": BO_INDEX}),
    ("universities", "get", "admin:network_university_changelist", lambda o: [], back_office(*REGION)),
    ("people", "get", "admin:accounts_user_changelist", lambda o: [], back_office("platform")),
    ("memberships", "get", "admin:accounts_membership_changelist", lambda o: [], back_office(*REGION)),
    ("API tokens", "get", "admin:accounts_apitoken_changelist", lambda o: [], back_office("platform")),
    ("audit entries", "get", "admin:core_auditentry_changelist", lambda o: [], back_office("platform")),
    ("partners", "get", "admin:partners_partnerorganisation_changelist", lambda o: [], back_office(*REGION)),
    # Bookings. The IT park's resource is for its residents and researchers; its staff and the region run it.
    ("bookings", "get", "bookings:index", lambda o: [], everyone()),
    ("resources of a park", "get", "bookings:park", lambda o: ["namangan-it"], everyone()),
    ("resources of an unpublished park", "get", "bookings:park", lambda o: ["chortoq-agro"],
     {**everyone(404), **dict.fromkeys([*REGION, "chortoq_manager"], 200)}),
    ("resources of a facility", "get", "bookings:facility", lambda o: ["namangan-it", o["it_facility"]], everyone()),
    ("resource calendar", "get", "bookings:resource", lambda o: [o["it_resource"]], everyone()),
    ("resource calendar in an unpublished park", "get", "bookings:resource", lambda o: [o["chortoq_resource"]],
     {**everyone(404), **dict.fromkeys([*REGION, "chortoq_manager"], 200)}),
    ("booking form", "get", "bookings:book", lambda o: [o["it_resource"]],
     private(*IT_RUNS, "resident", "researcher")),
    ("booking form in an unpublished park", "get", "bookings:book", lambda o: [o["chortoq_resource"]],
     private(*REGION, "chortoq_manager")),
    ("my bookings", "get", "bookings:mine", lambda o: [], private("*")),
    ("new address of my calendar", "post", "bookings:feed_regenerate", lambda o: [], private("*", code=302)),
    ("a resident's booking", "get", "bookings:booking", lambda o: [o["booking"]], private(*IT_RUNS, "resident")),
    ("cancelling a resident's booking", "post", "bookings:cancel", lambda o: [o["booking"]],
     private(*IT_RUNS, "resident", code=302)),
    ("moving a resident's booking", "get", "bookings:change", lambda o: [o["booking"]],
     private(*IT_RUNS, "resident")),
    ("a personal iCal feed", "get", "bookings:ical", lambda o: [o["feed"]], everyone()),
    ("an unknown iCal feed", "get", "bookings:ical", lambda o: ["no-such-token"], everyone(404)),
    ("requests to decide", "get", "bookings:queue", lambda o: ["namangan-it"], private(*IT_RUNS)),
    ("deciding a request", "post", "bookings:decide", lambda o: [o["request"]], private(*IT_RUNS, code=302)),
    ("bookings of the day", "get", "bookings:today", lambda o: ["namangan-it"], private(*IT_RUNS)),
    ("checking a booking in", "post", "bookings:check_in", lambda o: [o["booking"]], private(*IT_RUNS, code=302)),
    ("managing a resource", "get", "bookings:resource_staff", lambda o: [o["it_resource"]], private(*IT_RUNS)),
    ("managing another park's resource", "get", "bookings:resource_staff", lambda o: [o["chortoq_resource"]],
     private(*REGION, "chortoq_manager")),
    ("blocking time", "get", "bookings:block", lambda o: [o["it_resource"]], private(*IT_RUNS)),
    ("taking out of service", "get", "bookings:service", lambda o: [o["it_resource"]], private(*IT_RUNS)),
    ("recording a training", "get", "bookings:training", lambda o: [o["it_resource"]], private(*IT_RUNS)),
    ("new address of a resource's calendar", "post", "bookings:resource_feed", lambda o: [o["it_resource"]],
     private(*IT_RUNS, code=302)),
    ("utilisation", "get", "bookings:usage", lambda o: [], private(*PARK_RUNNERS)),
    ("utilisation export", "get", "bookings:usage_xlsx", lambda o: [], private(*PARK_RUNNERS)),
    ("bookable resources", "get", "admin:bookings_resource_changelist", lambda o: [], back_office(*PARK_RUNNERS)),
    ("instrument trainings", "get", "admin:bookings_training_changelist", lambda o: [], back_office(*PARK_RUNNERS)),
    ("notifications", "get", "notifications", lambda o: [], private("*")),
    # Certificates: the public check; the PDF for the learner (the demo citizen's, from Chust) and Chust's staff.
    ("certificate check", "get", "training:verify", lambda o: [citizen_certificate_code()], everyone()),
    ("an unknown certificate's check", "get", "training:verify", lambda o: ["NO-SUCH-CODE"], everyone()),
    ("a learner's certificate PDF", "get", "training:certificate_pdf", lambda o: [citizen_certificate_code()],
     private(*REGION, "chust_centre", "citizen")),
    # Training. Chust's centre staff and the region run the Chust session; Pop's session is the region's only.
    ("course catalogue", "get", "training:catalogue", lambda o: [], everyone()),
    ("programme page", "get", "training:programme", lambda o: [o["chust_programme"]], everyone()),
    ("session page", "get", "training:session", lambda o: [o["chust_session"]], everyone()),
    ("consultation times", "get", "training:consultations", lambda o: [], everyone()),
    ("enrolment form", "get", "training:enrol", lambda o: [o["pop_session"]], private("*")),
    ("my learning", "get", "training:mine", lambda o: [], private("*")),
    ("cancelling a citizen's enrolment", "post", "training:cancel", lambda o: [o["enrolment"]],
     private(*CENTRE, "citizen", code=302)),
    ("confirming a citizen's seat", "post", "training:confirm", lambda o: [o["enrolment"]],
     private("citizen", code=302)),
    ("a citizen's business report", "post", "training:business", lambda o: [o["enrolment"]],
     private("citizen", code=302)),
    ("self check-in", "get", "training:checkin", lambda o: [o["lesson"]], private("*")),
    ("booking a consultation", "get", "training:consultation_book", lambda o: [o["slot"]], private("*")),
    ("cancelling a citizen's consultation", "post", "training:consultation_cancel", lambda o: [o["slot"]],
     private(*CENTRE, "citizen", code=302)),
    ("centre staff's courses", "get", "training:staff", lambda o: [], private(*CENTRE)),
    ("Chust session roster", "get", "training:roster", lambda o: [o["chust_session"]], private(*CENTRE)),
    ("Pop session roster", "get", "training:roster", lambda o: [o["pop_session"]], private(*REGION)),
    ("adding a walk-in", "get", "training:walk_in", lambda o: [o["chust_session"]], private(*CENTRE)),
    ("issuing all certificates", "post", "training:certificate_issue_all", lambda o: [o["chust_session"]],
     private(*CENTRE, code=302)),
    ("attendance list", "get", "training:attendance", lambda o: [o["lesson"]], private(*CENTRE)),
    ("check-in code", "get", "training:lesson_code", lambda o: [o["lesson"]], private(*CENTRE)),
    ("accepting a project", "post", "training:project_accept", lambda o: [o["enrolment"]],
     private(*CENTRE, code=302)),
    ("issuing a certificate", "post", "training:certificate_issue", lambda o: [o["enrolment"]],
     private(*CENTRE, code=302)),
    ("revoking a certificate", "get", "training:certificate_revoke", lambda o: [o["certificate"]],
     private(*CENTRE)),
    ("centre's consultation times", "get", "training:consultations_staff", lambda o: [], private(*CENTRE)),
    ("publishing a consultation time", "get", "training:consultation_new", lambda o: [], private(*CENTRE)),
    ("recording a consultation's outcome", "get", "training:consultation_outcome", lambda o: [o["slot"]],
     private(*CENTRE)),
    ("reach", "get", "training:reach", lambda o: [], private(*CENTRE)),
    ("reach export", "get", "training:reach_xlsx", lambda o: [], private(*CENTRE)),
    ("programmes", "get", "admin:training_programme_changelist", lambda o: [], back_office(*CENTRE)),
    ("sessions", "get", "admin:training_session_changelist", lambda o: [], back_office(*CENTRE)),
    ("consultation slots", "get", "admin:training_consultationslot_changelist", lambda o: [], back_office(*CENTRE)),
    ("certificates", "get", "admin:training_certificate_changelist", lambda o: [], back_office(*CENTRE)),
]
TABLE += [row for module in EXTRA for row in module.ROWS]


@pytest.fixture
def objects(demo_user):
    """Ids the table's URLs need. The Chortoq park is unpublished and the IT park has a hidden facility."""
    it_park = Technopark.objects.get(slug="namangan-it")
    Technopark.objects.filter(slug="chortoq-agro").update(is_published=False)
    hidden = Facility.objects.create(park=it_park, kind=FacilityKind.objects.first(), name="Yopiq xona",
                                     is_published=False)
    token, _plain = account_services.token_create(actor=demo_user("it_manager"), name="script")
    extra = {}
    for module in EXTRA:
        extra.update(module.objects(demo_user))
    return {
        **extra,
        **bookings_objects(demo_user, it_park),
        **training_objects(demo_user),
        "it_park": it_park.pk,
        "it_facility": it_park.facilities.filter(is_published=True).first().pk,
        "hidden_facility": hidden.pk,
        "chortoq_facility": Facility.objects.filter(park__slug="chortoq-agro").first().pk,
        "chust_district": BusinessCentre.objects.get(district__soato="1714237").district_id,
        "chust_centre": BusinessCentre.objects.get(district__soato="1714237").pk,
        "pop_centre": BusinessCentre.objects.get(district__soato="1714219").pk,
        "it_manager_token": token.pk,
    }


def bookings_objects(demo_user, it_park) -> dict:
    """A resource in the IT park (one needing approval too) and one in Chortoq, a resident's booking and feed."""
    facility = it_park.facilities.filter(is_published=True).first()
    every_day = list(range(7))
    room = Resource.objects.create(facility=facility, name="Jadval sinov xonasi", open_weekdays=every_day,
                                   audience=["park_residents", "researchers"])
    hall = Resource.objects.create(facility=facility, name="Jadval sinov zali", open_weekdays=every_day,
                                   audience=["park_residents"], needs_approval=True)
    chortoq = Resource.objects.create(facility=Facility.objects.filter(park__slug="chortoq-agro").first(),
                                      name="Jadval sinov boʻlmasi", open_weekdays=every_day,
                                      audience=["park_residents", "researchers"])
    resident = demo_user("resident")
    day = timezone.localdate() + timedelta(days=2)
    booking = booking_services.booking_create(actor=resident, resource=room, starts_at=at(room, day, time(10)),
                                              ends_at=at(room, day, time(11)))
    request = booking_services.booking_create(actor=resident, resource=hall, starts_at=at(hall, day, time(10)),
                                              ends_at=at(hall, day, time(11)))
    assert request.status == Booking.Status.PENDING
    return {"it_resource": room.pk, "chortoq_resource": chortoq.pk, "booking": booking.pk, "request": request.pk,
            "feed": booking_services.feed_for(person=resident).token}


def training_objects(demo_user) -> dict:
    """A coming session in Chust (a lesson, the citizen's enrolment, a certificate, a booked consultation)
    and one in Pop."""
    chust, pop = (BusinessCentre.objects.get(district__soato=soato) for soato in ("1714237", "1714219"))
    today, now = timezone.localdate(), timezone.now()
    sessions = {}
    for name, centre in (("chust", chust), ("pop", pop)):
        programme = Programme.objects.create(centre=centre, name=f"Jadval kursi {name}")
        sessions[name] = Session.objects.create(programme=programme, starts_on=today, capacity=5,
                                                ends_on=today + timedelta(days=30))
    staff, citizen, region = demo_user("chust_centre"), demo_user("citizen"), demo_user("region_admin")
    lesson = training_services.lesson_create(actor=staff, session=sessions["chust"], starts_at=now,
                                             ends_at=now + timedelta(hours=2))
    enrolment = training_services.enrol(actor=citizen, session=sessions["chust"], full_name="Fuqaro")
    graduate = training_services.enrol(actor=region, session=sessions["chust"], full_name="Bitiruvchi")
    certificate = Certificate.objects.create(enrolment=graduate, code=training_services.new_certificate_code(),
                                             issued_on=today)
    slot = ConsultationSlot.objects.create(centre=chust, starts_at=now + timedelta(days=2),
                                           ends_at=now + timedelta(days=2, hours=1), booked_by=citizen)
    return {"chust_programme": sessions["chust"].programme_id, "chust_session": sessions["chust"].pk,
            "pop_session": sessions["pop"].pk, "lesson": lesson.pk, "enrolment": enrolment.pk,
            "certificate": certificate.pk, "slot": slot.pk}


def assert_answer(response, expected):
    if isinstance(expected, int):
        assert response.status_code == expected, f"expected {expected}, got {response.status_code}"
        return
    assert response.status_code == 302, f"expected {expected}, got {response.status_code}"
    target = {
        LOGIN: reverse("accounts:login") + "?next=",
        BO_LOGIN: reverse("admin:login") + "?next=",
        BO_INDEX: reverse("admin:index"),
        PROFILE: reverse("accounts:profile"),
    }[expected]
    if expected in (BO_INDEX, PROFILE):
        assert response.url == target
    else:
        assert response.url.startswith(target)


def answer_problem(response, expected) -> str | None:
    try:
        assert_answer(response, expected)
    except AssertionError as error:
        return str(error)
    return None


# One test per page, asking as every persona in turn: the page's objects are made once, and each persona's
# request runs in a savepoint that is rolled back, so a write by one persona never changes another's answer.
CASES = [pytest.param((method, name, args, expected), id=case) for case, method, name, args, expected in TABLE]


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES)
def test_each_persona_gets_the_right_answer_on_each_page(personas, objects, case):
    method, name, args, expected = case
    url = reverse(name, args=args(objects))
    wrong = {}
    for persona in PERSONAS:
        with transaction.atomic():
            problem = answer_problem(getattr(personas(persona), method)(url), expected[persona])
            transaction.set_rollback(True)
        if problem:
            wrong[persona] = problem
    assert wrong == {}, f"{method.upper()} {url}"


def html_route_names(patterns, namespace=""):
    """Every named route outside the API; in the back office, the index and each model's changelist."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(n for n in (namespace, pattern.namespace) if n)
            yield from html_route_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            if name.startswith("api:"):
                continue  # the API has its own tests
            if name.startswith("admin:") and not (name == "admin:index" or name.endswith("_changelist")):
                continue  # admin internals: add, history, delete, password and the like
            yield name


def test_every_html_route_is_in_the_permission_table():
    routes = set(html_route_names(get_resolver().url_patterns))
    covered = {name for _case, _method, name, _args, _expected in TABLE}
    assert "network:park_edit" in routes and "admin:network_technopark_changelist" in routes
    assert routes - covered == set(), "add these routes to the permission table"


def test_the_table_gives_an_answer_for_every_persona():
    for case, _method, _name, _args, expected in TABLE:
        assert set(expected) == set(PERSONAS), case
