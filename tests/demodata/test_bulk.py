"""The bulk load (PostgreSQL, several processes, COPY, indexes off): the same rows for a seed
whatever the number of processes, the same rows as the in-process path, and the tables'
indexes and constraints back exactly as they were."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from demodata import plan
from demodata.accounts import demo_accounts_seed
from demodata.households import demo_households_seed
from demodata.load import drop_secondary, schema_remember, secondary_schema
from demodata.rows import MODELS
from households.models import ReviewRound
from tests.conftest import require

pytestmark = pytest.mark.django_db(transaction=True)

N = 450


def digest() -> dict:
    """Every row of the generated tables, but the times that are the run's 'now'."""
    out = {}
    for model in (*MODELS, ReviewRound):
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if f.attname != "updated_at" and not getattr(f, "auto_now_add", False)
        ]
        out[model._meta.db_table] = list(model.objects.order_by("pk").values_list(*fields))
    return out


def reset() -> None:
    tables = ", ".join(m._meta.db_table for m in (*MODELS, ReviewRound))
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")


def test_bulk_rows_do_not_depend_on_the_number_of_processes(units, settings, monkeypatch):
    require(connection.vendor == "postgresql", "the bulk load needs PostgreSQL (DATABASE_URL)")
    settings.DEMO_PASSWORD = "demo-mat-khau-1"
    monkeypatch.setattr(plan, "BLOCK", 100)  # several blocks at a test's size
    demo_accounts_seed()
    reset()  # ids count from the sequences: start them where each run below starts them
    schema = sorted(secondary_schema(MODELS))
    assert any(kind == "foreign" for kind, *_ in schema)

    report = demo_households_seed(households=N, seed=5, workers=2)
    # two workers were started; on a loaded machine one may take every block (imap_unordered)
    assert report.households == N and 1 <= len(report.processes) <= 2
    assert sorted(secondary_schema(MODELS)) == schema
    two = digest()
    assert len(two["households_survey"]) > N and len(two["households_historicalmember"]) > N

    reset()
    demo_households_seed(households=N, seed=5, workers=1)
    assert digest() == two

    reset()
    with transaction.atomic():
        demo_households_seed(households=N, seed=5)  # seed_demo's path
    assert digest() == two


def test_a_failed_bulk_load_leaves_nothing_and_the_schema_as_it_was(units, monkeypatch):
    require(connection.vendor == "postgresql", "the bulk load needs PostgreSQL (DATABASE_URL)")
    schema = sorted(secondary_schema(MODELS))

    def broken(*args):
        raise RuntimeError("disk full")

    monkeypatch.setattr("demodata.households.household_rows", broken)
    with pytest.raises(Exception, match="disk full"):
        demo_households_seed(households=50, seed=5, workers=2)
    assert sorted(secondary_schema(MODELS)) == schema
    assert not any(model.objects.exists() for model in (*MODELS, ReviewRound))


def test_a_load_killed_midway_has_its_schema_put_back_by_the_next_one(units, settings):
    """A killed load runs no ``except``: the next load must not take the stripped tables for
    the schema (a 1,000,000-household bench ran without its indexes that way)."""
    require(connection.vendor == "postgresql", "the bulk load needs PostgreSQL (DATABASE_URL)")
    settings.DEMO_PASSWORD = "demo-mat-khau-1"
    demo_accounts_seed()
    reset()
    schema = sorted(secondary_schema(MODELS))
    with transaction.atomic():  # what a load does before its processes start, then it dies
        schema_remember(schema)
        drop_secondary(schema)
    assert secondary_schema(MODELS) == []

    demo_households_seed(households=50, seed=5, workers=2)
    assert sorted(secondary_schema(MODELS)) == schema
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('demodata_dropped_schema')")
        assert cursor.fetchone()[0] is None  # nothing left to restore
