"""Forms of the call and application pages. They read what a person typed; the services decide."""

from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from texnopark.accounts.selectors import person_by_email
from texnopark.intake.models import Application, Call, Question, RequiredDocument
from texnopark.intake.services.calls import TASHKENT
from texnopark.network.models import District, Sector, Technopark
from texnopark.ventures.models import LegalForm

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class NamedChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.tr.name


class NamedMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.tr.name


class TashkentDateTimeField(forms.DateTimeField):
    """A deadline typed as Tashkent wall-clock time, whatever the server's time zone."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]

    def prepare_value(self, value):
        if isinstance(value, datetime) and timezone.is_aware(value):
            return timezone.localtime(value, TASHKENT).replace(tzinfo=None)
        return value

    def to_python(self, value):
        if isinstance(value, datetime):
            return value if timezone.is_aware(value) else timezone.make_aware(value, TASHKENT)
        value = (value or "").strip()
        if not value:
            return None
        for fmt in self.input_formats:
            try:
                return timezone.make_aware(datetime.strptime(value, fmt), TASHKENT)
            except ValueError:
                continue
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


# --- Calls ----------------------------------------------------------------------------------------


class CallFilter(forms.Form):
    park = forms.ModelChoiceField(label=_("Technopark"), queryset=Technopark.objects.none(), required=False,
                                  to_field_name="slug", empty_label=_("All technoparks"))
    kind = forms.ChoiceField(label=_("Kind"), required=False)

    def __init__(self, *args, parks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["park"].queryset = parks
        self.fields["kind"].choices = [("", _("All kinds")), *Call.Kind.choices]


class CallForm(forms.ModelForm):
    closes_at = TashkentDateTimeField(label=_("Deadline (Tashkent time)"))
    sectors = NamedMultipleChoiceField(label=_("Sectors"), queryset=Sector.objects.order_by("name"), required=False,
                                       widget=forms.CheckboxSelectMultiple,
                                       help_text=_("Leave empty to take applications from every sector."))

    class Meta:
        model = Call
        fields = ["name", "name_ru", "name_en", "name_ko", "kind", "opens_on", "closes_at", "sectors", "description",
                  "benefits", "obligations", "quorum_percent", "return_days", "residency_years"]
        widgets = {
            "opens_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 5}),
            "benefits": forms.Textarea(attrs={"rows": 3}),
            "obligations": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, fixed=(), **kwargs):
        """`fixed`: fields shown but no longer changeable (an open call keeps its rules)."""
        super().__init__(*args, **kwargs)
        for name in fixed:
            if name in self.fields:
                self.fields[name].disabled = True

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.changed_data if name in self.cleaned_data}


class ItemForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def item(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items()
                if name != "DELETE" and not (name == "id" and value is None)}


class CriterionForm(ItemForm):
    name = forms.CharField(label=_("Criterion"), max_length=200)
    weight = forms.IntegerField(label=_("Weight, %"), min_value=1, max_value=100,
                                widget=forms.NumberInput(attrs={"class": "weight-input", "inputmode": "numeric"}))
    description = forms.CharField(label=_("What the experts look at"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))


class QuestionForm(ItemForm):
    text = forms.CharField(label=_("Yes-or-no question"), max_length=300)
    required_answer = forms.TypedChoiceField(label=_("An eligible applicant answers"), choices=YES_NO,
                                             coerce=lambda value: value == "yes", initial="yes")


class DocumentForm(ItemForm):
    name = forms.CharField(label=_("Document"), max_length=200)
    is_required = forms.BooleanField(label=_("Required"), required=False, initial=True)


class CommissionForm(ItemForm):
    email = forms.EmailField(label=_("Member's e-mail"))
    is_chair = forms.BooleanField(label=_("Chair"), required=False)

    def clean_email(self):
        email = self.cleaned_data["email"]
        person = person_by_email(email)
        if person is None:
            raise forms.ValidationError(_("No one signs in with this e-mail."))
        self.cleaned_data["user"] = person
        return email

    def item(self) -> dict:
        return {"user": self.cleaned_data["user"], "is_chair": self.cleaned_data["is_chair"]}


CriterionFormSet = forms.formset_factory(CriterionForm, extra=2, can_delete=True)
QuestionFormSet = forms.formset_factory(QuestionForm, extra=2, can_delete=True)
DocumentFormSet = forms.formset_factory(DocumentForm, extra=2, can_delete=True)
CommissionFormSet = forms.formset_factory(CommissionForm, extra=3, can_delete=True)


def items_of(formset) -> list[dict]:
    """The lines of a valid formset that are kept (saved before, or filled in now) and not marked for deletion."""
    kept = formset.initial_form_count()
    return [form.item() for i, form in enumerate(formset.forms)
            if (i < kept or form.has_changed()) and form.cleaned_data and not form.cleaned_data.get("DELETE")]


def typed_weights(formset) -> list[int]:
    """The weights as typed, valid or not: the live total on the edit page adds what is there."""
    weights = []
    for form in formset.forms:
        prefix = form.prefix
        if form.data.get(f"{prefix}-DELETE"):
            continue
        raw = (form.data.get(f"{prefix}-weight") or "").strip()
        if raw.isdigit():
            weights.append(int(raw))
    return weights


class CloseForm(forms.Form):
    early = forms.BooleanField(label=_("Yes, close the call before its deadline"), required=False)


# --- Applications ---------------------------------------------------------------------------------

TEXT_FIELDS = ("company_name", "stir", "oked", "founders", "project")


class ApplicationForm(forms.Form):
    """Every field optional: a draft is saved as it is; submission lists what is missing."""

    company_name = forms.CharField(label=_("Company name"), max_length=200, required=False)
    stir = forms.CharField(label=_("STIR"), required=False, help_text=_("Taxpayer identification number, 9 digits."),
                           widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    oked = forms.CharField(label=_("OKED activity code"), required=False, help_text=_("5 digits, e.g. 62010."),
                           widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    legal_form = forms.ChoiceField(label=_("Legal form"), choices=LegalForm.choices)
    district = NamedChoiceField(label=_("District"), queryset=District.objects.none(), required=False)
    sector = NamedChoiceField(label=_("Sector"), queryset=Sector.objects.none(), required=False)
    founders = forms.CharField(label=_("Founders"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                               help_text=_("One founder a line: name and share."))
    employees = forms.IntegerField(label=_("Employees"), min_value=0, required=False)
    project = forms.CharField(label=_("The project in brief"), required=False,
                              widget=forms.Textarea(attrs={"rows": 6}))
    business_plan = forms.FileField(label=_("Business plan"), required=False,
                                    help_text=_("PDF, Word or PowerPoint, up to 20 MB."))

    def __init__(self, *args, application: Application, questions: list[Question],
                 requirements: list[RequiredDocument], **kwargs):
        initial = {name: getattr(application, name) for name in TEXT_FIELDS}
        initial.update(legal_form=application.legal_form, district=application.district_id,
                       sector=application.sector_id, employees=application.employees)
        for question in questions:
            answer = (application.answers or {}).get(str(question.pk))
            initial[f"answer_{question.pk}"] = "" if answer is None else ("yes" if answer else "no")
        super().__init__(*args, initial=initial, **kwargs)
        self.application, self.questions, self.requirements = application, questions, requirements
        self.fields["district"].queryset = District.objects.filter(is_active=True).order_by("name")
        sectors = list(application.call.sectors.all())
        self.fields["sector"].queryset = (Sector.objects.filter(pk__in=[s.pk for s in sectors]) if sectors
                                          else Sector.objects.all()).order_by("name")
        for question in questions:
            self.fields[f"answer_{question.pk}"] = forms.TypedChoiceField(
                label=question.text, choices=YES_NO, coerce=lambda value: value == "yes", empty_value=None,
                required=False, widget=forms.RadioSelect)
        for requirement in requirements:
            label = requirement.name if requirement.is_required else _("%(name)s (optional)") % {
                "name": requirement.name}
            self.fields[f"document_{requirement.pk}"] = forms.FileField(label=label, required=False)

    def clean_stir(self):
        return "".join(self.cleaned_data["stir"].split())

    def answer_fields(self):
        return [self[f"answer_{q.pk}"] for q in self.questions]

    def document_fields(self):
        return [(self[f"document_{r.pk}"], r) for r in self.requirements]

    def service_fields(self) -> dict:
        """The valid fields as the service takes them; a file only when one was chosen."""
        data = self.cleaned_data
        fields = {name: data[name] for name in (*TEXT_FIELDS, "legal_form", "district", "sector", "employees")
                  if name in data}
        if data.get("business_plan"):
            fields["business_plan"] = data["business_plan"]
        answers = {q.pk: data[f"answer_{q.pk}"] for q in self.questions if f"answer_{q.pk}" in data}
        if answers:
            fields["answers"] = answers
        documents = {r.pk: data[f"document_{r.pk}"] for r in self.requirements if data.get(f"document_{r.pk}")}
        if documents:
            fields["documents"] = documents
        return fields


class ReturnForm(forms.Form):
    note = forms.CharField(label=_("What should the applicant fix?"), widget=forms.Textarea(attrs={"rows": 3}),
                           max_length=2000)
