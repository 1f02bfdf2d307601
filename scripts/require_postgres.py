"""Exit 0 when PostgreSQL answers at the URL; otherwise fail under CI, or exit 75 (skip) with a note."""

import os
import sys

import dj_database_url
import psycopg

url = sys.argv[1]
config = dj_database_url.parse(url)
try:
    psycopg.connect(
        host=config["HOST"], port=config["PORT"] or 5432, user=config["USER"], password=config["PASSWORD"],
        dbname=config["NAME"], connect_timeout=5,
    ).close()
except psycopg.OperationalError as error:
    if os.environ.get("CI") == "true":
        sys.exit(f"PostgreSQL is required under CI and did not answer at {url}: {error}")
    print(f"SKIPPED: the PostgreSQL tests (no server at {url}: {error}). Set PG_TEST_URL to run them.")
    sys.exit(75)
