"""Objects the ventures tests make for themselves (the demo's ideas and companies are not relied on)."""

import itertools
from datetime import date, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from texnopark.accounts.models import User
from texnopark.intake.models import Call, Residency
from texnopark.network.models import District, Sector, Technopark
from texnopark.ventures.models import Company, CompanyMember, ExportDeal, Idea, Product

PDF = b"%PDF-1.4\n% a tiny test file\n"
_numbers = itertools.count(1)


def pdf(name="plan.pdf", content=PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def fake_pdf(name="plan.pdf") -> SimpleUploadedFile:
    """Called .pdf, but an executable inside."""
    return SimpleUploadedFile(name, b"MZ\x90\x00 not a pdf", content_type="application/pdf")


def park(slug="namangan-it") -> Technopark:
    return Technopark.objects.get(slug=slug)


def district(n=0) -> District:
    return District.objects.filter(region__code="UZ-NG", is_active=True).order_by("pk")[n]


def sector(n=0) -> Sector:
    return Sector.objects.order_by("pk")[n]


def person(name: str, language="en") -> User:
    return User.objects.create_user(f"{name.lower()}.{next(_numbers)}@example.uz", "pw", full_name=f"{name} Test",
                                    language=language)


def stir() -> str:
    return f"{700000000 + next(_numbers):09d}"


def company(name="Sinov Soft", admin=None, member=None, **fields) -> Company:
    values = {"stir": stir(), "oked": "62010", "district": district(), "sector": sector(), **fields}
    made = Company.objects.create(name=name, **values)
    if admin is not None:
        CompanyMember.objects.create(company=made, user=admin, role=CompanyMember.Role.FOUNDER, is_admin=True)
    if member is not None:
        CompanyMember.objects.create(company=made, user=member, role=CompanyMember.Role.ENGINEER)
    return made


def residency(made: Company, where: Technopark, status=Residency.Status.ACTIVE, started=None) -> Residency:
    start = started or timezone.localdate() - timedelta(days=200)
    return Residency.objects.create(company=made, park=where, number=f"T-{next(_numbers)}", starts_on=start,
                                    ends_on=start + timedelta(days=3 * 365), status=status)


def resident(name="Sinov Soft", where=None, status=Residency.Status.ACTIVE, **fields) -> Company:
    made = company(name, **fields)
    residency(made, where or park(), status)
    return made


def deal(made: Company, country="KR", value="1000.00", **fields) -> ExportDeal:
    return ExportDeal.objects.create(company=made, country=country, buyer=fields.pop("buyer", "Buyer Co"),
                                     value_usd=Decimal(value), signed_on=fields.pop("signed_on", date(2025, 3, 1)),
                                     **fields)


def product(made: Company, name="Mahsulot", **fields) -> Product:
    return Product.objects.create(company=made, name=name, **fields)


def call(where=None, status=Call.Status.OPEN, closes_in=timedelta(days=20), kind=Call.Kind.RESIDENCY) -> Call:
    return Call.objects.create(park=where or park(), name=f"Tanlov {next(_numbers)}", kind=kind, status=status,
                               opens_on=timezone.localdate() - timedelta(days=5),
                               closes_at=timezone.now() + closes_in)


def idea(author, where=None, **fields) -> Idea:
    values = {"title": "Aqlli issiqxona", "problem": "Suv isrof boʻladi", "solution": "Sensorlar",
              "sector": sector(), "district": district(), **fields}
    return Idea.objects.create(author=author, park=where or park(), **values)
