"""The back office for companies and ideas, scoped like the pages: park staff see the companies that are
(or applied to be) residents of their parks, region administrators their region's, the platform all.

The company's profile goes through `services.company_update`; milestones, mentors, products and export
deals may be corrected inline, each change audited on the company. The team is changed on the company's
page (by e-mail, keeping at least one admin), milestones are marked done or missed there, and ideas are
answered on the idea's page: here they are read-only.
"""

from django.contrib import admin
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from texnopark.core import audit
from texnopark.core.admin import ScopedAdmin
from texnopark.ventures import selectors, services
from texnopark.ventures.models import (
    Company,
    CompanyMember,
    ExportDeal,
    Idea,
    IdeaAttachment,
    Mentorship,
    Milestone,
    Product,
)


class CompanyPartInline(admin.TabularInline):
    extra = 0

    def _runs(self, request, obj):
        return request.user.has_perm("ventures.change_company", obj)

    def has_view_permission(self, request, obj=None):
        return self._runs(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._runs(request, obj)

    def has_add_permission(self, request, obj=None):
        return self._runs(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._runs(request, obj)


class MemberInline(CompanyPartInline):
    model = CompanyMember
    fields = readonly_fields = ["user", "role", "title", "is_admin"]
    verbose_name_plural = _("team members (changed on the company's page, by e-mail)")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MilestoneInline(CompanyPartInline):
    model = Milestone
    fields = ["title", "due_on", "status", "done_on", "evidence", "evidence_note"]
    readonly_fields = ["status", "done_on"]


class MentorInline(CompanyPartInline):
    model = Mentorship
    fields = ["name", "area", "since", "mentor"]
    readonly_fields = ["mentor"]


class ProductInline(CompanyPartInline):
    model = Product
    fields = ["name", "description", "launched_on", "is_public"]


class ExportDealInline(CompanyPartInline):
    model = ExportDeal
    fields = ["signed_on", "country", "buyer", "value_usd", "product", "document"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "product":
            kwargs["queryset"] = Product.objects.filter(company_id=request.resolver_match.kwargs.get("object_id"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Company)
class CompanyAdmin(ScopedAdmin):
    list_display = ["name", "stir", "legal_form", "district", "sector", "stage", "employees"]
    list_filter = ["stage", "legal_form", "sector", "district"]
    search_fields = ["name", "stir"]
    inlines = [MemberInline, MilestoneInline, MentorInline, ProductInline, ExportDealInline]
    fieldsets = [
        (None, {"fields": ["name", "stir", "oked", "legal_form", "district", "sector", "stage"]}),
        (_("Profile"), {"fields": ["summary", "description", "founders", "employees", "website", "founded_on"]}),
    ]

    def scoped(self, viewer):
        return selectors.companies_run_by(viewer).select_related("district", "sector")

    def get_readonly_fields(self, request, obj=None):
        # The STIR identifies the company: set when it is created, not edited later.
        return ["stir"] if obj is not None else []

    def update(self, actor, obj, changes):
        return services.company_update(actor=actor, company=obj, **changes)

    @transaction.atomic
    def save_formset(self, request, form, formset, change):
        company, kind = form.instance, formset.model._meta.model_name
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            audit.record(actor=request.user, action=f"ventures.{kind}.deleted", obj=company,
                         changes={kind: [obj.pk, None], "name": [str(obj), None]})
            obj.delete()
        changed = dict(formset.changed_objects)
        for obj in instances:
            created = obj.pk is None
            obj.company = company
            obj.save()
            audit.record(actor=request.user, action=f"ventures.{kind}.{'created' if created else 'updated'}",
                         obj=company, changes={kind: [None if created else obj.pk, obj.pk], "name": [None, str(obj)],
                                               "fields": [None, sorted(changed.get(obj, formset.form._meta.fields))]})


class AttachmentInline(admin.TabularInline):
    model = IdeaAttachment
    extra = 0
    fields = readonly_fields = ["name", "file", "uploaded_at"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("ventures.triage_idea", obj)


@admin.register(Idea)
class IdeaAdmin(ScopedAdmin):
    """Read-only: the answer (an invitation or a reason) is given on the idea's page, which tells the author."""

    list_display = ["title", "park", "sector", "district", "author", "status", "created_at"]
    list_filter = ["status", "park", "sector"]
    search_fields = ["title", "author__email", "author__full_name"]
    date_hierarchy = "created_at"
    inlines = [AttachmentInline]
    fields = readonly_fields = ["title", "park", "author", "sector", "district", "problem", "solution", "team",
                                "status", "reason", "invited_to", "decided_by", "decided_at", "created_at"]

    def scoped(self, viewer):
        return selectors.ideas_for(viewer, triage=True)

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("ventures.triage_idea", obj)

    def has_add_permission(self, request):
        return False
