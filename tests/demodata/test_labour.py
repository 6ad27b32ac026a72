"""The demo labour data: made through the labour services (needs, fairs, hires as employment
records)."""

import pytest

from demodata.accounts import demo_accounts_seed
from demodata.households import demo_households_seed
from demodata.labour import labour_demo_seed
from demodata.projects import projects_demo_seed
from labour.models import FairHire, JobFair, TrainingNeed

pytestmark = pytest.mark.django_db


def test_demo_labour(units, settings, tmp_path):
    settings.DEMO_PASSWORD = "demo-mat-khau-1"
    settings.MEDIA_ROOT = tmp_path
    demo_accounts_seed()
    assert "no demo labour" in labour_demo_seed()
    demo_households_seed(households=300, seed=7)
    projects_demo_seed()
    summary = labour_demo_seed()
    assert TrainingNeed.objects.count() >= 10, summary
    assert set(JobFair.objects.values_list("held_on__year", flat=True)) == {2025, 2026}
    assert FairHire.objects.exists(), summary
    assert FairHire.objects.filter(employment_record__is_abroad=True).exists()
    assert JobFair.objects.filter(unit__level="province").count() == 2
    assert "already exists" in labour_demo_seed()
