"""Load the Namangan demo network. Safe to run again: it only adds what is missing
and never overwrites what a person changed."""

from decimal import Decimal

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from texnopark.accounts.models import Membership, User
from texnopark.bookings import demo as bookings_demo
from texnopark.core import demo_data as data
from texnopark.intake import demo as intake_demo
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
from texnopark.network.services import search_text_for
from texnopark.partners.models import PartnerOrganisation
from texnopark.reports import demo as reports_demo
from texnopark.training import demo as training_demo
from texnopark.ventures import demo as ventures_demo


def add(model, lookup: dict, defaults: dict):
    """Get or create; return (object, created). A found object is never changed."""
    obj, created = model.objects.get_or_create(**lookup, defaults=defaults)
    if created and hasattr(obj, "search_text"):
        obj.search_text = search_text_for(obj)
        obj.save(update_fields=["search_text"])
    return obj, created


def centre_name(district: District) -> str:
    cyrillic = not district.name.isascii() and "ʻ" not in district.name
    suffix = "инновацион бизнес маркази" if cyrillic else "innovatsion biznes markazi"
    return f"{district.name} {suffix}"


CENTRE_DESCRIPTION = "Fuqarolarga zamonaviy biznesni oʻrgatish, maslahatlar va texnopark tanlovlariga yoʻllanma."


class Command(BaseCommand):
    """What a person may rename is looked up by a stable key (code, slug, e-mail), and the
    things inside a container (a region's districts, a park's facilities) are added only
    when the container itself is new: so a rerun never duplicates a renamed record."""

    help = "Load the Namangan demo network and one demo account per role."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-accounts", action="store_true", help="Do not print the demo accounts.")

    @transaction.atomic
    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("Demo data and demo passwords are refused in production (PRODUCTION=1).")
        region, new_region = add(Region, {"code": data.REGION["code"]},
                                 {k: v for k, v in data.REGION.items() if k != "code"})
        sectors = {slug: add(Sector, {"slug": slug}, {"name": uz, "name_ru": ru, "name_en": en, "name_ko": ko})[0]
                   for slug, uz, ru, en, ko in data.SECTORS}
        kinds = {slug: add(FacilityKind, {"slug": slug}, {"name": uz, "name_ru": ru, "name_en": en, "name_ko": ko})[0]
                 for slug, uz, ru, en, ko in data.FACILITY_KINDS}
        districts = self.load_districts(region, new_region)
        parks = self.load_parks(region, districts, sectors, kinds)
        if new_region:
            for uz, en, founded, focus in data.UNIVERSITIES:
                add(University, {"region": region, "name": uz},
                    {"name_en": en, "founded_year": founded, "focus": focus, "district": districts.get("1714401")})
            for uz, ko, en, kind, country, city_name in data.PARTNERS:
                add(PartnerOrganisation, {"region": region, "name": uz},
                    {"name_ko": ko, "name_en": en, "kind": kind, "country": country, "city": city_name})
        accounts = self.load_accounts(region, parks, districts)
        people = {email.split("@")[0]: User.objects.get(email=email) for email, _role, _scope in accounts}
        bookings_demo.load(accounts=people)
        training_demo.load(accounts=people)
        ventures_demo.load(accounts=people)
        intake_demo.load(accounts=people)
        reports_demo.load(accounts=people)
        if not options["quiet_accounts"]:
            self.print_accounts(accounts)

    def load_districts(self, region, new_region) -> dict:
        """Districts by SOATO code; each new district gets its business centre."""
        districts = {}
        for soato, name, ru, en, centre, population, is_city in data.DISTRICTS:
            if not soato and not new_region:
                continue  # no stable key: only with a new region
            lookup = {"region": region, "soato": soato} if soato else {"region": region, "name": name}
            district, created = add(District, lookup, {
                "name": name, "name_ru": ru, "name_en": en, "centre": centre, "is_city": is_city,
                "population_thousands": Decimal(population) if population else None,
            })
            districts[soato or name] = district
            if created:
                add(BusinessCentre, {"district": district, "name": centre_name(district)}, {
                    "name_ru": f"Инновационный бизнес-центр ({ru})",
                    "name_en": f"Innovative business centre, {en}",
                    "description": CENTRE_DESCRIPTION,
                    "phone": "+998692" + (soato[-6:] if soato else "000000"),
                })
        return districts

    def load_parks(self, region, districts, sectors, kinds) -> dict:
        """Parks by slug; a new park gets its sectors and facilities."""
        parks = {}
        for slug, uz, ru, en, ko, soato, sector_slugs, jobs, area, description in data.PARKS:
            home = districts.get(soato) or District.objects.get(region=region, soato=soato)
            park, created = add(Technopark, {"slug": slug}, {
                "region": region, "district": home, "name": uz, "name_ru": ru, "name_en": en,
                "name_ko": ko, "planned_jobs": jobs, "area_ha": Decimal(area), "description": description,
                "address": home.name, "email": f"info@{slug}.texnopark.uz",
            })
            parks[slug] = park
            if created:
                park.sectors.set([sectors[s] for s in sector_slugs])
                for park_slug, kind, name, name_en, area_m2, capacity in data.FACILITIES:
                    if park_slug == slug:
                        add(Facility, {"park": park, "name": name},
                            {"kind": kinds[kind], "name_en": name_en, "area_m2": area_m2, "capacity": capacity})
        return parks

    def load_accounts(self, region, parks, districts):
        rows = []
        for local, full_name, role, scope, language in data.ACCOUNTS:
            email = f"{local}@{data.DEMO_EMAIL_DOMAIN}"
            user = User.objects.filter(email=email).first()
            if user is None:
                user = User(email=email, full_name=full_name, language=language, is_superuser=role is None and
                            local == "platform", is_staff=local == "platform")
                user.set_password(settings.DEMO_PASSWORD)
                user.save()
                if role:
                    scope_field = (
                        {"region": region} if scope == "region"
                        else {"park": parks[scope]} if scope in parks
                        else {"district": districts[scope]}
                    )
                    Membership.objects.get_or_create(user=user, role=role, **scope_field)
            rows.append((email, role or ("superuser" if user.is_superuser else "citizen"), scope or ""))
        return rows

    def print_accounts(self, rows):
        self.stdout.write(f"\nDemo accounts (password: {settings.DEMO_PASSWORD}):")
        for email, role, scope in rows:
            self.stdout.write(f"  {email:38} {role:14} {scope}")
        self.stdout.write("")
