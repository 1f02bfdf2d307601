"""Companies: the founder's private dashboard (profile, team, stage, milestones, mentors, products, export
deals, and the residency agreements read-only), and the pages that change them.

Members read the dashboard; admin members, the staff of a park where the company is (or applied to be)
a resident, and the region administrator change it; anyone else gets 404.
"""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from texnopark.core.errors import AppError, NotFound
from texnopark.core.files import download
from texnopark.core.views import posted, render_form, submit
from texnopark.ventures import selectors, services
from texnopark.ventures.countries import country_name
from texnopark.ventures.forms import (
    CompanyForm,
    DealForm,
    MemberForm,
    MentorForm,
    MilestoneEditForm,
    MilestoneForm,
    ProductForm,
)
from texnopark.ventures.models import Company, CompanyMember, ExportDeal, Milestone
from texnopark.ventures.views.ideas import files_of


def _company(request, pk, perm: str = "ventures.view_company") -> Company:
    company = get_object_or_404(Company.objects.select_related("district__region", "sector"), pk=pk)
    if not request.user.has_perm(perm, company):
        raise Http404
    return company


@login_required
def companies_mine(request):
    companies = list(selectors.companies_of(request.user))
    for company in companies:
        company.role_label = CompanyMember.Role(company.my_role).label
    return render(request, "ventures/companies_mine.html", {"companies": companies})


@login_required
def company_detail(request, pk):
    company = _company(request, pk)
    parts = selectors.dashboard(company)
    for deal in parts["deals"]:
        deal.country_name = country_name(deal.country)
    return render(request, "ventures/company.html", {
        "company": company, **parts, "stages": selectors.stage_ladder(company),
        "can_edit": request.user.has_perm("ventures.change_company", company),
        "export_total": sum((deal.value_usd for deal in parts["deals"]), Decimal(0)),
    })


def _form_page(request, company, form, save, *, message, title, anchor):
    """One service call for a valid form, then back to the dashboard's section; else the form as typed."""
    def run(data):
        save(data)
        return f"{company.get_absolute_url()}#{anchor}"

    return submit(request, form, run, message) or render_form(
        request, "ventures/company_form.html", {"company": company, "form": form, "title": title, "anchor": anchor})


@login_required
def company_edit(request, pk):
    company = _company(request, pk, "ventures.change_company")
    form = CompanyForm(posted(request), instance=company)
    return _form_page(request, company, form, lambda data: services.company_update(
        actor=request.user, company=company, **data), message=_("Saved."),
        title=gettext_lazy("Edit the company"), anchor="profile")


@login_required
def member_add(request, pk):
    company = _company(request, pk, "ventures.change_company")
    form = MemberForm(posted(request))
    return _form_page(request, company, form, lambda data: services.member_add(
        actor=request.user, company=company, **data), message=_("Added to the team."),
        title=gettext_lazy("Add a team member"), anchor="team")


@login_required
@require_POST
def member_remove(request, pk):
    member = get_object_or_404(CompanyMember.objects.select_related("company__district", "user"), pk=pk)
    company = _company(request, member.company_id, "ventures.change_company")
    try:
        services.member_remove(actor=request.user, member=member)
    except NotFound as error:
        raise Http404 from error
    except AppError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Removed from the team."))
    return redirect(f"{company.get_absolute_url()}#team")


@login_required
def milestone_new(request, pk):
    company = _company(request, pk, "ventures.change_company")
    form = MilestoneForm(posted(request))
    return _form_page(request, company, form, lambda data: services.milestone_create(
        actor=request.user, company=company, **data), message=_("Milestone added."),
        title=gettext_lazy("Add a milestone"), anchor="milestones")


@login_required
def milestone_edit(request, pk):
    milestone = get_object_or_404(Milestone, pk=pk)
    company = _company(request, milestone.company_id, "ventures.change_company")
    form = MilestoneEditForm(posted(request), files_of(request), initial={
        "title": milestone.title, "due_on": milestone.due_on, "status": milestone.status,
        "done_on": milestone.done_on, "evidence_note": milestone.evidence_note})
    return _form_page(request, company, form, lambda data: services.milestone_update(
        actor=request.user, milestone=milestone, **data), message=_("Milestone saved."),
        title=gettext_lazy("Milestone"), anchor="milestones")


@login_required
def mentor_new(request, pk):
    company = _company(request, pk, "ventures.change_company")
    form = MentorForm(posted(request))
    return _form_page(request, company, form, lambda data: services.mentor_add(
        actor=request.user, company=company, **data), message=_("Mentor added."),
        title=gettext_lazy("Add a mentor"), anchor="mentors")


@login_required
def product_new(request, pk):
    company = _company(request, pk, "ventures.change_company")
    form = ProductForm(posted(request))
    return _form_page(request, company, form, lambda data: services.product_create(
        actor=request.user, company=company, **data), message=_("Product added."),
        title=gettext_lazy("Add a product"), anchor="products")


@login_required
def deal_new(request, pk):
    company = _company(request, pk, "ventures.change_company")
    form = DealForm(posted(request), files_of(request), company=company)
    return _form_page(request, company, form, lambda data: services.deal_create(
        actor=request.user, company=company, **data), message=_("Export deal added."),
        title=gettext_lazy("Add an export deal"), anchor="exports")


@login_required
def milestone_evidence(request, pk):
    milestone = get_object_or_404(Milestone.objects.select_related("company__district"), pk=pk)
    _company(request, milestone.company_id)
    if not milestone.evidence:
        raise Http404
    return download(milestone.evidence)


@login_required
def deal_document(request, pk):
    deal = get_object_or_404(ExportDeal, pk=pk)
    _company(request, deal.company_id)
    if not deal.document:
        raise Http404
    return download(deal.document)


urlpatterns = [
    path("companies/mine/", companies_mine, name="companies_mine"),
    path("companies/<int:pk>/", company_detail, name="company"),
    path("companies/<int:pk>/edit/", company_edit, name="company_edit"),
    path("companies/<int:pk>/members/new/", member_add, name="member_add"),
    path("companies/members/<int:pk>/remove/", member_remove, name="member_remove"),
    path("companies/<int:pk>/milestones/new/", milestone_new, name="milestone_new"),
    path("companies/milestones/<int:pk>/", milestone_edit, name="milestone_edit"),
    path("companies/milestones/<int:pk>/evidence/", milestone_evidence, name="milestone_evidence"),
    path("companies/<int:pk>/mentors/new/", mentor_new, name="mentor_new"),
    path("companies/<int:pk>/products/new/", product_new, name="product_new"),
    path("companies/<int:pk>/export-deals/new/", deal_new, name="deal_new"),
    path("companies/export-deals/<int:pk>/contract/", deal_document, name="deal_document"),
]
