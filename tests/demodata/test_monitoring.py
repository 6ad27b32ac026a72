"""The demo visits: made through the monitoring services, recommendations in every state."""

import pytest

from demodata.accounts import demo_accounts_seed
from demodata.households import demo_households_seed
from demodata.monitoring import monitoring_demo_seed
from demodata.projects import projects_demo_seed
from monitoring.models import FollowUp, Recommendation, Visit

pytestmark = pytest.mark.django_db


def test_demo_visits(units, settings, tmp_path):
    settings.DEMO_PASSWORD = "demo-mat-khau-1"
    settings.MEDIA_ROOT = tmp_path
    demo_accounts_seed()
    assert "no demo visit" in monitoring_demo_seed()
    demo_households_seed(households=300, seed=7)
    projects_demo_seed()
    summary = monitoring_demo_seed()
    assert Visit.objects.count() >= 4, summary
    years = set(Visit.objects.values_list("held_on__year", flat=True))
    assert years == {2025, 2026}
    statuses = set(Recommendation.objects.values_list("status", flat=True))
    assert statuses == {"open", "in_progress", "reported", "done"}
    assert FollowUp.objects.exists()
    assert "already exist" in monitoring_demo_seed()
