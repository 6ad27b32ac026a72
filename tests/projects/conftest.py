import pytest

from projects.loading import program_load
from tests.conftest import unit
from tests.projects.factories import households


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def program(db):
    """The seeded program tree (re-added after a transactional test flushed it)."""
    program_load()


@pytest.fixture
def ba_to(cast, program):
    return unit("21484")


@pytest.fixture
def ba_vinh(cast, program):
    return unit("21490")


@pytest.fixture
def son_tinh(cast, program):
    return unit("21220")


@pytest.fixture
def members(cast, ba_to):
    """Five households of Xã Ba Tơ."""
    return households(cast.officer, ba_to, 5)
