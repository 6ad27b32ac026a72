import datetime as dt

import pytest
from django.db import transaction
from django.test import override_settings

from demodata.accounts import demo_accounts_seed
from demodata.households import demo_households_seed
from households.models import ReviewRound, RoundKind

N = 300  # demo households seeded once per test module that asks for ``demo``
NEW_DAY = dt.date(2025, 9, 1)
FAST = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """The projects demo stores files (minutes, reports): not in the real var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """N demo households with the demo accounts, in a transaction rolled back after the module;
    each test runs in its own savepoint on top of it."""
    with (
        django_db_blocker.unblock(),
        override_settings(DEMO_PASSWORD="demo-mat-khau-1", PASSWORD_HASHERS=FAST),
    ):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            demo_accounts_seed()
            yield demo_households_seed(households=N)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def rounds() -> dict[int, ReviewRound]:
    return {r.year: r for r in ReviewRound.objects.filter(kind=RoundKind.PERIODIC)}
