import datetime as dt

import pytest

from finance import services
from projects.loading import program_load
from tests.conftest import unit
from tests.projects.factories import component

YEAR = 2026
DAY = dt.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def program(db):
    program_load()


@pytest.fixture
def ba_to(cast, program):
    return unit("21484")


@pytest.fixture
def son_tinh(cast, program):
    return unit("21220")


@pytest.fixture
def province(cast, program):
    return unit("51")


def make_plan(by, where, *, amount=100_000_000, carried_over=0, number="3.1", source="local_budget",
              year=YEAR):  # fmt: skip
    return services.plan_create(
        by=by, year=year, component=component(number, dt.date(year, 1, 1)), unit=where,
        source=source, amount=amount, carried_over=carried_over, decision_ref="10/QĐ-UBND",
    )  # fmt: skip


def allocate(by, plan, commune=None, *, amount=40_000_000, project=None, day=DAY):
    return services.allocation_create(
        by=by, plan=plan, commune=commune, project=project, amount=amount, allocated_on=day
    )


def disburse(by, allocation, *, amount=10_000_000, day=None, purpose="Mua giống bò"):
    return services.disbursement_create(
        by=by, allocation=allocation, paid_on=day or allocation.allocated_on, amount=amount,
        purpose=purpose,
    )  # fmt: skip
