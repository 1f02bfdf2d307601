"""Forms of the ideas, company and registry pages. They read what a person typed; the services decide."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from texnopark.core.files import FileCheck
from texnopark.core.i18n import localized
from texnopark.network.models import District, Sector
from texnopark.ventures import countries
from texnopark.ventures.models import Company, CompanyMember, Idea, Milestone, Stage

FILE_TYPES = _("PDF, Word, Excel, PowerPoint or an image (PNG, JPG), up to 10 MB each.")


def date_input(**attrs):
    return forms.DateInput(attrs={"type": "date", **attrs}, format="%Y-%m-%d")


def past_date_input():
    return date_input(max=timezone.localdate().isoformat())


class NamedChoiceField(forms.ModelChoiceField):
    """Parks, sectors and districts by their name in the reader's language and script."""

    def label_from_instance(self, obj):
        return localized(obj, "name")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field; each checked by the field's validators."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else [data] if data else []
        if not files and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return [super(MultipleFileField, self).clean(upload, initial) for upload in files]


class IdeaForm(forms.Form):
    park = NamedChoiceField(label=_("Technopark"), queryset=None, empty_label=None)
    title = forms.CharField(label=_("Title"), max_length=200)
    problem = forms.CharField(label=_("The problem"), widget=forms.Textarea(attrs={"rows": 4}),
                              help_text=_("Whose problem is it, and how do they manage today?"))
    solution = forms.CharField(label=_("The solution"), widget=forms.Textarea(attrs={"rows": 4}),
                               help_text=_("What you make or do, and why it is better."))
    sector = NamedChoiceField(label=_("Sector"), queryset=Sector.objects.all())
    district = NamedChoiceField(label=_("District"), queryset=District.objects.filter(is_active=True))
    team = forms.CharField(label=_("Team"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("Who works on it: one person a line."))
    attachments = MultipleFileField(label=_("Files"), required=False, validators=[FileCheck()],
                                    help_text=FILE_TYPES)

    def __init__(self, *args, parks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["park"].queryset = parks


class InviteForm(forms.Form):
    decision = forms.CharField(widget=forms.HiddenInput, initial="invite")
    call = forms.ModelChoiceField(label=_("Call"), queryset=None, empty_label=None,
                                  help_text=_("Open calls of this technopark: residency, incubation or "
                                              "acceleration cohorts."))

    def __init__(self, *args, calls, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["call"].queryset = calls
        self.fields["call"].label_from_instance = lambda call: f"{localized(call, 'name')} · {call.get_kind_display()}"


class DeclineForm(forms.Form):
    decision = forms.CharField(widget=forms.HiddenInput, initial="decline")
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("The author reads it: say what is missing or why it does not fit."))


class IdeaAttachForm(forms.Form):
    attachments = MultipleFileField(label=_("Add files"), validators=[FileCheck()], help_text=FILE_TYPES)


class InboxFilter(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False)
    park = NamedChoiceField(label=_("Technopark"), queryset=None, required=False, empty_label=_("All my parks"),
                            to_field_name="slug")

    def __init__(self, *args, parks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("Any status")), *Idea.Status.choices]
        self.fields["park"].queryset = parks


class CompanyForm(forms.ModelForm):
    class Meta:
        model = Company
        fields = ["name", "legal_form", "oked", "district", "sector", "stage", "summary", "description", "founders",
                  "employees", "website", "founded_on"]
        widgets = {"founded_on": past_date_input(), "description": forms.Textarea(attrs={"rows": 5}),
                   "founders": forms.Textarea(attrs={"rows": 3}),
                   "oked": forms.TextInput(attrs={"inputmode": "numeric", "pattern": "[0-9]*"})}
        field_classes = {"district": NamedChoiceField, "sector": NamedChoiceField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = District.objects.filter(is_active=True)


class MemberForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"), help_text=_("The address the person signs in with."))
    role = forms.ChoiceField(label=_("Role in the company"), choices=CompanyMember.Role.choices,
                             initial=CompanyMember.Role.OTHER)
    title = forms.CharField(label=_("Job title"), max_length=100, required=False)
    is_admin = forms.BooleanField(label=_("Manages the company on the platform (edits it, applies, files reports)"),
                                  required=False)


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=200)
    due_on = forms.DateField(label=_("Due"), widget=date_input())
    evidence_note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class MilestoneEditForm(forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=200)
    due_on = forms.DateField(label=_("Due"), widget=date_input())
    status = forms.ChoiceField(label=_("Status"), choices=Milestone.Status.choices, widget=forms.RadioSelect)
    done_on = forms.DateField(label=_("Done on"), required=False, widget=past_date_input(),
                              help_text=_("When it is done; today if left empty."))
    evidence = forms.FileField(label=_("Evidence (a file)"), required=False, validators=[FileCheck()],
                               help_text=FILE_TYPES)
    evidence_note = forms.CharField(label=_("What shows it is done"), required=False,
                                    widget=forms.Textarea(attrs={"rows": 3}))


class MentorForm(forms.Form):
    name = forms.CharField(label=_("Mentor's name"), max_length=150, required=False)
    email = forms.EmailField(label=_("Mentor's e-mail"), required=False,
                             help_text=_("If the mentor has an account here. Otherwise give the name."))
    area = forms.CharField(label=_("Helps with"), max_length=200, required=False)
    since = forms.DateField(label=_("Since"), required=False, widget=past_date_input())

    def clean(self):
        data = super().clean()
        if not data.get("name") and not data.get("email") and "email" not in self.errors:
            self.add_error("name", _("Give the mentor's name or e-mail."))
        return data


class ProductForm(forms.Form):
    name = forms.CharField(label=_("Product"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    launched_on = forms.DateField(label=_("Launched"), required=False, widget=past_date_input())
    is_public = forms.BooleanField(label=_("Show on the public page"), required=False, initial=True)


class DealForm(forms.Form):
    country = forms.ChoiceField(label=_("Country"))
    buyer = forms.CharField(label=_("Buyer"), max_length=200)
    value_usd = forms.DecimalField(label=_("Contract value, USD"), min_value=0, max_digits=14, decimal_places=2,
                                   widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}))
    signed_on = forms.DateField(label=_("Signed"), widget=past_date_input())
    product = forms.ModelChoiceField(label=_("Product"), queryset=None, required=False, empty_label="—")
    document = forms.FileField(label=_("Contract (a file)"), required=False, validators=[FileCheck()],
                               help_text=_("Only the company's team and the park's staff see it."))

    def __init__(self, *args, company, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", "—"), *countries.choices()]
        self.fields["product"].queryset = company.products.all()


class RegistryFilter(forms.Form):
    q = forms.CharField(label=_("Name or STIR"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search"}))
    sector = NamedChoiceField(label=_("Sector"), queryset=Sector.objects.all(), required=False,
                              empty_label=_("All sectors"), to_field_name="slug")
    district = NamedChoiceField(label=_("District"), queryset=District.objects.filter(is_active=True),
                                required=False, empty_label=_("All districts"))
    stage = forms.ChoiceField(label=_("Stage"), required=False, choices=[("", _("Any stage")), *Stage.choices])
    exporter = forms.ChoiceField(label=_("Exports"), required=False, choices=[
        ("", _("All residents")), ("yes", _("Exporters")), ("no", _("Not exporting yet"))])

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {"q": data["q"], "sector": data["sector"], "district": data["district"], "stage": data["stage"],
                "exporter": {"yes": True, "no": False}.get(data["exporter"])}
