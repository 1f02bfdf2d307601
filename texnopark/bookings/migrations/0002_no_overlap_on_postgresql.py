"""PostgreSQL guarantees that two bookings of one single resource never overlap.

An exclusion constraint over (resource, [starts_at, blocked_until)) for the rows that hold
time. SQLite has no such constraint; there the booking service's immediate transaction
serialises writers instead. Pools are guarded by a row lock in the service on both.
"""

from django.db import migrations

CONSTRAINT = "booking_single_resource_no_overlap"


def add_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # btree_gist lets one gist index combine "=" on the resource with "&&" on the range.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    schema_editor.execute(
        f"ALTER TABLE bookings_booking ADD CONSTRAINT {CONSTRAINT} EXCLUDE USING gist "
        "(resource_id WITH =, tstzrange(starts_at, blocked_until, '[)') WITH &&) "
        "WHERE (exclusive AND status IN ('pending', 'confirmed', 'checked_in'))"
    )


def drop_constraint(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE bookings_booking DROP CONSTRAINT IF EXISTS {CONSTRAINT}")


class Migration(migrations.Migration):
    dependencies = [("bookings", "0001_initial")]

    operations = [
        migrations.RunPython(add_constraint, drop_constraint),
    ]
