"""Forms of expert review and the commission. They read what a person typed; the services decide."""

from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from texnopark.intake.models import SCORE_MAX, Decision, Vote
from texnopark.intake.services.review import MAX_PER_APPLICATION


class DeclareForm(forms.Form):
    conflict = forms.TypedChoiceField(
        label=_("Conflict of interest"), widget=forms.RadioSelect, coerce=lambda value: value == "yes",
        choices=[("no", _("I have no conflict of interest with this applicant")),
                 ("yes", _("I have a conflict of interest: I do not review this application"))])
    note = forms.CharField(label=_("What is the conflict?"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("For example: a relative, a business partner, a competitor."))

    def clean(self):
        data = super().clean()
        if data.get("conflict") and not data.get("note", "").strip():
            self.add_error("note", _("Describe the conflict, so that the staff can assign someone else."))
        return data


class ScoreForm(forms.Form):
    """A score (0–10) and a comment per criterion. Saving keeps a draft; submitting needs every score."""

    def __init__(self, *args, criteria, submitting: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria, self.submitting = list(criteria), submitting
        for criterion in self.criteria:
            self.fields[f"value_{criterion.pk}"] = forms.IntegerField(
                label=criterion.name, required=False, min_value=0, max_value=SCORE_MAX,
                widget=forms.NumberInput(attrs={"min": 0, "max": SCORE_MAX, "inputmode": "numeric",
                                                "class": "score-input"}),
                error_messages={"min_value": _("A score is from 0 to %(max)s.") % {"max": SCORE_MAX},
                                "max_value": _("A score is from 0 to %(max)s.") % {"max": SCORE_MAX},
                                "invalid": _("A score is a whole number from 0 to %(max)s.") % {"max": SCORE_MAX}})
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=_("Comment"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        if self.submitting:
            for criterion in self.criteria:
                name = f"value_{criterion.pk}"
                if data.get(name) is None and name not in self.errors:
                    self.add_error(name, _("Give a score from 0 to %(max)s before submitting.") % {"max": SCORE_MAX})
        return data

    def rows(self):
        """(criterion, score field, comment field) for the template."""
        return [(c, self[f"value_{c.pk}"], self[f"comment_{c.pk}"]) for c in self.criteria]

    def scores(self) -> dict[int, tuple[int | None, str]]:
        data = self.cleaned_data
        return {c.pk: (data.get(f"value_{c.pk}"), data.get(f"comment_{c.pk}", "")) for c in self.criteria}


class ApplicationChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.company_name or _('(no name yet)')} · {obj.stir or '—'}"


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        load = getattr(obj, "load", None)
        name = obj.full_name or obj.email
        return name if load is None else _("%(name)s (%(n)s in this call)") % {"name": name, "n": load}


class AssignForm(forms.Form):
    application = ApplicationChoice(label=_("Application"), queryset=None)
    expert = PersonChoice(label=_("Expert"), queryset=None)

    def __init__(self, *args, applications, pool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].queryset = applications
        self.fields["expert"].queryset = pool


class AutoAssignForm(forms.Form):
    per_application = forms.IntegerField(
        label=_("Experts per application"), initial=2, min_value=1, max_value=MAX_PER_APPLICATION,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text=_("Each application gets this many reviewers, the least busy experts first."))


class MeetingForm(forms.Form):
    held_at = forms.DateTimeField(label=_("When"), input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
                                  widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                             format="%Y-%m-%dT%H:%M"))
    place = forms.CharField(label=_("Where"), max_length=200, required=False)
    language = forms.ChoiceField(label=_("Language of the minutes"), choices=settings.LANGUAGES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].initial = get_language()


class MemberChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.user}" + (f" ({_('chair')})" if obj.is_chair else "")


class AttendanceForm(forms.Form):
    present = MemberChoice(label=_("Present"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].queryset = members


class OneMember(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return str(obj.user)


class VoteForm(forms.Form):
    """Staff record any present member's vote; a member votes for themself (no member field then)."""

    member = OneMember(label=_("Member"), queryset=None)
    choice = forms.ChoiceField(label=_("Vote"), choices=Vote.Choice.choices, widget=forms.RadioSelect)

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        if members is None:
            del self.fields["member"]
        else:
            self.fields["member"].queryset = members


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Decision"), choices=Decision.Outcome.choices, widget=forms.RadioSelect)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=4000,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("Needed for a rejection; the applicant reads it."))
    benefits = forms.CharField(label=_("Benefits of the residency"), required=False,
                               widget=forms.Textarea(attrs={"rows": 3}))
    obligations = forms.CharField(label=_("Obligations of the residency"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self):
        data = super().clean()
        if data.get("outcome") == Decision.Outcome.REJECTED and not data.get("reason", "").strip():
            self.add_error("reason", _("Give the reason for the rejection."))
        return data
