from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

phone_validator = RegexValidator(r"^\+998\d{9}$", _("Enter the phone as +998 and nine digits, e.g. +998901234567."))


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        return self.create_user(email, password, is_staff=True, is_superuser=True, **extra)


class User(AbstractUser):
    LATIN_1995 = "latn"
    LATIN_2026 = "latn2026"
    LATIN_CHOICES = [(LATIN_1995, _("Latin (1995): oʻ, gʻ, sh, ch")), (LATIN_2026, _("Latin (2026): ö, ğ, ş, ç"))]

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("e-mail"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=13, blank=True, validators=[phone_validator])
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, default="uz")
    latin_alphabet = models.CharField(
        _("Uzbek Latin alphabet"), max_length=10, choices=LATIN_CHOICES, default=LATIN_1995
    )

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []
    objects = UserManager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["email"]

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email


class Role(models.TextChoices):
    REGION_ADMIN = "region_admin", _("Region administrator")
    PARK_MANAGER = "park_manager", _("Park manager")
    PARK_STAFF = "park_staff", _("Park staff")
    CENTRE_STAFF = "centre_staff", _("Business-centre staff")
    EXPERT = "expert", _("Expert")
    RESIDENT = "resident", _("Resident company member")
    RESEARCHER = "researcher", _("Researcher")
    LAB_STAFF = "lab_staff", _("Laboratory staff")
    PARTNER = "partner", _("Partner")


# Which kind of scope each role is held in.
REGION_ROLES = [Role.REGION_ADMIN, Role.RESEARCHER, Role.PARTNER]
PARK_ROLES = [Role.PARK_MANAGER, Role.PARK_STAFF, Role.EXPERT, Role.RESIDENT, Role.LAB_STAFF]
DISTRICT_ROLES = [Role.CENTRE_STAFF]


class Membership(models.Model):
    """A role a person holds in one scope: the region, a park or a district."""

    user = models.ForeignKey(User, verbose_name=_("person"), on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    region = models.ForeignKey(
        "network.Region", verbose_name=_("region"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="memberships",
    )
    park = models.ForeignKey(
        "network.Technopark", verbose_name=_("technopark"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="memberships",
    )
    district = models.ForeignKey(
        "network.District", verbose_name=_("district"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="memberships",
    )
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["user__email", "role"]
        constraints = [
            models.CheckConstraint(
                name="membership_scope_matches_role",
                condition=(
                    Q(role__in=REGION_ROLES, region__isnull=False, park__isnull=True, district__isnull=True)
                    | Q(role__in=PARK_ROLES, region__isnull=True, park__isnull=False, district__isnull=True)
                    | Q(role__in=DISTRICT_ROLES, region__isnull=True, park__isnull=True, district__isnull=False)
                ),
                violation_error_message=_(
                    "Region administrators, researchers and partners belong to a region; park roles to a "
                    "technopark; business-centre staff to a district."
                ),
            ),
            models.UniqueConstraint(fields=["user", "role", "region"], name="membership_unique_region_role"),
            models.UniqueConstraint(fields=["user", "role", "park"], name="membership_unique_park_role"),
            models.UniqueConstraint(fields=["user", "role", "district"], name="membership_unique_district_role"),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.scope}"

    @property
    def scope(self):
        return self.region or self.park or self.district


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 is stored; the token is shown once."""

    user = models.ForeignKey(User, verbose_name=_("person"), on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("starts with"), max_length=12)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"
