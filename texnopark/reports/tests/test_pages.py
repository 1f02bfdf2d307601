"""Reports pages: filing with the previous quarter beside each field, warnings before confirming, bad input kept,
locks, review, audit reports, compliance, the inbox and the park view (with their query counts), the XLSX."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from texnopark.intake.models import Residency
from texnopark.reports.models import AuditDocument, ComplianceDecision, QuarterlyReport
from texnopark.reports.quarters import last_finished
from texnopark.reports.tests import factories

pytestmark = pytest.mark.django_db

R = QuarterlyReport.Status
FORM = {"revenue_uzs": "1000000", "exports_usd": "2500.50", "employees": "12", "new_jobs": "2",
        "investment_uzs": "0", "rnd_uzs": "0", "patents": "0", "other_ip": "1", "products_launched": "1", "note": ""}


@pytest.fixture
def w():
    return factories.world()


@pytest.fixture
def q():
    return last_finished(timezone.localdate())


def signed_in(client, user):
    client.force_login(user)
    return client


def file_url(w, quarter):
    return reverse("reports:file", args=[w["residency"].pk, quarter.year, quarter.quarter])


def test_my_reports_list_each_owed_quarter(client, w, q):
    factories.report(w["residency"], *q, status=R.ACCEPTED)
    factories.report(w["residency"], *q.previous(), status=R.DRAFT)
    page = signed_in(client, w["admin"]).get(reverse("reports:mine"))
    html = page.content.decode()
    assert page.status_code == 200
    assert w["company"].name in html and str(q) in html and "Accepted" in html and "Draft" in html
    assert "Overdue" in html  # the oldest quarters were never filed
    assert reverse("reports:audit_upload", args=[w["residency"].pk]) in html
    # A plain member sees the quarters but may not file.
    html = signed_in(client, w["member"]).get(reverse("reports:mine")).content.decode()
    assert str(q) in html and "File the report" not in html


def test_my_reports_take_the_same_queries_for_more_residencies(client, w, django_assert_max_num_queries):
    client = signed_in(client, w["admin"])
    client.get(reverse("reports:mine"))
    with django_assert_max_num_queries(12) as one:
        client.get(reverse("reports:mine"))
    for _n in range(3):
        other = factories.residency(factories.company(district=w["district"], admins=[w["admin"]]), w["park"],
                                    starts_on=w["residency"].starts_on)
        factories.report(other, *last_finished(timezone.localdate()))
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(reverse("reports:mine"))


def test_the_form_shows_the_previous_quarters_figures(client, w, q):
    factories.report(w["residency"], *q.previous(), revenue_uzs=Decimal("4321000"), employees=7)
    page = signed_in(client, w["admin"]).get(file_url(w, q))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Previous quarter:" in html and "4,321,000" in html


def test_negative_figures_are_refused_beside_the_field_and_nothing_typed_is_lost(client, w, q):
    page = signed_in(client, w["admin"]).post(file_url(w, q), {**FORM, "revenue_uzs": "-500", "note": "Izoh",
                                                               "submit": "1"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "Cannot be negative" in html
    assert 'value="-500"' in html and 'value="2500.50"' in html and "Izoh" in html
    assert not QuarterlyReport.objects.filter(residency=w["residency"]).exists()


def test_a_big_jump_is_shown_before_submitting_and_does_not_block(client, w, q):
    factories.report(w["residency"], *q.previous(), revenue_uzs=Decimal("200000"), employees=12)
    client = signed_in(client, w["admin"])
    data = {**FORM, "submit": "1"}  # revenue ×5
    page = client.post(file_url(w, q), data)
    assert page.status_code == 200
    assert "changed a lot" in page.content.decode()
    assert 'name="confirmed"' in page.content.decode()
    assert not QuarterlyReport.objects.filter(residency=w["residency"], year=q.year, quarter=q.quarter).exists()
    page = client.post(file_url(w, q), {**data, "confirmed": "1"})
    report = QuarterlyReport.objects.get(residency=w["residency"], year=q.year, quarter=q.quarter)
    assert page.status_code == 302 and page.url == reverse("reports:report", args=[report.pk])
    assert report.status == R.SUBMITTED and set(report.warnings) == {"revenue_uzs"}
    # Staff see the same warning on the report.
    html = signed_in(client, w["staff"]).get(reverse("reports:report", args=[report.pk])).content.decode()
    assert "Large changes since the previous quarter" in html and "Accept the report" in html


def test_a_draft_is_saved_without_submitting(client, w, q):
    page = signed_in(client, w["admin"]).post(file_url(w, q), {**FORM, "save": "1"})
    assert page.status_code == 302
    assert QuarterlyReport.objects.get(residency=w["residency"]).status == R.DRAFT


def test_a_locked_report_opens_read_only(client, w, q):
    report = factories.report(w["residency"], *q, status=R.ACCEPTED)
    client = signed_in(client, w["admin"])
    page = client.get(file_url(w, q))
    assert page.status_code == 302 and page.url == reverse("reports:report", args=[report.pk])
    page = client.post(file_url(w, q), {**FORM, "submit": "1"})
    assert page.status_code == 302
    assert QuarterlyReport.objects.get(pk=report.pk).revenue_uzs == 0
    assert "Change the figures" not in client.get(page.url).content.decode()


def test_a_late_report_is_marked(client, w, q):
    old = q.previous().previous()
    client = signed_in(client, w["admin"])
    assert "deadline has passed" in client.get(file_url(w, old)).content.decode()
    page = client.post(file_url(w, old), {**FORM, "submit": "1"})
    assert "Filed late" in client.get(page.url).content.decode()


def test_staff_accept_or_return_with_a_note(client, w, q):
    report = factories.report(w["residency"], *q)
    client = signed_in(client, w["staff"])
    url = reverse("reports:review", args=[report.pk])
    page = client.post(url, {"action": "return", "note": ""})
    assert page.status_code == 200 and "Say what the resident should fix" in page.content.decode()
    assert QuarterlyReport.objects.get(pk=report.pk).status == R.SUBMITTED
    page = client.post(url, {"action": "return", "note": "Eksportni tekshiring"})
    assert page.status_code == 302
    assert QuarterlyReport.objects.get(pk=report.pk).status == R.RETURNED
    html = signed_in(client, w["admin"]).get(file_url(w, q)).content.decode()
    assert "Eksportni tekshiring" in html
    client.post(file_url(w, q), {**FORM, "submit": "1"})
    assert QuarterlyReport.objects.get(pk=report.pk).status == R.SUBMITTED
    assert signed_in(client, w["manager"]).post(url, {"action": "accept"}).status_code == 302
    assert QuarterlyReport.objects.get(pk=report.pk).status == R.ACCEPTED


def test_an_audit_report_uploaded_and_opened_only_by_those_who_may(client, w, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    year = timezone.localdate().year - 1
    client = signed_in(client, w["admin"])
    bad = client.post(reverse("reports:audit_upload", args=[w["residency"].pk]),
                      {"year": year, "file": SimpleUploadedFile("audit.pdf", b"not a pdf")})
    assert bad.status_code == 200 and "does not match its type" in bad.content.decode()
    page = client.post(reverse("reports:audit_upload", args=[w["residency"].pk]),
                       {"year": year, "file": SimpleUploadedFile("audit.pdf", b"%PDF-1.4 the audit")})
    assert page.status_code == 302
    document = AuditDocument.objects.get(residency=w["residency"], year=year)
    url = reverse("reports:audit_file", args=[document.pk])
    for who in ("admin", "member", "staff", "region_admin"):
        response = signed_in(client, w[who]).get(url)
        assert response.status_code == 200, who
        assert b"".join(response.streaming_content) == b"%PDF-1.4 the audit"
    for who in ("stranger", "other_manager"):
        assert signed_in(client, w[who]).get(url).status_code == 404, who


def test_compliance_history_and_the_decision_form(client, w):
    client = signed_in(client, w["manager"])
    url = reverse("reports:compliance", args=[w["residency"].pk])
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200 and "Record the decision" in html
    assert "quarterly reports are past their deadline" in html  # the evidence: nothing was ever filed
    assert 'value="revocation"' not in html  # not allowed from "active"
    today = timezone.localdate().isoformat()
    page = client.post(url, {"step": "warning", "reason": "", "effective_on": today})
    assert page.status_code == 200 and "Give the reason" in page.content.decode()
    page = client.post(url, {"step": "warning", "reason": "Hisobotlar kechikmoqda", "effective_on": today})
    assert page.status_code == 302
    assert Residency.objects.get(pk=w["residency"].pk).status == Residency.Status.WARNING
    # The resident's members read the history, without the form.
    html = signed_in(client, w["member"]).get(url).content.decode()
    assert "Hisobotlar kechikmoqda" in html and "Record the decision" not in html
    assert signed_in(client, w["member"]).post(url, {"step": "suspension", "reason": "x",
                                                     "effective_on": today}).status_code == 404
    assert ComplianceDecision.objects.filter(residency=w["residency"]).count() == 1
    # Park staff who are not the manager see it, but do not decide.
    html = signed_in(client, w["staff"]).get(url).content.decode()
    assert "Hisobotlar kechikmoqda" in html and "Record the decision" not in html


def fill_park(w, count: int):
    """`count` more residents, each with a submitted report for the last quarter and one overdue."""
    q = last_finished(timezone.localdate())
    for _n in range(count):
        firm = factories.company(district=w["district"], admins=[factories.person("Boss")])
        residency = factories.residency(firm, w["park"], starts_on=w["residency"].starts_on)
        factories.report(residency, *q, revenue_uzs=Decimal("100"), warnings={"revenue_uzs": ["1", "100"]})


def test_the_inbox_takes_the_same_queries_for_more_reports(client, w, django_assert_max_num_queries):
    fill_park(w, 2)
    client = signed_in(client, w["staff"])
    page = client.get(reverse("reports:inbox"))
    assert page.status_code == 200 and page.content.decode().count("1 large change") == 2
    with django_assert_max_num_queries(14) as few:
        client.get(reverse("reports:inbox"), {"park": w["park"].slug})
    fill_park(w, 6)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("reports:inbox"), {"park": w["park"].slug})
    assert page.content.decode().count("1 large change") == 8
    assert w["company"].name in page.content.decode()  # behind with its reports


def test_the_park_view_takes_the_same_queries_for_more_residents(client, w, django_assert_max_num_queries):
    fill_park(w, 2)
    client = signed_in(client, w["manager"])
    url = reverse("reports:park", args=[w["park"].slug])
    assert client.get(url).status_code == 200
    with django_assert_max_num_queries(14) as few:
        client.get(url)
    fill_park(w, 6)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url)
    assert "<svg" in page.content.decode() and "Exporters" in page.content.decode()


def test_the_park_xlsx_opens_with_the_right_totals(client, w):
    q = last_finished(timezone.localdate())
    factories.report(w["residency"], *q, revenue_uzs=Decimal("1500000.25"), employees=10, patents=1, other_ip=2)
    factories.report(w["residency"], *q.previous(), status=R.ACCEPTED, revenue_uzs=Decimal("500000"), employees=8)
    factories.report(w["residency"], *q.previous().previous(), status=R.DRAFT, revenue_uzs=Decimal("999"))
    response = signed_in(client, w["manager"]).get(reverse("reports:park_xlsx", args=[w["park"].slug]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(BytesIO(response.content))
    assert book.sheetnames == ["Funnel", "KPIs by quarter", "Overdue reports"]
    funnel = {row[0]: row[1] for row in book["Funnel"].iter_rows(min_row=5, values_only=True)}
    assert funnel["Residents"] == 1 and funnel["Ideas"] == 0
    kpis = list(book["KPIs by quarter"].iter_rows(values_only=True))
    header, total = kpis[0], kpis[-2]
    assert header[:3] == ("Quarter", "Reports", "Revenue, UZS")
    assert kpis[-3][0] == str(q) and kpis[-3][1] == 1
    assert total[0] == "Total" and total[1] == 2
    assert Decimal(str(total[2])) == Decimal("2000000.25")
    assert total[header.index("Employees")] is None  # a headcount has no total
    assert total[header.index("Patents and other IP")] == 3
    overdue = list(book["Overdue reports"].iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in overdue] == [w["company"].name]


def test_the_network_sums_the_parks_of_the_region(client, w):
    fill_park(w, 2)
    page = signed_in(client, w["region_admin"]).get(reverse("reports:network"))
    html = page.content.decode()
    assert page.status_code == 200
    assert w["park"].name in html and w["other_park"].name in html
    assert signed_in(client, w["manager"]).get(reverse("reports:network")).status_code == 404


def test_outsiders_get_404_everywhere(client, w, q):
    report = factories.report(w["residency"], *q)
    client = signed_in(client, w["stranger"])
    for url in (file_url(w, q), reverse("reports:report", args=[report.pk]),
                reverse("reports:compliance", args=[w["residency"].pk]),
                reverse("reports:audit_upload", args=[w["residency"].pk]), reverse("reports:inbox"),
                reverse("reports:park", args=[w["park"].slug])):
        assert client.get(url).status_code == 404, url
    client = signed_in(client, w["other_manager"])
    assert client.get(reverse("reports:report", args=[report.pk])).status_code == 404
    assert client.post(reverse("reports:review", args=[report.pk]), {"action": "accept"}).status_code == 404
    assert QuarterlyReport.objects.get(pk=report.pk).status == R.SUBMITTED
