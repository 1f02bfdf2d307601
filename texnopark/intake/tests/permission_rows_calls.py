"""Permission-table rows for calls and applications.

The IT park runs an open call and a draft. The citizen has submitted an application to the open call (the
demo expert is assigned to review it); the resident has a draft there. Drafts are their applicant's alone.
"""

from datetime import timedelta
from uuid import uuid4

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from texnopark.accounts.models import User
from texnopark.intake.models import Application, ApplicationDocument, Assignment
from texnopark.intake.services import applications, calls
from texnopark.network.models import District, Sector, Technopark
from texnopark.network.tests.permission_table import IT_RUNS, PARK_RUNNERS, REGION, back_office, everyone, private

# A stored file the downloads answer with; written once, shared by every run.
SAMPLE = "applications/permission-table-sample.pdf"
MANAGERS = (*REGION, "it_manager", "chortoq_manager", "kosonsoy_manager")
ADMIN_MODELS = ["call", "application", "criterion", "question", "requireddocument", "commissionmember",
                "applicationdocument", "assignment", "score", "meeting", "attendance", "vote", "decision",
                "residency"]

ROWS = [
    ("calls", "get", "intake:calls", lambda o: [], everyone()),
    ("an open call", "get", "intake:call", lambda o: [o["open_call"]], everyone()),
    ("a draft call", "get", "intake:call", lambda o: [o["draft_call"]],
     {**everyone(404), **dict.fromkeys(IT_RUNS, 200)}),
    ("calls of my parks", "get", "intake:calls_manage", lambda o: [], private(*PARK_RUNNERS)),
    ("new call", "get", "intake:call_new", lambda o: [], private(*MANAGERS)),
    ("editing a draft call", "get", "intake:call_edit", lambda o: [o["draft_call"]], private(*REGION, "it_manager")),
    ("opening a call", "post", "intake:call_open", lambda o: [o["draft_call"]],
     private(*REGION, "it_manager", code=302)),
    ("closing a call", "post", "intake:call_close", lambda o: [o["open_call"]], private(*IT_RUNS, code=302)),
    ("a call's applications", "get", "intake:call_applications", lambda o: [o["open_call"]], private(*IT_RUNS)),
    ("applying", "get", "intake:apply", lambda o: [o["open_call"]], private("*", code=302)),
    ("my applications", "get", "intake:applications_mine", lambda o: [], private("*")),
    ("a citizen's application", "get", "intake:application", lambda o: [o["application"]],
     private(*IT_RUNS, "citizen")),
    ("a resident's draft", "get", "intake:application_edit", lambda o: [o["draft_application"]],
     private("resident")),
    ("submitting a resident's draft", "post", "intake:application_submit", lambda o: [o["draft_application"]],
     private("resident", code=302)),
    ("withdrawing a citizen's application", "post", "intake:application_withdraw", lambda o: [o["application"]],
     private("platform", "citizen", code=302)),  # the platform may do everything
    # Without a note the staff get the page back, the note asked for.
    ("returning a citizen's application", "post", "intake:application_return", lambda o: [o["application"]],
     private(*IT_RUNS)),
    ("a citizen's business plan", "get", "intake:application_file", lambda o: [o["application"]],
     private(*IT_RUNS, "citizen", "expert")),
    ("a citizen's document", "get", "intake:application_document", lambda o: [o["document"]],
     private(*IT_RUNS, "citizen", "expert")),
    *[(f"back office: {name}", "get", f"admin:intake_{name}_changelist", lambda o: [], back_office(*PARK_RUNNERS))
      for name in ADMIN_MODELS],
]


def _members(n: int) -> list[User]:
    return [User.objects.create_user(f"commission.{uuid4().hex[:10]}@example.uz", "pw") for _ in range(n)]


def objects(demo_user) -> dict:
    """Objects the rows' URLs need, created here (not taken from the demo data)."""
    manager, park = demo_user("it_manager"), Technopark.objects.get(slug="namangan-it")
    fields = {"opens_on": timezone.localdate() - timedelta(days=1), "closes_at": timezone.now() + timedelta(days=14),
              "criteria": [{"name": "Jamoa", "weight": 50}, {"name": "Bozor", "weight": 50}]}
    open_call = calls.call_create(actor=manager, park=park, name="Jadval tanlovi", documents=[{"name": "Ustav"}],
                                  commission=_members(3), **fields)
    open_call = calls.call_open(actor=manager, call=open_call)
    draft = calls.call_create(actor=manager, park=park, name="Jadval qoralamasi", commission=_members(3), **fields)
    if not default_storage.exists(SAMPLE):
        default_storage.save(SAMPLE, ContentFile(b"%PDF-1.4\n"))
    citizen = demo_user("citizen")
    application = applications.application_start(actor=citizen, call=open_call)
    applications.application_save(actor=citizen, application=application, fields={
        "company_name": "Jadval MChJ", "stir": "309999999", "oked": "62010", "founders": "Fuqaro 100%",
        "employees": 2, "project": "Loyiha", "district": District.objects.get(soato="1714401"),
        "sector": Sector.objects.order_by("pk").first()})
    Application.objects.filter(pk=application.pk).update(business_plan=SAMPLE)
    document = ApplicationDocument.objects.create(application=application, requirement=open_call.documents.get(),
                                                  file=SAMPLE)
    applications.application_submit(actor=citizen, application=Application.objects.get(pk=application.pk))
    Assignment.objects.create(application=application, expert=demo_user("expert"))
    draft_application = applications.application_start(actor=demo_user("resident"), call=open_call)
    return {"open_call": open_call.pk, "draft_call": draft.pk, "application": application.pk,
            "document": document.pk, "draft_application": draft_application.pk}
