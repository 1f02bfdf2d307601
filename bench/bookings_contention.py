"""Committed bookings per second under contention, through the API, on PostgreSQL and on SQLite.

For each database: a fresh database (PostgreSQL: a throw-away `texnopark_bench`, dropped at the
end; SQLite: a file in a temporary folder), migrated; a synthetic park with one room, a pool of
10 desks and 50 residents with API tokens; gunicorn with 4 workers on a free loopback port; then
N client threads for a fixed time, each booking hours through `POST /api/v1/resources/{id}/bookings`:
half of the attempts aim at a few "hot" hours everybody wants (overlaps: 409 expected), half at
a random hour of the next weeks (mostly free). Afterwards the database itself is asked for
overlaps: two holding bookings of the room at one moment, or more than 10 desks at one moment.

    .venv/bin/python bench/bookings_contention.py                 # both databases, 50 clients, 15 s each
    .venv/bin/python bench/bookings_contention.py --only sqlite --clients 20 --seconds 5

Exit status: 0 when every database shows no overlap and no server error; 1 otherwise.
Throughput depends on the machine: compare the databases within one run, not across machines.
"""

import argparse
import http.client
import json
import os
import random
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
BENCH_DB = "texnopark_bench"
PEOPLE = 50
POOL = 10
HOLDING = ("pending", "confirmed", "checked_in")

# Pairs of holding bookings of one single resource (capacity 1) that overlap in time.
OVERLAPPING_PAIRS = (
    "SELECT count(*) FROM bookings_booking a JOIN bookings_booking b "
    "ON a.resource_id = b.resource_id AND a.id < b.id "
    "AND a.starts_at < b.blocked_until AND b.starts_at < a.blocked_until "
    "WHERE a.exclusive AND b.exclusive AND a.status IN {holding} AND b.status IN {holding}"
)
# Moments where a pool holds more places than it has (a peak always starts where a booking starts).
OVERFULL_MOMENTS = (
    "SELECT count(*) FROM (SELECT a.id FROM bookings_booking a "
    "JOIN bookings_booking b ON a.resource_id = b.resource_id "
    "AND b.starts_at <= a.starts_at AND a.starts_at < b.blocked_until "
    "JOIN bookings_resource r ON r.id = a.resource_id "
    "WHERE a.status IN {holding} AND b.status IN {holding} "
    "GROUP BY a.id, r.capacity HAVING sum(b.units) > r.capacity) AS overfull"
)


# The data set, built inside Django (run as a subprocess with the bench database's environment)


def build_data() -> dict:
    import django

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from datetime import time as clock

    from django.utils import timezone

    from texnopark.accounts.models import Membership, User
    from texnopark.accounts.services import token_create
    from texnopark.bookings.models import Resource
    from texnopark.bookings.rules import at, zone
    from texnopark.network.models import District, Facility, FacilityKind, Region, Technopark

    region = Region.objects.create(code="UZ-BENCH", name="Bench viloyati", timezone="Asia/Tashkent")
    district = District.objects.create(region=region, name="Bench tumani")
    park = Technopark.objects.create(region=region, district=district, slug="bench", name="Bench texnoparki")
    kind = FacilityKind.objects.create(slug="bench-coworking", name="Kovorking")
    facility = Facility.objects.create(park=park, kind=kind, name="Kovorking markazi")
    common = {"opens_at": clock(9), "closes_at": clock(18), "open_weekdays": [0, 1, 2, 3, 4], "slot_minutes": 60,
              "min_minutes": 60, "max_minutes": 120, "book_ahead_days": 60, "audience": ["park_residents"]}
    room = Resource.objects.create(facility=facility, name="Uchrashuv xonasi", **common)
    desks = Resource.objects.create(facility=facility, name="Ish stollari", kind="pool", capacity=POOL, **common)
    tokens = []
    for n in range(PEOPLE):
        user = User.objects.create_user(f"bench{n:02}@example.uz", None, full_name=f"Bench {n}")
        Membership.objects.create(user=user, role="resident", park=park)
        tokens.append(token_create(actor=user, name="bench")[1])
    # Every bookable hour from tomorrow on, as ISO 8601 with the park's offset.
    today = timezone.localdate(timezone=zone(room))
    hours = []
    for offset in range(1, 56):
        day = today + timedelta(days=offset)
        if day.weekday() in common["open_weekdays"]:
            hours += [at(room, day, clock(h)).isoformat() for h in range(9, 18)]
    return {"room": room.pk, "desks": desks.pk, "tokens": tokens, "hours": hours}


# The run


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(port: int, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited with {process.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/api/v1/resources")
            conn.getresponse().read()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not answer in time")


def attempt(port: int, token: str, resource: int, start: str) -> int:
    end = (datetime.fromisoformat(start) + timedelta(hours=1)).isoformat()
    body = json.dumps({"starts_at": start, "ends_at": end, "units": 1})
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("POST", f"/api/v1/resources/{resource}/bookings", body=body, headers={
            "Content-Type": "application/json", "Authorization": f"Bearer {token}"})
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def fire(port: int, data: dict, clients: int, seconds: float, seed: int) -> tuple[Counter, list[float], float]:
    """`clients` threads book until the time is up. Returns status counts, latencies and elapsed seconds."""
    counts: Counter = Counter()
    latencies: list[float] = []
    lock = threading.Lock()
    hot = data["hours"][:3]  # the first three hours everybody wants
    start_line = threading.Barrier(clients)

    def client(n: int) -> None:
        rng = random.Random(seed * 1000 + n)
        token = data["tokens"][n % len(data["tokens"])]
        start_line.wait()
        while time.monotonic() < deadline:
            resource = data["room"] if rng.random() < 0.5 else data["desks"]
            start = rng.choice(hot) if rng.random() < 0.5 else rng.choice(data["hours"])
            began = time.monotonic()
            try:
                status = attempt(port, token, resource, start)
            except OSError as error:
                status = type(error).__name__
            with lock:
                counts[status] += 1
                latencies.append(time.monotonic() - began)

    deadline = time.monotonic() + seconds + 0.5
    began = time.monotonic()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 60)
    return counts, latencies, time.monotonic() - began


def count_problems(query) -> tuple[int, int, int]:
    """(committed bookings, overlapping pairs, overfull pool moments), asked of the database itself."""
    holding = "('" + "', '".join(HOLDING) + "')"
    return (query("SELECT count(*) FROM bookings_booking"),
            query(OVERLAPPING_PAIRS.format(holding=holding)),
            query(OVERFULL_MOMENTS.format(holding=holding)))


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

    def query(self, sql: str) -> int:
        with self.psycopg.connect(**{**self.server, "dbname": BENCH_DB}) as conn:
            return conn.execute(sql).fetchone()[0]


class SQLite:
    name = "SQLite"

    def __init__(self):
        self.folder = tempfile.TemporaryDirectory(prefix="texnopark-bench-")
        self.path = Path(self.folder.name) / "bench.sqlite3"
        self.url = f"sqlite:///{self.path}"

    def create(self) -> None:
        pass

    def drop(self) -> None:
        self.folder.cleanup()

    def query(self, sql: str) -> int:
        with sqlite3.connect(self.path) as conn:
            return conn.execute(sql).fetchone()[0]


def run_one(database, args) -> dict:
    env = {**os.environ, "DATABASE_URL": database.url, "DEBUG": "0", "PRODUCTION": "0", "LOG_LEVEL": "ERROR",
           "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend", "PYTHONUNBUFFERED": "1"}
    env.pop("EMAIL_HOST", None)
    database.create()
    server = log = None
    try:
        subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
        built = subprocess.run([PYTHON, __file__, "--build-data"], cwd=ROOT, env=env, check=True,
                               capture_output=True, text=True)
        data = json.loads(built.stdout.strip().splitlines()[-1])
        port = free_port()
        log = (Path(tempfile.gettempdir()) / f"texnopark-bench-{database.name.lower()}.log").open("w")
        server = subprocess.Popen(
            [GUNICORN, "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers),
             "--access-logfile", "/dev/null", "--error-logfile", "-", "--timeout", "60"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        wait_until_up(port, server)
        counts, latencies, elapsed = fire(port, data, args.clients, args.seconds, args.seed)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        if log is not None:
            log.close()
    try:
        committed, pairs, overfull = count_problems(database.query)
    finally:
        database.drop()
    created = counts.get(201, 0)
    errors = sum(n for status, n in counts.items() if status not in (201, 409))
    return {
        "database": database.name, "attempts": sum(counts.values()), "created": created, "committed": committed,
        "conflicts": counts.get(409, 0), "errors": errors, "statuses": dict(counts), "elapsed": elapsed,
        "per_second": committed / elapsed, "attempts_per_second": sum(counts.values()) / elapsed,
        "p50_ms": 1000 * statistics.median(latencies) if latencies else 0,
        "p95_ms": 1000 * statistics.quantiles(latencies, n=20)[-1] if len(latencies) > 1 else 0,
        "overlaps": pairs + overfull,
    }


def report(results: list[dict]) -> None:
    print(f"\n{'':22}" + "".join(f"{r['database']:>14}" for r in results))
    rows = [("attempts", "attempts", "{:d}"), ("committed bookings", "committed", "{:d}"),
            ("committed per second", "per_second", "{:.1f}"), ("attempts per second", "attempts_per_second", "{:.1f}"),
            ("409 slot taken", "conflicts", "{:d}"), ("errors", "errors", "{:d}"),
            ("latency p50, ms", "p50_ms", "{:.0f}"), ("latency p95, ms", "p95_ms", "{:.0f}"),
            ("overlaps afterwards", "overlaps", "{:d}")]
    for label, key, fmt in rows:
        print(f"{label:22}" + "".join(f"{fmt.format(r[key]):>14}" for r in results))
    for r in results:
        if r["created"] != r["committed"]:
            print(f"{r['database']}: {r['created']} answers 201 but {r['committed']} bookings in the database")
        if r["errors"]:
            print(f"{r['database']}: answers other than 201/409: {r['statuses']}")
    if len(results) == 2 and results[1]["per_second"]:
        ratio = results[0]["per_second"] / results[1]["per_second"]
        print(f"\n{results[0]['database']} / {results[1]['database']} committed bookings per second: {ratio:.2f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=50, help="concurrent client threads (1–200)")
    parser.add_argument("--seconds", type=float, default=15, help="how long each database is fired at (≤ 120)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--only", choices=["postgres", "sqlite"], help="run one database only")
    parser.add_argument("--postgres", default=os.environ.get("PG_BENCH_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
                        help="a PostgreSQL server to create the throw-away database on")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--build-data", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build_data:
        print(json.dumps(build_data()))
        return 0
    args.clients = max(1, min(args.clients, 200))
    args.seconds = max(1.0, min(args.seconds, 120.0))
    databases = []
    if args.only != "sqlite":
        databases.append(Postgres(args.postgres))
    if args.only != "postgres":
        databases.append(SQLite())
    print(f"{args.clients} clients, {args.seconds:g} s per database, gunicorn with {args.workers} workers, "
          f"{os.cpu_count()} CPU cores")
    results = []
    for database in databases:
        print(f"{database.name}: migrating, building the data set, firing…", flush=True)
        results.append(run_one(database, args))
    report(results)
    bad = [r for r in results if r["overlaps"] or any(str(s).startswith("5") for s in r["statuses"])]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
