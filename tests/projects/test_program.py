"""The program tree, caps and approval levels are data: seeded once, editable, never
overwritten by a second load."""

from decimal import Decimal

import pytest
from django.core.management import call_command

from projects.loading import program_load
from projects.models import ApprovalLevel, Program, ProgramComponent, StateShareCap

pytestmark = pytest.mark.django_db


def test_2021_2025_tree_is_seeded(program):
    program = Program.objects.get(code="2021-2025")
    assert program.min_beneficiary_share == Decimal("50") and program.priority_share == Decimal(
        "70"
    )
    projects = ProgramComponent.objects.filter(program=program, parent__isnull=True)
    assert list(projects.values_list("number", flat=True)) == ["1", "2", "3", "4", "5", "6", "7"]
    subs = dict(
        ProgramComponent.objects.filter(program=program, parent__isnull=False).values_list(
            "number", "parent__number"
        )
    )
    assert subs == {
        "1.1": "1", "1.2": "1", "3.1": "3", "3.2": "3", "4.1": "4", "4.2": "4", "4.3": "4",
        "6.1": "6", "6.2": "6", "7.1": "7", "7.2": "7",
    }  # fmt: skip
    assert str(ProgramComponent.objects.get(program=program, number="3.1")).startswith(
        "Tiểu dự án 3.1: Hỗ trợ phát triển sản xuất"
    )
    for_projects = set(
        ProgramComponent.objects.filter(program=program, for_projects=True).values_list(
            "number", flat=True
        )
    )
    assert for_projects == {"2", "3.1"}


def test_caps_and_levels_are_seeded_unconfirmed(program):
    caps = {
        (c.form, c.area_type): c.max_share
        for c in StateShareCap.objects.filter(program__code="2021-2025")
    }
    assert caps[("community", "poor_district")] == 95
    assert caps[("community", "coastal_difficult")] == 80
    assert caps[("community", "other")] == 60
    assert len(caps) == 12
    assert not StateShareCap.objects.filter(confirmed=True).exists()
    assert ApprovalLevel.objects.count() == 4


def test_load_is_idempotent_and_keeps_admin_edits(program):
    old = {"program__code": "2021-2025"}
    StateShareCap.objects.filter(form="community", area_type="other", **old).update(max_share=55)
    ProgramComponent.objects.filter(number="2", **old).update(name="Tên đã sửa")
    assert program_load().created == 0
    assert StateShareCap.objects.get(form="community", area_type="other", **old).max_share == 55
    assert ProgramComponent.objects.get(number="2", **old).name == "Tên đã sửa"


def test_load_restores_deleted_rows_and_command_reports(program, capsys):
    StateShareCap.objects.filter(form="model").delete()
    call_command("load_program")
    assert "8 caps" in capsys.readouterr().out  # both periods
    assert StateShareCap.objects.filter(form="model").count() == 8  # 4 per period


def test_2026_2030_period_ships_as_unconfirmed_data(program):
    """Issue 10: projects from 2026 on need a period; its rows are marked until checked."""
    later = Program.objects.get(code="2026-2030")
    assert (later.starts_on.isoformat(), later.ends_on.isoformat()) == ("2026-01-01", "2030-12-31")
    assert not later.confirmed
    tree = ProgramComponent.objects.filter(program=later)
    assert tree.filter(for_projects=True).exists()
    assert not tree.filter(confirmed=True).exists()
    assert ProgramComponent.objects.filter(program__code="2021-2025", confirmed=False).count() == 0
    assert StateShareCap.objects.filter(program=later).count() == 12
