"""Indexes of the household list at province scale (issue 9): the list's key order, the class and
transition filters in that order, and (PostgreSQL only) a trigram index for the search by head
name."""

import logging

from django.conf import settings
from django.db import DatabaseError, migrations, models, transaction

log = logging.getLogger(__name__)

TRIGRAM_INDEX = "household_head_name_trgm"


def add_trigram_index(apps, schema_editor):
    """The search matches ``head_name_folded LIKE '%term%'``, which no B-tree index serves; a
    pg_trgm GIN index does. pg_trgm is a trusted extension (the database owner may create it);
    where it cannot be created the search still works, by scanning."""
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DatabaseError as error:
        log.warning("pg_trgm is not available (%s): the household search will scan", error)
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {TRIGRAM_INDEX} ON households_household "
        "USING gin (head_name_folded gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("areas", "0001_initial"),
        ("households", "0004_survey_rollup_covering_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="survey",
            index=models.Index(fields=["round", "commune", "household"], name="survey_list_order"),
        ),
        migrations.AddIndex(
            model_name="survey",
            index=models.Index(
                fields=["round", "effective_class", "commune", "household"],
                name="survey_list_class_order",
            ),
        ),
        migrations.AddIndex(
            model_name="survey",
            index=models.Index(
                fields=["round", "transition", "commune", "household"],
                name="survey_list_transition_order",
            ),
        ),
        migrations.RunPython(add_trigram_index, drop_trigram_index, elidable=False),
    ]
