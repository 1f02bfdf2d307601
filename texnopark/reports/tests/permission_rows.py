"""Permission-table rows for quarterly reports, compliance and the park view.

The objects: a company resident in the IT park, run on the platform by the resident persona (its admin), with the
citizen as a plain team member; its last quarter's report, submitted; an annual audit report.
"""

from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from texnopark.accounts.models import User
from texnopark.intake.models import Residency
from texnopark.network.models import Technopark
from texnopark.network.tests.permission_table import IT_RUNS, PARK_RUNNERS, REGION, back_office, private
from texnopark.reports.models import AuditDocument, QuarterlyReport
from texnopark.reports.quarters import last_finished
from texnopark.ventures.models import Company, CompanyMember

MEMBERS = ("resident", "citizen")
AUDIT_FILE = "audits/permission-table.pdf"

ROWS = [
    ("my quarterly reports", "get", "reports:mine", lambda o: [], private("*")),
    ("filing a resident's quarterly report", "get", "reports:file",
     lambda o: [o["residency"], *o["open_quarter"]], private("platform", "resident")),
    ("a quarter no report is owed for", "get", "reports:file", lambda o: [o["residency"], o["future_year"], 1],
     private()),
    ("a resident's quarterly report", "get", "reports:report", lambda o: [o["report"]],
     private(*IT_RUNS, *MEMBERS)),
    ("reviewing a resident's report", "post", "reports:review", lambda o: [o["report"]], private(*IT_RUNS)),
    ("uploading an audit report", "get", "reports:audit_upload", lambda o: [o["residency"]],
     private("platform", "resident")),
    ("a resident's audit report", "get", "reports:audit_file", lambda o: [o["audit"]],
     private(*IT_RUNS, *MEMBERS)),
    ("residents' reports to review", "get", "reports:inbox", lambda o: [], private(*PARK_RUNNERS)),
    ("a resident's compliance", "get", "reports:compliance", lambda o: [o["residency"]],
     private(*IT_RUNS, *MEMBERS)),
    ("results of the IT park", "get", "reports:park", lambda o: ["namangan-it"], private(*IT_RUNS)),
    ("results of the Chortoq park", "get", "reports:park", lambda o: ["chortoq-agro"],
     private(*REGION, "chortoq_manager")),
    ("results of the IT park as XLSX", "get", "reports:park_xlsx", lambda o: ["namangan-it"], private(*IT_RUNS)),
    ("results of the network", "get", "reports:network", lambda o: [], private(*REGION)),
    ("quarterly reports", "get", "admin:reports_quarterlyreport_changelist", lambda o: [],
     back_office(*PARK_RUNNERS)),
    ("audit reports", "get", "admin:reports_auditdocument_changelist", lambda o: [], back_office(*PARK_RUNNERS)),
    ("compliance decisions", "get", "admin:reports_compliancedecision_changelist", lambda o: [],
     back_office(*PARK_RUNNERS)),
]


def objects(demo_user) -> dict:
    """Objects the rows' URLs need, created here (not taken from the demo data)."""
    park = Technopark.objects.get(slug="namangan-it")
    company = Company.objects.create(name="Jadval Soft", stir="990000017", oked="62010", district=park.district)
    CompanyMember.objects.create(company=company, user=demo_user("resident"), is_admin=True)
    CompanyMember.objects.create(company=company, user=demo_user("citizen"), is_admin=False)
    today = timezone.localdate()
    residency = Residency.objects.create(company=company, park=park, number="JADVAL-1",
                                         starts_on=today - timedelta(days=730), ends_on=today + timedelta(days=400))
    quarter = last_finished(today)
    report = QuarterlyReport.objects.create(residency=residency, year=quarter.year, quarter=quarter.quarter,
                                            status=QuarterlyReport.Status.SUBMITTED, submitted_at=timezone.now(),
                                            submitted_by=User.objects.get(pk=demo_user("resident").pk))
    if not default_storage.exists(AUDIT_FILE):
        default_storage.save(AUDIT_FILE, ContentFile(b"%PDF-1.4 permission table"))
    audit = AuditDocument.objects.create(residency=residency, year=today.year - 1, file=AUDIT_FILE)
    return {"residency": residency.pk, "open_quarter": list(quarter.previous()), "report": report.pk,
            "future_year": today.year + 5, "audit": audit.pk}
