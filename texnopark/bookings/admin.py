"""The back office for bookings: park staff define their resources and record trainings here.

Scoped like the network's: a person sees the resources of the parks they run, and may put a
resource only into a facility of those parks.
"""

from django import forms
from django.contrib import admin
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _

from texnopark.accounts.selectors import person_by_email
from texnopark.bookings import selectors, services
from texnopark.bookings.models import ClosedDay, Resource, Training
from texnopark.core import audit
from texnopark.core.admin import ScopedAdmin
from texnopark.network import services as network_services
from texnopark.network.models import Facility


class ResourceAdminForm(forms.ModelForm):
    # The JSON lists as checkboxes: nobody should have to type ["park_residents"].
    audience = forms.MultipleChoiceField(label=_("who may book"), choices=Resource.Audience.choices,
                                         widget=forms.CheckboxSelectMultiple, required=False,
                                         help_text=_("Park staff may always book."))
    open_weekdays = forms.TypedMultipleChoiceField(label=_("open on"), coerce=int, choices=sorted(WEEKDAYS.items()),
                                                   widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Resource
        fields = "__all__"


class ClosedDayInline(admin.TabularInline):
    model = ClosedDay
    extra = 1
    fields = ["date", "reason"]

    def _runs(self, request, obj):
        return request.user.has_perm("bookings.change_resource", obj)

    def has_view_permission(self, request, obj=None):
        return self._runs(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._runs(request, obj)

    def has_add_permission(self, request, obj=None):
        return self._runs(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._runs(request, obj)


@admin.register(Resource)
class ResourceAdmin(ScopedAdmin):
    form = ResourceAdminForm
    inlines = [ClosedDayInline]
    list_display = ["name", "facility", "kind", "capacity", "price_per_hour", "needs_approval", "requires_training",
                    "in_service"]
    list_filter = ["facility__park", "kind", "in_service", "needs_approval", "requires_training"]
    search_fields = ["name", "name_ru", "name_en", "search_text"]
    readonly_fields = ["in_service", "out_of_service_reason"]
    fieldsets = [
        (None, {"fields": ["facility", "kind", "name", "name_ru", "name_en", "name_ko", "description", "capacity"]}),
        (_("Hours"), {"fields": ["opens_at", "closes_at", "open_weekdays", "slot_minutes", "min_minutes",
                                 "max_minutes", "book_ahead_days", "buffer_minutes"]}),
        (_("Who and how"), {"fields": ["audience", "needs_approval", "approval_hold_hours", "requires_training",
                                       "cancel_hours_before", "no_show_minutes"]}),
        (_("Price"), {"fields": ["price_per_hour", "resident_price_per_hour"]}),
        # Taken out of service on the staff page, which tells the people whose bookings are cancelled.
        (_("Service"), {"fields": ["in_service", "out_of_service_reason"]}),
    ]

    def scoped(self, viewer):
        return selectors.resources_run_by(viewer)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "facility":
            kwargs["queryset"] = Facility.objects.filter(
                park__in=selectors.parks_run_by(request.user)).select_related("park")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    # The network's generic writes keep the search text of every spelling of the name, and audit.
    def create(self, actor, fields):
        return network_services.record_create(actor=actor, model=Resource, perm="bookings.add_resource",
                                              scope=Resource(facility=fields["facility"]), fields=fields)

    def update(self, actor, obj, changes):
        return network_services.record_update(actor=actor, obj=obj, perm="bookings.change_resource", changes=changes)

    def save_formset(self, request, form, formset, change):
        """Closed days are saved with an audit entry each, like every other change."""
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            audit.record(actor=request.user, action="bookings.closed_day.deleted", obj=form.instance,
                         changes={"closed_day": [str(obj.date), None]})
            obj.delete()
        for obj in instances:
            new = obj.pk is None
            obj.save()
            audit.record(actor=request.user, action="bookings.closed_day." + ("created" if new else "updated"),
                         obj=form.instance, changes={"closed_day": [None, f"{obj.date} {obj.reason}".strip()]})
        formset.save_m2m()


class TrainingAdminForm(forms.ModelForm):
    # Staff choose the person by e-mail: a list of every account would show them to every park.
    person_email = forms.EmailField(label=_("The person's e-mail"), help_text=_("The address they sign in with."))

    class Meta:
        model = Training
        fields = ["resource", "trained_on", "valid_until"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["person_email"].initial = self.instance.person.email

    def clean_person_email(self):
        email = self.cleaned_data["person_email"]
        person = person_by_email(email)
        if person is None:
            raise forms.ValidationError(_("No one signs in with this e-mail. Ask them to create an account first."))
        self.cleaned_data["person"] = person
        return email

    def _post_clean(self):
        if "person" in self.cleaned_data:
            self.instance.person = self.cleaned_data["person"]
        super()._post_clean()


@admin.register(Training)
class TrainingAdmin(ScopedAdmin):
    form = TrainingAdminForm
    list_display = ["person", "resource", "trained_on", "valid_until", "recorded_by"]
    list_filter = ["resource__facility__park", "valid_until"]
    search_fields = ["person__email", "person__full_name", "resource__name"]
    fields = ["resource", "person_email", "trained_on", "valid_until"]

    def scoped(self, viewer):
        return Training.objects.filter(resource__in=selectors.resources_run_by(viewer)).select_related(
            "resource", "person", "recorded_by")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "resource":
            kwargs["queryset"] = selectors.resources_run_by(request.user).filter(requires_training=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def create(self, actor, fields):
        return services.training_record(actor=actor, resource=fields["resource"], person=fields["person"],
                                        trained_on=fields["trained_on"], valid_until=fields["valid_until"])

    def update(self, actor, obj, changes):
        if "person_email" in changes:
            person = person_by_email(changes.pop("person_email"))
            if person.pk != obj.person_id:
                changes["person"] = person
        return super().update(actor, obj, changes)

