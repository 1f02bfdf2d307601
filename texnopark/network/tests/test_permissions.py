"""Who may open which page: one table over every HTML route of the project, for every demo persona.

Scoped objects outside a person's scope answer 404, never 403, so their existence does not leak.
A new route fails `test_every_html_route_is_in_the_permission_table` until it gets a row here.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from texnopark.accounts import services as account_services
from texnopark.network.models import BusinessCentre, Facility, FacilityKind, Technopark

PERSONAS = [
    "anonymous", "platform", "region_admin", "it_manager", "it_staff", "chortoq_manager", "kosonsoy_manager",
    "chust_centre", "expert", "resident", "researcher", "lab", "partner", "citizen",
]
BACK_OFFICE = {"platform", "region_admin", "it_manager", "it_staff", "chortoq_manager", "kosonsoy_manager",
               "chust_centre"}
REGION = {"platform", "region_admin"}

# Expected answers that are redirects: where they lead.
LOGIN = "302 to the sign-in page"
BO_LOGIN = "302 to the back-office sign-in page"
BO_INDEX = "302 to the back-office index (the admin's 'does not exist')"
PROFILE = "302 to the profile"


def everyone(code=200):
    return dict.fromkeys(PERSONAS, code)


def private(*allowed, code=200, others=404):
    """A page for signed-in people: anonymous is sent to sign in, `allowed` get `code`, the rest `others`."""
    return {p: LOGIN if p == "anonymous" else code if p in allowed or allowed == ("*",) else others
            for p in PERSONAS}


def back_office(*allowed):
    """A back-office page: only people with a back-office role get in; `allowed` may use it, the rest get 403."""
    return {p: 200 if p in allowed else 403 if p in BACK_OFFICE else BO_LOGIN for p in PERSONAS}


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
]


@pytest.fixture
def objects(demo_user):
    """Ids the table's URLs need. The Chortoq park is unpublished and the IT park has a hidden facility."""
    it_park = Technopark.objects.get(slug="namangan-it")
    Technopark.objects.filter(slug="chortoq-agro").update(is_published=False)
    hidden = Facility.objects.create(park=it_park, kind=FacilityKind.objects.first(), name="Yopiq xona",
                                     is_published=False)
    token, _plain = account_services.token_create(actor=demo_user("it_manager"), name="script")
    return {
        "it_park": it_park.pk,
        "it_facility": it_park.facilities.filter(is_published=True).first().pk,
        "hidden_facility": hidden.pk,
        "chortoq_facility": Facility.objects.filter(park__slug="chortoq-agro").first().pk,
        "chust_district": BusinessCentre.objects.get(district__soato="1714237").district_id,
        "chust_centre": BusinessCentre.objects.get(district__soato="1714237").pk,
        "pop_centre": BusinessCentre.objects.get(district__soato="1714219").pk,
        "it_manager_token": token.pk,
    }


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


CASES = [
    pytest.param((method, name, args, persona, expected[persona]), id=f"{case}-{persona}")
    for case, method, name, args, expected in TABLE
    for persona in PERSONAS
]


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES)
def test_each_persona_gets_the_right_answer_on_each_page(personas, objects, case):
    method, name, args, persona, expected = case
    response = getattr(personas(persona), method)(reverse(name, args=args(objects)))
    assert_answer(response, expected)


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
