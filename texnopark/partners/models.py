from django.db import models
from django.utils.translation import gettext_lazy as _

from texnopark.network.models import Described, Named, Region


class PartnerOrganisation(Named, Described):
    """A partner of the network: a foreign technopark, an association, an investor."""

    class Kind(models.TextChoices):
        TECHNOPARK = "technopark", _("Technopark")
        ASSOCIATION = "association", _("Association")
        INVESTOR = "investor", _("Investor")
        UNIVERSITY = "university", _("University")
        OTHER = "other", _("Other")

    region = models.ForeignKey(Region, verbose_name=_("partner of region"), on_delete=models.PROTECT,
                               related_name="partners")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.TECHNOPARK)
    country = models.CharField(_("country (ISO code)"), max_length=2, help_text=_("Two letters, e.g. KR"))
    city = models.CharField(_("city"), max_length=100, blank=True)
    website = models.URLField(_("website"), blank=True)

    class Meta:
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="partner_unique_name_in_region")]
