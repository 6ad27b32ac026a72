"""The support app's households (poor, near-poor, not poor in Ba Tơ; poor in Sơn Tịnh), reused."""

from tests.support.conftest import YEAR, classified, homes  # noqa: F401
