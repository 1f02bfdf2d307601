"""Companies and startups on their way from an idea to export.

A Company is known by its STIR (taxpayer number). The people who run it are its members; a
member who is a company admin may edit it and file its reports. Ideas come before companies:
anyone signed in may submit one to a park, whose staff invite the author to a call or decline.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from texnopark.core.files import FileCheck
from texnopark.network.models import District, Sector, Technopark
from texnopark.ventures.countries import CODES


def country_validator(code):
    if code not in CODES:
        raise ValidationError(_("Choose a country from the list."), code="country")

stir_validator = RegexValidator(r"^\d{9}$", _("The STIR (taxpayer number) is exactly 9 digits."))
oked_validator = RegexValidator(r"^\d{5}$", _("The OKED activity code is 5 digits, e.g. 62010."))


class LegalForm(models.TextChoices):
    LLC = "llc", _("Limited liability company (MChJ)")
    SOLE = "sole", _("Sole proprietor (YaTT)")
    JSC = "jsc", _("Joint-stock company (AJ)")
    FAMILY = "family", _("Family enterprise")
    FARM = "farm", _("Farm")
    OTHER = "other", _("Other")


class Stage(models.TextChoices):
    IDEA = "idea", _("Idea")
    PROTOTYPE = "prototype", _("Prototype")
    MVP = "mvp", _("MVP")
    PRODUCT = "product", _("Product")
    SCALING = "scaling", _("Scaling")
    EXPORTING = "exporting", _("Exporting")


class Company(models.Model):
    name = models.CharField(_("name"), max_length=200)
    stir = models.CharField(_("STIR"), max_length=9, unique=True, validators=[stir_validator],
                            help_text=_("Taxpayer identification number, 9 digits."))
    oked = models.CharField(_("OKED activity code"), max_length=5, validators=[oked_validator])
    legal_form = models.CharField(_("legal form"), max_length=10, choices=LegalForm.choices, default=LegalForm.LLC)
    district = models.ForeignKey(District, verbose_name=_("district"), on_delete=models.PROTECT,
                                 related_name="companies")
    sector = models.ForeignKey(Sector, verbose_name=_("sector"), null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="companies")
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices, default=Stage.IDEA)
    summary = models.CharField(_("in one sentence"), max_length=300, blank=True)
    description = models.TextField(_("about the company"), blank=True)
    founders = models.TextField(_("founders"), blank=True, help_text=_("One founder a line: name and share."))
    employees = models.PositiveIntegerField(_("employees"), default=0)
    website = models.URLField(_("website"), blank=True)
    founded_on = models.DateField(_("founded"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("ventures:company", args=[self.pk])


class CompanyMember(models.Model):
    class Role(models.TextChoices):
        FOUNDER = "founder", _("Founder")
        CEO = "ceo", _("Director")
        CTO = "cto", _("Technical lead")
        ACCOUNTANT = "accountant", _("Accountant")
        ENGINEER = "engineer", _("Engineer")
        OTHER = "other", _("Team member")

    company = models.ForeignKey(Company, verbose_name=_("company"), on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE,
                             related_name="company_memberships")
    role = models.CharField(_("role in the company"), max_length=12, choices=Role.choices, default=Role.OTHER)
    title = models.CharField(_("job title"), max_length=100, blank=True)
    # An admin may edit the company, apply for it and file its reports.
    is_admin = models.BooleanField(_("manages the company on the platform"), default=False)

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        ordering = ["-is_admin", "role", "user__full_name"]
        constraints = [models.UniqueConstraint(fields=["company", "user"], name="company_member_unique")]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()}"


class Idea(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        INVITED = "invited", _("Invited to a call")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    TRANSITIONS = {
        Status.SUBMITTED: (Status.INVITED, Status.DECLINED, Status.WITHDRAWN),
    }

    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.CASCADE,
                               related_name="ideas")
    park = models.ForeignKey(Technopark, verbose_name=_("technopark"), on_delete=models.PROTECT, related_name="ideas")
    title = models.CharField(_("title"), max_length=200)
    problem = models.TextField(_("the problem"))
    solution = models.TextField(_("the solution"))
    sector = models.ForeignKey(Sector, verbose_name=_("sector"), on_delete=models.PROTECT, related_name="ideas")
    district = models.ForeignKey(District, verbose_name=_("district"), on_delete=models.PROTECT, related_name="ideas")
    team = models.TextField(_("team"), blank=True, help_text=_("Who works on it: one person a line."))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    reason = models.TextField(_("reason"), blank=True)
    invited_to = models.ForeignKey("intake.Call", verbose_name=_("invited to"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="invited_ideas")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    created_at = models.DateTimeField(_("submitted"), auto_now_add=True)

    class Meta:
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(name="idea_declined_has_reason",
                                   condition=~Q(status="declined") | ~Q(reason=""),
                                   violation_error_message=_("Give the reason for declining.")),
            models.CheckConstraint(name="idea_invited_has_call",
                                   condition=~Q(status="invited") | Q(invited_to__isnull=False),
                                   violation_error_message=_("Choose the call the author is invited to.")),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("ventures:idea", args=[self.pk])


class IdeaAttachment(models.Model):
    idea = models.ForeignKey(Idea, verbose_name=_("idea"), on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to="ideas/%Y/%m/", validators=[FileCheck()])
    name = models.CharField(_("name"), max_length=200, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.name or self.file.name.rsplit("/", 1)[-1]


class Milestone(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        DONE = "done", _("Done")
        MISSED = "missed", _("Missed")

    TRANSITIONS = {
        Status.PLANNED: (Status.DONE, Status.MISSED),
        Status.MISSED: (Status.DONE, Status.PLANNED),
        Status.DONE: (Status.PLANNED,),
    }

    company = models.ForeignKey(Company, verbose_name=_("company"), on_delete=models.CASCADE,
                                related_name="milestones")
    title = models.CharField(_("milestone"), max_length=200)
    due_on = models.DateField(_("due"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    evidence = models.FileField(_("evidence"), upload_to="milestones/%Y/", blank=True, validators=[FileCheck()])
    evidence_note = models.TextField(_("what shows it is done"), blank=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(name="milestone_done_has_date",
                                   condition=~Q(status="done") | Q(done_on__isnull=False),
                                   violation_error_message=_("A milestone that is done has the date it was done.")),
        ]

    def __str__(self):
        return self.title


class Mentorship(models.Model):
    company = models.ForeignKey(Company, verbose_name=_("company"), on_delete=models.CASCADE, related_name="mentors")
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("mentor"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="mentorships")
    name = models.CharField(_("mentor's name"), max_length=150)
    area = models.CharField(_("helps with"), max_length=200, blank=True)
    since = models.DateField(_("since"), null=True, blank=True)

    class Meta:
        verbose_name = _("mentor")
        verbose_name_plural = _("mentors")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Product(models.Model):
    company = models.ForeignKey(Company, verbose_name=_("company"), on_delete=models.CASCADE, related_name="products")
    name = models.CharField(_("product"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    launched_on = models.DateField(_("launched"), null=True, blank=True)
    is_public = models.BooleanField(_("shown on the public page"), default=True)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["name"]

    def __str__(self):
        return self.name


class ExportDeal(models.Model):
    company = models.ForeignKey(Company, verbose_name=_("company"), on_delete=models.CASCADE,
                                related_name="export_deals")
    product = models.ForeignKey(Product, verbose_name=_("product"), null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="export_deals")
    country = models.CharField(_("country"), max_length=2, validators=[country_validator],
                               help_text=_("ISO 3166 code, e.g. KR."))
    buyer = models.CharField(_("buyer"), max_length=200)
    value_usd = models.DecimalField(_("contract value, USD"), max_digits=14, decimal_places=2,
                                    validators=[MinValueValidator(0)])
    signed_on = models.DateField(_("signed"))
    document = models.FileField(_("contract"), upload_to="exports/%Y/", blank=True, validators=[FileCheck()])

    class Meta:
        verbose_name = _("export deal")
        verbose_name_plural = _("export deals")
        ordering = ["-signed_on", "-id"]
        constraints = [models.CheckConstraint(name="export_deal_value_not_negative",
                                              condition=Q(value_usd__gte=0))]

    def __str__(self):
        return f"{self.buyer} ({self.country})"
