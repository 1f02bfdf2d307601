"""Calls for residents and cohorts, applications, expert review, the commission and residency.

A park opens a Call with a rubric of weighted criteria and a commission. Founders apply for
their company; experts, each free of conflicts, score blind; the commission meets with a
quorum, votes, and decides. An accepted application becomes a Residency agreement.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from texnopark.core.files import FileCheck
from texnopark.network.models import District, Named, Sector, Technopark
from texnopark.ventures.models import Company, LegalForm, oked_validator, stir_validator

SCORE_MAX = 10


class Call(Named):
    class Kind(models.TextChoices):
        RESIDENCY = "residency", _("Residency")
        INCUBATION = "incubation", _("Incubation cohort")
        ACCELERATION = "acceleration", _("Acceleration cohort")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", pgettext_lazy("call status", "Open")
        REVIEW = "review", _("Under review")
        DECIDED = "decided", _("Decided")

    TRANSITIONS = {
        Status.DRAFT: (Status.OPEN,),
        Status.OPEN: (Status.REVIEW,),
        Status.REVIEW: (Status.DECIDED,),
    }

    park = models.ForeignKey(Technopark, verbose_name=_("technopark"), on_delete=models.PROTECT, related_name="calls")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.RESIDENCY)
    description = models.TextField(_("description and rules"), blank=True)
    sectors = models.ManyToManyField(Sector, verbose_name=_("sectors"), blank=True, related_name="calls")
    opens_on = models.DateField(_("opens"))
    closes_at = models.DateTimeField(_("deadline"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    quorum_percent = models.PositiveSmallIntegerField(
        _("quorum, per cent of the commission"), default=67, validators=[MinValueValidator(50), MaxValueValidator(100)],
        help_text=_("Two thirds by default."))
    return_days = models.PositiveSmallIntegerField(_("days to fix a returned application"), default=7,
                                                   validators=[MinValueValidator(1)])
    residency_years = models.PositiveSmallIntegerField(_("residency term, years"), default=3,
                                                       validators=[MinValueValidator(1)])
    benefits = models.TextField(_("benefits for residents"), blank=True)
    obligations = models.TextField(_("obligations of residents"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("opened by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        ordering = ["-closes_at", "-id"]
        constraints = [models.CheckConstraint(name="call_quorum_at_least_half",
                                              condition=Q(quorum_percent__gte=50, quorum_percent__lte=100))]

    def get_absolute_url(self):
        return reverse("intake:call", args=[self.pk])

    def quorum(self, members: int) -> int:
        """How many commission members must be present: the fewest whose share, in whole per cent,
        reaches `quorum_percent` (so 67 % reads as two thirds: 2 of 3, 6 of 9)."""
        enough = (n for n in range(1, members + 1) if round(n * 100 / members) >= self.quorum_percent)
        return next(enough, max(members, 1))


class Criterion(models.Model):
    call = models.ForeignKey(Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("criterion"), max_length=200)
    description = models.TextField(_("what the experts look at"), blank=True)
    weight = models.PositiveSmallIntegerField(_("weight, %"), validators=[MinValueValidator(1), MaxValueValidator(100)])
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["position", "id"]

    def __str__(self):
        return self.name


class Question(models.Model):
    """An eligibility question answered yes or no; the wrong answer makes an application ineligible."""

    call = models.ForeignKey(Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(_("question"), max_length=300)
    required_answer = models.BooleanField(_("an eligible applicant answers yes"), default=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("eligibility question")
        verbose_name_plural = _("eligibility questions")
        ordering = ["position", "id"]

    def __str__(self):
        return self.text


class RequiredDocument(models.Model):
    call = models.ForeignKey(Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="documents")
    name = models.CharField(_("document"), max_length=200)
    is_required = models.BooleanField(_("required"), default=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("required document")
        verbose_name_plural = _("required documents")
        ordering = ["position", "id"]

    def __str__(self):
        return self.name


class CommissionMember(models.Model):
    call = models.ForeignKey(Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="commission")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("member"), on_delete=models.PROTECT,
                             related_name="commission_seats")
    is_chair = models.BooleanField(_("chair"), default=False)

    class Meta:
        verbose_name = _("commission member")
        verbose_name_plural = _("commission")
        ordering = ["-is_chair", "user__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["call", "user"], name="commission_member_unique"),
            models.UniqueConstraint(fields=["call"], condition=Q(is_chair=True), name="commission_one_chair"),
        ]

    def __str__(self):
        return str(self.user)


class Application(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned for fixes")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")
        WAITLISTED = "waitlisted", _("Waitlisted")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    TRANSITIONS = {
        Status.DRAFT: (Status.SUBMITTED, Status.WITHDRAWN),
        Status.SUBMITTED: (Status.RETURNED, Status.ACCEPTED, Status.REJECTED, Status.WAITLISTED, Status.WITHDRAWN),
        Status.RETURNED: (Status.SUBMITTED, Status.WITHDRAWN, Status.REJECTED),
        Status.WAITLISTED: (Status.ACCEPTED, Status.REJECTED),
    }
    # Statuses in which an application still counts for its call (one per company and call).
    LIVE = (Status.DRAFT, Status.SUBMITTED, Status.RETURNED, Status.ACCEPTED, Status.WAITLISTED)

    call = models.ForeignKey(Call, verbose_name=_("call"), on_delete=models.PROTECT, related_name="applications")
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("applicant"), on_delete=models.PROTECT,
                                  related_name="applications")
    idea = models.ForeignKey("ventures.Idea", verbose_name=_("idea"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="applications")
    # The company as the applicant describes it; on acceptance it becomes (or updates) the Company.
    company_name = models.CharField(_("company name"), max_length=200, blank=True)
    stir = models.CharField(_("STIR"), max_length=9, blank=True, validators=[stir_validator],
                            help_text=_("Taxpayer identification number, 9 digits."))
    oked = models.CharField(_("OKED activity code"), max_length=5, blank=True, validators=[oked_validator])
    legal_form = models.CharField(_("legal form"), max_length=10, choices=LegalForm.choices, default=LegalForm.LLC)
    district = models.ForeignKey(District, verbose_name=_("district"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    sector = models.ForeignKey(Sector, verbose_name=_("sector"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    founders = models.TextField(_("founders"), blank=True, help_text=_("One founder a line: name and share."))
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    project = models.TextField(_("the project in brief"), blank=True)
    business_plan = models.FileField(_("business plan"), upload_to="applications/%Y/", blank=True,
                                     validators=[FileCheck(("pdf", "doc", "docx", "pptx"), max_mb=20)])
    answers = models.JSONField(_("eligibility answers"), default=dict, blank=True)
    company = models.ForeignKey(Company, verbose_name=_("company"), null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="applications")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    returned_at = models.DateTimeField(_("returned"), null=True, blank=True)
    return_note = models.TextField(_("what to fix"), blank=True)
    fix_by = models.DateTimeField(_("fix by"), null=True, blank=True)
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    updated_at = models.DateTimeField(_("saved"), auto_now=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["call", "applicant"], condition=Q(status__in=["draft", "submitted",
                                    "returned", "accepted", "waitlisted"]), name="application_one_live_per_person",
                                    violation_error_message=_("You already have an application for this call.")),
            models.UniqueConstraint(fields=["call", "stir"], condition=Q(status__in=["submitted", "returned",
                                    "accepted", "waitlisted"]) & ~Q(stir=""), name="application_one_per_company",
                                    violation_error_message=_("This company has already applied to this call.")),
            # Returned at most once: the date is set once and the status machine never returns twice.
            models.CheckConstraint(name="application_returned_has_deadline",
                                   condition=~Q(status="returned") | Q(fix_by__isnull=False)),
        ]

    def __str__(self):
        return f"{self.company_name or _('(no name yet)')} · {self.call}"

    def get_absolute_url(self):
        return reverse("intake:application", args=[self.pk])


class ApplicationDocument(models.Model):
    application = models.ForeignKey(Application, verbose_name=_("application"), on_delete=models.CASCADE,
                                    related_name="documents")
    requirement = models.ForeignKey(RequiredDocument, verbose_name=_("document"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="uploads")
    file = models.FileField(_("file"), upload_to="applications/%Y/", validators=[FileCheck()])
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("application document")
        verbose_name_plural = _("application documents")
        ordering = ["uploaded_at", "id"]
        constraints = [models.UniqueConstraint(fields=["application", "requirement"],
                                               name="application_document_one_per_requirement")]

    def __str__(self):
        return self.file.name.rsplit("/", 1)[-1]


class Assignment(models.Model):
    """One expert reviewing one application: a conflict declaration first, then the scores."""

    class Status(models.TextChoices):
        ASSIGNED = "assigned", _("To review")
        CONFLICT = "conflict", _("Conflict of interest")
        SUBMITTED = "submitted", _("Scored")

    TRANSITIONS = {
        Status.ASSIGNED: (Status.CONFLICT, Status.SUBMITTED),
    }

    application = models.ForeignKey(Application, verbose_name=_("application"), on_delete=models.CASCADE,
                                    related_name="assignments")
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("expert"), on_delete=models.PROTECT,
                               related_name="assignments")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ASSIGNED)
    no_conflict_at = models.DateTimeField(_("declared free of conflicts"), null=True, blank=True)
    conflict_note = models.TextField(_("the conflict"), blank=True)
    total = models.DecimalField(_("weighted score"), max_digits=5, decimal_places=2, null=True, blank=True)
    submitted_at = models.DateTimeField(_("scored"), null=True, blank=True)
    assigned_at = models.DateTimeField(_("assigned"), auto_now_add=True)

    class Meta:
        verbose_name = _("review assignment")
        verbose_name_plural = _("review assignments")
        ordering = ["assigned_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "expert"], name="assignment_unique"),
            models.CheckConstraint(name="assignment_scored_has_total",
                                   condition=(~Q(status="submitted")
                                              | Q(total__isnull=False, no_conflict_at__isnull=False))),
        ]

    def __str__(self):
        return f"{self.expert} → {self.application}"


class Score(models.Model):
    assignment = models.ForeignKey(Assignment, verbose_name=_("review"), on_delete=models.CASCADE,
                                   related_name="scores")
    criterion = models.ForeignKey(Criterion, verbose_name=_("criterion"), on_delete=models.PROTECT,
                                  related_name="scores")
    value = models.PositiveSmallIntegerField(_("score"), validators=[MaxValueValidator(SCORE_MAX)])
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["assignment", "criterion"], name="score_one_per_criterion"),
            models.CheckConstraint(name="score_in_range", condition=Q(value__gte=0, value__lte=SCORE_MAX)),
        ]


class Meeting(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        OPEN = "open", _("In session")
        CLOSED = "closed", _("Closed")

    TRANSITIONS = {
        Status.PLANNED: (Status.OPEN,),
        Status.OPEN: (Status.CLOSED,),
    }

    call = models.ForeignKey(Call, verbose_name=_("call"), on_delete=models.PROTECT, related_name="meetings")
    held_at = models.DateTimeField(_("when"))
    place = models.CharField(_("where"), max_length=200, blank=True)
    language = models.CharField(_("language of the minutes"), max_length=10, choices=settings.LANGUAGES,
                                default="uz")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    number = models.CharField(_("minutes number"), max_length=40, blank=True)
    minutes = models.FileField(_("minutes (PDF)"), upload_to="minutes/%Y/", blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("commission meeting")
        verbose_name_plural = _("commission meetings")
        ordering = ["-held_at", "-id"]

    def __str__(self):
        return f"{self.call} · {self.held_at:%d.%m.%Y}"

    def get_absolute_url(self):
        return reverse("intake:meeting", args=[self.pk])


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE,
                                related_name="attendance")
    member = models.ForeignKey(CommissionMember, verbose_name=_("member"), on_delete=models.CASCADE,
                               related_name="attendance")
    present = models.BooleanField(_("present"), default=False)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="meeting_attendance_unique")]


class Vote(models.Model):
    class Choice(models.TextChoices):
        FOR = "for", _("For")
        AGAINST = "against", _("Against")
        ABSTAIN = "abstain", _("Abstain")

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="votes")
    application = models.ForeignKey(Application, verbose_name=_("application"), on_delete=models.CASCADE,
                                    related_name="votes")
    member = models.ForeignKey(CommissionMember, verbose_name=_("member"), on_delete=models.CASCADE,
                               related_name="votes")
    choice = models.CharField(_("vote"), max_length=8, choices=Choice.choices)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [models.UniqueConstraint(fields=["meeting", "application", "member"], name="vote_unique")]


class Decision(models.Model):
    class Outcome(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")
        WAITLISTED = "waitlisted", _("Waitlisted")

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.PROTECT,
                                related_name="decisions")
    application = models.ForeignKey(Application, verbose_name=_("application"), on_delete=models.PROTECT,
                                    related_name="decisions")
    outcome = models.CharField(_("decision"), max_length=12, choices=Outcome.choices)
    reason = models.TextField(_("reason"), blank=True)
    votes_for = models.PositiveSmallIntegerField(_("for"), default=0)
    votes_against = models.PositiveSmallIntegerField(_("against"), default=0)
    votes_abstain = models.PositiveSmallIntegerField(_("abstained"), default=0)
    decided_at = models.DateTimeField(_("decided"), auto_now_add=True)

    class Meta:
        verbose_name = _("commission decision")
        verbose_name_plural = _("commission decisions")
        ordering = ["decided_at", "id"]
        constraints = [
            # One decision an application per meeting; a waitlisted one may be decided again later.
            models.UniqueConstraint(fields=["meeting", "application"], name="decision_one_per_meeting"),
            models.CheckConstraint(name="decision_rejection_has_reason",
                                   condition=~Q(outcome="rejected") | ~Q(reason=""),
                                   violation_error_message=_("Give the reason for the rejection.")),
        ]

    def __str__(self):
        return f"{self.application} · {self.get_outcome_display()}"


class Residency(models.Model):
    """The residency agreement of a company with a park. Its status is the compliance state."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        WARNING = "warning", _("Warned")
        SUSPENDED = "suspended", _("Suspended")
        REVOKED = "revoked", _("Revoked")
        ENDED = "ended", _("Ended")

    TRANSITIONS = {
        Status.ACTIVE: (Status.WARNING, Status.SUSPENDED, Status.ENDED),
        Status.WARNING: (Status.SUSPENDED, Status.ACTIVE, Status.ENDED),
        Status.SUSPENDED: (Status.REVOKED, Status.ACTIVE),
        Status.REVOKED: (Status.ACTIVE,),
    }
    # A resident in these states is a member of the park (listed, files reports).
    CURRENT = (Status.ACTIVE, Status.WARNING, Status.SUSPENDED)

    company = models.ForeignKey(Company, verbose_name=_("company"), on_delete=models.PROTECT,
                                related_name="residencies")
    park = models.ForeignKey(Technopark, verbose_name=_("technopark"), on_delete=models.PROTECT,
                             related_name="residencies")
    application = models.OneToOneField(Application, verbose_name=_("application"), null=True, blank=True,
                                       on_delete=models.SET_NULL, related_name="residency")
    number = models.CharField(_("agreement number"), max_length=40, unique=True)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    benefits = models.TextField(_("benefits"), blank=True)
    obligations = models.TextField(_("obligations"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    status_reason = models.TextField(_("reason"), blank=True)
    status_since = models.DateField(_("status since"), null=True, blank=True)

    class Meta:
        verbose_name = _("residency")
        verbose_name_plural = _("residencies")
        ordering = ["company__name"]
        constraints = [
            models.UniqueConstraint(fields=["company", "park"], condition=Q(status__in=["active", "warning",
                                    "suspended"]), name="residency_one_current_per_park",
                                    violation_error_message=_("This company is already a resident of this park.")),
            models.CheckConstraint(name="residency_ends_after_start", condition=Q(ends_on__gt=models.F("starts_on")),
                                   violation_error_message=_("The residency ends after it starts.")),
        ]

    def __str__(self):
        return f"{self.number} · {self.company}"

    def get_absolute_url(self):
        return reverse("ventures:company", args=[self.company_id])
