"""Forms of the reports pages. They read what a person typed; the services decide."""

from django import forms
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from texnopark.reports.models import AuditDocument, ComplianceDecision, QuarterlyReport

NOT_NEGATIVE = _("Cannot be negative. Type 0 if there was none.")
MONEY = ("revenue_uzs", "exports_usd", "investment_uzs", "rnd_uzs")


def date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ReportForm(forms.Form):
    """The nine figures and a comment; labels from the model, so the form and the exports agree."""

    note = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("Anything the park should know about these figures."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        figures = {}
        for name in QuarterlyReport.FIGURES:
            label = capfirst(QuarterlyReport._meta.get_field(name).verbose_name)
            messages = {"min_value": NOT_NEGATIVE, "invalid": _("Type a number, e.g. 1500000 or 0."),
                        "required": _("Type a number; 0 if there was none.")}
            if name in MONEY:
                field = forms.DecimalField(label=label, min_value=0, max_digits=18, decimal_places=2,
                                           error_messages=messages)
            else:
                field = forms.IntegerField(label=label, min_value=0, error_messages=messages)
            field.widget.attrs["inputmode"] = "decimal" if name in MONEY else "numeric"
            figures[name] = field
        self.fields = {**figures, "note": self.fields["note"]}


class ReviewForm(forms.Form):
    action = forms.ChoiceField(choices=[("accept", _("Accept")), ("return", _("Return for fixes"))],
                               widget=forms.HiddenInput)
    note = forms.CharField(label=_("What should the resident fix?"), required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))


class AuditUploadForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year audited"), coerce=int)
    file = forms.FileField(label=_("Audit report"),
                           help_text=_("The auditor's report on the year's accounts: PDF, Word or Excel, up to "
                                       "20 MB. Uploading again for the same year replaces the file."))

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, year) for year in years]
        self.fields["file"].widget.attrs["accept"] = ".pdf,.doc,.docx,.xls,.xlsx"
        self.fields["file"].validators = list(AuditDocument._meta.get_field("file").validators)


class ComplianceForm(forms.Form):
    step = forms.ChoiceField(label=_("Decision"))
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("The resident's admins read it, by e-mail and on the site."),
                             error_messages={"required": _("Give the reason: the resident reads it.")})
    effective_on = forms.DateField(label=_("Takes effect on"), widget=date_input(),
                                   error_messages={"required": _("Give the date the decision takes effect.")})

    def __init__(self, *args, steps, **kwargs):
        kwargs.setdefault("initial", {"effective_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["step"].choices = [(step, ComplianceDecision.Step(step).label) for step in steps]


class InboxFilter(forms.Form):
    park = forms.ModelChoiceField(label=_("Park"), queryset=None, required=False, empty_label=_("All my parks"),
                                  to_field_name="slug")

    def __init__(self, *args, parks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["park"].queryset = parks
        self.fields["park"].label_from_instance = lambda park: park.tr.name
