"""Permission-table rows for ideas, companies and the residents registry.

The citizen has sent an idea (with a file) to the IT park. The resident persona is the admin member of a
company that is a resident of the IT park, with a second member, a milestone with evidence and an export
deal with its contract. Another company's residency was revoked: it has no public page. The platform
superuser may do everything, withdrawing someone's idea included.
"""

from datetime import timedelta
from decimal import Decimal
from uuid import uuid4

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from texnopark.accounts.models import User
from texnopark.intake.models import Residency
from texnopark.network.models import District, Sector, Technopark
from texnopark.network.tests.permission_table import (
    IT_RUNS,
    PARK_RUNNERS,
    REGION,
    back_office,
    everyone,
    private,
)
from texnopark.ventures.models import Company, CompanyMember, ExportDeal, Idea, IdeaAttachment, Milestone

# A stored file the downloads answer with; written once, shared by every run.
SAMPLE = "ideas/permission-table-sample.pdf"
COMPANY = private(*IT_RUNS, "resident")
COMPANY_POST = private(*IT_RUNS, "resident", code=302)

ROWS = [
    ("sharing an idea", "get", "ventures:idea_new", lambda o: [], private("*")),
    ("my ideas", "get", "ventures:ideas_mine", lambda o: [], private("*")),
    ("ideas sent to my parks", "get", "ventures:ideas_inbox", lambda o: [], private(*PARK_RUNNERS)),
    ("a citizen's idea", "get", "ventures:idea", lambda o: [o["idea"]], private(*IT_RUNS, "citizen")),
    # Without a reason the staff get the page back, the reason asked for.
    ("answering a citizen's idea", "post", "ventures:idea_triage", lambda o: [o["idea"]], private(*IT_RUNS)),
    ("withdrawing a citizen's idea", "post", "ventures:idea_withdraw", lambda o: [o["idea"]],
     private("platform", "citizen", code=302)),
    ("a citizen's idea file", "get", "ventures:idea_attachment", lambda o: [o["idea_file"]],
     private(*IT_RUNS, "citizen")),
    ("my companies", "get", "ventures:companies_mine", lambda o: [], private("*")),
    ("a resident's dashboard", "get", "ventures:company", lambda o: [o["company"]], COMPANY),
    ("editing a resident", "get", "ventures:company_edit", lambda o: [o["company"]], COMPANY),
    ("adding a team member", "get", "ventures:member_add", lambda o: [o["company"]], COMPANY),
    ("removing a team member", "post", "ventures:member_remove", lambda o: [o["member"]], COMPANY_POST),
    ("adding a milestone", "get", "ventures:milestone_new", lambda o: [o["company"]], COMPANY),
    ("a milestone", "get", "ventures:milestone_edit", lambda o: [o["milestone"]], COMPANY),
    ("a milestone's evidence", "get", "ventures:milestone_evidence", lambda o: [o["milestone"]], COMPANY),
    ("adding a mentor", "get", "ventures:mentor_new", lambda o: [o["company"]], COMPANY),
    ("adding a product", "get", "ventures:product_new", lambda o: [o["company"]], COMPANY),
    ("adding an export deal", "get", "ventures:deal_new", lambda o: [o["company"]], COMPANY),
    ("an export contract", "get", "ventures:deal_document", lambda o: [o["deal"]], COMPANY),
    ("residents", "get", "ventures:residents", lambda o: [], everyone()),
    ("residents of a park", "get", "ventures:park_residents", lambda o: ["namangan-it"], everyone()),
    ("residents of an unpublished park", "get", "ventures:park_residents", lambda o: ["chortoq-agro"],
     {**everyone(404), **dict.fromkeys([*REGION, "chortoq_manager"], 200)}),
    ("a resident's public page", "get", "ventures:resident", lambda o: [o["company"]], everyone()),
    ("a revoked resident's page", "get", "ventures:resident", lambda o: [o["revoked_company"]], everyone(404)),
    ("back office: companies", "get", "admin:ventures_company_changelist", lambda o: [],
     back_office(*PARK_RUNNERS)),
    ("back office: ideas", "get", "admin:ventures_idea_changelist", lambda o: [], back_office(*PARK_RUNNERS)),
]


def _company(name: str, park, status=Residency.Status.ACTIVE) -> Company:
    company = Company.objects.create(name=name, stir=f"{uuid4().int % 10**9:09d}", oked="62010",
                                     district=District.objects.get(soato="1714401"))
    start = timezone.localdate() - timedelta(days=100)
    Residency.objects.create(company=company, park=park, number=f"JADVAL-{uuid4().hex[:8]}", starts_on=start,
                             ends_on=start + timedelta(days=1095), status=status)
    return company


def objects(demo_user) -> dict:
    """Objects the rows' URLs need, created here (not taken from the demo data)."""
    if not default_storage.exists(SAMPLE):
        default_storage.save(SAMPLE, ContentFile(b"%PDF-1.4\n"))
    park = Technopark.objects.get(slug="namangan-it")
    idea = Idea.objects.create(author=demo_user("citizen"), park=park, title="Jadval gʻoyasi", problem="Muammo",
                               solution="Yechim", sector=Sector.objects.order_by("pk").first(),
                               district=District.objects.get(soato="1714401"))
    idea_file = IdeaAttachment.objects.create(idea=idea, file=SAMPLE, name="reja.pdf")
    company = _company("Jadval Soft", park)
    CompanyMember.objects.create(company=company, user=demo_user("resident"), role="founder", is_admin=True)
    colleague = User.objects.create_user(f"jadval.{uuid4().hex[:10]}@example.uz", "pw")
    member = CompanyMember.objects.create(company=company, user=colleague, role="engineer")
    milestone = Milestone.objects.create(company=company, title="MVP", due_on=timezone.localdate(), status="done",
                                         done_on=timezone.localdate(), evidence=SAMPLE)
    deal = ExportDeal.objects.create(company=company, country="KR", buyer="Seoul", value_usd=Decimal("1000"),
                                     signed_on=timezone.localdate(), document=SAMPLE)
    revoked = _company("Jadval Bekor", park, status=Residency.Status.REVOKED)
    return {"idea": idea.pk, "idea_file": idea_file.pk, "company": company.pk, "member": member.pk,
            "milestone": milestone.pk, "deal": deal.pk, "revoked_company": revoked.pk}
