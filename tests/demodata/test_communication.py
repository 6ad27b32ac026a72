"""The demo communication activities: made through the communication services, 2024–2026, in
communes, the former district and the province; information support through the support
services."""

import pytest

from communication.models import Activity, InformationKind
from communication.selectors import information_records
from demodata.accounts import demo_accounts_seed
from demodata.communication import communication_demo_seed
from demodata.households import demo_households_seed
from demodata.projects import projects_demo_seed

pytestmark = pytest.mark.django_db


def test_demo_activities(units, settings, tmp_path):
    settings.DEMO_PASSWORD = "demo-mat-khau-1"
    settings.MEDIA_ROOT = tmp_path
    demo_accounts_seed()
    assert "no demo communication" in communication_demo_seed()
    demo_households_seed(households=300, seed=7)
    projects_demo_seed()
    summary = communication_demo_seed()
    assert Activity.objects.count() >= 10, summary
    assert set(Activity.objects.values_list("held_on__year", flat=True)) == {2024, 2025, 2026}
    levels = set(Activity.objects.values_list("unit__level", flat=True))
    assert levels == {"commune", "district", "province"}
    assert InformationKind.objects.exists()
    assert information_records(2026).exists() or information_records(2025).exists(), summary
    assert "already exist" in communication_demo_seed()
