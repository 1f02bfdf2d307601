"""Ideas, companies, milestones, products, export deals and the residents registry over /api/v1/.

A thin door onto ventures.services and ventures.selectors: the same permissions as the pages (outside the
viewer's scope answers 404), the same error shape. The registry is public; ideas and companies need a
signed-in person (a token or the session).
"""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import File, Query, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import PageNumberPagination, paginate

from texnopark.api.auth import read_auth, write_auth
from texnopark.core.errors import AppError, NotFound
from texnopark.core.files import download
from texnopark.core.i18n import localized
from texnopark.intake.models import Call
from texnopark.network.models import District, Sector, Technopark
from texnopark.network.selectors import parks_visible_to
from texnopark.ventures import selectors, services
from texnopark.ventures.countries import country_name
from texnopark.ventures.models import Company, CompanyMember, IdeaAttachment, Milestone, Product
from texnopark.ventures.schemas import (
    AttachmentOut,
    CompanyDetailOut,
    CompanyOut,
    CompanyPatch,
    DealIn,
    DealOut,
    DeclineIn,
    IdeaFilter,
    IdeaIn,
    IdeaOut,
    InviteIn,
    MemberIn,
    MemberOut,
    MilestoneIn,
    MilestoneOut,
    MilestonePatch,
    ProductIn,
    ProductOut,
    ResidentDetailOut,
    ResidentFilter,
    ResidentOut,
)

router = Router(tags=["ventures"], auth=write_auth)
PROFILE = ("id", "name", "stir", "oked", "legal_form", "district_id", "sector_id", "stage", "summary", "description",
           "founders", "employees", "website", "founded_on")


def _choice(model, pk, field: str, **scope):
    """A referenced row, or a message beside the field (422), as a form would say it."""
    found = model.objects.filter(pk=pk, **scope).first() if pk is not None else None
    if found is None:
        raise AppError("invalid", _("Choose one from the list."), {field: [_("Choose one from the list.")]},
                       status=422)
    return found


def _name(obj) -> str:
    return localized(obj, "name") if obj is not None else ""


# --- Ideas ------------------------------------------------------------------------------------


def _ideas(request, **scope):
    return selectors.ideas_for(request.user, **scope).prefetch_related("attachments")


def _idea(request, pk: int):
    return get_object_or_404(_ideas(request), pk=pk)


@router.get("/ideas", response=list[IdeaOut])
@paginate(PageNumberPagination)
def list_ideas(request, filters: Query[IdeaFilter]):
    """The viewer's own ideas; for park staff and region administrators also those sent to their parks."""
    return filters.filter(_ideas(request)).order_by("-created_at", "-pk")


@router.post("/ideas", response={201: IdeaOut})
def submit_idea(request, payload: IdeaIn):
    park = _choice(Technopark, payload.park_id, "park_id", pk__in=parks_visible_to(request.user))
    idea = services.idea_submit(
        actor=request.user, park=park, title=payload.title, problem=payload.problem, solution=payload.solution,
        sector=_choice(Sector, payload.sector_id, "sector_id"),
        district=_choice(District, payload.district_id, "district_id", is_active=True), team=payload.team)
    return Status(201, _idea(request, idea.pk))


@router.get("/ideas/{pk}", response=IdeaOut)
def get_idea(request, pk: int):
    return _idea(request, pk)


@router.post("/ideas/{pk}/attachments", response={201: list[AttachmentOut]})
def attach_to_idea(request, pk: int, file: File[list[UploadedFile]]):
    """The author adds files (multipart, field `file`) while the idea waits for the park's answer."""
    return Status(201, services.idea_attach(actor=request.user, idea=_idea(request, pk), files=file))


@router.get("/idea-attachments/{pk}", url_name="idea_attachment_file")
def idea_attachment_file(request, pk: int):
    attachment = get_object_or_404(IdeaAttachment.objects.select_related("idea__park"), pk=pk)
    if not request.user.has_perm("ventures.view_idea", attachment.idea):
        raise Http404
    return download(attachment.file)


@router.post("/ideas/{pk}/invite", response=IdeaOut)
def invite_idea(request, pk: int, payload: InviteIn):
    """Invite the author to an open call of the idea's park (staff). 409 `forbidden_transition` once answered."""
    idea = _idea(request, pk)
    call = Call.objects.filter(pk=payload.call_id).first()
    services.idea_invite(actor=request.user, idea=idea, call=call)
    return _idea(request, pk)


@router.post("/ideas/{pk}/decline", response=IdeaOut)
def decline_idea(request, pk: int, payload: DeclineIn):
    services.idea_decline(actor=request.user, idea=_idea(request, pk), reason=payload.reason)
    return _idea(request, pk)


@router.post("/ideas/{pk}/withdraw", response=IdeaOut)
def withdraw_idea(request, pk: int):
    services.idea_withdraw(actor=request.user, idea=_idea(request, pk))
    return _idea(request, pk)


# --- The residents registry (public) ----------------------------------------------------------


@router.get("/residents", response=list[ResidentOut], auth=read_auth)
@paginate(PageNumberPagination)
def list_residents(request, filters: Query[ResidentFilter]):
    """Current residents (active, warned or suspended) of the parks the viewer can see."""
    park = sector = None
    if filters.park:
        park = get_object_or_404(parks_visible_to(request.user), slug=filters.park)
    if filters.sector:
        sector = get_object_or_404(Sector, slug=filters.sector)
    district = _choice(District, filters.district, "district") if filters.district is not None else None
    return selectors.residents(request.user, park=park, sector=sector, district=district, stage=filters.stage,
                               exporter=filters.exporter, q=filters.q)


@router.get("/residents/{pk}", response=ResidentDetailOut, auth=read_auth)
def get_resident(request, pk: int):
    """A resident's public profile: products marked public and export totals by country (no contracts)."""
    try:
        company = selectors.resident(pk, request.user)
    except Company.DoesNotExist as error:
        raise Http404 from error
    profile = selectors.public_profile(company, request.user)
    return {
        **{name: getattr(company, name) for name in ("id", "name", "stir", "legal_form", "stage", "summary",
                                                     "description", "employees", "website", "founded_on")},
        "sector_name": _name(company.sector), "district_name": _name(company.district),
        "parks": [{"slug": r.park.slug, "name": _name(r.park), "status": r.status, "since": r.starts_on}
                  for r in profile["residencies"]],
        "products": profile["products"],
        "exports": [{"country": row["country"], "country_name": country_name(row["country"]), "deals": row["deals"],
                     "total_usd": row["total"]} for row in profile["exports"]],
    }


# --- Companies --------------------------------------------------------------------------------


def _company(request, pk: int, perm: str = "ventures.view_company") -> Company:
    company = get_object_or_404(Company.objects.select_related("district__region", "sector"), pk=pk)
    if not request.user.has_perm(perm, company):
        raise NotFound()
    return company


@router.get("/companies/mine", response=list[CompanyOut])
def my_companies(request):
    return list(selectors.companies_of(request.user))


def _detail(request, company: Company) -> dict:
    parts = selectors.dashboard(company)
    return {**{name: getattr(company, name) for name in PROFILE}, **parts, "export_deals": parts["deals"],
            "district_name": _name(company.district), "sector_name": _name(company.sector),
            "can_edit": request.user.has_perm("ventures.change_company", company)}


@router.get("/companies/{pk}", response=CompanyDetailOut)
def get_company(request, pk: int):
    """The private dashboard: members, admin members, the park's staff and the region administrator."""
    return _detail(request, _company(request, pk))


@router.patch("/companies/{pk}", response=CompanyDetailOut)
def patch_company(request, pk: int, payload: CompanyPatch):
    company = _company(request, pk, "ventures.change_company")
    changes = payload.dict(exclude_unset=True)
    if "district_id" in changes:
        changes["district"] = _choice(District, changes.pop("district_id"), "district_id", is_active=True)
    if "sector_id" in changes:
        sector_id = changes.pop("sector_id")
        changes["sector"] = _choice(Sector, sector_id, "sector_id") if sector_id is not None else None
    services.company_update(actor=request.user, company=company, **changes)
    return _detail(request, _company(request, pk))


@router.get("/companies/{pk}/members", response=list[MemberOut])
def list_members(request, pk: int):
    return list(_company(request, pk).members.select_related("user"))


@router.post("/companies/{pk}/members", response={201: MemberOut})
def add_member(request, pk: int, payload: MemberIn):
    """Add a person by the e-mail they sign in with."""
    member = services.member_add(actor=request.user, company=_company(request, pk), **payload.dict())
    return Status(201, CompanyMember.objects.select_related("user").get(pk=member.pk))


@router.get("/companies/{pk}/milestones", response=list[MilestoneOut])
def list_milestones(request, pk: int):
    return list(_company(request, pk).milestones.all())


@router.post("/companies/{pk}/milestones", response={201: MilestoneOut})
def add_milestone(request, pk: int, payload: MilestoneIn):
    return Status(201, services.milestone_create(actor=request.user, company=_company(request, pk),
                                                 **payload.dict()))


@router.patch("/milestones/{pk}", response=MilestoneOut)
def patch_milestone(request, pk: int, payload: MilestonePatch):
    """Change it, or mark it `done` (with `evidence_note`, or a file uploaded on the page), `missed`, `planned`."""
    milestone = get_object_or_404(Milestone.objects.select_related("company__district"), pk=pk)
    _company(request, milestone.company_id)
    return services.milestone_update(actor=request.user, milestone=milestone, **payload.dict(exclude_unset=True))


@router.get("/companies/{pk}/products", response=list[ProductOut])
def list_products(request, pk: int):
    return list(_company(request, pk).products.all())


@router.post("/companies/{pk}/products", response={201: ProductOut})
def add_product(request, pk: int, payload: ProductIn):
    return Status(201, services.product_create(actor=request.user, company=_company(request, pk), **payload.dict()))


@router.get("/companies/{pk}/export-deals", response=list[DealOut])
def list_deals(request, pk: int):
    return list(_company(request, pk).export_deals.all())


@router.post("/companies/{pk}/export-deals", response={201: DealOut})
def add_deal(request, pk: int, payload: DealIn):
    company = _company(request, pk)
    data = payload.dict()
    product_id = data.pop("product_id")
    product = _choice(Product, product_id, "product_id", company=company) if product_id else None
    return Status(201, services.deal_create(actor=request.user, company=company, product=product, **data))
