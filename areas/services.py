"""Writes to the unit tree: loading the shipped administrative units, groups and crosswalk."""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from .models import (
    URBAN_KINDS,
    GroupKind,
    Kind,
    Level,
    Share,
    Unit,
    UnitGroup,
    UnitSuccession,
)

DATA_DIR = Path(__file__).resolve().parent / "data"

# The two trees the portal ships. The old tree's start is a portal convention (areas/data/README).
OLD_TREE_FROM = dt.date(2021, 1, 1)
OLD_TREE_TO = dt.date(2025, 6, 30)
NEW_TREE_FROM = dt.date(2025, 7, 1)
TREES = {
    "2024": ("units-2024.csv", OLD_TREE_FROM, OLD_TREE_TO),
    "2025": ("units-2025.csv", NEW_TREE_FROM, None),
}

KIND_BY_SOURCE = {
    "Tỉnh": Kind.TINH,
    "Thành phố": Kind.THANH_PHO,
    "Thị xã": Kind.THI_XA,
    "Huyện": Kind.HUYEN,
    "Xã": Kind.XA,
    "Phường": Kind.PHUONG,
    "Thị trấn": Kind.THI_TRAN,
    "Đặc khu": Kind.DAC_KHU,
}
FLAG_FIELDS = {"mountainous": "is_mountainous", "poor_district": "is_poor_district"}
LEVEL_ORDER = {Level.PROVINCE: 0, Level.DISTRICT: 1, Level.COMMUNE: 2}

MOUNTAINOUS_GROUP = "mien-nui"


@dataclass(frozen=True)
class LoadReport:
    units: int
    successions: int
    groups: int


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@transaction.atomic
def units_load(*, data_dir: Path = DATA_DIR) -> LoadReport:
    """Load (or refresh) both trees, the crosswalk, flags and seeded groups. Idempotent.

    Units are matched on (code, valid_from), so a second run updates names and flags in place
    and adds nothing.
    """
    flags = _read(data_dir / "flags.csv")
    trees: dict[str, dict[str, Unit]] = {}
    for tree, (filename, valid_from, valid_to) in TREES.items():
        rows = sorted(_read(data_dir / filename), key=lambda r: LEVEL_ORDER[r["level"]])
        tree_flags: dict[str, set[str]] = defaultdict(set)
        for f in flags:
            if f["tree"] == tree:
                tree_flags[f["code"]].add(f["flag"])
        units: dict[str, Unit] = {}
        for row in rows:
            parent = units.get(row["parent_code"]) if row["parent_code"] else None
            kind = KIND_BY_SOURCE[row["kind"]]
            own = tree_flags.get(row["code"], set())
            inherited = {
                name for name in FLAG_FIELDS if parent and getattr(parent, FLAG_FIELDS[name])
            }
            values = {
                "name": row["name"],
                "level": row["level"],
                "kind": kind,
                "parent": parent,
                "valid_to": valid_to,
                "is_urban": kind in URBAN_KINDS,
                **{FLAG_FIELDS[name]: name in own | inherited for name in FLAG_FIELDS},
            }
            unit, _ = Unit.objects.update_or_create(
                code=row["code"], valid_from=valid_from, defaults=values
            )
            units[row["code"]] = unit
        trees[tree] = units
    old, new = trees["2024"], trees["2025"]

    successions = 0
    predecessors: dict[str, list[Unit]] = defaultdict(list)
    for row in _read(data_dir / "units-crosswalk-2025.csv"):
        UnitSuccession.objects.update_or_create(
            old=old[row["old_code"]],
            new=new[row["new_code"]],
            defaults={"share": Share(row["share"])},
        )
        predecessors[row["new_code"]].append(old[row["old_code"]])
        successions += 1

    # A new commune carries a program flag when every unit it was made from carried it.
    for code, units in predecessors.items():
        unit = new[code]
        for field in FLAG_FIELDS.values():
            setattr(unit, field, all(getattr(u, field) for u in units))
        unit.save(update_fields=list(FLAG_FIELDS.values()))

    groups = _seed_groups(old, new, predecessors)
    return LoadReport(units=len(old) + len(new), successions=successions, groups=groups)


def _former_district(unit: Unit) -> Unit:
    return unit if unit.level == Level.DISTRICT else unit.parent


def _seed_groups(old: dict[str, Unit], new: dict[str, Unit], predecessors) -> int:
    """One group per former district (the old district plus the new communes made from it), and
    the mountainous districts of the 2024 plan. Groups span both trees: the date filters them."""
    new_by_district: dict[str, set[Unit]] = defaultdict(set)
    for new_code, olds in predecessors.items():
        for u in olds:
            new_by_district[_former_district(u).code].add(new[new_code])
    count = 0
    for district in (u for u in old.values() if u.level == Level.DISTRICT):
        group, _ = UnitGroup.objects.update_or_create(
            code=f"huyen-cu-{district.code}",
            defaults={
                "name": f"{district.get_kind_display()} {district.name} (cũ)",
                "kind": GroupKind.FORMER_DISTRICT,
                "former_district": district,
                "description": "Huyện cũ (đến 30/6/2025) và các xã mới hình thành từ huyện đó.",
            },
        )
        group.members.set([district, *new_by_district[district.code]])
        count += 1
    mountain = [u for u in old.values() if u.level == Level.DISTRICT and u.is_mountainous]
    # The 2024 plan's "mountainous districts" are old Quảng Ngãi's five; Kon Tum has its own groups.
    mountain = [d for d in mountain if d.parent.code == "51"]
    group, _ = UnitGroup.objects.update_or_create(
        code=MOUNTAINOUS_GROUP,
        defaults={
            "name": "Các huyện miền núi",
            "kind": GroupKind.MOUNTAINOUS,
            "description": "5 huyện miền núi của tỉnh Quảng Ngãi cũ và các xã mới từ các huyện đó.",
        },
    )
    group.members.set([*mountain, *(u for d in mountain for u in new_by_district[d.code])])
    return count + 1
