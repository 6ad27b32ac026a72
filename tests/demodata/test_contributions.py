"""The demo contributions: made through the contributions services, in every demo year, some
anonymous, some paying for the demo support records, never a use over a contribution's value."""

import pytest
from django.db.models import F, Sum

from contributions.models import Contribution, ContributionUse
from demodata.accounts import demo_accounts_seed
from demodata.contributions import contributions_demo_seed
from demodata.households import demo_households_seed
from demodata.support import support_demo_seed

pytestmark = pytest.mark.django_db


def test_demo_contributions(units, settings, tmp_path):
    settings.DEMO_PASSWORD = "demo-mat-khau-1"
    settings.MEDIA_ROOT = tmp_path
    demo_accounts_seed()
    assert "no demo households" in contributions_demo_seed().summary()
    demo_households_seed(households=300, seed=7)
    support_demo_seed(seed=7)
    summary = contributions_demo_seed(seed=7).summary()
    assert Contribution.objects.count() >= 60, summary
    years = set(Contribution.objects.values_list("received_on__year", flat=True))
    assert years == {2024, 2025, 2026}
    assert Contribution.objects.filter(unit__level="province").exists()
    assert Contribution.objects.filter(unit__level="commune", unit__valid_to__isnull=False).exists()
    assert Contribution.objects.filter(anonymous=True).exists()
    assert ContributionUse.objects.filter(support_records__isnull=False).exists(), summary
    over = (
        Contribution.objects.annotate(used=Sum("uses__amount"))
        .filter(used__gt=F("cash_amount") + F("in_kind_value"))
        .count()
    )
    assert over == 0
    assert "already exist" in contributions_demo_seed().summary()
