"""Load the program tree, caps and approval levels from projects/data/ (idempotent).

Called by the data migration (with the migration's historical models), by
``manage.py load_program`` and by ``seed_demo``. Only missing rows are added: a second run, or a
run after an administrator edited a cap in the admin, changes nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.apps import apps as django_apps
from django.db import transaction

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class ProgramLoadReport:
    programs: int = 0
    components: int = 0
    caps: int = 0
    levels: int = 0

    @property
    def created(self) -> int:
        return self.programs + self.components + self.caps + self.levels


def _rows(name: str) -> list[dict[str, str]]:
    path = DATA_DIR / name
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _date(value: str) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _confirmed(model, row: dict[str, str]) -> dict[str, bool]:
    """The row's ``confirmed`` flag, for models that have it (the 0002 data migration runs with
    the historical models of before the flag)."""
    names = {f.name for f in model._meta.get_fields()}
    return {"confirmed": row.get("confirmed", "1") != "0"} if "confirmed" in names else {}


def program_load(apps=django_apps) -> ProgramLoadReport:
    """Add the shipped programs, trees, caps and approval levels that are not there yet."""
    Program = apps.get_model("projects", "Program")
    Component = apps.get_model("projects", "ProgramComponent")
    Cap = apps.get_model("projects", "StateShareCap")
    Level = apps.get_model("projects", "ApprovalLevel")
    counts = {"programs": 0, "components": 0, "caps": 0, "levels": 0}
    with transaction.atomic():
        for row in _rows("programs.csv"):
            program, created = Program.objects.get_or_create(
                code=row["code"],
                defaults={
                    "name": row["name"],
                    "legal_basis": row["legal_basis"],
                    "starts_on": _date(row["starts_on"]),
                    "ends_on": _date(row["ends_on"]),
                    "min_beneficiary_share": Decimal(row["min_beneficiary_share"]),
                    "priority_share": Decimal(row["priority_share"]),
                    "note": row["note"],
                    **_confirmed(Program, row),
                },
            )
            counts["programs"] += created
            by_number = {c.number: c for c in Component.objects.filter(program=program)}
            for comp in _rows(f"program-{program.code}.csv"):
                if comp["number"] in by_number:
                    continue
                by_number[comp["number"]] = Component.objects.create(
                    program=program,
                    parent=by_number.get(comp["parent"]) if comp["parent"] else None,
                    number=comp["number"],
                    position=int(comp["position"]),
                    name=comp["name"],
                    for_projects=comp["for_projects"] == "1",
                    for_trainings=comp["for_trainings"] == "1",
                    note=comp["note"],
                    **_confirmed(Component, comp),
                )
                counts["components"] += 1
            for cap in _rows(f"caps-{program.code}.csv"):
                _, created = Cap.objects.get_or_create(
                    program=program,
                    form=cap["form"],
                    area_type=cap["area_type"],
                    defaults={"max_share": Decimal(cap["max_share"]), "note": cap["note"]},
                )
                counts["caps"] += created
        for row in _rows("approval-levels.csv"):
            _, created = Level.objects.get_or_create(
                form=row["form"],
                valid_from=_date(row["valid_from"]),
                defaults={
                    "level": row["level"],
                    "valid_to": _date(row["valid_to"]),
                    "note": row["note"],
                },
            )
            counts["levels"] += created
    return ProgramLoadReport(**counts)
