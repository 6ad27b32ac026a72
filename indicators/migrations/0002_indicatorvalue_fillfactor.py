"""Leave room in IndicatorValue's pages so that a recompute rewrites each value in place.

A rollup updates every value of a round (numerator, denominator, value, provisional, computed_at:
no indexed column). With free space in the page PostgreSQL makes such an update a heap-only
tuple (HOT): no new entry in any of the table's nine indexes and no foreign-key check. Pages
already full keep their rows until they are rewritten; new and moved rows get the room.
SQLite has no such setting: nothing to do there.
"""

from django.db import migrations


def fillfactor(value):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(
                f"ALTER TABLE indicators_indicatorvalue SET (fillfactor = {int(value)})"
            )

    return apply


class Migration(migrations.Migration):
    dependencies = [("indicators", "0001_initial")]

    operations = [migrations.RunPython(fillfactor(50), fillfactor(100))]
