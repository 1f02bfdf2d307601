"""Companies, residencies and reports made with the ORM, so the tests never lean on the demo data of the
new apps (and race tests, whose flush removes the demo, can build a region of their own)."""

import itertools
from datetime import date, timedelta

from django.utils import timezone

from texnopark.accounts.models import Membership, Role, User
from texnopark.intake.models import Residency
from texnopark.network.models import District, Region, Technopark
from texnopark.reports.models import QuarterlyReport
from texnopark.ventures.models import Company, CompanyMember

_serial = itertools.count(1)


def person(name: str, **fields) -> User:
    n = next(_serial)
    return User.objects.create_user(f"{name.lower().replace(' ', '.')}.{n}@example.uz", "pw",
                                    full_name=name, language="en", **fields)


def company(*, district: District, admins=(), members=(), name: str = "") -> Company:
    n = next(_serial)
    made = Company.objects.create(name=name or f"Kompaniya {n}", stir=f"{700000000 + n:09d}", oked="62010",
                                  district=district)
    for user in admins:
        CompanyMember.objects.create(company=made, user=user, is_admin=True, role=CompanyMember.Role.CEO)
    for user in members:
        CompanyMember.objects.create(company=made, user=user, is_admin=False)
    return made


def residency(company: Company, park: Technopark, *, starts_on: date, years: int = 3, **fields) -> Residency:
    n = next(_serial)
    return Residency.objects.create(company=company, park=park, number=f"T-{park.pk}-{n}", starts_on=starts_on,
                                    ends_on=starts_on + timedelta(days=365 * years), **fields)


def report(residency: Residency, year: int, quarter: int, status=QuarterlyReport.Status.SUBMITTED,
           **figures) -> QuarterlyReport:
    submitted_at = None
    if status != QuarterlyReport.Status.DRAFT:
        submitted_at = timezone.now()
    return QuarterlyReport.objects.create(residency=residency, year=year, quarter=quarter, status=status,
                                          submitted_at=submitted_at, **figures)


def member_of(user: User, role: str, *, park=None, region=None) -> User:
    Membership.objects.create(user=user, role=role, park=park, region=region)
    return user


def world(code: str = "UZ-RPT") -> dict:
    """A region of its own with a park, its manager and staff, the region's administrator, another park with its
    manager, and a resident company (an admin and a plain member) whose residency began two years ago."""
    region = Region.objects.create(code=code, name=f"{code} viloyati")
    district = District.objects.create(region=region, name=f"{code} tumani")
    park = Technopark.objects.create(region=region, district=district, slug=f"{code.lower()}-park",
                                     name=f"{code} texnoparki")
    other = Technopark.objects.create(region=region, district=district, slug=f"{code.lower()}-other",
                                      name=f"{code} boshqa texnopark")
    manager = member_of(person("Park Manager"), Role.PARK_MANAGER, park=park)
    staff = member_of(person("Park Staff"), Role.PARK_STAFF, park=park)
    other_manager = member_of(person("Other Manager"), Role.PARK_MANAGER, park=other)
    region_admin = member_of(person("Region Admin"), Role.REGION_ADMIN, region=region)
    admin, member, stranger = person("Founder Admin"), person("Team Member"), person("Stranger")
    firm = company(district=district, admins=[admin], members=[member], name=f"{code} Soft")
    start = timezone.localdate().replace(day=1) - timedelta(days=700)
    return {"region": region, "district": district, "park": park, "other_park": other, "manager": manager,
            "staff": staff, "other_manager": other_manager, "region_admin": region_admin, "admin": admin,
            "member": member, "stranger": stranger, "company": firm,
            "residency": residency(firm, park, starts_on=start)}
