"""Forms of the booking pages. They read what a person typed; the services decide.

Dates and times are the park's wall-clock time: a form turns them into aware datetimes
with `rules.at`, so a booking made from Seoul for a park in Namangan lands at Namangan's 10:00.
"""

from datetime import date, datetime, time, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from texnopark.accounts.selectors import person_by_email
from texnopark.bookings.models import Resource
from texnopark.bookings.rules import at, zone

# The longest period one utilisation report or export covers.
MAX_REPORT_DAYS = 366
# Weekly series: at most two years of weeks (the service's own limit).
MAX_REPEATS = 104


def date_input(**attrs):
    return forms.DateInput(attrs={"type": "date", **attrs}, format="%Y-%m-%d")


def grid(resource: Resource) -> list[time]:
    """Every wall-clock time on the resource's slot grid, from opening to closing."""
    step = timedelta(minutes=resource.slot_minutes)
    moment, close = datetime.combine(date.min, resource.opens_at), datetime.combine(date.min, resource.closes_at)
    times = []
    while moment <= close:
        times.append(moment.time())
        moment += step
    return times


def clock(value: str) -> time:
    return time.fromisoformat(value)


class SlotForm(forms.Form):
    """A day and a start and end chosen from the resource's slot grid."""

    date = forms.DateField(label=_("Date"), widget=date_input())
    starts_at = forms.TypedChoiceField(label=_("Start"), coerce=clock)
    ends_at = forms.TypedChoiceField(label=_("End"), coerce=clock)

    def __init__(self, *args, resource: Resource, **kwargs):
        super().__init__(*args, **kwargs)
        self.resource = resource
        times = grid(resource)
        self.fields["starts_at"].choices = [(t.strftime("%H:%M"), t.strftime("%H:%M")) for t in times[:-1]]
        self.fields["ends_at"].choices = [(t.strftime("%H:%M"), t.strftime("%H:%M")) for t in times[1:]]
        today = timezone.localdate(timezone=zone(resource))
        self.fields["date"].widget.attrs.update(
            min=today.isoformat(), max=(today + timedelta(days=resource.book_ahead_days)).isoformat())

    def clean(self):
        data = super().clean()
        day, start, end = data.get("date"), data.get("starts_at"), data.get("ends_at")
        if day and start and end:
            if end <= start:
                self.add_error("ends_at", _("A booking must end after it starts."))
            else:
                data["starts"] = at(self.resource, day, start)
                data["ends"] = at(self.resource, day, end)
        return data


class BookingForm(SlotForm):
    units = forms.IntegerField(label=_("Places"), min_value=1, initial=1)
    purpose = forms.CharField(label=_("Purpose"), max_length=200, required=False,
                              help_text=_("What you will do, in a few words. The park staff see it."))
    repeat = forms.BooleanField(label=_("Repeat weekly"), required=False)
    repeat_count = forms.IntegerField(label=_("How many times"), min_value=2, max_value=MAX_REPEATS, required=False,
                                      help_text=_("Counting the first date."))
    repeat_until = forms.DateField(label=_("Or until"), required=False, widget=date_input())
    skip_conflicts = forms.BooleanField(
        label=_("Skip the dates that are taken"), required=False,
        help_text=_("Without it, one taken date books nothing."))

    def __init__(self, *args, resource: Resource, **kwargs):
        super().__init__(*args, resource=resource, **kwargs)
        if resource.capacity > 1:
            self.fields["units"].max_value = resource.capacity
            self.fields["units"].widget.attrs["max"] = resource.capacity
            self.fields["units"].help_text = _("Up to %(n)s.") % {"n": resource.capacity}
        else:
            del self.fields["units"]

    def clean(self):
        data = super().clean()
        data.setdefault("units", 1)
        if data.get("repeat"):
            count, until = data.get("repeat_count"), data.get("repeat_until")
            if not count and not until:
                self.add_error("repeat_count", _("Say how many times, or until which date."))
            elif not count and data.get("date") and until <= data["date"]:
                self.add_error("repeat_until", _("The last date must be after the first."))
        return data


class RescheduleForm(SlotForm):
    pass


class DecisionForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("Decision"), coerce=lambda v: v == "1",
        choices=[("1", _("Approve")), ("0", _("Decline"))])
    note = forms.CharField(label=_("Note to the person"), max_length=300, required=False)


class BlockForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=date_input())
    starts_at = forms.TimeField(label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    ends_at = forms.TimeField(label=_("Until"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    reason = forms.CharField(label=_("Reason"), max_length=200,
                             help_text=_("For example: maintenance, calibration, an event."))

    def __init__(self, *args, resource: Resource, **kwargs):
        super().__init__(*args, **kwargs)
        self.resource = resource

    def clean(self):
        data = super().clean()
        day, start, end = data.get("date"), data.get("starts_at"), data.get("ends_at")
        if day and start and end:
            if end <= start:
                self.add_error("ends_at", _("A booking must end after it starts."))
            else:
                data["starts"], data["ends"] = at(self.resource, day, start), at(self.resource, day, end)
        return data


class ServiceForm(forms.Form):
    reason = forms.CharField(label=_("Why it is out of service"), max_length=200, required=False,
                             help_text=_("People whose bookings are cancelled receive this in their e-mail."))

    def __init__(self, *args, resource: Resource, **kwargs):
        super().__init__(*args, **kwargs)
        self.resource = resource
        if resource.in_service:
            self.fields["reason"].required = True
        else:
            del self.fields["reason"]


class TrainingForm(forms.Form):
    email = forms.EmailField(label=_("The person's e-mail"),
                             help_text=_("The address they sign in with."))
    trained_on = forms.DateField(label=_("Trained on"), widget=date_input())
    valid_until = forms.DateField(label=_("Valid until"), widget=date_input())

    def clean_email(self):
        email = self.cleaned_data["email"]
        person = person_by_email(email)
        if person is None:
            raise forms.ValidationError(_("No one signs in with this e-mail. Ask them to create an account first."))
        self.cleaned_data["person"] = person
        return email


class UsageForm(forms.Form):
    park = forms.ModelChoiceField(label=_("Park"), queryset=None, required=False, empty_label=_("All my parks"),
                                  to_field_name="slug")
    first = forms.DateField(label=_("From"), widget=date_input())
    last = forms.DateField(label=_("To"), widget=date_input())

    def __init__(self, *args, parks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["park"].queryset = parks
        self.fields["park"].label_from_instance = lambda park: park.tr.name

    def clean(self):
        data = super().clean()
        first, last = data.get("first"), data.get("last")
        if first and last:
            if last < first:
                self.add_error("last", _("The end of the period must not be before its start."))
            elif (last - first).days >= MAX_REPORT_DAYS:
                self.add_error("last", _("A report covers at most %(days)s days.") % {"days": MAX_REPORT_DAYS})
        return data
