"""Forms of the training pages. They read what a person typed; the services decide."""

from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from texnopark.accounts.selectors import person_by_email
from texnopark.network.models import District
from texnopark.training.models import AgeGroup, ConsultationSlot, Gender, Programme

PHONE_HELP = _("+998 and nine digits, e.g. +998901234567.")


def date_input(**attrs):
    return forms.DateInput(attrs={"type": "date", **attrs}, format="%Y-%m-%d")


def normal_phone(value: str) -> str:
    """+998 90 123-45-67, 90 123 45 67 and 998901234567 all become +998901234567."""
    digits = "".join(ch for ch in value if ch.isdigit())
    if len(digits) == 9:
        digits = "998" + digits
    if len(digits) != 12 or not digits.startswith("998"):
        raise forms.ValidationError(_("Type the phone as +998 and nine digits, e.g. +998901234567."))
    return "+" + digits


class DistrictChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.tr.name


class CatalogueFilter(forms.Form):
    district = DistrictChoiceField(label=_("District"), queryset=District.objects.none(), required=False,
                                   empty_label=_("All districts"))
    topic = forms.ChoiceField(label=_("Topic"), required=False)
    language = forms.ChoiceField(label=_("Language of instruction"), required=False)
    starts_from = forms.DateField(label=_("Starting from"), required=False, widget=date_input())

    def __init__(self, *args, districts, languages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = districts
        self.fields["topic"].choices = [("", _("All topics")), *Programme.Topic.choices]
        self.fields["language"].choices = [("", _("Any language")), *languages]


class EnrolForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    phone = forms.CharField(label=_("Phone"), max_length=20, help_text=PHONE_HELP,
                            widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel",
                                                          "inputmode": "tel", "placeholder": "+998"}))
    district = DistrictChoiceField(label=_("Your district"), queryset=District.objects.none())
    age_group = forms.ChoiceField(label=_("Age group"), choices=[("", "—"), *AgeGroup.choices])
    gender = forms.ChoiceField(label=_("Gender"), required=False,
                               choices=[("", _("I prefer not to say")), *Gender.choices])
    occupation = forms.CharField(label=_("Occupation"), max_length=100, required=False,
                                 help_text=_("For example: student, farmer, shop owner, unemployed."))

    def __init__(self, *args, districts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = districts
        self.fields["full_name"].widget.attrs["autocomplete"] = "name"

    def clean_phone(self):
        return normal_phone(self.cleaned_data["phone"])


class CheckInForm(forms.Form):
    code = forms.CharField(label=_("Code shown in the room"), max_length=12,
                           widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code",
                                                         "pattern": "[0-9 ]*", "class": "code-input"}))


class BusinessForm(forms.Form):
    started_on = forms.DateField(label=_("When did it start?"), required=False, widget=date_input(),
                                 help_text=_("Leave empty to say you have not started one (yet)."))

    def clean_started_on(self):
        value = self.cleaned_data["started_on"]
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return value


class WalkInForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"), required=False,
                             help_text=_("If the person has an account: the address they sign in with."))
    full_name = forms.CharField(label=_("Full name"), max_length=150, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False, help_text=PHONE_HELP,
                            widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}))

    def clean_phone(self):
        value = self.cleaned_data["phone"]
        return normal_phone(value) if value else ""

    def clean(self):
        data = super().clean()
        email = data.get("email")
        if email:
            person = person_by_email(email)
            if person is None:
                self.add_error("email", _("No one signs in with this e-mail. Leave it empty and give the "
                                          "name and phone instead."))
            else:
                data["person"] = person
                data["full_name"] = data.get("full_name") or person.full_name or person.email
                data["phone"] = data.get("phone") or person.phone
        elif not data.get("full_name") or not data.get("phone"):
            if "phone" not in self.errors:
                self.add_error(None, _("Give the person's e-mail, or their name and phone."))
        return data


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Why is it revoked?"), max_length=300,
                             help_text=_("The public verification page does not show the reason."))


class SlotForm(forms.Form):
    centre = forms.ModelChoiceField(label=_("Business centre"), queryset=None)
    date = forms.DateField(label=_("Date"), widget=date_input())
    starts_at = forms.TimeField(label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    ends_at = forms.TimeField(label=_("Until"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    topic = forms.CharField(label=_("Topic"), max_length=200, required=False,
                            help_text=_("For example: registering a business, a loan, a technopark call."))

    def __init__(self, *args, centres, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["centre"].queryset = centres
        self.fields["centre"].label_from_instance = lambda c: f"{c.tr.name} · {c.district.tr.name}"
        only = list(centres[:2])
        if len(only) == 1:
            self.fields["centre"].initial = only[0].pk
        self.fields["date"].widget.attrs["min"] = timezone.localdate().isoformat()

    def clean(self):
        data = super().clean()
        day, start, end = data.get("date"), data.get("starts_at"), data.get("ends_at")
        if day and start and end:
            if end <= start:
                self.add_error("ends_at", _("A consultation must end after it starts."))
            else:
                tz = timezone.get_current_timezone()
                data["starts"] = datetime.combine(day, start, tzinfo=tz)
                data["ends"] = datetime.combine(day, end, tzinfo=tz)
                if data["starts"] <= timezone.now():
                    self.add_error("date", _("Choose a time in the future."))
        return data


class BookConsultationForm(forms.Form):
    question = forms.CharField(label=_("What would you like to ask?"), max_length=300, required=False,
                               widget=forms.Textarea(attrs={"rows": 3}),
                               help_text=_("A few words help the adviser prepare."))


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=ConsultationSlot.Outcome.choices,
                                widget=forms.RadioSelect)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ReachForm(forms.Form):
    first = forms.DateField(label=_("Sessions from"), required=False, widget=date_input())
    last = forms.DateField(label=_("to"), required=False, widget=date_input())

    def clean(self):
        data = super().clean()
        if data.get("first") and data.get("last") and data["last"] < data["first"]:
            self.add_error("last", _("The end of the period must not be before its start."))
        return data
