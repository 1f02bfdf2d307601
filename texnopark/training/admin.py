"""The back office for training: centre staff define their programmes, sessions and lessons,
publish consultation times and look up certificates here.

Scoped like the bookings back office: a person sees what belongs to the centres they run, and may
put a programme only into one of those centres. Lessons are created through `services.lesson_create`,
so each gets its check-in secret; certificates are read-only and revoked with a reason.
"""

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from texnopark.accounts.selectors import person_by_email
from texnopark.core import audit
from texnopark.core.admin import ScopedAdmin
from texnopark.core.errors import AppError, NotFound
from texnopark.core.services import apply_changes, create_object
from texnopark.network import services as network_services
from texnopark.training import selectors, services
from texnopark.training.models import Certificate, ConsultationSlot, Lesson, Programme, Session


def _centres(request):
    return selectors.centres_run_by(request.user)


@admin.register(Programme)
class ProgrammeAdmin(ScopedAdmin):
    list_display = ["name", "centre", "topic", "language", "min_attendance_percent", "requires_project",
                    "is_published"]
    list_filter = ["topic", "language", "is_published", "centre__district"]
    search_fields = ["name", "name_ru", "name_en", "search_text"]
    fieldsets = [
        (None, {"fields": ["centre", "name", "name_ru", "name_en", "name_ko", "topic", "language", "audience",
                           "is_published"]}),
        (_("Description"), {"fields": ["description", "description_ru", "description_en", "modules"]}),
        (_("Certificate"), {"fields": ["min_attendance_percent", "requires_project", "certificate_valid_years"]}),
    ]

    def scoped(self, viewer):
        return Programme.objects.filter(centre__in=selectors.centres_run_by(viewer)).select_related(
            "centre", "centre__district")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "centre":
            kwargs["queryset"] = _centres(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def create(self, actor, fields):
        return network_services.record_create(actor=actor, model=Programme, perm="training.add_programme",
                                              scope=fields["centre"], fields=fields)

    def update(self, actor, obj, changes):
        if "centre" in changes and not actor.has_perm("training.add_programme", changes["centre"]):
            raise NotFound()
        return network_services.record_update(actor=actor, obj=obj, perm="training.change_programme",
                                              changes=changes)


class LessonInline(admin.TabularInline):
    model = Lesson
    extra = 1
    fields = ["starts_at", "ends_at", "topic"]

    def _runs(self, request, obj):
        return request.user.has_perm("training.change_session", obj)

    def has_view_permission(self, request, obj=None):
        return self._runs(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._runs(request, obj)

    def has_add_permission(self, request, obj=None):
        return self._runs(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._runs(request, obj)


class SessionAdminForm(forms.ModelForm):
    # The trainer is chosen by e-mail: a list of every account would show them to every centre.
    trainer_email = forms.EmailField(label=_("Trainer's e-mail"), required=False,
                                     help_text=_("If the trainer has an account: they then take attendance "
                                                 "in this session."))

    class Meta:
        model = Session
        exclude = ["trainer"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.trainer_id:
            self.fields["trainer_email"].initial = self.instance.trainer.email

    def clean_trainer_email(self):
        email = self.cleaned_data["trainer_email"]
        person = None
        if email:
            person = person_by_email(email)
            if person is None:
                raise forms.ValidationError(_("No one signs in with this e-mail."))
        self.cleaned_data["trainer"] = person
        return email

    def _post_clean(self):
        if "trainer" in self.cleaned_data:
            self.instance.trainer = self.cleaned_data["trainer"]
        super()._post_clean()


@admin.register(Session)
class SessionAdmin(ScopedAdmin):
    form = SessionAdminForm
    inlines = [LessonInline]
    list_display = ["programme", "starts_on", "ends_on", "mode", "capacity", "trainer_name", "is_cancelled"]
    list_filter = ["mode", "is_cancelled", "programme__centre__district"]
    search_fields = ["programme__name", "trainer_name", "room"]
    date_hierarchy = "starts_on"
    fieldsets = [
        (None, {"fields": ["programme", "starts_on", "ends_on", "schedule", "capacity", "offer_hours"]}),
        (_("Where and who"), {"fields": ["mode", "room", "online_url", "trainer_email", "trainer_name"]}),
        (_("Cancel"), {"fields": ["is_cancelled"]}),
    ]

    def scoped(self, viewer):
        return Session.objects.filter(programme__centre__in=selectors.centres_run_by(viewer)).select_related(
            "programme", "programme__centre")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "programme":
            kwargs["queryset"] = Programme.objects.filter(centre__in=_centres(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def create(self, actor, fields):
        if not actor.has_perm("training.add_session", fields["programme"]):
            raise NotFound()
        obj = create_object(Session, dict(fields))
        audit.record(actor=actor, action="training.session.created", obj=obj,
                     changes={"starts_on": [None, str(obj.starts_on)]})
        return obj

    def update(self, actor, obj, changes):
        if "trainer_email" in changes:
            changes.pop("trainer_email")
            changes["trainer"] = self._trainer
        if "programme" in changes and not actor.has_perm("training.add_session", changes["programme"]):
            raise NotFound()
        if not actor.has_perm("training.change_session", obj):
            raise NotFound()
        changed = apply_changes(obj, changes)
        if changed:
            audit.record(actor=actor, action="training.session.updated", obj=obj, changes=changed)
        return obj

    def save_model(self, request, obj, form, change):
        self._trainer = form.cleaned_data.get("trainer")
        super().save_model(request, obj, form, change)

    @transaction.atomic
    def save_formset(self, request, form, formset, change):
        """New lessons through the service (each gets its check-in secret); every change audited."""
        session = form.instance
        instances = formset.save(commit=False)
        for lesson in formset.deleted_objects:
            audit.record(actor=request.user, action="training.lesson.deleted", obj=session,
                         changes={"lesson": [lesson.starts_at.isoformat(), None]})
            lesson.delete()
        for lesson in instances:
            if lesson.pk is None:
                services.lesson_create(actor=request.user, session=session, starts_at=lesson.starts_at,
                                       ends_at=lesson.ends_at, topic=lesson.topic)
            else:
                fresh = Lesson.objects.get(pk=lesson.pk)
                changed = apply_changes(fresh, {"starts_at": lesson.starts_at, "ends_at": lesson.ends_at,
                                                "topic": lesson.topic})
                if changed:
                    audit.record(actor=request.user, action="training.lesson.updated", obj=fresh, changes=changed)


@admin.register(ConsultationSlot)
class ConsultationSlotAdmin(ScopedAdmin):
    list_display = ["starts_at", "ends_at", "centre", "topic", "booked_by", "outcome"]
    list_filter = ["outcome", "centre__district"]
    fields = ["centre", "starts_at", "ends_at", "topic", "booked_by", "question", "outcome", "notes"]
    readonly_fields = ["booked_by", "question"]

    def scoped(self, viewer):
        return ConsultationSlot.objects.filter(centre__in=selectors.centres_run_by(viewer)).select_related(
            "centre", "centre__district", "booked_by")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "centre":
            kwargs["queryset"] = _centres(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def create(self, actor, fields):
        return services.consultation_slot_create(actor=actor, centre=fields["centre"], starts_at=fields["starts_at"],
                                                 ends_at=fields["ends_at"], topic=fields.get("topic", ""))


class RevokeReasonForm(forms.Form):
    reason = forms.CharField(label=_("Why are they revoked?"), max_length=300)


@admin.action(description=_("Revoke the chosen certificates"))
def revoke(modeladmin, request, queryset):
    form = RevokeReasonForm(request.POST if "apply" in request.POST else None)
    if form.is_bound and form.is_valid():
        done = 0
        for certificate in queryset.select_related("enrolment__session__programme__centre__district"):
            try:
                services.certificate_revoke(actor=request.user, certificate=certificate,
                                            reason=form.cleaned_data["reason"])
            except AppError as error:
                modeladmin.message_user(request, f"{certificate.code}: {error.message}", messages.WARNING)
            else:
                done += 1
        modeladmin.message_user(request, _("%(n)s certificate(s) revoked.") % {"n": done}, messages.SUCCESS)
        return None
    return render(request, "training/admin_revoke.html", {
        **modeladmin.admin_site.each_context(request), "title": _("Revoke certificates"), "form": form,
        "certificates": queryset, "opts": modeladmin.model._meta,
        "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
    })


@admin.register(Certificate)
class CertificateAdmin(ScopedAdmin):
    list_display = ["code", "person_name", "programme", "issued_on", "valid_until", "revoked_at"]
    list_filter = ["issued_on", "enrolment__session__programme__centre__district"]
    search_fields = ["code", "enrolment__full_name", "enrolment__person__email"]
    readonly_fields = ["code", "enrolment", "issued_on", "valid_until", "revoked_at", "revoke_reason"]
    fields = readonly_fields
    actions = [revoke]

    @admin.display(description=_("person"))
    def person_name(self, obj):
        return obj.enrolment.full_name

    @admin.display(description=_("programme"))
    def programme(self, obj):
        return obj.enrolment.session.programme

    def scoped(self, viewer):
        return Certificate.objects.filter(
            enrolment__session__programme__centre__in=selectors.centres_run_by(viewer)).select_related(
            "enrolment", "enrolment__session__programme")

    def has_add_permission(self, request):
        return False  # issued from the session's roster, when the completion rule is met

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("training.manage_centre", obj)

    def has_view_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)

    def has_module_permission(self, request):
        return self.has_change_permission(request)
