"""Reports reads on hand-made data: the funnel, KPI sums (Decimal), the overdue list, each quarter's state,
and the number of queries, which does not grow with the data."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from texnopark.intake.models import Application, Call, Residency
from texnopark.network.models import Sector
from texnopark.reports import selectors
from texnopark.reports.models import QuarterlyReport
from texnopark.reports.quarters import last_finished, last_past_deadline, quarter_of
from texnopark.reports.tests import factories
from texnopark.ventures.models import ExportDeal, Idea

pytestmark = pytest.mark.django_db

R = QuarterlyReport.Status
A = Application.Status
S = Residency.Status


@pytest.fixture
def w():
    return factories.world()


def idea(w, park, n):
    return Idea.objects.create(author=w["stranger"], park=park, title=f"G'oya {n}", problem="p", solution="s",
                               sector=Sector.objects.first(), district=w["district"])


def resident(w, status=S.ACTIVE, exporter=False):
    firm = factories.company(district=w["district"], admins=[factories.person("Boss")])
    if exporter:
        ExportDeal.objects.create(company=firm, country="KR", buyer="Seoul Trade", value_usd=Decimal("15000"),
                                  signed_on=timezone.localdate())
    return factories.residency(firm, w["park"], starts_on=w["residency"].starts_on, status=status)


@pytest.fixture
def funnel_data(w):
    """In the park: 3 ideas; applications: a draft, one submitted, two accepted, one rejected, one withdrawn
    after submitting and one withdrawn as a draft; residents: the world's (active, exporting), warned, suspended,
    and a revoked one that exports. In the other park: an idea and an accepted application."""
    for n in range(3):
        idea(w, w["park"], n)
    idea(w, w["other_park"], 9)
    now = timezone.now()
    call = Call.objects.create(park=w["park"], name="Rezidentlik 2026", opens_on=timezone.localdate(),
                               closes_at=now + timedelta(days=30))
    other_call = Call.objects.create(park=w["other_park"], name="Boshqa", opens_on=timezone.localdate(),
                                     closes_at=now + timedelta(days=30))
    statuses = [(A.DRAFT, None), (A.SUBMITTED, now), (A.ACCEPTED, now), (A.ACCEPTED, now), (A.REJECTED, now),
                (A.WITHDRAWN, now), (A.WITHDRAWN, None)]
    for status, submitted_at in statuses:
        Application.objects.create(call=call, applicant=factories.person("Applicant"), status=status,
                                   submitted_at=submitted_at)
    Application.objects.create(call=other_call, applicant=factories.person("Applicant"), status=A.ACCEPTED,
                               submitted_at=now)
    ExportDeal.objects.create(company=w["company"], country="KR", buyer="Busan Import", value_usd=Decimal("5000"),
                              signed_on=timezone.localdate())
    ExportDeal.objects.create(company=w["company"], country="KZ", buyer="Almaty", value_usd=Decimal("700"),
                              signed_on=timezone.localdate())
    resident(w, S.WARNING)
    resident(w, S.SUSPENDED)
    resident(w, S.REVOKED, exporter=True)
    return w


def test_the_funnel_of_a_park(funnel_data, django_assert_num_queries):
    w = funnel_data
    with django_assert_num_queries(3):
        counts = selectors.funnel(park=w["park"])
    # Two export deals of one resident count it once; the revoked exporter is no longer a resident.
    assert counts == {"ideas": 3, "applications": 5, "accepted": 2, "residents": 3, "exporters": 1}


def test_the_funnel_of_a_region_and_by_park(funnel_data, django_assert_num_queries):
    w = funnel_data
    assert selectors.funnel(region=w["region"]) == {"ideas": 4, "applications": 6, "accepted": 3, "residents": 3,
                                                    "exporters": 1}
    assert selectors.funnel(region={w["region"].pk}) == selectors.funnel(region=w["region"])
    with django_assert_num_queries(3):
        by_park = selectors.funnel_by_park(region=w["region"])
    assert by_park[w["park"].pk] == selectors.funnel(park=w["park"])
    assert by_park[w["other_park"].pk] == {"ideas": 1, "applications": 1, "accepted": 1, "residents": 0,
                                           "exporters": 0}


def test_kpis_sum_submitted_and_accepted_reports_in_decimal(w, django_assert_num_queries):
    q = last_finished(timezone.localdate())
    other = resident(w)
    third = resident(w)
    factories.report(w["residency"], *q, revenue_uzs=Decimal("1000000.50"), exports_usd=Decimal("100.25"),
                     employees=10, patents=2, other_ip=1, new_jobs=3)
    factories.report(other, *q, status=R.ACCEPTED, revenue_uzs=Decimal("2000000"), employees=5, other_ip=3,
                     rnd_uzs=Decimal("0.75"))
    factories.report(third, *q, status=R.DRAFT, revenue_uzs=Decimal("999"), employees=100)
    factories.report(third, *q.previous(), status=R.RETURNED, revenue_uzs=Decimal("999"))
    factories.report(w["residency"], *q.previous(), status=R.ACCEPTED, revenue_uzs=Decimal("500"), employees=9)
    # Another park's report stays out of this park's sums.
    elsewhere = factories.residency(factories.company(district=w["district"]), w["other_park"],
                                    starts_on=w["residency"].starts_on)
    factories.report(elsewhere, *q, revenue_uzs=Decimal("7"))
    with django_assert_num_queries(1):
        rows = selectors.kpis_by_quarter(park=w["park"], quarters=4)
    assert [row.quarter for row in rows] == [q.previous().previous().previous(), q.previous().previous(),
                                             q.previous(), q]
    last = rows[-1]
    assert last.reports == 2
    assert last.values == {"revenue_uzs": Decimal("3000000.50"), "exports_usd": Decimal("100.25"),
                           "employees": Decimal(15), "new_jobs": Decimal(3), "investment_uzs": Decimal(0),
                           "rnd_uzs": Decimal("0.75"), "ip": Decimal(6), "products_launched": Decimal(0)}
    assert all(isinstance(value, Decimal) for row in rows for value in row.values.values())
    assert rows[-2].values["revenue_uzs"] == Decimal("500") and rows[-2].reports == 1
    assert rows[0].reports == 0 and rows[0].values["revenue_uzs"] == Decimal(0)
    region_rows = selectors.kpis_by_quarter(region=w["region"], quarters=1)
    assert region_rows[0].values["revenue_uzs"] == Decimal("3000007.50")
    series = {s.key: s for s in selectors.kpi_series(rows)}
    assert series["revenue_uzs"].latest == Decimal("3000000.50")
    assert [share for _q, _v, share in series["revenue_uzs"].points] == [0, 0, 1, 100]


def test_each_owed_quarter_with_its_state(w, django_assert_num_queries):
    today = timezone.localdate()
    q = last_finished(today)
    factories.report(w["residency"], *q, status=R.DRAFT)
    factories.report(w["residency"], *q.previous(), status=R.ACCEPTED)
    with django_assert_num_queries(1):
        states = selectors.due_quarters(w["residency"], today)
    assert states[0].quarter == q and states[0].state == "draft" and states[0].editable
    assert states[1].state == "accepted" and not states[1].editable
    assert states[-1].quarter == quarter_of(w["residency"].starts_on)
    oldest = states[-1]
    assert oldest.state == "missing" and oldest.overdue and oldest.editable


def test_the_overdue_list_counts_quarters_past_their_deadline_and_not_filed(w, django_assert_num_queries):
    today = timezone.localdate()
    last = last_past_deadline(today)
    past = last.index - quarter_of(w["residency"].starts_on).index + 1
    factories.report(w["residency"], *last, status=R.SUBMITTED)
    factories.report(w["residency"], *last.previous(), status=R.RETURNED)
    factories.report(w["residency"], *last.previous().previous(), status=R.DRAFT)
    punctual = resident(w)
    for quarter_index in range(quarter_of(punctual.starts_on).index, last.index + 1):
        factories.report(punctual, quarter_index // 4, quarter_index % 4 + 1, status=R.ACCEPTED)
    behind = resident(w, S.WARNING)
    resident(w, S.REVOKED)  # no longer owes reports
    with django_assert_num_queries(1):
        rows = selectors.overdue(park=w["park"], today=today)
    assert [(row.residency.pk, row.quarters) for row in rows] == [(behind.pk, past), (w["residency"].pk, past - 2)]
    assert selectors.overdue(viewer=w["staff"], today=today) == rows
    assert selectors.overdue(viewer=w["other_manager"], today=today) == []


def test_what_each_viewer_sees(w):
    q = last_finished(timezone.localdate())
    report = factories.report(w["residency"], *q)
    for who in ("admin", "member", "staff", "manager", "region_admin"):
        assert list(selectors.reports_visible_to(w[who])) == [report], who
    for who in ("stranger", "other_manager"):
        assert not selectors.reports_visible_to(w[who]).exists(), who
    assert list(selectors.reports_to_review(w["staff"])) == [report]
    assert list(selectors.reports_to_review(w["staff"], park=w["other_park"])) == []
    assert not selectors.reports_to_review(w["admin"]).exists()
