"""Deprivation reasons read in the active language, numbers and labels included."""

from django.utils import translation

from households.reasons import describe

SMALL = {
    "code": "small_floor_area",
    "member": None,
    "params": {"area_per_person": "6.5", "minimum": 8},
}
WATER = {"code": "unclean_water", "member": None, "params": {"source": "surface"}}
HOUSE = {"code": "nondurable_house", "member": None, "params": {"parts": "walls,roof"}}


def test_vietnamese():
    with translation.override("vi"):
        assert describe(SMALL) == "Diện tích nhà ở bình quân 6,5 m²/người (dưới 8 m²)"
        assert "nước sông, suối, ao, hồ" in describe(WATER)
        assert "tường, mái" in describe(HOUSE)


def test_english():
    with translation.override("en"):
        assert "6.5" in describe(SMALL) and "6,5" not in describe(SMALL)
        assert "tường" not in describe(HOUSE)
        assert "sông" not in describe(WATER)
