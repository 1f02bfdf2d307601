from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from texnopark.core.i18n import Localized

slug_help = _("Used in web addresses: Latin letters, digits and hyphens.")
soato_validator = RegexValidator(r"^\d{4,10}$", _("A SOATO code is 4 to 10 digits."))


class Named(Localized, models.Model):
    """A name in Uzbek (any script) with Russian, English and Korean versions."""

    name = models.CharField(_("name (Uzbek)"), max_length=200)
    name_ru = models.CharField(_("name in Russian"), max_length=200, blank=True)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    name_ko = models.CharField(_("name in Korean"), max_length=200, blank=True)
    # Folded names in every script and language, so any spelling finds the record.
    search_text = models.TextField(editable=False, blank=True, default="")

    class Meta:
        abstract = True


class Described(models.Model):
    description = models.TextField(_("description (Uzbek)"), blank=True)
    description_ru = models.TextField(_("description in Russian"), blank=True)
    description_en = models.TextField(_("description in English"), blank=True)
    description_ko = models.TextField(_("description in Korean"), blank=True)

    class Meta:
        abstract = True


class Region(Named):
    code = models.CharField(_("code"), max_length=20, unique=True, help_text=_("ISO 3166-2, e.g. UZ-NG"))
    soato = models.CharField(_("SOATO code"), max_length=10, blank=True, validators=[soato_validator])
    timezone = models.CharField(_("time zone"), max_length=50, default="Asia/Tashkent")
    population_thousands = models.DecimalField(
        _("population, thousands"), max_digits=9, decimal_places=1, null=True, blank=True,
        validators=[MinValueValidator(0)],
    )
    area_km2 = models.PositiveIntegerField(_("area, km²"), null=True, blank=True)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["name"]


class District(Named):
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="districts")
    soato = models.CharField(_("SOATO code"), max_length=10, blank=True, validators=[soato_validator])
    is_city = models.BooleanField(_("city"), default=False)
    centre = models.CharField(_("administrative centre"), max_length=100, blank=True)
    population_thousands = models.DecimalField(
        _("population, thousands"), max_digits=9, decimal_places=1, null=True, blank=True,
        validators=[MinValueValidator(0)],
    )
    is_active = models.BooleanField(_("active"), default=True, help_text=_("Retired districts stay in history."))

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["-is_city", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="district_unique_name_in_region"),
            models.UniqueConstraint(
                fields=["soato"], condition=~models.Q(soato=""), name="district_unique_soato"
            ),
        ]

    def get_absolute_url(self):
        return reverse("network:district", args=[self.pk])


class Sector(Named):
    slug = models.SlugField(_("short name"), unique=True, help_text=slug_help)

    class Meta:
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        ordering = ["name"]


class Technopark(Named, Described):
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="parks")
    district = models.ForeignKey(
        District, verbose_name=_("home district"), on_delete=models.PROTECT, related_name="parks"
    )
    slug = models.SlugField(_("short name"), unique=True, help_text=slug_help)
    sectors = models.ManyToManyField(Sector, verbose_name=_("sector focus"), related_name="parks", blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    founded = models.DateField(_("founded"), null=True, blank=True)
    area_ha = models.DecimalField(
        _("territory, ha"), max_digits=8, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    planned_jobs = models.PositiveIntegerField(_("planned jobs"), null=True, blank=True)
    is_published = models.BooleanField(_("published"), default=True)

    class Meta:
        verbose_name = _("technopark")
        verbose_name_plural = _("technoparks")
        ordering = ["name"]

    def get_absolute_url(self):
        return reverse("network:park", args=[self.slug])

    def clean(self):
        if self.district_id and self.region_id and self.district.region_id != self.region_id:
            raise ValidationError({"district": _("The district must lie in the park's region.")})


class FacilityKind(Named):
    slug = models.SlugField(_("short name"), unique=True, help_text=slug_help)

    class Meta:
        verbose_name = _("facility kind")
        verbose_name_plural = _("facility kinds")
        ordering = ["name"]


class Facility(Named, Described):
    park = models.ForeignKey(
        Technopark, verbose_name=_("technopark"), on_delete=models.CASCADE, related_name="facilities"
    )
    kind = models.ForeignKey(FacilityKind, verbose_name=_("kind"), on_delete=models.PROTECT, related_name="facilities")
    area_m2 = models.PositiveIntegerField(_("area, m²"), null=True, blank=True)
    capacity = models.PositiveIntegerField(_("capacity, people"), null=True, blank=True)
    is_published = models.BooleanField(_("published"), default=True)

    class Meta:
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")
        ordering = ["park", "name"]
        constraints = [models.UniqueConstraint(fields=["park", "name"], name="facility_unique_name_in_park")]

    def get_absolute_url(self):
        return reverse("network:facility", args=[self.park.slug, self.pk])


class BusinessCentre(Named, Described):
    district = models.ForeignKey(
        District, verbose_name=_("district"), on_delete=models.PROTECT, related_name="business_centres"
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    opened = models.DateField(_("opened"), null=True, blank=True)
    is_published = models.BooleanField(_("published"), default=True)

    class Meta:
        verbose_name = _("business centre")
        verbose_name_plural = _("business centres")
        ordering = ["district__name", "name"]

    def get_absolute_url(self):
        return reverse("network:district", args=[self.district_id])


class University(Named):
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="universities")
    district = models.ForeignKey(
        District, verbose_name=_("district"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="universities",
    )
    founded_year = models.PositiveSmallIntegerField(_("founded (year)"), null=True, blank=True)
    website = models.URLField(_("website"), blank=True)
    focus = models.CharField(_("focus"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("university")
        verbose_name_plural = _("universities")
        ordering = ["name"]

    def clean(self):
        if self.district_id and self.region_id and self.district.region_id != self.region_id:
            raise ValidationError({"district": _("The district must lie in the university's region.")})
