"""Households of Ba Tơ (21484) and Sơn Tịnh (21220) in this year's open round: poor,
near-poor and not poor, for the support app's tests."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from households.models import Survey
from support.models import SupportKind
from tests.conftest import unit
from tests.households.factories import (
    NEAR_POOR_FIELDS,
    POOR_FIELDS,
    member,
    open_round,
    register,
    save,
)

YEAR = 2026


def classified(officer, round_, commune, cls: str, head: str, **fields):
    household = register(
        officer, commune, members=[member(head), member(f"{head} Con", relation="child",
                                                       born=dt.date(2012, 5, 1))]
    )  # fmt: skip
    base = {"poor": POOR_FIELDS, "near_poor": NEAR_POOR_FIELDS, "none": {}}[cls]
    save(officer, Survey.objects.get(household=household, round=round_), **base, **fields)
    return household


def kind(code: str) -> SupportKind:
    return SupportKind.objects.get(code=code)


@pytest.fixture
def homes(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        round_ = open_round(cast.admin, YEAR)
        ba_to, son_tinh = unit("21484"), unit("21220")
        poor = classified(cast.officer, round_, ba_to, "poor", "Đinh Văn Nghèo",
                          needs=",health,housing,", causes=",land,capital,")  # fmt: skip
        near = classified(cast.officer, round_, ba_to, "near_poor", "Phạm Thị Cận",
                          needs=",credit,")  # fmt: skip
        average = classified(cast.officer, round_, ba_to, "none", "Lê Văn Khá")
        outside = classified(cast.outsider, round_, son_tinh, "poor", "Trương Văn Ngoài",
                             needs=",production,")  # fmt: skip
    return SimpleNamespace(
        round=round_, ba_to=ba_to, son_tinh=son_tinh, poor=poor, near=near, average=average,
        outside=outside,
    )  # fmt: skip
