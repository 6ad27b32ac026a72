"""Fixtures shared by the indicators tests."""

from tests.indicators.test_rollups import two_rounds  # noqa: F401 (a fixture)
