"""Households of Ba Tơ (21484) and Sơn Tịnh (21220) in this year's open round (the support app's
fixture), and activities made through the services."""

from __future__ import annotations

import datetime as dt

from communication import services
from communication.models import ActivityKind
from tests.support.conftest import homes  # noqa: F401 (a fixture)


def kind(code: str) -> ActivityKind:
    return ActivityKind.objects.get(code=code)


def activity(by, unit, *, code="conference", held_on=dt.date(2026, 5, 4), **extra):
    return services.activity_create(
        by=by,
        kind=kind(code),
        held_on=held_on,
        unit=unit,
        title=extra.pop("title", "Đối thoại chính sách giảm nghèo"),
        reach=extra.pop("reach", 80),
        materials=extra.pop("materials", 100),
        **extra,
    )
