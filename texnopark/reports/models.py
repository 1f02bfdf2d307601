"""Residents report their results every quarter; staff accept the reports and keep residents to
their obligations through a recorded ladder: warning, suspension, revocation, reinstatement."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from texnopark.core.files import FileCheck
from texnopark.intake.models import Residency

money = dict(max_digits=18, decimal_places=2, default=0, validators=[MinValueValidator(0)])
count = dict(default=0, validators=[MinValueValidator(0)])


class QuarterlyReport(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned for fixes")
        ACCEPTED = "accepted", _("Accepted")

    TRANSITIONS = {
        Status.DRAFT: (Status.SUBMITTED,),
        Status.SUBMITTED: (Status.ACCEPTED, Status.RETURNED),
        Status.RETURNED: (Status.SUBMITTED,),
    }
    # The figures, in the order the form and the exports show them.
    FIGURES = ("revenue_uzs", "exports_usd", "employees", "new_jobs", "investment_uzs", "rnd_uzs",
               "patents", "other_ip", "products_launched")

    residency = models.ForeignKey(Residency, verbose_name=_("residency"), on_delete=models.PROTECT,
                                  related_name="reports")
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000)])
    quarter = models.PositiveSmallIntegerField(_("quarter"), validators=[MinValueValidator(1), MaxValueValidator(4)])
    revenue_uzs = models.DecimalField(_("revenue, UZS"), **money)
    exports_usd = models.DecimalField(_("exports, USD"), **money)
    employees = models.PositiveIntegerField(_("employees at the end of the quarter"), **count)
    new_jobs = models.PositiveIntegerField(_("new jobs"), **count)
    investment_uzs = models.DecimalField(_("investment attracted, UZS"), **money)
    rnd_uzs = models.DecimalField(_("R&D spending, UZS"), **money)
    patents = models.PositiveIntegerField(_("patents"), **count)
    other_ip = models.PositiveIntegerField(_("other IP (trademarks, software, designs)"), **count)
    products_launched = models.PositiveIntegerField(_("products launched"), **count)
    note = models.TextField(_("comment"), blank=True)
    # Implausible jumps from the previous quarter, found when submitted: {figure: [previous, now]}.
    warnings = models.JSONField(_("warnings"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), null=True,
                                     blank=True, on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reviewed by"), null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="+")
    review_note = models.TextField(_("staff note"), blank=True)

    class Meta:
        verbose_name = _("quarterly report")
        verbose_name_plural = _("quarterly reports")
        ordering = ["-year", "-quarter", "residency__company__name"]
        constraints = [
            models.UniqueConstraint(fields=["residency", "year", "quarter"], name="report_one_per_quarter",
                                    violation_error_message=_("This quarter's report already exists.")),
            models.CheckConstraint(name="report_quarter_1_to_4", condition=Q(quarter__gte=1, quarter__lte=4)),
            models.CheckConstraint(
                name="report_money_not_negative",
                condition=Q(revenue_uzs__gte=0, exports_usd__gte=0, investment_uzs__gte=0, rnd_uzs__gte=0)),
        ]

    def __str__(self):
        return f"{self.residency.company} · {self.year} Q{self.quarter}"


class AuditDocument(models.Model):
    """The resident's annual audit report (an auditor's opinion on the year's accounts)."""

    residency = models.ForeignKey(Residency, verbose_name=_("residency"), on_delete=models.PROTECT,
                                  related_name="audit_documents")
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000)])
    file = models.FileField(_("audit report"), upload_to="audits/%Y/",
                            validators=[FileCheck(("pdf", "docx", "doc", "xlsx", "xls"), max_mb=20)])
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now=True)

    class Meta:
        verbose_name = _("annual audit report")
        verbose_name_plural = _("annual audit reports")
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["residency", "year"], name="audit_document_one_per_year")]

    def __str__(self):
        return f"{self.residency.company} · {self.year}"


class ComplianceDecision(models.Model):
    """One step on the compliance ladder, as decided by park staff."""

    class Step(models.TextChoices):
        WARNING = "warning", _("Warning")
        SUSPENSION = "suspension", _("Suspension")
        REVOCATION = "revocation", _("Revocation")
        REINSTATEMENT = "reinstatement", _("Reinstatement")

    # The residency status each step leads to.
    LEADS_TO = {
        Step.WARNING: Residency.Status.WARNING,
        Step.SUSPENSION: Residency.Status.SUSPENDED,
        Step.REVOCATION: Residency.Status.REVOKED,
        Step.REINSTATEMENT: Residency.Status.ACTIVE,
    }

    residency = models.ForeignKey(Residency, verbose_name=_("residency"), on_delete=models.PROTECT,
                                  related_name="compliance_decisions")
    step = models.CharField(_("step"), max_length=14, choices=Step.choices)
    from_status = models.CharField(_("from"), max_length=10, choices=Residency.Status.choices)
    to_status = models.CharField(_("to"), max_length=10, choices=Residency.Status.choices)
    reason = models.TextField(_("reason"))
    effective_on = models.DateField(_("effective from"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(_("decided"), auto_now_add=True)

    class Meta:
        verbose_name = _("compliance decision")
        verbose_name_plural = _("compliance decisions")
        ordering = ["-decided_at", "-id"]
        constraints = [models.CheckConstraint(name="compliance_decision_has_reason", condition=~Q(reason=""))]

    def __str__(self):
        return f"{self.residency.company} · {self.get_step_display()}"


class Reminder(models.Model):
    """A sent reminder, so the daily job sends each one once."""

    residency = models.ForeignKey(Residency, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField()
    days_before = models.SmallIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["residency", "year", "quarter", "days_before"],
                                               name="report_reminder_once")]
