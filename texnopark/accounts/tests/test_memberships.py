"""Roles come from memberships scoped to the region, a park or a district; only the region grants them."""

import pytest
from django.db import IntegrityError, transaction

from texnopark.accounts import services
from texnopark.accounts.models import Membership, Role
from texnopark.accounts.scopes import scopes_of
from texnopark.core.errors import AppError, NotFound
from texnopark.core.models import AuditEntry
from texnopark.network.models import District, Region, Technopark

pytestmark = pytest.mark.django_db


@pytest.fixture
def it_park():
    return Technopark.objects.get(slug="namangan-it")


def test_the_region_administrator_makes_a_citizen_park_staff(demo_user, it_park):
    citizen = demo_user("citizen")
    assert not scopes_of(citizen).is_back_office
    membership = services.membership_create(actor=demo_user("region_admin"), user=citizen, role=Role.PARK_STAFF,
                                            park=it_park)
    assert membership.scope == it_park
    assert scopes_of(citizen).staffed_parks == {it_park.pk}
    entry = AuditEntry.objects.get(object_type="accounts.membership", object_id=str(membership.pk))
    assert (entry.action, entry.actor) == ("accounts.membership.created", demo_user("region_admin"))
    assert entry.changes["role"] == [None, "park_staff"]


def test_the_region_administrator_gives_a_district_its_centre_staff(demo_user):
    pop = District.objects.get(soato="1714219")
    citizen = demo_user("citizen")
    services.membership_create(actor=demo_user("region_admin"), user=citizen, role=Role.CENTRE_STAFF, district=pop)
    assert scopes_of(citizen).centre_districts == {pop.pk}


@pytest.mark.parametrize("persona", ["it_manager", "chust_centre", "citizen", "partner"])
def test_only_the_region_grants_roles(demo_user, it_park, persona):
    with pytest.raises(NotFound):
        services.membership_create(actor=demo_user(persona), user=demo_user("citizen"), role=Role.PARK_STAFF,
                                   park=it_park)
    assert not Membership.objects.filter(user=demo_user("citizen")).exists()


def test_the_administrator_of_another_region_cannot_grant_a_role_here(demo_user, it_park):
    other = Region.objects.create(code="UZ-FA", name="Fargʻona viloyati")
    outsider = demo_user("citizen")
    Membership.objects.create(user=outsider, role=Role.REGION_ADMIN, region=other)
    with pytest.raises(NotFound):
        services.membership_create(actor=outsider, user=demo_user("resident"), role=Role.PARK_MANAGER, park=it_park)


def test_the_same_role_twice_in_one_place_is_refused_with_a_message(demo_user, it_park):
    with pytest.raises(AppError) as error:
        services.membership_create(actor=demo_user("region_admin"), user=demo_user("it_manager"),
                                   role=Role.PARK_MANAGER, park=it_park)
    assert error.value.code == "membership_exists"
    assert Membership.objects.filter(user=demo_user("it_manager")).count() == 1


def test_a_role_in_the_wrong_kind_of_scope_is_refused_with_a_message(demo_user):
    region = Region.objects.get(code="UZ-NG")
    with pytest.raises(AppError) as error:
        services.membership_create(actor=demo_user("region_admin"), user=demo_user("citizen"),
                                   role=Role.PARK_MANAGER, region=region)
    assert error.value.code == "invalid"
    assert not Membership.objects.filter(user=demo_user("citizen")).exists()


def test_the_database_refuses_a_park_manager_without_a_park(demo_user):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=demo_user("citizen"), role=Role.PARK_MANAGER)


def test_the_database_refuses_a_centre_employee_with_a_park(demo_user, it_park):
    chust = District.objects.get(soato="1714237")
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=demo_user("citizen"), role=Role.CENTRE_STAFF, district=chust, park=it_park)


def test_the_region_administrator_withdraws_a_role(demo_user):
    staff = demo_user("it_staff")
    membership = Membership.objects.get(user=staff)
    pk = membership.pk
    services.membership_delete(actor=demo_user("region_admin"), membership=membership)
    assert not Membership.objects.filter(pk=pk).exists()
    assert scopes_of(staff).staffed_parks == set()
    assert AuditEntry.objects.filter(action="accounts.membership.deleted", object_id=str(pk)).exists()


def test_a_park_manager_cannot_withdraw_their_staffs_role(demo_user):
    membership = Membership.objects.get(user=demo_user("it_staff"))
    with pytest.raises(NotFound):
        services.membership_delete(actor=demo_user("it_manager"), membership=membership)
    assert Membership.objects.filter(pk=membership.pk).exists()
