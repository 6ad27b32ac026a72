"""The demo funds: plans of 2024–2026, allocations to former Ba Tơ district's communes and demo
projects, disbursements of 60–90 %, all through the services; a second run adds nothing."""

import pytest
from django.db.models import Sum

from demodata.accounts import demo_accounts_seed
from demodata.funds import funds_demo_seed
from demodata.households import demo_households_seed
from demodata.projects import projects_demo_seed
from finance.models import Allocation, CapitalPlan, Disbursement

pytestmark = pytest.mark.django_db


def test_demo_funds(units, settings, tmp_path):
    settings.DEMO_PASSWORD = "demo-mat-khau-1"
    settings.MEDIA_ROOT = tmp_path / "media"
    demo_accounts_seed()
    demo_households_seed(households=300, seed=7)
    projects_demo_seed()
    report = funds_demo_seed()
    assert report.plans >= 25 and report.allocations >= 20, report.summary()
    assert set(CapitalPlan.objects.values_list("year", flat=True)) == {2024, 2025, 2026}
    assert Allocation.objects.filter(project__isnull=False).exists()
    assert CapitalPlan.objects.filter(carried_over__gt=0, year__in=[2025, 2026]).exists()
    for allocation in Allocation.objects.annotate(paid=Sum("disbursements__amount")):
        assert (allocation.paid or 0) <= allocation.amount
        if allocation.plan.year < 2026:
            assert allocation.paid >= allocation.amount * 0.5, allocation
    for plan in CapitalPlan.objects.annotate(given=Sum("allocations__amount")):
        assert (plan.given or 0) <= plan.total
    assert Disbursement.objects.count() == report.disbursements
    again = funds_demo_seed()
    assert "already exist" in again.summary() and again.plans == 0
