"""The shipped units match shared/data/README.md, and loading twice changes nothing."""

import datetime as dt
from collections import Counter

import pytest

from areas.models import Level, Unit, UnitGroup, UnitSuccession
from areas.services import NEW_TREE_FROM, OLD_TREE_TO, units_load

pytestmark = pytest.mark.django_db

OLD = OLD_TREE_TO
NEW = NEW_TREE_FROM


def counts():
    return (Unit.objects.count(), UnitSuccession.objects.count(), UnitGroup.objects.count())


def test_counts_match_the_data_readme(units):
    old = Unit.objects.valid_on(OLD)
    new = Unit.objects.valid_on(NEW)
    assert Counter(old.values_list("level", flat=True)) == {
        "province": 2,
        "district": 23,
        "commune": 272,
    }
    assert Counter(old.communes().values_list("kind", flat=True)) == {
        "xa": 229,
        "phuong": 27,
        "thi_tran": 16,
    }
    assert old.filter(level=Level.COMMUNE, parent__parent__code="51").count() == 170
    assert old.filter(level=Level.COMMUNE, parent__parent__code="62").count() == 102
    assert Counter(new.values_list("level", flat=True)) == {"province": 1, "commune": 96}
    assert Counter(new.communes().values_list("kind", flat=True)) == {
        "xa": 86,
        "phuong": 9,
        "dac_khu": 1,
    }
    assert new.communes().filter(code__startswith="21").count() == 56
    assert UnitSuccession.objects.count() == 274


def test_loading_twice_adds_nothing(units):
    before = counts()
    unit = Unit.objects.valid_on(NEW).get(code="21484")
    unit.name = "Tên sai"
    unit.save()
    units_load()
    assert counts() == before
    assert Unit.objects.get(pk=unit.pk).name == "Ba Tơ"  # refreshed from the data


def test_parents_and_paths(units):
    commune = Unit.objects.valid_on(OLD).get(code="21484")
    assert commune.parent.code == "535"
    assert commune.parent.parent.code == "51"
    assert [u.code for u in commune.ancestors()] == ["51", "535"]
    new_commune = Unit.objects.valid_on(NEW).get(code="21484")
    assert new_commune.parent.code == "51"
    assert new_commune.parent.valid_from == NEW
    assert new_commune.pk != commune.pk  # the code was reused: two units
    # every unit's path ends with itself and starts with its parent's path
    for u in Unit.objects.select_related("parent"):
        assert u.path.endswith(f"/{u.pk}/")
        if u.parent:
            assert u.path.startswith(u.parent.path)


def test_urban_follows_the_kind(units):
    assert Unit.objects.valid_on(OLD).get(code="21484").is_urban  # Thị trấn Ba Tơ
    assert not Unit.objects.valid_on(NEW).get(code="21484").is_urban  # now Xã Ba Tơ
    assert Unit.objects.valid_on(NEW).get(code="21025").is_urban  # Phường Cẩm Thành
    assert not Unit.objects.valid_on(NEW).get(code="21548").is_urban  # Đặc khu Lý Sơn


def test_crosswalk(units):
    tra_bui = Unit.objects.valid_on(OLD).get(code="21142")
    assert sorted(s.new.code for s in tra_bui.successions.select_related("new")) == [
        "21136",
        "21157",
    ]
    assert set(tra_bui.successions.values_list("share", flat=True)) == {"partial"}
    ly_son = Unit.objects.valid_on(OLD).get(code="536")
    assert [s.new.code for s in ly_son.successions.all()] == ["21548"]
    # correction 1 of the data README: Hà Mòn went to Đăk Hà, not Tu Mơ Rông
    ha_mon = Unit.objects.valid_on(OLD).get(code="23521")
    assert [s.new.code for s in ha_mon.successions.all()] == ["23500"]
    assert not Unit.objects.valid_on(OLD).communes().filter(successions__isnull=True).exists()


def test_mountainous_flags(units):
    old_qn = Unit.objects.valid_on(OLD).filter(parent__parent__code="51").communes()
    assert old_qn.filter(is_mountainous=True).count() == 63
    assert (
        Unit.objects.valid_on(NEW)
        .communes()
        .filter(is_mountainous=True, code__startswith="21")
        .count()
        == 24
    )
    assert not Unit.objects.valid_on(NEW).get(code="21109").is_mountainous  # Đông Sơn


def test_groups(units):
    ba_to = UnitGroup.objects.get(code="huyen-cu-535")
    new_members = ba_to.members.filter(valid_from=NEW).values_list("code", flat=True)
    assert sorted(new_members) == [
        "21484", "21490", "21496", "21499", "21520", "21523", "21529", "21538",
    ]  # fmt: skip
    assert ba_to.members.filter(code="535", level="district").exists()
    dong_son = Unit.objects.valid_on(NEW).get(code="21109")
    assert sorted(g.code for g in dong_son.unit_groups.all()) == ["huyen-cu-522", "huyen-cu-524"]
    mountain = UnitGroup.objects.get(code="mien-nui")
    assert sorted(mountain.members.filter(level="district").values_list("code", flat=True)) == [
        "525", "529", "530", "531", "535",
    ]  # fmt: skip
    assert mountain.members.filter(valid_from=NEW).count() == 24
    assert UnitGroup.objects.filter(kind="former_district").count() == 23


def test_a_code_is_unique_only_at_a_date(units):
    from django.core.exceptions import ValidationError

    clash = Unit(
        code="21484",
        name="Trùng",
        level="commune",
        kind="xa",
        valid_from=dt.date(2026, 1, 1),
        parent=Unit.objects.valid_on(NEW).get(code="51"),
    )
    with pytest.raises(ValidationError):
        clash.clean()
    later = Unit(code="21484", name="Sau này", level="commune", kind="xa", valid_from=NEW)
    later.valid_from = dt.date(2040, 1, 1)
    Unit.objects.filter(code="21484", valid_from=NEW).update(valid_to=dt.date(2039, 12, 31))
    later.clean()  # no overlap: allowed
