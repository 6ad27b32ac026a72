"""Households of Ba Tơ (21484) and Sơn Tịnh (21220) with support received, and helpers to
record contributions through the services."""

from __future__ import annotations

import datetime as dt

from contributions import services
from support import services as support_services
from tests.support.conftest import homes, kind  # noqa: F401 (fixtures shared with support)

YEAR = 2026
DAY = dt.date(2026, 3, 2)


def give(by, where, *, cash=50_000_000, in_kind="", in_kind_value=0, day=DAY, name="Công ty A",
         donor_kind="enterprise", anonymous=False, purpose_kind=None):  # fmt: skip
    return services.contribution_create(
        by=by, unit=where, received_on=day, donor_name=name, donor_kind=donor_kind,
        cash_amount=cash, in_kind=in_kind, in_kind_value=in_kind_value, anonymous=anonymous,
        purpose_kind=purpose_kind, purpose="Xây nhà Đại đoàn kết",
    )  # fmt: skip


def spend(by, contribution, *, amount=10_000_000, records=(), day=None, commune=None):
    return services.use_create(
        by=by, contribution=contribution, used_on=day or contribution.received_on, amount=amount,
        description="Hỗ trợ xây nhà", support_records=records, commune=commune,
    )  # fmt: skip


def house(by, household, *, day=dt.date(2026, 4, 1), amount=40_000_000):
    """A housing support record of a followed (poor) household."""
    return support_services.support_record(
        by=by, household=household, kind=kind("housing"), source="mobilised", received_on=day,
        amount=amount,
    )  # fmt: skip
