"""The park view and the residents registry at two sizes of data: query counts and times, on SQLite and PostgreSQL.

For each database: a fresh database (PostgreSQL: a throw-away `texnopark_bench_parkview`, dropped at the end;
SQLite: a file in a temporary folder), migrated; then, in a Django script, a synthetic region with 2 parks and
SMALL = 50 residents (each with 8 quarterly reports, export deals for a third of them, ideas and applications
so the funnel has numbers). The selectors of the park view and the registry's first page are timed (best of 5)
and their queries counted; then the same parks grow to LARGE = 10 × SMALL residents and everything is measured
again. The claim checked: the query counts do not grow with the data (the counting is done in the database),
and the time grows with the rows aggregated, not faster.

    .venv/bin/python bench/park_view.py                       # both databases, 50 → 500 residents (~10 s)
    .venv/bin/python bench/park_view.py --only sqlite --residents 500

Exit status: 0 when no query count grows from SMALL to LARGE; 1 otherwise.
Times depend on the machine: compare SMALL and LARGE within one run, not across machines.
"""

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import urllib.parse
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
BENCH_DB = "texnopark_bench_parkview"
GROWTH = 10  # LARGE = GROWTH × SMALL residents, in the same parks
REPEATS = 5
PAGE = 25
MEASURES = ["funnel(park)", "kpis_by_quarter(park)", "overdue(park)", "funnel_by_park(region)",
            f"residents() first {PAGE}"]


# The data set and the measurements, inside Django (run as a subprocess with the bench database's environment)


def django_setup() -> None:
    import django

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()


class DataSet:
    """A region with `parks` parks (an open call each) whose residents grow with `grow`."""

    def __init__(self, parks: int, seed: int):
        from django.utils import timezone

        from texnopark.intake.models import Call
        from texnopark.network.models import District, Region, Sector, Technopark
        from texnopark.reports.quarters import last_finished

        self.rng = random.Random(seed)
        self.today, self.now = timezone.localdate(), timezone.now()
        self.quarters = [last_finished(self.today)]  # the last 8 finished quarters, oldest first
        while len(self.quarters) < 8:
            self.quarters.insert(0, self.quarters[0].previous())
        self.region = Region.objects.create(code="UZ-BENCH", name="Bench viloyati")
        self.district = District.objects.create(region=self.region, name="Bench tumani")
        self.sectors = [Sector.objects.create(slug=f"bench-{n}", name=f"Soha {n}") for n in range(3)]
        self.parks = [Technopark.objects.create(region=self.region, district=self.district, slug=f"bench-{n}",
                                                name=f"Bench texnoparki {n}") for n in range(parks)]
        self.calls = [Call.objects.create(park=p, name="Rezidentlik", opens_on=self.quarters[0].first_day,
                                          closes_at=self.now + timedelta(days=30), status=Call.Status.OPEN)
                      for p in self.parks]

    def grow(self, first: int, last: int) -> None:
        """Residents number first … last-1: their people, companies, applications, residencies, reports, deals
        and ideas."""
        from django.db import connection

        from texnopark.accounts.models import User
        from texnopark.intake.models import Application, Residency
        from texnopark.ventures.models import Company, ExportDeal, Stage

        rng, now, parks, calls, start = self.rng, self.now, len(self.parks), self.calls, self.quarters[0].first_day
        numbers = range(first, last)
        users = User.objects.bulk_create(
            [User(email=f"{who}{i:05}@example.uz", password="!", full_name=f"{who} {i}") for i in numbers
             for who in ("founder", "other")])
        founders, others = users[0::2], users[1::2]
        companies = Company.objects.bulk_create([Company(
            name=f"Bench {rng.randrange(10**6):06} MChJ", stir=f"{i:09}", oked="62010", district=self.district,
            sector=self.sectors[i % 3], stage=rng.choice(Stage.values)) for i in numbers])
        A = Application.Status
        accepted = Application.objects.bulk_create([Application(
            call=calls[i % parks], applicant=f, company=c, company_name=c.name, stir=c.stir, status=A.ACCEPTED,
            submitted_at=now) for i, f, c in zip(numbers, founders, companies, strict=True)])
        states = [A.SUBMITTED, A.REJECTED, A.DRAFT, A.WAITLISTED, A.RETURNED, A.WITHDRAWN]
        Application.objects.bulk_create([Application(
            call=calls[i % parks], applicant=o, status=states[i % 6],
            submitted_at=None if states[i % 6] == A.DRAFT or i % 12 == 5 else now,
            fix_by=now + timedelta(days=7) if states[i % 6] == A.RETURNED else None)
            for i, o in zip(numbers, others, strict=True)])
        residency_states = [Residency.Status.ACTIVE] * 16 + [Residency.Status.WARNING] * 2 + [
            Residency.Status.SUSPENDED, Residency.Status.ENDED]
        residencies = Residency.objects.bulk_create([Residency(
            company=c, park=self.parks[i % parks], application=a, number=f"BENCH-{i:06}", starts_on=start,
            ends_on=start.replace(year=start.year + 3), status=residency_states[(i // parks) % 20])
            for i, c, a in zip(numbers, companies, accepted, strict=True)])
        self._reports(numbers, residencies)
        ExportDeal.objects.bulk_create([ExportDeal(
            company=c, country=rng.choice(["KR", "KZ", "RU", "TR", "DE"]), buyer=f"Buyer {i}-{d}",
            value_usd=Decimal(rng.randrange(1000, 10**6)), signed_on=self.today - timedelta(days=rng.randrange(700)))
            for i, c in zip(numbers, companies, strict=True) if i % 3 == 0 for d in range(1 + i % 4)])
        self._ideas(numbers, founders, others)
        if connection.vendor == "postgresql":  # what autovacuum does in a database in service
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")

    def _reports(self, numbers, residencies) -> None:
        from texnopark.reports.models import QuarterlyReport

        R, rng, money = QuarterlyReport.Status, self.rng, lambda top: Decimal(self.rng.randrange(top))
        reports = []
        for i, residency in zip(numbers, residencies, strict=True):
            for k, quarter in enumerate(self.quarters):
                status = (R.DRAFT if (i + k) % 13 == 0 else R.SUBMITTED if k == 7 and i % 2 else
                          R.RETURNED if (i + k) % 11 == 0 else R.ACCEPTED)
                reports.append(QuarterlyReport(
                    residency=residency, year=quarter.year, quarter=quarter.quarter, status=status,
                    revenue_uzs=money(10**9), exports_usd=money(10**5), investment_uzs=money(10**8),
                    rnd_uzs=money(10**7), employees=rng.randrange(1, 60), new_jobs=rng.randrange(5),
                    patents=rng.randrange(2), other_ip=rng.randrange(3), products_launched=rng.randrange(2),
                    submitted_at=None if status == R.DRAFT else self.now))
        QuarterlyReport.objects.bulk_create(reports, batch_size=2000)

    def _ideas(self, numbers, founders, others) -> None:
        from texnopark.ventures.models import Idea

        S = Idea.Status
        states = [(S.SUBMITTED, False, ""), (S.INVITED, True, ""), (S.DECLINED, False, "Mos emas"),
                  (S.WITHDRAWN, False, "")]
        parks = len(self.parks)
        Idea.objects.bulk_create([Idea(
            author=author, park=self.parks[(i + n) % parks], title=f"G'oya {i}-{n}", problem="…", solution="…",
            sector=self.sectors[n], district=self.district, status=status, reason=reason,
            invited_to=self.calls[(i + n) % parks] if invited else None)
            for i, f, o in zip(numbers, founders, others, strict=True) for n, author in enumerate((f, o, o))
            for status, invited, reason in [states[(i + n) % 4]]])

    def measure(self) -> dict:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from texnopark.intake.models import Application, Residency
        from texnopark.reports import selectors as reports
        from texnopark.reports.models import QuarterlyReport
        from texnopark.ventures import selectors as ventures
        from texnopark.ventures.models import ExportDeal, Idea

        park, today = self.parks[0], self.today
        runs = {
            MEASURES[0]: lambda: reports.funnel(park=park),
            MEASURES[1]: lambda: reports.kpis_by_quarter(park=park, today=today),
            MEASURES[2]: lambda: reports.overdue(park=park, today=today),
            MEASURES[3]: lambda: reports.funnel_by_park(region=self.region),
            MEASURES[4]: lambda: list(ventures.residents()[:PAGE]),
        }
        found = {}
        for name, run in runs.items():
            with CaptureQueriesContext(connection) as captured:
                result = run()
            times = []
            for _ in range(REPEATS):
                began = time.perf_counter()
                run()
                times.append(time.perf_counter() - began)
            found[name] = {"queries": len(captured), "ms": 1000 * min(times), "rows": len(result)}
        found["_funnel"] = reports.funnel(park=park)
        found["_rows"] = {"residencies": Residency.objects.count(), "reports": QuarterlyReport.objects.count(),
                          "applications": Application.objects.count(), "ideas": Idea.objects.count(),
                          "deals": ExportDeal.objects.count()}
        return found


def in_django(residents: int, parks: int, seed: int) -> dict:
    django_setup()
    data = DataSet(parks, seed)
    data.grow(0, residents)
    small = data.measure()
    data.grow(residents, GROWTH * residents)
    return {"small": small, "large": data.measure()}


# The run


class Postgres:
    name = "PostgreSQL"

    def __init__(self, url: str):
        import psycopg

        self.psycopg = psycopg
        parts = urllib.parse.urlsplit(url)
        self.server = {"host": parts.hostname or "127.0.0.1", "port": parts.port or 5432,
                       "user": parts.username or "postgres", "password": parts.password or None,
                       "dbname": parts.path.lstrip("/") or "postgres"}
        auth = parts.username or "postgres"
        if parts.password:
            auth += f":{parts.password}"
        self.url = f"postgres://{auth}@{self.server['host']}:{self.server['port']}/{BENCH_DB}"

    def _admin(self, sql: str) -> None:
        with self.psycopg.connect(**self.server, autocommit=True) as conn:
            conn.execute(sql)

    def create(self) -> None:
        self._admin(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        self._admin(f"CREATE DATABASE {BENCH_DB}")

    def drop(self) -> None:
        self._admin(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")


class SQLite:
    name = "SQLite"

    def __init__(self):
        self.folder = tempfile.TemporaryDirectory(prefix="texnopark-bench-")
        self.url = f"sqlite:///{Path(self.folder.name) / 'bench.sqlite3'}"

    def create(self) -> None:
        pass

    def drop(self) -> None:
        self.folder.cleanup()


def run_one(database, args) -> dict:
    env = {**os.environ, "DATABASE_URL": database.url, "DEBUG": "0", "PRODUCTION": "0", "LOG_LEVEL": "ERROR",
           "PYTHONUNBUFFERED": "1"}
    database.create()
    try:
        subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
        measured = subprocess.run([PYTHON, __file__, "--in-django", "--residents", str(args.residents),
                                   "--parks", str(args.parks), "--seed", str(args.seed)],
                                  cwd=ROOT, env=env, capture_output=True, text=True, check=False)
        if measured.returncode:
            raise SystemExit(f"{database.name}: the Django script failed\n{measured.stderr}")
        return json.loads(measured.stdout.strip().splitlines()[-1])
    finally:
        database.drop()


def report(name: str, result: dict, residents: int) -> list[str]:
    """Prints the table of one database; returns the measures whose query count grew."""
    small, large = result["small"], result["large"]
    print(f"\n{name}: {residents} → {GROWTH * residents} residents; "
          f"rows SMALL {small['_rows']}, LARGE {large['_rows']}")
    print(f"funnel of the measured park, SMALL {small['_funnel']}; LARGE {large['_funnel']}")
    print(f"{'measure':26}{'queries S':>10}{'queries L':>10}{'ms S':>9}{'ms L':>9}{'L/S':>7}{'out S':>7}{'out L':>7}"
          f"  time for {GROWTH}× the rows")
    grew = []
    for measure in MEASURES:
        s, b = small[measure], large[measure]
        ratio = b["ms"] / s["ms"]
        growth = ("sub-linear" if ratio < 0.5 * GROWTH else "about linear" if ratio <= 1.5 * GROWTH
                  else "faster than linear")
        print(f"{measure:26}{s['queries']:>10}{b['queries']:>10}{s['ms']:>9.2f}{b['ms']:>9.2f}"
              f"{ratio:>7.1f}{s['rows']:>7}{b['rows']:>7}  {growth}")
        if b["queries"] > s["queries"]:
            grew.append(f"{name}: {measure} ({s['queries']} → {b['queries']} queries)")
    return grew


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--residents", type=int, default=50, help=f"SMALL residents (LARGE is {GROWTH}×), 10–2000")
    parser.add_argument("--parks", type=int, default=2, help="parks of the region the residents are spread over")
    parser.add_argument("--only", choices=["postgres", "sqlite"], help="run one database only")
    parser.add_argument("--postgres", default=os.environ.get("PG_BENCH_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
                        help="a PostgreSQL server to create the throw-away database on")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--in-django", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.residents = max(10, min(args.residents, 2000))
    args.parks = max(1, min(args.parks, 20))
    if args.in_django:
        print(json.dumps(in_django(args.residents, args.parks, args.seed)))
        return 0
    databases = []
    if args.only != "sqlite":
        databases.append(Postgres(args.postgres))
    if args.only != "postgres":
        databases.append(SQLite())
    print(f"SMALL {args.residents} residents, LARGE {GROWTH * args.residents}, in the same {args.parks} parks; "
          f"8 quarterly reports each; best of {REPEATS}; {os.cpu_count()} CPU cores")
    grew = []
    for database in databases:
        print(f"{database.name}: migrating, building SMALL, measuring, growing to LARGE, measuring…", flush=True)
        grew += report(database.name, run_one(database, args), args.residents)
    print("\nQuery counts do not grow with the data." if not grew else "\nQuery counts that grow: " + "; ".join(grew))
    return 1 if grew else 0


if __name__ == "__main__":
    sys.exit(main())
