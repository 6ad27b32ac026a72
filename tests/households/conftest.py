"""Fixtures shared by the households tests: Xã Ba Tơ (the officer's commune) and an open 2026
round. A test module may define its own to override them."""

import pytest

from tests.conftest import unit
from tests.households.factories import open_round


@pytest.fixture
def ba_to(cast):
    return unit("21484")


@pytest.fixture
def round_(cast):
    return open_round(cast.admin, 2026)
