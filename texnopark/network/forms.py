from django import forms

from texnopark.network.models import BusinessCentre, Facility, Technopark

NAME_FIELDS = ["name", "name_ru", "name_en", "name_ko"]
DESCRIPTION_FIELDS = ["description", "description_ru", "description_en", "description_ko"]


class ParkForm(forms.ModelForm):
    class Meta:
        model = Technopark
        fields = [*NAME_FIELDS, *DESCRIPTION_FIELDS, "sectors", "address", "phone", "email", "website",
                  "founded", "area_ha", "planned_jobs", "is_published"]
        widgets = {"sectors": forms.CheckboxSelectMultiple, "founded": forms.DateInput(attrs={"type": "date"})}


class FacilityForm(forms.ModelForm):
    class Meta:
        model = Facility
        fields = [*NAME_FIELDS, "kind", *DESCRIPTION_FIELDS, "area_m2", "capacity", "is_published"]


class CentreForm(forms.ModelForm):
    class Meta:
        model = BusinessCentre
        fields = [*NAME_FIELDS, *DESCRIPTION_FIELDS, "address", "phone", "email", "opened", "is_published"]
        widgets = {"opened": forms.DateInput(attrs={"type": "date"})}
